#pragma once
// Who is making a request, as established by authentication. Lives in core because the
// HTTP layer carries it and every domain module reads it.
#include <string>
#include <vector>

namespace aop::core {

struct Principal {
  enum class Kind { user, api_key };
  Kind kind = Kind::user;
  std::string user_id;              // the user, or the key's owner
  std::string role;                 // platform role: admin | developer | viewer
  std::string session_id;           // refresh-token family of a user session
  std::string key_id;               // API keys only
  std::string key_team_id;          // API keys are bound to one team
  std::vector<std::string> scopes;  // API keys only
  int rate_limit_per_minute = 0;    // 0 = default

  bool is_admin() const { return role == "admin"; }
  bool is_api_key() const { return kind == Kind::api_key; }
};

}  // namespace aop::core
