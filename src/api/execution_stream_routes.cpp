// Live events: the SSE stream of an execution, and stream tokens for browsers (EventSource
// cannot send an Authorization header).
#include <boost/json.hpp>

#include "api/body_reader.hpp"
#include "api/execution_json.hpp"
#include "api/execution_routes.hpp"
#include "api/execution_stream.hpp"
#include "app/services.hpp"
#include "auth/authenticator.hpp"
#include "core/problem.hpp"
#include "executions/execution_store.hpp"
#include "http/router.hpp"

namespace aop::api {

namespace asio = boost::asio;
using core::Problem;
using http::Reply;
using http::RequestContext;

namespace {
// 404 unless the execution is the active team's (before a stream or a token is handed out).
asio::awaitable<void> check_execution(app::Services& services, const RequestContext& ctx) {
  co_await services.db.read([&](store::Connection& c) { return require_execution(c, ctx).id; });
}
}  // namespace

void register_execution_stream_routes(http::Router& router, app::Services& services) {
  // ---- GET /api/executions/{id}/stream ----------------------------------------------------
  router.add("GET", "/api/executions/{id}/stream", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto after = last_event_id(ctx);
    std::string id(ctx.param("id"));
    co_return co_await open_execution_stream(services, ctx.team_id, id, after);
  }, {.summary = "Stream an execution's events (SSE; Last-Event-ID or ?last_event_id= resumes; ?stream_token= "
                 "authenticates browsers)",
      .policy = "executions:stream"});

  // ---- POST /api/executions/{id}/stream-token ---------------------------------------------
  router.add("POST", "/api/executions/{id}/stream-token", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    co_await check_execution(services, ctx);
    auto issued = services.auth.issue_stream_token(*ctx.principal, ctx.team_id, std::string(ctx.param("id")));
    co_return http::json_reply(200, {{"token", issued.first}, {"expires_at", timestamp(issued.second)}});
  }, {.summary = "A 60-second token for ?stream_token= on this execution's stream (for EventSource)",
      .policy = "executions:stream_token"});
}

}  // namespace aop::api
