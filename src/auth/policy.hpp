#pragma once
// The one authorization table. Every route names a policy (RouteOptions::policy); the route
// guard looks it up here and enforces it before the handler runs. Handlers never check
// roles themselves.
#include <string>
#include <string_view>
#include <vector>

namespace aop::auth {

struct Policy {
  std::string name;                // e.g. "crews:write"
  bool authenticated = true;       // false: public route, no credentials needed
  std::vector<std::string> roles;  // platform roles allowed (admin is always listed)
  std::string scope;               // API key scope that grants it; empty: API keys refused
  bool team_scoped = false;        // needs an active team the principal belongs to
  std::string team_param;          // team id taken from this path parameter (404 if not a member)
  bool team_owner = false;         // needs the owner role in that team (admins pass)
  std::string description;         // for docs and error messages: "manage team members"
  // Also accepts ?stream_token= (auth/stream_token.hpp) for the execution in the path's {id},
  // in place of credentials: for EventSource, which cannot send headers.
  bool stream_token = false;
};

// nullptr for an unknown name.
const Policy* find_policy(std::string_view name);
const std::vector<Policy>& all_policies();

// API key scopes, each with the least platform role that may hold it; a key never
// exceeds its owner's role.
struct ScopeInfo {
  std::string scope;
  std::string min_role;
  std::string description;
};
const std::vector<ScopeInfo>& all_scopes();
const ScopeInfo* find_scope(std::string_view scope);

// viewer < developer < admin
int role_rank(std::string_view role);
bool is_platform_role(std::string_view role);

}  // namespace aop::auth
