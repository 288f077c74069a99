#include "api/audit_routes.hpp"

#include <boost/json.hpp>

#include "api/body_reader.hpp"
#include "app/services.hpp"
#include "auth/audit.hpp"
#include "core/clock.hpp"
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

constexpr std::size_t k_max_filter = 200;

json::value nullable(const std::string& s) {
  if (s.empty()) return nullptr;
  return json::string(s);
}

json::object entry_json(const auth::AuditEntry& e) {
  return {{"id", e.id},
          {"team_id", nullable(e.team_id)},
          {"actor_user_id", nullable(e.actor_user_id)},
          {"actor_key_id", nullable(e.actor_key_id)},
          {"action", e.action},
          {"target_type", nullable(e.target_type)},
          {"target_id", nullable(e.target_id)},
          {"ip", nullable(e.ip)},
          {"details", e.details},
          {"created_at", timestamp(e.created_at)}};
}

}  // namespace

void register_audit_routes(http::Router& router, app::Services& services) {
  // ---- GET /api/audit --------------------------------------------------------------------
  router.add("GET", "/api/audit", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto page = read_page(ctx.query_param("limit"), ctx.query_param("cursor"));
    auth::AuditFilter filter;
    filter.action = read_text_param(ctx.query_param("action"), "action", k_max_filter);
    filter.actor_user_id = read_text_param(ctx.query_param("actor_user_id"), "actor_user_id", k_max_filter);
    filter.team_id = read_text_param(ctx.query_param("team_id"), "team_id", k_max_filter);
    filter.from_ms = read_time_param(ctx.query_param("from"), "from");
    filter.to_ms = read_time_param(ctx.query_param("to"), "to");
    if (filter.from_ms && filter.to_ms && *filter.from_ms > *filter.to_ms)
      throw Problem::bad_request("from must not be later than to.", {{"from", "later than to"}});
    filter.after = page.after;
    filter.limit = page.limit + 1;  // one more tells whether there is a next page

    auto entries = co_await services.db.read([&filter](store::Connection& c) { return auth::list_audit(c, filter); });
    json::value next = nullptr;
    if (entries.size() > static_cast<std::size_t>(page.limit)) {
      entries.resize(page.limit);
      next = json::string(encode_cursor(entries.back().created_at, entries.back().id));
    }
    json::array items;
    for (const auto& e : entries) items.push_back(entry_json(e));
    co_return http::json_reply(200, {{"items", std::move(items)}, {"next_cursor", std::move(next)}});
  }, {.summary = "Read the audit log (newest first)", .policy = "audit:read"});
}

}  // namespace aop::api
