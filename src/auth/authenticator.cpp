#include "auth/authenticator.hpp"

#include <spdlog/spdlog.h>

#include <cmath>

#include "auth/api_key_format.hpp"
#include "auth/policy.hpp"
#include "auth/session_store.hpp"
#include "auth/user_store.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "core/problem.hpp"
#include "http/router.hpp"

namespace aop::auth {

namespace asio = boost::asio;
using core::Principal;
using core::Problem;

namespace {
Problem unauthenticated(std::string detail) {
  Problem p = Problem::unauthorized(std::move(detail));
  p.with_header("WWW-Authenticate", "Bearer");
  return p;
}
}  // namespace

Authenticator::Authenticator(store::Database& db, AuthSettings settings, const core::Clock& clock)
    : db_(db),
      settings_(std::move(settings)),
      clock_(clock),
      jwt_key_(settings_.jwt_secret),
      stream_tokens_(settings_.jwt_secret) {}

namespace {
constexpr std::int64_t k_stream_token_ttl_ms = 60 * 1000;
}

std::pair<std::string, std::int64_t> Authenticator::issue_stream_token(const Principal& principal,
                                                                       const std::string& team_id,
                                                                       const std::string& execution_id) const {
  StreamTokenClaims claims;
  claims.execution_id = execution_id;
  claims.user_id = principal.user_id;
  claims.team_id = team_id;
  claims.role = principal.role;
  claims.issued_ms = clock_.now_ms();
  claims.expires_ms = claims.issued_ms + k_stream_token_ttl_ms;
  return {stream_tokens_.issue(claims), claims.expires_ms};
}

std::shared_ptr<const Principal> Authenticator::authenticate_stream_token(const http::RequestContext& ctx,
                                                                          std::string_view token,
                                                                          std::string& team_id) const {
  std::string error;
  auto claims = stream_tokens_.verify(token, clock_.now_ms(), error);
  if (!claims) throw unauthenticated("Invalid stream_token: " + error + ".");
  // Bound to one execution: a token for another one is as good as none.
  if (claims->execution_id != ctx.param("id"))
    throw unauthenticated("Invalid stream_token: it was issued for another execution.");
  if (!is_platform_role(claims->role)) throw unauthenticated("Invalid stream_token: unknown role.");
  {
    std::shared_lock lock(revocations_mutex_);
    if (auto it = user_not_before_.find(claims->user_id); it != user_not_before_.end() && claims->issued_ms <= it->second)
      throw unauthenticated("Invalid stream_token: it was revoked; request a new one.");
  }
  auto p = std::make_shared<Principal>();
  p->kind = Principal::Kind::user;
  p->user_id = claims->user_id;
  p->role = claims->role;
  team_id = claims->team_id;
  return p;
}

std::string Authenticator::issue_access_token(const std::string& user_id, const std::string& role,
                                              const std::string& session_id) const {
  JwtClaims claims;
  claims.sub = user_id;
  claims.role = role;
  auto now_ms = clock_.now_ms();
  claims.iat = now_ms / 1000;
  claims.extra["iat_ms"] = now_ms;  // revocation needs sub-second precision
  claims.exp = claims.iat + settings_.access_ttl_seconds;
  claims.jti = core::new_id();
  if (!session_id.empty()) claims.extra["sid"] = session_id;
  return sign_jwt(claims, jwt_key_);
}

std::shared_ptr<const Principal> Authenticator::authenticate_jwt(std::string_view token, std::string& error) const {
  auto result = verify_jwt(token, jwt_key_, clock_.now_ms() / 1000);
  if (auto* e = std::get_if<JwtError>(&result)) {
    error = describe(*e);
    return nullptr;
  }
  auto& claims = std::get<JwtClaims>(result);
  if (!is_platform_role(claims.role)) {
    error = "the access token carries an unknown role";
    return nullptr;
  }
  std::int64_t issued_ms = claims.iat * 1000;
  if (auto it = claims.extra.find("iat_ms"); it != claims.extra.end() && it->value().is_int64())
    issued_ms = it->value().as_int64();
  std::string sid;
  if (auto it = claims.extra.find("sid"); it != claims.extra.end() && it->value().is_string())
    sid = std::string(it->value().as_string());
  {
    std::shared_lock lock(revocations_mutex_);
    if (!sid.empty() && revoked_sessions_.count(sid)) {
      error = "the session has ended; log in again";
      return nullptr;
    }
    if (auto it = user_not_before_.find(claims.sub); it != user_not_before_.end() && issued_ms <= it->second) {
      error = "the access token was revoked; log in again";
      return nullptr;
    }
  }
  auto p = std::make_shared<Principal>();
  p->kind = Principal::Kind::user;
  p->user_id = std::move(claims.sub);
  p->role = std::move(claims.role);
  p->session_id = std::move(sid);
  return p;
}

asio::awaitable<std::shared_ptr<const Principal>> Authenticator::authenticate(const http::RequestContext& ctx) {
  auto authorization = ctx.header("Authorization");
  auto api_key = ctx.header("X-API-Key");
  if (!api_key.empty()) co_return co_await authenticate_key(api_key);
  if (authorization.empty()) {
    throw unauthenticated("Authentication required: send Authorization: Bearer <access token or API key>.");
  }
  constexpr std::string_view bearer = "Bearer ";
  if (authorization.size() <= bearer.size() ||
      !std::equal(bearer.begin(), bearer.end(), authorization.begin(),
                  [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
    throw unauthenticated("The Authorization header must use the Bearer scheme.");
  auto credential = authorization.substr(bearer.size());
  if (credential.starts_with("aop_")) co_return co_await authenticate_key(credential);
  std::string error;
  if (auto p = authenticate_jwt(credential, error)) co_return p;
  throw unauthenticated("Invalid access token: " + error + ".");
}

asio::awaitable<std::shared_ptr<const Principal>> Authenticator::authenticate_key(std::string_view key) {
  auto prefix = parse_api_key_prefix(key);
  if (!prefix) throw unauthenticated("The API key is malformed.");
  auto now = clock_.now_ms();
  std::optional<CachedKey> cached;
  {
    std::lock_guard lock(keys_mutex_);
    if (auto it = keys_.find(*prefix); it != keys_.end() && now - it->second.loaded_at < settings_.cache_ttl_ms)
      cached = it->second;
  }
  if (!cached) {
    auto loaded = co_await db_.read([&](store::Connection& c) -> std::optional<CachedKey> {
      auto record = find_api_key_by_prefix(c, *prefix);
      if (!record) return std::nullopt;
      CachedKey k;
      k.record = std::move(*record);
      if (!k.record.user_id.empty())
        if (auto owner = find_user_by_id(c, k.record.user_id)) {
          k.owner_role = owner->role;
          k.owner_active = owner->is_active;
        }
      return k;
    });
    if (!loaded) throw unauthenticated("The API key is not valid.");
    loaded->loaded_at = now;
    std::lock_guard lock(keys_mutex_);
    keys_[*prefix] = *loaded;
    cached = std::move(loaded);
  }
  const auto& r = cached->record;
  if (!core::constant_time_equal(hash_api_key(key), r.key_hash)) throw unauthenticated("The API key is not valid.");
  if (!r.is_active || r.revoked_at) throw unauthenticated("The API key has been revoked.");
  if (r.expires_at && *r.expires_at <= now) throw unauthenticated("The API key has expired.");
  if (!cached->owner_active) throw unauthenticated("The API key's owner is no longer active.");
  {
    std::lock_guard lock(keys_mutex_);
    key_usage_[r.id] = now;
  }
  auto p = std::make_shared<Principal>();
  p->kind = Principal::Kind::api_key;
  p->user_id = r.user_id;
  p->role = cached->owner_role;
  p->key_id = r.id;
  p->key_team_id = r.team_id;
  p->scopes = r.permissions;
  p->rate_limit_per_minute = r.rate_limit ? static_cast<int>(*r.rate_limit) : 0;
  co_return p;
}

asio::awaitable<std::vector<teams::Membership>> Authenticator::memberships(const std::string& user_id) {
  auto now = clock_.now_ms();
  {
    std::lock_guard lock(memberships_mutex_);
    if (auto it = memberships_.find(user_id); it != memberships_.end() && now - it->second.loaded_at < settings_.cache_ttl_ms)
      co_return it->second.memberships;
  }
  auto list = co_await db_.read([&](store::Connection& c) { return teams::memberships_of(c, user_id); });
  std::lock_guard lock(memberships_mutex_);
  memberships_[user_id] = CachedMemberships{list, now};
  co_return list;
}

asio::awaitable<void> Authenticator::resolve_team(http::RequestContext& ctx, const Policy& policy,
                                                 const std::string& forced_team) {
  const Principal& p = *ctx.principal;
  std::string from_path = policy.team_param.empty() ? std::string() : std::string(ctx.param(policy.team_param));
  std::string requested = forced_team.empty() ? from_path : forced_team;
  if (requested.empty()) {
    requested = std::string(ctx.header("X-Team-Id"));
    if (requested.empty()) requested = ctx.query_param("team_id").value_or("");
  }

  if (p.is_api_key()) {
    if (!requested.empty() && requested != p.key_team_id) {
      if (!from_path.empty()) throw Problem::not_found("No team " + requested + ".");
      throw Problem::forbidden("This API key belongs to another team.");
    }
    ctx.team_id = p.key_team_id;
    ctx.team_role = "member";
    co_return;
  }

  auto list = co_await memberships(p.user_id);
  if (requested.empty()) {
    if (list.empty()) throw Problem::forbidden("You are not a member of any team; ask an administrator to add you.");
    ctx.team_id = list.front().team_id;
    ctx.team_role = list.front().role;
    co_return;
  }
  for (const auto& m : list)
    if (m.team_id == requested) {
      ctx.team_id = m.team_id;
      ctx.team_role = m.role;
      co_return;
    }
  if (p.is_admin()) {
    bool exists = co_await db_.read([&](store::Connection& c) { return teams::find_team(c, requested).has_value(); });
    if (!exists) throw Problem::not_found("No team " + requested + ".");
    ctx.team_id = requested;
    ctx.team_role = "";
    co_return;
  }
  // Never reveal whether a team the caller cannot see exists.
  if (!from_path.empty()) throw Problem::not_found("No team " + requested + ".");
  throw Problem::forbidden("You are not a member of team " + requested + ".");
}

void Authenticator::apply_rate_limit(const Principal& p, std::vector<std::pair<std::string, std::string>>& headers) {
  int limit = p.is_api_key() ? (p.rate_limit_per_minute > 0 ? p.rate_limit_per_minute : settings_.api_key_rate_limit_per_minute)
                             : settings_.user_rate_limit_per_minute;
  if (limit <= 0) return;
  std::string key = p.is_api_key() ? "key:" + p.key_id : "user:" + p.user_id;
  auto d = rate_limiter_.check(key, limit);
  auto reset = std::to_string(static_cast<long>(std::ceil(d.reset_seconds)));
  if (!d.allowed) {
    int retry = std::max(1, static_cast<int>(std::ceil(d.retry_after_seconds)));
    Problem problem = Problem::too_many_requests(
        "Rate limit of " + std::to_string(limit) + " requests per minute exceeded; retry in " + std::to_string(retry) + " s.",
        retry);
    problem.with_header("RateLimit-Limit", std::to_string(d.limit));
    problem.with_header("RateLimit-Remaining", "0");
    problem.with_header("RateLimit-Reset", reset);
    throw problem;
  }
  headers.emplace_back("RateLimit-Limit", std::to_string(d.limit));
  headers.emplace_back("RateLimit-Remaining", std::to_string(d.remaining));
  headers.emplace_back("RateLimit-Reset", reset);
}

http::RouteGuard Authenticator::guard() {
  return [this](http::RequestContext& ctx, const http::RouteInfo& route,
                std::vector<std::pair<std::string, std::string>>& headers) -> asio::awaitable<void> {
    const Policy* policy = find_policy(route.options.policy);
    if (!policy) throw std::logic_error("route " + route.method + " " + route.pattern + " has no known policy");
    if (!policy->authenticated) co_return;

    // EventSource cannot send headers: routes that allow it take a stream token instead.
    std::string token_team;
    std::optional<std::string> stream_token;
    if (policy->stream_token && ctx.header("Authorization").empty() && ctx.header("X-API-Key").empty())
      stream_token = ctx.query_param("stream_token");
    if (stream_token) ctx.principal = authenticate_stream_token(ctx, *stream_token, token_team);
    else ctx.principal = co_await authenticate(ctx);
    const Principal& p = *ctx.principal;
    apply_rate_limit(p, headers);

    if (std::find(policy->roles.begin(), policy->roles.end(), p.role) == policy->roles.end())
      throw Problem::forbidden("Your role (" + p.role + ") does not allow you to " + policy->description + ".");
    if (p.is_api_key()) {
      if (policy->scope.empty())
        throw Problem::forbidden("API keys cannot " + policy->description + "; sign in as a user.");
      if (std::find(p.scopes.begin(), p.scopes.end(), policy->scope) == p.scopes.end())
        throw Problem::forbidden("The API key lacks the scope \"" + policy->scope + "\".");
    }
    if (policy->team_scoped) {
      co_await resolve_team(ctx, *policy, token_team);
      if (policy->team_owner && ctx.team_role != "owner" && !p.is_admin())
        throw Problem::forbidden("Only the team's owners can " + policy->description + ".");
    }
  };
}

void Authenticator::revoke_session(const std::string& session_id) {
  std::unique_lock lock(revocations_mutex_);
  revoked_sessions_[session_id] = clock_.now_ms();
}

void Authenticator::revoke_user_tokens(const std::string& user_id) {
  std::unique_lock lock(revocations_mutex_);
  // Tokens issued up to this millisecond stop working.
  user_not_before_[user_id] = clock_.now_ms();
}

void Authenticator::forget_api_key(const std::string& prefix) {
  std::lock_guard lock(keys_mutex_);
  keys_.erase(prefix);
}

void Authenticator::forget_memberships(const std::string& user_id) {
  std::lock_guard lock(memberships_mutex_);
  memberships_.erase(user_id);
}

void Authenticator::sync_revocations() {
  auto now = clock_.now_ms();
  // Tokens older than their lifetime (plus the verifier's leeway) are refused anyway.
  auto horizon = now - (static_cast<std::int64_t>(settings_.access_ttl_seconds) + 120) * 1000;
  Revocations loaded;
  db_.with_reader([&](store::Connection& c) { loaded = load_revocations(c, horizon); });
  std::unique_lock lock(revocations_mutex_);
  std::erase_if(revoked_sessions_, [&](const auto& kv) { return kv.second < horizon; });
  std::erase_if(user_not_before_, [&](const auto& kv) { return kv.second < horizon; });
  for (auto& [family, at] : loaded.sessions) revoked_sessions_.emplace(family, at);
  for (auto& [user, at] : loaded.users) {
    auto& mark = user_not_before_[user];
    mark = std::max(mark, at);
  }
}

void Authenticator::flush_key_usage() {
  std::unordered_map<std::string, std::int64_t> usage;
  {
    std::lock_guard lock(keys_mutex_);
    usage.swap(key_usage_);
  }
  if (usage.empty()) return;
  try {
    db_.with_transaction([&](store::Connection& c) {
      for (const auto& [id, at] : usage) set_api_key_last_used(c, id, at);
    });
  } catch (const std::exception& e) {
    spdlog::warn("could not record API key usage: {}", e.what());
  }
}

}  // namespace aop::auth
