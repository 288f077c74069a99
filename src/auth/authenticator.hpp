#pragma once
// Authentication and authorization for every request: verifies JWTs and API keys, applies
// rate limits, resolves the active team and enforces the route's policy (auth/policy.hpp).
// Hot-path state (API keys, memberships, revoked sessions) is cached in memory so a request
// normally costs no database round trip.
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "auth/api_key_store.hpp"
#include "auth/jwt.hpp"
#include "auth/rate_limiter.hpp"
#include "auth/stream_token.hpp"
#include "core/clock.hpp"
#include "core/principal.hpp"
#include "http/middleware.hpp"
#include "store/database.hpp"
#include "teams/team_store.hpp"

namespace aop::auth {

struct AuthSettings {
  std::string jwt_secret;
  int access_ttl_seconds = 15 * 60;
  int refresh_ttl_seconds = 30 * 24 * 3600;
  bool allow_signup = false;
  int user_rate_limit_per_minute = 1200;     // 0 = unlimited
  int api_key_rate_limit_per_minute = 600;   // default for keys without their own limit
  int cache_ttl_ms = 5000;                   // API key and membership caches
};

struct IssuedTokens {
  std::string access_token;
  std::string refresh_token;
  int expires_in = 0;
};

class Authenticator {
 public:
  Authenticator(store::Database& db, AuthSettings settings, const core::Clock& clock);

  const AuthSettings& settings() const { return settings_; }
  const core::Clock& clock() const { return clock_; }

  // The guard the router runs before every handler.
  http::RouteGuard guard();

  // Credentials of a request → principal; throws Problem 401. Exposed for tests/benchmarks.
  boost::asio::awaitable<std::shared_ptr<const core::Principal>> authenticate(const http::RequestContext& ctx);
  // The JWT path alone (no I/O): nullopt + reason on failure.
  std::shared_ptr<const core::Principal> authenticate_jwt(std::string_view token, std::string& error) const;

  // A token that lets `principal` (a user) read the stream of one execution of `team_id` for
  // 60 seconds without other credentials. Returns the token and its expiry (epoch ms).
  std::pair<std::string, std::int64_t> issue_stream_token(const core::Principal& principal, const std::string& team_id,
                                                          const std::string& execution_id) const;

  // Access token for a user session (sid = refresh family).
  std::string issue_access_token(const std::string& user_id, const std::string& role,
                                 const std::string& session_id) const;

  // Revocation, effective immediately in this process.
  void revoke_session(const std::string& session_id);
  void revoke_user_tokens(const std::string& user_id);  // tokens issued before now stop working
  void forget_api_key(const std::string& prefix);
  void forget_memberships(const std::string& user_id);

  RateLimiter& rate_limiter() { return rate_limiter_; }

  // Writes API key last_used_at values gathered since the last flush (one batch).
  void flush_key_usage();

  // Blocking: loads session and token revocations recorded in the database (by any node)
  // during the last access-token lifetime, and forgets older ones. Called at start-up and
  // every few seconds, so logouts, role changes and deactivations hold across restarts and
  // nodes.
  void sync_revocations();

 private:
  struct CachedKey {
    ApiKeyRecord record;
    std::string owner_role;
    bool owner_active = false;
    std::int64_t loaded_at = 0;
  };
  struct CachedMemberships {
    std::vector<teams::Membership> memberships;
    std::int64_t loaded_at = 0;
  };

  boost::asio::awaitable<std::shared_ptr<const core::Principal>> authenticate_key(std::string_view key);
  boost::asio::awaitable<std::vector<teams::Membership>> memberships(const std::string& user_id);
  // The principal a stream token stands for; throws Problem 401. Sets `team_id` to its team.
  std::shared_ptr<const core::Principal> authenticate_stream_token(const http::RequestContext& ctx,
                                                                   std::string_view token, std::string& team_id) const;
  // `forced_team`: the team a stream token is bound to (overrides headers and queries).
  boost::asio::awaitable<void> resolve_team(http::RequestContext& ctx, const struct Policy& policy,
                                            const std::string& forced_team = {});
  void apply_rate_limit(const core::Principal& principal,
                        std::vector<std::pair<std::string, std::string>>& headers);

  store::Database& db_;
  AuthSettings settings_;
  const core::Clock& clock_;
  JwtKey jwt_key_;
  StreamTokenSigner stream_tokens_;
  RateLimiter rate_limiter_;

  mutable std::shared_mutex revocations_mutex_;
  std::unordered_map<std::string, std::int64_t> revoked_sessions_;  // sid -> when
  std::unordered_map<std::string, std::int64_t> user_not_before_;   // user -> revoked up to (ms)

  std::mutex keys_mutex_;
  std::unordered_map<std::string, CachedKey> keys_;  // by prefix
  std::unordered_map<std::string, std::int64_t> key_usage_;  // key id -> last used (ms)

  std::mutex memberships_mutex_;
  std::unordered_map<std::string, CachedMemberships> memberships_;
};

}  // namespace aop::auth
