#include "api/user_routes.hpp"

#include <boost/json.hpp>

#include "api/body_reader.hpp"
#include "api/user_json.hpp"
#include "app/services.hpp"
#include "auth/audit.hpp"
#include "auth/authenticator.hpp"
#include "auth/policy.hpp"
#include "auth/session_store.hpp"
#include "auth/user_store.hpp"
#include "core/blocking_pool.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "core/problem.hpp"
#include "http/router.hpp"
#include "store/database.hpp"
#include "teams/team_store.hpp"

namespace aop::api {

namespace asio = boost::asio;
namespace json = boost::json;
using core::Problem;
using http::Reply;
using http::RequestContext;

namespace {

constexpr std::size_t k_min_password = 8;
constexpr std::size_t k_max_password = 1024;
constexpr std::size_t k_max_name = 200;
constexpr std::size_t k_max_query = 200;

std::string trim(std::string s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::optional<std::string> read_role(BodyReader& body, bool required) {
  auto role = body.string("role", required, 1, 20);
  if (role && !auth::is_platform_role(*role)) {
    body.error("role", "must be admin, developer or viewer");
    return std::nullopt;
  }
  return role;
}

// Ids of the active administrators, locked for the rest of the transaction on PostgreSQL so
// that two administrators demoting each other at once cannot leave none.
std::vector<std::string> lock_active_admins(store::Connection& c) {
  std::string sql = "SELECT id FROM users WHERE role = 'admin' AND is_active = ?";
  if (c.dialect() == store::Dialect::postgres) sql += " FOR UPDATE";
  std::vector<std::string> ids;
  for (auto r : c.query(sql, {true})) ids.push_back(r.text(0));
  return ids;
}

// Prefixes of every API key the user owns, so their cached entries can be dropped.
std::vector<std::string> key_prefixes_of(store::Connection& c, const std::string& user_id) {
  std::vector<std::string> out;
  for (auto r : c.query("SELECT prefix FROM api_keys WHERE user_id = ?", {user_id})) out.push_back(r.text(0));
  return out;
}

Problem duplicate_email(const std::string& email) {
  return Problem::conflict("A user with the email " + email + " already exists.");
}

}  // namespace

void register_user_routes(http::Router& router, app::Services& services) {
  // ---- GET /api/users --------------------------------------------------------------------
  router.add("GET", "/api/users", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto page = read_page(ctx.query_param("limit"), ctx.query_param("cursor"));
    std::string q = trim(ctx.query_param("q").value_or(""));
    if (q.size() > k_max_query)
      throw Problem::bad_request("q must be at most " + std::to_string(k_max_query) + " characters.",
                                 {{"q", "too long"}});
    auto users = co_await services.db.read([&](store::Connection& c) {
      return auth::list_users(c, page.limit + 1, page.after, q);
    });
    json::value next = nullptr;
    if (users.size() > static_cast<std::size_t>(page.limit)) {
      users.resize(page.limit);
      next = json::string(encode_cursor(users.back().created_at, users.back().id));
    }
    json::array items;
    for (const auto& u : users) items.push_back(user_json(u));
    co_return http::json_reply(200, {{"items", std::move(items)}, {"next_cursor", std::move(next)}});
  }, {.summary = "List users (search with q)", .policy = "users:admin"});

  // ---- POST /api/users -------------------------------------------------------------------
  router.add("POST", "/api/users", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    const core::Principal& p = *ctx.principal;
    auto json_body = ctx.json_body();  // BodyReader keeps a pointer into it: it must outlive the reader
    BodyReader body(json_body);
    body.allow_only({"email", "name", "password", "role", "team_id"});
    auto email_raw = body.string("email", true, 1, 320);
    std::optional<std::string> email;
    if (email_raw) {
      email = auth::normalize_email(*email_raw);
      if (!email) body.error("email", "is not a valid email address");
    }
    auto name = trim(body.string("name", false, 0, k_max_name).value_or(""));
    auto password = body.string("password", true, k_min_password, k_max_password);
    auto role = read_role(body, false).value_or("developer");
    auto team_id = body.string("team_id", false, 1, 100);
    body.finish();

    // Cheap checks before the expensive hash.
    auto precheck = co_await services.db.read([&](store::Connection& c) -> std::optional<Problem> {
      if (auth::find_user_by_email(c, *email)) return duplicate_email(*email);
      if (team_id && !teams::find_team(c, *team_id))
        return Problem::unprocessable("No team has the id " + *team_id + ".", {{"team_id", "no such team"}});
      return std::nullopt;
    });
    if (precheck) throw *precheck;

    auto hash = co_await services.blocking.run([&password] { return core::hash_password(*password); });

    auto now = services.clock.now_ms();
    auth::User user;
    user.id = core::new_id();
    user.email = *email;
    user.name = name;
    user.password_hash = std::move(hash);
    user.role = role;
    user.created_at = now;
    user.updated_at = now;
    try {
      co_await services.db.write([&](store::Connection& c) {
        std::string team = team_id.value_or("");
        if (team_id) {
          if (!teams::find_team(c, team))
            throw Problem::unprocessable("No team has the id " + team + ".", {{"team_id", "no such team"}});
        } else if (auto mine = teams::memberships_of(c, p.user_id); !mine.empty()) {
          team = mine.front().team_id;  // the administrator's default team
        }
        if (auth::find_user_by_email(c, user.email)) throw duplicate_email(user.email);
        auth::insert_user(c, user);
        if (!team.empty()) teams::upsert_member(c, team, user.id, "member", now);
        auto entry = auth::audit_by(&p, "user.create", ctx.remote_address);
        entry.team_id = team;
        entry.target_type = "user";
        entry.target_id = user.id;
        entry.details = {{"email", user.email}, {"role", user.role}};
        auth::record_audit(c, std::move(entry), now);
      });
    } catch (const store::DatabaseError& e) {
      if (!e.is_constraint_violation()) throw;
      throw duplicate_email(user.email);
    }
    services.auth.forget_memberships(user.id);
    co_return http::json_reply(201, user_json(user));
  }, {.max_body_bytes = 16 * 1024, .summary = "Create a user", .policy = "users:admin"});

  // ---- PATCH /api/users/{id} -------------------------------------------------------------
  router.add("PATCH", "/api/users/{id}", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    const core::Principal& p = *ctx.principal;
    std::string id(ctx.param("id"));
    auto json_body = ctx.json_body();  // BodyReader keeps a pointer into it: it must outlive the reader
    BodyReader body(json_body);
    body.allow_only({"role", "is_active", "name"});
    auto role = read_role(body, false);
    auto is_active = body.boolean("is_active", false);
    auto name_raw = body.string("name", false, 0, k_max_name);
    body.finish();

    struct Outcome {
      auth::User user;
      bool revoke = false;
      std::vector<std::string> key_prefixes;
    };
    auto now = services.clock.now_ms();
    auto outcome = co_await services.db.write([&](store::Connection& c) {
      auto found = auth::find_user_by_id(c, id);
      if (!found) throw Problem::not_found("No user " + id + ".");
      auth::User before = *found;
      auth::User after = before;
      if (role) after.role = *role;
      if (is_active) after.is_active = *is_active;
      if (name_raw) after.name = trim(*name_raw);

      bool role_changed = after.role != before.role;
      bool active_changed = after.is_active != before.is_active;
      bool loses_admin = before.role == "admin" && before.is_active && (after.role != "admin" || !after.is_active);
      if (loses_admin) {
        if (id == p.user_id)
          throw Problem::conflict(role_changed ? "You cannot change your own role; ask another administrator."
                                               : "You cannot deactivate yourself; ask another administrator.");
        auto admins = lock_active_admins(c);
        if (admins.size() <= 1)
          throw Problem::conflict("This is the last active administrator; promote another user to admin first.");
      }

      Outcome o;
      if (!role_changed && !active_changed && after.name == before.name) {
        o.user = std::move(before);
        return o;
      }
      after.updated_at = now;
      auth::update_user(c, after);

      auto audit = [&](std::string action, json::object details) {
        auto entry = auth::audit_by(&p, std::move(action), ctx.remote_address);
        entry.target_type = "user";
        entry.target_id = id;
        entry.details = std::move(details);
        auth::record_audit(c, std::move(entry), now);
      };
      if (role_changed) audit("user.role_changed", {{"from", before.role}, {"to", after.role}});
      if (active_changed) audit(after.is_active ? "user.activated" : "user.deactivated", {});
      if (after.name != before.name) audit("user.updated", {{"name", after.name}});

      if (role_changed || (active_changed && !after.is_active)) {
        // Sessions end; access tokens are refused from now on (after commit, below).
        auth::revoke_user_sessions(c, id, now);
        auth::void_tokens_before(c, id, now);
        o.revoke = true;
      }
      if (role_changed || active_changed) o.key_prefixes = key_prefixes_of(c, id);
      o.user = std::move(after);
      return o;
    });
    if (outcome.revoke) services.auth.revoke_user_tokens(id);
    // API keys carry their owner's role and active flag in the authenticator's cache.
    for (const auto& prefix : outcome.key_prefixes) services.auth.forget_api_key(prefix);
    co_return http::json_reply(200, user_json(outcome.user));
  }, {.max_body_bytes = 16 * 1024, .summary = "Change a user's role, status or name", .policy = "users:admin"});
}

}  // namespace aop::api
