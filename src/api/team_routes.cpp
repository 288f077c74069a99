#include <spdlog/spdlog.h>
#include "api/team_routes.hpp"

#include <boost/json.hpp>

#include <map>

#include "api/body_reader.hpp"
#include "app/services.hpp"
#include "auth/api_key_store.hpp"
#include "auth/audit.hpp"
#include "auth/authenticator.hpp"
#include "auth/user_store.hpp"
#include "core/clock.hpp"
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

constexpr std::size_t k_max_team_name = 100;

json::value nullable(const std::string& s) {
  if (s.empty()) return nullptr;
  return json::string(s);
}

std::string trim(std::string s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string read_team_name(BodyReader& body) {
  auto raw = body.string("name", true, 1, k_max_team_name);
  std::string name = raw ? trim(*raw) : std::string();
  if (raw && name.empty()) body.error("name", "must not be blank");
  return name;
}

// The caller's role in the team as the route guard resolved it: owner | member, or null for an
// administrator who is not a member.
json::object team_json(const teams::Team& t, const std::string& role) {
  return {{"id", t.id},
          {"name", t.name},
          {"slug", t.slug},
          {"role", nullable(role)},
          {"created_at", timestamp(t.created_at)},
          {"updated_at", timestamp(t.updated_at)}};
}

json::object member_json(const teams::Member& m) {
  return {{"user_id", m.user_id},     {"email", m.email}, {"name", m.name},
          {"platform_role", m.platform_role}, {"role", m.role},   {"joined_at", timestamp(m.joined_at)}};
}

struct TeamDetail {
  std::optional<teams::Team> team;
  std::size_t member_count = 0;
};

TeamDetail load_team_detail(store::Connection& c, const std::string& id) {
  TeamDetail d;
  d.team = teams::find_team(c, id);
  if (d.team) d.member_count = teams::members_of(c, id).size();
  return d;
}

json::object detail_json(const TeamDetail& d, const std::string& role) {
  auto o = team_json(*d.team, role);
  o["member_count"] = static_cast<std::int64_t>(d.member_count);
  return o;
}

// Serialises membership changes of one team: on PostgreSQL the row lock makes concurrent
// "remove an owner" transactions wait for each other, so the last-owner check cannot be raced.
// (SQLite write transactions are serial already.)
void lock_team(store::Connection& c, const std::string& team_id) {
  c.execute("UPDATE teams SET updated_at = updated_at WHERE id = ?", {team_id});
}

std::optional<teams::Member> find_member(store::Connection& c, const std::string& team_id, const std::string& user_id) {
  for (auto& m : teams::members_of(c, team_id))
    if (m.user_id == user_id) return std::move(m);
  return std::nullopt;
}

Problem team_conflict(const store::DatabaseError& e) {
  // The database's message names tables and SQL: log it, never send it.
  spdlog::warn("team change conflicted: {}", e.what());
  return Problem::conflict("The change conflicts with existing data; reload and try again.");
}

}  // namespace

void register_team_routes(http::Router& router, app::Services& services) {
  // ---- GET /api/teams --------------------------------------------------------------------
  router.add("GET", "/api/teams", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    const core::Principal& p = *ctx.principal;
    auto items = co_await services.db.read([&p](store::Connection& c) {
      json::array items;
      if (p.is_api_key()) {
        // A key sees only the team it belongs to.
        if (auto t = teams::find_team(c, p.key_team_id)) items.push_back(team_json(*t, "member"));
        return items;
      }
      auto memberships = teams::memberships_of(c, p.user_id);
      if (p.is_admin()) {
        std::map<std::string, std::string> roles;
        for (const auto& m : memberships) roles[m.team_id] = m.role;
        for (const auto& t : teams::list_all_teams(c)) {
          auto it = roles.find(t.id);
          items.push_back(team_json(t, it == roles.end() ? std::string() : it->second));
        }
        return items;
      }
      for (const auto& m : memberships)
        if (auto t = teams::find_team(c, m.team_id)) items.push_back(team_json(*t, m.role));
      return items;
    });
    co_return http::json_reply(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }, {.summary = "List your teams", .policy = "teams:list"});

  // ---- POST /api/teams -------------------------------------------------------------------
  router.add("POST", "/api/teams", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    const core::Principal& p = *ctx.principal;
    auto json_body = ctx.json_body();  // BodyReader keeps a pointer into it: it must outlive the reader
    BodyReader body(json_body);
    body.allow_only({"name"});
    auto name = read_team_name(body);
    body.finish();

    auto now = services.clock.now_ms();
    teams::Team team;
    try {
      team = co_await services.db.write([&](store::Connection& c) {
        auto t = teams::create_team(c, name, p.user_id, now);
        auto entry = auth::audit_by(&p, "team.create", ctx.remote_address);
        entry.team_id = t.id;
        entry.target_type = "team";
        entry.target_id = t.id;
        entry.details = {{"name", t.name}, {"slug", t.slug}};
        auth::record_audit(c, std::move(entry), now);
        return t;
      });
    } catch (const store::DatabaseError& e) {
      if (!e.is_constraint_violation()) throw;
      throw team_conflict(e);
    }
    services.auth.forget_memberships(p.user_id);
    auto o = team_json(team, "owner");
    o["member_count"] = 1;
    co_return http::json_reply(201, o);
  }, {.max_body_bytes = 16 * 1024, .summary = "Create a team (you become its owner)", .policy = "teams:create"});

  // ---- GET /api/teams/{id} ---------------------------------------------------------------
  router.add("GET", "/api/teams/{id}", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto detail = co_await services.db.read([&ctx](store::Connection& c) { return load_team_detail(c, ctx.team_id); });
    if (!detail.team) throw Problem::not_found("No team " + ctx.team_id + ".");
    co_return http::json_reply(200, detail_json(detail, ctx.team_role));
  }, {.summary = "Read a team", .policy = "team:read"});

  // ---- PUT /api/teams/{id} ---------------------------------------------------------------
  router.add("PUT", "/api/teams/{id}", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    const core::Principal& p = *ctx.principal;
    auto json_body = ctx.json_body();  // BodyReader keeps a pointer into it: it must outlive the reader
    BodyReader body(json_body);
    body.allow_only({"name"});
    auto name = read_team_name(body);
    body.finish();

    auto now = services.clock.now_ms();
    auto detail = co_await services.db.write([&](store::Connection& c) {
      auto before = teams::find_team(c, ctx.team_id);
      if (!before) throw Problem::not_found("No team " + ctx.team_id + ".");
      if (before->name != name) {
        teams::rename_team(c, ctx.team_id, name, now);
        auto entry = auth::audit_by(&p, "team.update", ctx.remote_address);
        entry.team_id = ctx.team_id;
        entry.target_type = "team";
        entry.target_id = ctx.team_id;
        entry.details = {{"from", before->name}, {"to", name}};
        auth::record_audit(c, std::move(entry), now);
      }
      return load_team_detail(c, ctx.team_id);
    });
    co_return http::json_reply(200, detail_json(detail, ctx.team_role));
  }, {.max_body_bytes = 16 * 1024, .summary = "Rename a team", .policy = "team:manage"});

  // ---- GET /api/teams/{id}/members -------------------------------------------------------
  router.add("GET", "/api/teams/{id}/members", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto members = co_await services.db.read([&ctx](store::Connection& c) { return teams::members_of(c, ctx.team_id); });
    json::array items;
    for (const auto& m : members) items.push_back(member_json(m));
    co_return http::json_reply(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }, {.summary = "List a team's members", .policy = "team:read"});

  // ---- POST /api/teams/{id}/members ------------------------------------------------------
  router.add("POST", "/api/teams/{id}/members", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    const core::Principal& p = *ctx.principal;
    auto json_body = ctx.json_body();  // BodyReader keeps a pointer into it: it must outlive the reader
    BodyReader body(json_body);
    body.allow_only({"user_id", "email", "role"});
    auto user_id = body.string("user_id", false, 1, 100);
    auto email = body.string("email", false, 1, 320);
    auto role_field = body.string("role", false, 1, 20);
    std::string role = role_field.value_or("member");
    if (role_field && role != "owner" && role != "member") body.error("role", "must be owner or member");
    std::optional<std::string> normalized;
    if (email) {
      normalized = auth::normalize_email(*email);
      if (!normalized) body.error("email", "is not a valid email address");
    }
    if (user_id && email) body.error("email", "give either user_id or email, not both");
    if (!body.has("user_id") && !body.has("email")) body.error("user_id", "is required (or give email)");
    body.finish();

    struct Outcome {
      teams::Member member;
      bool created = false;
    };
    auto now = services.clock.now_ms();
    Outcome outcome;
    try {
      outcome = co_await services.db.write([&](store::Connection& c) {
        lock_team(c, ctx.team_id);
        std::optional<auth::User> user;
        if (user_id) {
          user = auth::find_user_by_id(c, *user_id);
          if (!user)
            throw Problem::unprocessable("No user has the id " + *user_id + ".", {{"user_id", "no such user"}});
        } else {
          user = auth::find_user_by_email(c, *normalized);
          if (!user)
            throw Problem::unprocessable("No user has the email " + *normalized + ".", {{"email", "no such user"}});
        }
        auto previous = teams::member_role(c, ctx.team_id, user->id);
        if (previous == "owner" && role != "owner" && teams::count_owners(c, ctx.team_id) <= 1)
          throw Problem::conflict("This is the team's last owner; make another member an owner first.");
        bool created = teams::upsert_member(c, ctx.team_id, user->id, role, now);
        if (created || previous != role) {
          auto entry = auth::audit_by(&p, created ? "team.member_added" : "team.member_role_changed", ctx.remote_address);
          entry.team_id = ctx.team_id;
          entry.target_type = "user";
          entry.target_id = user->id;
          if (created) entry.details = {{"role", role}};
          else entry.details = {{"from", *previous}, {"to", role}};
          auth::record_audit(c, std::move(entry), now);
        }
        Outcome o;
        o.member = *find_member(c, ctx.team_id, user->id);
        o.created = created;
        return o;
      });
    } catch (const store::DatabaseError& e) {
      if (!e.is_constraint_violation()) throw;
      throw team_conflict(e);
    }
    services.auth.forget_memberships(outcome.member.user_id);
    co_return http::json_reply(outcome.created ? 201 : 200, member_json(outcome.member));
  }, {.max_body_bytes = 16 * 1024, .summary = "Add a member or change a member's role", .policy = "team:manage"});

  // ---- DELETE /api/teams/{id}/members/{user_id} ------------------------------------------
  router.add("DELETE", "/api/teams/{id}/members/{user_id}", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    const core::Principal& p = *ctx.principal;
    std::string user_id(ctx.param("user_id"));
    auto now = services.clock.now_ms();
    // Prefixes of the member's keys for this team: they are revoked with the membership.
    auto revoked_prefixes = co_await services.db.write([&](store::Connection& c) {
      lock_team(c, ctx.team_id);
      auto role = teams::member_role(c, ctx.team_id, user_id);
      if (!role) throw Problem::not_found("User " + user_id + " is not a member of this team.");
      if (*role == "owner" && teams::count_owners(c, ctx.team_id) <= 1)
        throw Problem::conflict("This is the team's last owner; make another member an owner first.");
      teams::remove_member(c, ctx.team_id, user_id);
      std::vector<std::string> prefixes;
      for (const auto& key : auth::list_api_keys(c, ctx.team_id))
        if (key.user_id == user_id && auth::revoke_api_key(c, key.id, now)) prefixes.push_back(key.prefix);
      auto entry = auth::audit_by(&p, "team.member_removed", ctx.remote_address);
      entry.team_id = ctx.team_id;
      entry.target_type = "user";
      entry.target_id = user_id;
      entry.details = {{"role", *role}, {"revoked_api_keys", static_cast<std::int64_t>(prefixes.size())}};
      auth::record_audit(c, std::move(entry), now);
      return prefixes;
    });
    for (const auto& prefix : revoked_prefixes) services.auth.forget_api_key(prefix);
    services.auth.forget_memberships(user_id);
    co_return http::empty_reply(204);
  }, {.summary = "Remove a member (their API keys for the team are revoked)", .policy = "team:manage"});
}

}  // namespace aop::api
