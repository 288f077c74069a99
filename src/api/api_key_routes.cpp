#include "api/api_key_routes.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "api/body_reader.hpp"
#include "app/services.hpp"
#include "auth/api_key_format.hpp"
#include "auth/api_key_store.hpp"
#include "auth/audit.hpp"
#include "auth/authenticator.hpp"
#include "auth/policy.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/problem.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace aop::api {

namespace asio = boost::asio;
namespace json = boost::json;
using core::Problem;
using http::Reply;
using http::RequestContext;

namespace {

constexpr std::size_t k_max_key_name = 100;
constexpr std::int64_t k_max_rate_limit = 1'000'000;
constexpr int k_insert_attempts = 3;  // prefixes are random; a collision is astronomically rare

json::value opt_int(const std::optional<std::int64_t>& v) {
  if (!v) return nullptr;
  return *v;
}

json::array permissions_json(const std::vector<std::string>& permissions) {
  json::array out;
  for (const auto& s : permissions) out.emplace_back(s);
  return out;
}

// The listing shape: never the hash.
json::object key_json(const auth::ApiKeyRecord& k) {
  return {{"id", k.id},
          {"name", k.name},
          {"prefix", k.prefix},
          {"permissions", permissions_json(k.permissions)},
          {"rate_limit", opt_int(k.rate_limit)},
          {"expires_at", timestamp(k.expires_at)},
          {"is_active", k.is_active && !k.revoked_at},
          {"last_used_at", timestamp(k.last_used_at)},
          {"created_at", timestamp(k.created_at)},
          {"created_by", k.user_id.empty() ? json::value(nullptr) : json::value(k.user_id)}};
}

// The shape returned on creation and regeneration: the only time the full key is shown.
json::object issued_json(const auth::ApiKeyRecord& k, const std::string& full_key) {
  return {{"id", k.id},
          {"name", k.name},
          {"prefix", k.prefix},
          {"key", full_key},
          {"permissions", permissions_json(k.permissions)},
          {"rate_limit", opt_int(k.rate_limit)},
          {"expires_at", timestamp(k.expires_at)},
          {"created_at", timestamp(k.created_at)}};
}

// A developer manages the keys they created; team owners and administrators manage all of
// the team's keys.
void check_may_manage(const RequestContext& ctx, const auth::ApiKeyRecord& key) {
  const core::Principal& p = *ctx.principal;
  if (p.is_admin() || ctx.team_role == "owner" || key.user_id == p.user_id) return;
  throw Problem::forbidden("Only the key's creator, a team owner or an administrator can change this API key.");
}

// Loads a live key of the active team (404 for other teams' keys and revoked keys) and checks
// that the caller may manage it.
asio::awaitable<auth::ApiKeyRecord> load_manageable_key(app::Services& services, const RequestContext& ctx) {
  std::string id(ctx.param("id"));
  auto key = co_await services.db.read([&](store::Connection& c) { return auth::find_api_key(c, ctx.team_id, id); });
  if (!key || key->revoked_at) throw Problem::not_found("No API key " + id + ".");
  check_may_manage(ctx, *key);
  co_return std::move(*key);
}

}  // namespace

void register_api_key_routes(http::Router& router, app::Services& services) {
  // ---- GET /api/api-keys -----------------------------------------------------------------
  router.add("GET", "/api/api-keys", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto keys = co_await services.db.read([&ctx](store::Connection& c) { return auth::list_api_keys(c, ctx.team_id); });
    json::array items;
    for (const auto& k : keys) items.push_back(key_json(k));
    co_return http::json_reply(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }, {.summary = "List the team's API keys", .policy = "api_keys:read"});

  // ---- POST /api/api-keys ----------------------------------------------------------------
  router.add("POST", "/api/api-keys", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    const core::Principal& p = *ctx.principal;
    auto now = services.clock.now_ms();
    auto json_body = ctx.json_body();  // BodyReader keeps a pointer into it: it must outlive the reader
    BodyReader body(json_body);
    body.allow_only({"name", "permissions", "rate_limit", "expires_at"});
    auto name = body.string("name", true, 1, k_max_key_name);
    auto requested = body.string_list("permissions", true);
    std::vector<std::string> permissions;
    if (requested) {
      if (requested->empty()) body.error("permissions", "must list at least one scope");
      const auto& arr = body.raw("permissions")->as_array();
      for (std::size_t i = 0; i < arr.size(); ++i) {
        if (!arr[i].is_string()) continue;  // already reported by string_list
        std::string scope(arr[i].as_string());
        std::string path = "permissions[" + std::to_string(i) + "]";
        const auto* info = auth::find_scope(scope);
        if (!info) {
          body.error(path, "unknown scope \"" + scope + "\"");
        } else if (auth::role_rank(info->min_role) > auth::role_rank(p.role)) {
          body.error(path, "the scope \"" + scope + "\" needs the " + info->min_role + " role; you are " + p.role);
        } else if (std::find(permissions.begin(), permissions.end(), scope) == permissions.end()) {
          permissions.push_back(scope);
        }
      }
    }
    auto rate_limit = body.integer("rate_limit", false, 1, k_max_rate_limit);
    std::optional<std::int64_t> expires_at;
    if (auto text = body.string("expires_at", false, 1, 64)) {
      std::int64_t ms = 0;
      if (!core::parse_iso8601(*text, ms)) body.error("expires_at", "must be an ISO 8601 timestamp");
      else if (ms <= now) body.error("expires_at", "must be in the future");
      else expires_at = ms;
    }
    body.finish();

    auth::ApiKeyRecord record;
    record.id = core::new_id();
    record.team_id = ctx.team_id;
    record.user_id = p.user_id;
    record.name = *name;
    record.permissions = std::move(permissions);
    record.rate_limit = rate_limit;
    record.expires_at = expires_at;
    record.created_at = now;
    std::string full_key;
    for (int attempt = 1;; ++attempt) {
      auto generated = auth::generate_api_key();
      record.prefix = generated.prefix;
      record.key_hash = generated.secret_hash;
      full_key = std::move(generated.full);
      try {
        co_await services.db.write([&](store::Connection& c) {
          auth::insert_api_key(c, record);
          auto entry = auth::audit_by(&p, "api_key.create", ctx.remote_address);
          entry.team_id = record.team_id;
          entry.target_type = "api_key";
          entry.target_id = record.id;
          entry.details = {{"name", record.name}, {"permissions", permissions_json(record.permissions)}};
          auth::record_audit(c, std::move(entry), now);
        });
        break;
      } catch (const store::DatabaseError& e) {
        if (!e.is_constraint_violation()) throw;
        if (attempt >= k_insert_attempts) throw Problem::conflict("Could not store the API key; try again.");
      }
    }
    co_return http::json_reply(201, issued_json(record, full_key));
  }, {.max_body_bytes = 16 * 1024, .summary = "Create an API key (the key is shown once)", .policy = "api_keys:write"});

  // ---- DELETE /api/api-keys/{id} ---------------------------------------------------------
  router.add("DELETE", "/api/api-keys/{id}", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    const core::Principal& p = *ctx.principal;
    auto key = co_await load_manageable_key(services, ctx);
    auto now = services.clock.now_ms();
    bool revoked = co_await services.db.write([&](store::Connection& c) {
      if (!auth::revoke_api_key(c, key.id, now)) return false;  // revoked concurrently
      auto entry = auth::audit_by(&p, "api_key.delete", ctx.remote_address);
      entry.team_id = key.team_id;
      entry.target_type = "api_key";
      entry.target_id = key.id;
      entry.details = {{"name", key.name}, {"prefix", key.prefix}};
      auth::record_audit(c, std::move(entry), now);
      return true;
    });
    services.auth.forget_api_key(key.prefix);
    if (!revoked) throw Problem::not_found("No API key " + key.id + ".");
    co_return http::empty_reply(204);
  }, {.summary = "Revoke an API key", .policy = "api_keys:write"});

  // ---- POST /api/api-keys/{id}/regenerate ------------------------------------------------
  router.add("POST", "/api/api-keys/{id}/regenerate", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    const core::Principal& p = *ctx.principal;
    auto key = co_await load_manageable_key(services, ctx);
    auto now = services.clock.now_ms();
    std::string old_prefix = key.prefix;
    std::string full_key;
    for (int attempt = 1;; ++attempt) {
      auto generated = auth::generate_api_key();
      full_key = std::move(generated.full);
      try {
        co_await services.db.write([&](store::Connection& c) {
          // Re-read inside the transaction: the key may have been revoked meanwhile.
          auto current = auth::find_api_key(c, ctx.team_id, key.id);
          if (!current || current->revoked_at) throw Problem::not_found("No API key " + key.id + ".");
          auth::replace_api_key_secret(c, key.id, generated.prefix, generated.secret_hash);
          auto entry = auth::audit_by(&p, "api_key.regenerate", ctx.remote_address);
          entry.team_id = key.team_id;
          entry.target_type = "api_key";
          entry.target_id = key.id;
          entry.details = {{"name", key.name}, {"old_prefix", old_prefix}, {"prefix", generated.prefix}};
          auth::record_audit(c, std::move(entry), now);
        });
        key.prefix = generated.prefix;
        key.key_hash = generated.secret_hash;
        break;
      } catch (const store::DatabaseError& e) {
        if (!e.is_constraint_violation()) throw;
        if (attempt >= k_insert_attempts) throw Problem::conflict("Could not store the API key; try again.");
      }
    }
    // The old key stops working at once in this process.
    services.auth.forget_api_key(old_prefix);
    co_return http::json_reply(200, issued_json(key, full_key));
  }, {.summary = "Replace an API key's secret (the old key stops working)", .policy = "api_keys:write"});
}

}  // namespace aop::api
