#include "api/env_routes.hpp"

#include <boost/json.hpp>

#include "api/body_reader.hpp"
#include "app/services.hpp"
#include "auth/audit.hpp"
#include "core/clock.hpp"
#include "core/problem.hpp"
#include "crews/env_name.hpp"
#include "crews/secret_store.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace aop::api {

namespace asio = boost::asio;
namespace json = boost::json;
using core::Problem;
using http::Reply;
using http::RequestContext;

namespace {

// JSON escapes can make a 64 KiB value six times longer on the wire.
constexpr std::size_t k_max_body = 512 * 1024;
constexpr int k_put_attempts = 2;  // a lost insert race on PostgreSQL is retried once, as a replace

enum class Scope { team, crew };

const char* scope_name(Scope s) { return s == Scope::team ? "team" : "crew"; }

// Which rows a request addresses. For team routes the guard has resolved {id} as the team;
// for crew routes the team is the active team and {id} the crew.
crews::SecretOwner owner_for(const RequestContext& ctx, Scope scope, std::string name = {}) {
  return crews::SecretOwner{ctx.team_id, scope == Scope::crew ? std::string(ctx.param("id")) : std::string(),
                            std::move(name), std::string(crews::k_env_kind)};
}

// A crew of another team answers 404, like one that does not exist. (Uses SQL directly until
// the crews store lands.)
void require_crew(store::Connection& c, const crews::SecretOwner& owner) {
  if (owner.crew_id.empty()) return;
  if (c.query("SELECT 1 FROM crews WHERE id = ? AND team_id = ? AND deleted_at IS NULL", {owner.crew_id, owner.team_id})
          .empty())
    throw Problem::not_found("No crew " + owner.crew_id + ".");
}

json::object variable_json(const crews::SecretRow& row, Scope scope) {
  return {{"name", row.name},
          {"scope", scope_name(scope)},
          {"created_at", timestamp(row.created_at)},
          {"updated_at", timestamp(row.updated_at)}};
}

struct Assignment {
  std::string name;
  std::string value;
};

// {name, value}. Messages never repeat what was sent: a value typed into the wrong field
// must not come back in an error.
Assignment read_assignment(const RequestContext& ctx) {
  BodyReader body(ctx.json_body());
  body.allow_only({"name", "value"});
  Assignment out;
  if (const auto* name = body.raw("name"); !name || name->is_null()) {
    body.error("name", "is required");
  } else if (!name->is_string() || !crews::is_env_name(name->as_string())) {
    body.error("name", "must be a variable name: a letter or '_', then letters, digits or '_' (at most " +
                           std::to_string(crews::k_max_env_name) + " characters)");
  } else {
    out.name = name->as_string();
  }
  if (const auto* value = body.raw("value"); !value || value->is_null()) {
    body.error("value", "is required");
  } else if (!value->is_string()) {
    body.error("value", "must be a string");
  } else if (value->as_string().size() > crews::k_max_env_value_bytes) {
    body.error("value", "must be at most " + std::to_string(crews::k_max_env_value_bytes) + " bytes (UTF-8)");
  } else if (std::string_view(value->as_string()).find('\0') != std::string_view::npos) {
    body.error("value", "must not contain NUL characters");  // it could not be exported to a process
  } else {
    out.value = value->as_string();
  }
  body.finish();
  return out;
}

void register_scope(http::Router& router, app::Services& services, Scope scope) {
  const std::string base = scope == Scope::team ? "/api/teams/{id}/env" : "/api/crews/{id}/env";
  const std::string policy = scope == Scope::team ? "team:secrets" : "secrets:write";
  const std::string noun = scope == Scope::team ? "team" : "crew";

  // Handlers copy their captures into the coroutine frame before the first suspension.
  router.add("GET", base, [&services, scope](RequestContext& ctx) -> asio::awaitable<Reply> {
    app::Services& svc = services;
    const Scope s = scope;
    auto owner = owner_for(ctx, s);
    auto rows = co_await svc.db.read([&](store::Connection& c) {
      require_crew(c, owner);
      return crews::list_secrets(c, owner.team_id, owner.crew_id, crews::k_env_kind);
    });
    json::array items;
    for (const auto& row : rows) items.push_back(variable_json(row, s));
    co_return http::json_reply(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }, {.summary = "List the " + noun + "'s environment variables (names only)", .policy = policy});

  router.add("PUT", base, [&services, scope](RequestContext& ctx) -> asio::awaitable<Reply> {
    app::Services& svc = services;
    const Scope s = scope;
    const core::Principal& p = *ctx.principal;
    auto input = read_assignment(ctx);
    auto owner = owner_for(ctx, s, input.name);
    auto now = svc.clock.now_ms();
    crews::PutSecretResult result;
    for (int attempt = 1;; ++attempt) {
      try {
        result = co_await svc.db.write([&](store::Connection& c) {
          require_crew(c, owner);
          auto put = crews::put_secret(c, svc.secret_box, owner, input.value, p.user_id, now);
          auto entry = auth::audit_by(&p, "secret.set", ctx.remote_address);
          entry.team_id = owner.team_id;
          entry.target_type = "secret";
          entry.target_id = put.row.id;
          entry.details = {{"name", owner.name}, {"scope", scope_name(s)}, {"created", put.created}};
          if (!owner.crew_id.empty()) entry.details["crew_id"] = owner.crew_id;
          auth::record_audit(c, std::move(entry), now);
          return put;
        });
        break;
      } catch (const store::DatabaseError& e) {
        if (!e.is_constraint_violation()) throw;
        if (attempt >= k_put_attempts) throw Problem::conflict("The variable changed concurrently; try again.");
      }
    }
    co_return http::json_reply(result.created ? 201 : 200, variable_json(result.row, s));
  }, {.max_body_bytes = k_max_body, .summary = "Set one " + noun + " environment variable (201 new, 200 replaced)",
      .policy = policy});

  router.add("DELETE", base + "/{name}", [&services, scope](RequestContext& ctx) -> asio::awaitable<Reply> {
    app::Services& svc = services;
    const Scope s = scope;
    const core::Principal& p = *ctx.principal;
    auto owner = owner_for(ctx, s, std::string(ctx.param("name")));
    auto now = svc.clock.now_ms();
    co_await svc.db.write([&](store::Connection& c) {
      require_crew(c, owner);
      auto id = crews::delete_secret(c, owner);
      if (!id) throw Problem::not_found("No variable " + owner.name + " in this " + scope_name(s) + ".");
      auto entry = auth::audit_by(&p, "secret.delete", ctx.remote_address);
      entry.team_id = owner.team_id;
      entry.target_type = "secret";
      entry.target_id = *id;
      entry.details = {{"name", owner.name}, {"scope", scope_name(s)}};
      if (!owner.crew_id.empty()) entry.details["crew_id"] = owner.crew_id;
      auth::record_audit(c, std::move(entry), now);
    });
    co_return http::empty_reply(204);
  }, {.summary = "Delete one " + noun + " environment variable", .policy = policy});
}

}  // namespace

void register_env_routes(http::Router& router, app::Services& services) {
  register_scope(router, services, Scope::team);
  register_scope(router, services, Scope::crew);
}

}  // namespace aop::api
