#pragma once
// Short-lived tokens for one execution's event stream. Browsers' EventSource cannot send an
// Authorization header, and an access token in a URL would end up in logs and proxies for its
// whole lifetime; a stream token is only good for reading one execution's stream, as one user
// in one team, for a minute. HMAC-SHA256 under a key derived from the JWT secret (a different
// key, so neither kind of token can stand in for the other).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aop::auth {

struct StreamTokenClaims {
  std::string execution_id;
  std::string user_id;
  std::string team_id;
  std::string role;  // the user's platform role when the token was issued
  std::int64_t issued_ms = 0;
  std::int64_t expires_ms = 0;
};

class StreamTokenSigner {
 public:
  explicit StreamTokenSigner(std::string_view jwt_secret);
  std::string issue(const StreamTokenClaims& claims) const;
  // nullopt with a reason (for a 401) when the token is malformed, forged or expired.
  std::optional<StreamTokenClaims> verify(std::string_view token, std::int64_t now_ms, std::string& error) const;

 private:
  std::string key_;
};

}  // namespace aop::auth
