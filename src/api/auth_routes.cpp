#include "api/auth_routes.hpp"

#include <boost/json.hpp>

#include "api/body_reader.hpp"
#include "api/user_json.hpp"
#include "app/services.hpp"
#include "auth/audit.hpp"
#include "auth/authenticator.hpp"
#include "auth/rate_limiter.hpp"
#include "auth/session_store.hpp"
#include "auth/user_store.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "http/router.hpp"
#include "teams/team_store.hpp"

namespace aop::api {

namespace asio = boost::asio;
using core::Problem;
using http::Reply;
using http::RequestContext;

namespace {

constexpr const char* k_bad_credentials = "Invalid email or password.";

struct LoginGuards {
  auth::FailureThrottle accounts;  // 5 failures per account, then growing blocks
  auth::RateLimiter addresses;     // attempts per client address
};

// A refresh token in a family, stored hashed. Returns the raw token.
std::string new_refresh_token(store::Connection& c, const auth::AuthSettings& settings, const std::string& user_id,
                              const std::string& family_id, const RequestContext& ctx, std::int64_t now) {
  std::string raw = core::random_token(32);
  auth::RefreshToken t;
  t.id = core::new_id();
  t.user_id = user_id;
  t.family_id = family_id;
  t.token_hash = core::sha256_hex(raw);
  t.expires_at = now + static_cast<std::int64_t>(settings.refresh_ttl_seconds) * 1000;
  auth::insert_refresh_token(c, t, std::string(ctx.header("User-Agent")), ctx.remote_address, now);
  return raw;
}

boost::json::object token_body(const auth::Authenticator& auth, const auth::User& user, const std::string& family,
                               const std::string& refresh_token) {
  return {{"user", user_json(user)},
          {"access_token", auth.issue_access_token(user.id, user.role, family)},
          {"refresh_token", refresh_token},
          {"token_type", "Bearer"},
          {"expires_in", auth.settings().access_ttl_seconds}};
}

std::string validate_password(BodyReader& body, std::string_view key, bool required) {
  auto password = body.string(key, required, 0, 1024);
  if (password && password->size() < 8) {
    body.error(std::string(key), "must be at least 8 characters");
    return {};
  }
  return password.value_or("");
}

}  // namespace

void register_auth_routes(http::Router& router, app::Services& services) {
  auto guards = std::make_shared<LoginGuards>();
  auto& db = services.db;
  auto& auth = services.auth;

  router.add("POST", "/api/auth/register", [&services, &db, &auth](RequestContext& ctx) -> asio::awaitable<Reply> {
    BodyReader body(ctx.json_body());
    body.allow_only({"email", "password", "name"});
    auto email_raw = body.string("email", true, 1, 254);
    std::optional<std::string> email;
    if (email_raw && !(email = auth::normalize_email(*email_raw))) body.error("email", "is not a valid email address");
    auto password = validate_password(body, "password", true);
    auto name = body.string("name", false, 0, 200).value_or("");
    body.finish();

    auto hash = co_await services.blocking.run([&] { return core::hash_password(password); });
    auto now = services.clock.now_ms();
    enum class Outcome { created, closed, taken };
    struct Result {
      Outcome outcome = Outcome::created;
      auth::User user;
      std::string family, refresh;
    };
    auto result = co_await db.write([&](store::Connection& c) {
      Result r;
      // Serialise registrations so exactly one first user becomes admin.
      if (c.dialect() == store::Dialect::postgres) c.execute("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE");
      bool first = auth::count_users(c) == 0;
      if (!first && !auth.settings().allow_signup) {
        r.outcome = Outcome::closed;
        return r;
      }
      if (auth::find_user_by_email(c, *email)) {
        r.outcome = Outcome::taken;
        return r;
      }
      auth::User u;
      u.id = core::new_id();
      u.email = *email;
      u.name = name.empty() ? email->substr(0, email->find('@')) : name;
      u.password_hash = hash;
      u.role = first ? "admin" : "developer";
      u.last_login_at = now;
      u.created_at = u.updated_at = now;
      auth::insert_user(c, u);
      auto team = teams::create_team(c, first ? "Default team" : u.name + "'s team", u.id, now);
      auto audit = auth::audit_by(nullptr, "user.register", ctx.remote_address);
      audit.actor_user_id = u.id;
      audit.team_id = team.id;
      audit.target_type = "user";
      audit.target_id = u.id;
      audit.details = {{"role", u.role}};
      auth::record_audit(c, audit, now);
      r.family = core::new_id();
      r.refresh = new_refresh_token(c, auth.settings(), u.id, r.family, ctx, now);
      r.user = std::move(u);
      return r;
    });
    if (result.outcome == Outcome::closed)
      throw Problem::forbidden("Self-registration is disabled; ask an administrator to create your account.");
    if (result.outcome == Outcome::taken)
      throw Problem::conflict("An account with this email already exists.");
    co_return http::json_reply(201, token_body(auth, result.user, result.family, result.refresh));
  }, {.summary = "Register", .policy = "public"});

  router.add("POST", "/api/auth/login", [&services, &db, &auth, guards](RequestContext& ctx) -> asio::awaitable<Reply> {
    BodyReader body(ctx.json_body());
    body.allow_only({"email", "password"});
    auto email_raw = body.string("email", true, 1, 254);
    auto password = body.string("password", true, 1, 1024);
    body.finish();
    auto email = auth::normalize_email(*email_raw).value_or(*email_raw);
    auto now = services.clock.now_ms();

    auto address = guards->addresses.check("login:" + ctx.remote_address, 60);
    double retry = 0;
    if (!address.allowed || guards->accounts.blocked(email, now, &retry)) {
      int seconds = std::max(1, static_cast<int>(std::ceil(std::max(retry, address.retry_after_seconds))));
      throw Problem::too_many_requests("Too many login attempts; try again in " + std::to_string(seconds) + " s.", seconds);
    }

    auto user = co_await db.read([&](store::Connection& c) { return auth::find_user_by_email(c, email); });
    // Verify against a fixed hash when the account is unknown so both cases take as long.
    static const std::string k_dummy_hash = core::hash_password("not-a-real-password");
    std::string hash = user ? user->password_hash : k_dummy_hash;
    bool ok = co_await services.blocking.run([&] { return core::verify_password(hash, *password); });
    ok = ok && user && user->is_active;

    if (!ok) {
      guards->accounts.record_failure(email, now);
      co_await db.write([&](store::Connection& c) {
        auto audit = auth::audit_by(nullptr, "login.failure", ctx.remote_address);
        if (user) audit.actor_user_id = user->id;
        audit.details = {{"email", email}};
        auth::record_audit(c, audit, now);
      });
      throw Problem::unauthorized(k_bad_credentials);
    }
    guards->accounts.reset(email);
    std::string family = core::new_id();
    auto refresh = co_await db.write([&](store::Connection& c) {
      auth::touch_last_login(c, user->id, now);
      auto audit = auth::audit_by(nullptr, "login.success", ctx.remote_address);
      audit.actor_user_id = user->id;
      auth::record_audit(c, audit, now);
      return new_refresh_token(c, auth.settings(), user->id, family, ctx, now);
    });
    user->last_login_at = now;
    co_return http::json_reply(200, token_body(auth, *user, family, refresh));
  }, {.summary = "Log in", .policy = "public"});

  router.add("POST", "/api/auth/refresh", [&services, &db, &auth](RequestContext& ctx) -> asio::awaitable<Reply> {
    BodyReader body(ctx.json_body());
    body.allow_only({"refresh_token"});
    auto token = body.string("refresh_token", true, 1, 512);
    body.finish();
    auto now = services.clock.now_ms();
    enum class Outcome { ok, unknown, reused, expired, inactive };
    struct Result {
      Outcome outcome = Outcome::ok;
      auth::User user;
      std::string family, refresh;
    };
    auto result = co_await db.write([&](store::Connection& c) {
      Result r;
      auto existing = auth::find_refresh_token(c, core::sha256_hex(*token));
      if (!existing) {
        r.outcome = Outcome::unknown;
        return r;
      }
      r.family = existing->family_id;
      auto reuse = [&] {
        // A rotated token came back: someone holds a copy. End the whole family.
        auth::revoke_family(c, existing->family_id, now);
        auto audit = auth::audit_by(nullptr, "refresh.reuse_detected", ctx.remote_address);
        audit.actor_user_id = existing->user_id;
        audit.target_type = "session";
        audit.target_id = existing->family_id;
        auth::record_audit(c, audit, now);
        r.outcome = Outcome::reused;
      };
      if (existing->revoked_at) {
        reuse();
        return r;
      }
      if (existing->expires_at <= now) {
        r.outcome = Outcome::expired;
        return r;
      }
      auto user = auth::find_user_by_id(c, existing->user_id);
      if (!user || !user->is_active) {
        auth::revoke_family(c, existing->family_id, now);
        r.outcome = Outcome::inactive;
        return r;
      }
      std::string next_id = core::new_id();
      if (!auth::retire_refresh_token(c, existing->id, next_id, now)) {
        reuse();
        return r;
      }
      r.refresh = new_refresh_token(c, auth.settings(), user->id, existing->family_id, ctx, now);
      r.user = std::move(*user);
      return r;
    });
    switch (result.outcome) {
      case Outcome::ok: break;
      case Outcome::reused:
        auth.revoke_session(result.family);
        throw Problem::unauthorized("This refresh token was already used; the session has been ended for safety. Log in again.");
      case Outcome::expired: throw Problem::unauthorized("The refresh token has expired; log in again.");
      default: throw Problem::unauthorized("The refresh token is not valid; log in again.");
    }
    co_return http::json_reply(200, token_body(auth, result.user, result.family, result.refresh));
  }, {.summary = "Rotate the refresh token", .policy = "public"});

  router.add("POST", "/api/auth/logout", [&services, &db, &auth](RequestContext& ctx) -> asio::awaitable<Reply> {
    const auto& p = *ctx.principal;
    std::string family = p.session_id;
    if (!ctx.request.body().empty()) {
      BodyReader body(ctx.json_body());
      body.allow_only({"refresh_token"});
      auto token = body.string("refresh_token", false, 1, 512);
      body.finish();
      if (token) {
        auto found = co_await db.read([&](store::Connection& c) { return auth::find_refresh_token(c, core::sha256_hex(*token)); });
        if (found && found->user_id == p.user_id) family = found->family_id;
      }
    }
    auto now = services.clock.now_ms();
    co_await db.write([&](store::Connection& c) {
      if (!family.empty()) auth::revoke_family(c, family, now);
      auto audit = auth::audit_by(&p, "logout", ctx.remote_address);
      audit.target_type = "session";
      audit.target_id = family;
      auth::record_audit(c, audit, now);
    });
    if (!family.empty()) auth.revoke_session(family);
    co_return http::empty_reply(204);
  }, {.summary = "Log out", .policy = "self"});

  router.add("GET", "/api/auth/me", [&db](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto user_id = ctx.principal->user_id;
    auto [user, memberships] = co_await db.read([&](store::Connection& c) {
      return std::make_pair(auth::find_user_by_id(c, user_id), teams::memberships_of(c, user_id));
    });
    if (!user) throw Problem::unauthorized("The account no longer exists.");
    auto doc = user_json(*user);
    boost::json::array team_list;
    for (const auto& m : memberships) team_list.push_back({{"id", m.team_id}, {"name", m.team_name}, {"role", m.role}});
    doc["teams"] = std::move(team_list);
    co_return http::json_reply(200, doc);
  }, {.summary = "The current user", .policy = "self"});

  router.add("PATCH", "/api/auth/me", [&services, &db](RequestContext& ctx) -> asio::awaitable<Reply> {
    BodyReader body(ctx.json_body());
    body.allow_only({"name", "settings", "password", "current_password"});
    auto name = body.string("name", false, 1, 200);
    auto new_password = validate_password(body, "password", false);
    auto current = body.string("current_password", false, 1, 1024);
    if (!new_password.empty() && !current) body.error("current_password", "is required to change the password");
    boost::json::object settings_patch;
    if (const auto* s = body.raw("settings")) {
      if (!s->is_object()) {
        body.error("settings", "must be an object");
      } else {
        for (const auto& kv : s->as_object()) {
          std::string key(kv.key());
          auto allowed = key == "theme" ? std::vector<std::string>{"light", "dark", "system"}
                         : key == "language" ? std::vector<std::string>{"en", "ko"}
                                             : std::vector<std::string>{};
          if (allowed.empty()) {
            body.error("settings." + key, "is not a known setting (theme, language)");
          } else if (!kv.value().is_string() ||
                     std::find(allowed.begin(), allowed.end(), std::string(kv.value().as_string())) == allowed.end()) {
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            body.error("settings." + key, "must be one of " + list);
          } else {
            settings_patch[key] = kv.value();
          }
        }
      }
    }
    body.finish();

    auto user_id = ctx.principal->user_id;
    auto user = co_await db.read([&](store::Connection& c) { return auth::find_user_by_id(c, user_id); });
    if (!user) throw Problem::unauthorized("The account no longer exists.");
    std::string new_hash;
    if (!new_password.empty()) {
      bool ok = co_await services.blocking.run([&] { return core::verify_password(user->password_hash, *current); });
      if (!ok) throw Problem::unprocessable("The current password is wrong.", {{"current_password", "is wrong"}});
      new_hash = co_await services.blocking.run([&] { return core::hash_password(new_password); });
    }
    auto now = services.clock.now_ms();
    auto session = ctx.principal->session_id;
    std::vector<std::string> ended_sessions;
    auto updated = co_await db.write([&](store::Connection& c) {
      auto u = auth::find_user_by_id(c, user_id);
      if (!u) return u;
      if (name) u->name = *name;
      if (!settings_patch.empty()) {
        boost::system::error_code ec;
        auto current_settings = boost::json::parse(u->settings, ec);
        boost::json::object merged = !ec && current_settings.is_object() ? current_settings.as_object() : boost::json::object();
        for (const auto& kv : settings_patch) merged[kv.key()] = kv.value();
        u->settings = boost::json::serialize(merged);
      }
      if (!new_hash.empty()) {
        u->password_hash = new_hash;
        // Other sessions end; this one continues.
        for (auto row : c.query("SELECT DISTINCT family_id FROM refresh_tokens WHERE user_id = ? AND family_id <> ? "
                                "AND revoked_at IS NULL",
                                {user_id, session}))
          ended_sessions.push_back(row.text(0));
        c.execute("UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND family_id <> ? AND revoked_at IS NULL",
                  {now, user_id, session});
        auto audit = auth::audit_by(ctx.principal.get(), "user.password_changed", ctx.remote_address);
        audit.target_type = "user";
        audit.target_id = user_id;
        auth::record_audit(c, audit, now);
      }
      u->updated_at = now;
      auth::update_user(c, *u);
      return u;
    });
    if (!updated) throw Problem::unauthorized("The account no longer exists.");
    for (const auto& family : ended_sessions) services.auth.revoke_session(family);
    co_return http::json_reply(200, user_json(*updated));
  }, {.summary = "Update the current user", .policy = "self"});
}

}  // namespace aop::api
