// Executions: list (team-wide and per crew), read, cancel.
#include "api/execution_routes.hpp"

#include <charconv>

#include "api/body_reader.hpp"
#include "api/crew_common.hpp"
#include "api/execution_json.hpp"
#include "app/services.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/json_text.hpp"
#include "core/problem.hpp"
#include "executions/cancel_registry.hpp"
#include "executions/event_rows.hpp"
#include "executions/execution_store.hpp"
#include "executions/live_hub.hpp"
#include "executions/run_events.hpp"
#include "http/router.hpp"
#include "observability/trace_store.hpp"

namespace aop::api {

namespace asio = boost::asio;
using core::Problem;
using http::Reply;
using http::RequestContext;

namespace {

std::optional<double> cost_param(const RequestContext& ctx, const char* name) {
  auto text = ctx.query_param(name);
  if (!text || text->empty()) return std::nullopt;
  double value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || ptr != text->data() + text->size() || !(value >= 0) || value > 1e12)
    throw Problem::bad_request(std::string(name) + " must be a non-negative number of US dollars, such as 0.25.",
                               {{name, "must be a non-negative number"}});
  return value;
}

constexpr std::size_t k_max_search = 200;

executions::ExecutionFilter read_filter(const RequestContext& ctx) {
  executions::ExecutionFilter f;
  f.crew_id = ctx.query_param("crew_id").value_or("");
  f.status = ctx.query_param("status").value_or("");
  if (!f.status.empty() && f.status != "pending" && f.status != "running" && !executions::is_finished_status(f.status))
    throw Problem::bad_request("status must be pending, running, completed, failed or cancelled.",
                               {{"status", "must be pending, running, completed, failed or cancelled"}});
  f.from_ms = read_time_param(ctx.query_param("from"), "from");
  f.to_ms = read_time_param(ctx.query_param("to"), "to");
  f.min_cost = cost_param(ctx, "min_cost");
  f.max_cost = cost_param(ctx, "max_cost");
  f.text = read_text_param(ctx.query_param("q"), "q", k_max_search);
  if (auto sort = ctx.query_param("sort"); sort && !sort->empty()) {
    auto named = executions::execution_sort_named(*sort);
    if (!named)
      throw Problem::bad_request("sort must be newest, oldest, duration, cost or tokens.",
                                 {{"sort", "must be newest, oldest, duration, cost or tokens"}});
    f.sort = *named;
  }
  auto page = read_page(ctx.query_param("limit"), ctx.query_param("cursor"));
  f.limit = page.limit;
  f.after = page.after;
  return f;
}

Reply list_reply(const std::vector<executions::ExecutionRecord>& found, const executions::ExecutionFilter& filter) {
  std::string body;
  body.reserve(1024 * (found.size() + 1));
  body += "{\"items\":[";
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (i > 0) body += ',';
    append_execution_json(body, found[i]);
  }
  body += "],\"next_cursor\":";
  if (static_cast<int>(found.size()) == filter.limit)
    core::append_json_string(body, encode_cursor(executions::sort_key(found.back(), filter.sort), found.back().id));
  else
    body += "null";
  body += '}';
  return http::text_reply(200, std::move(body), "application/json");
}

struct CancelOutcome {
  executions::CancelResult result = executions::CancelResult::not_found;
  std::optional<engine::Event> final_event;  // for a run cancelled before it started
  std::optional<executions::ExecutionRecord> execution;
};

CancelOutcome cancel(store::Connection& c, const std::string& team_id, const std::string& id, std::int64_t now) {
  CancelOutcome out;
  out.result = executions::request_cancel(c, team_id, id, now);
  if (out.result == executions::CancelResult::cancelled) {
    // It never started, so no worker will write its end: the stream still gets one.
    auto event = executions::completed_event(id, executions::last_seq(c, id) + 1, now, core::new_id(),
                                             {"cancelled", "", "", 0});
    executions::insert_events(c, {event});
    observability::store_traces(c, id);
    out.final_event = std::move(event);
  }
  out.execution = executions::find_execution(c, team_id, id);
  return out;
}

}  // namespace

void register_execution_routes(http::Router& router, app::Services& services) {
  // ---- GET /api/executions ----------------------------------------------------------------
  router.add("GET", "/api/executions", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto filter = read_filter(ctx);
    auto found = co_await services.db.read(
        [&](store::Connection& c) { return executions::list_executions(c, ctx.team_id, filter); });
    co_return list_reply(found, filter);
  }, {.summary = "List the team's executions (filters: crew_id, status, from, to, min_cost, max_cost, q; sort)",
      .policy = "executions:read"});

  // ---- GET /api/crews/{id}/executions -----------------------------------------------------
  router.add("GET", "/api/crews/{id}/executions", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto filter = read_filter(ctx);
    filter.crew_id = std::string(ctx.param("id"));
    auto found = co_await services.db.read([&](store::Connection& c) {
      require_crew(c, ctx);
      return executions::list_executions(c, ctx.team_id, filter);
    });
    co_return list_reply(found, filter);
  }, {.summary = "List a crew's executions (filters: status, from, to, min_cost, max_cost, q; sort)", .policy = "executions:read"});

  // ---- GET /api/executions/{id} -----------------------------------------------------------
  router.add("GET", "/api/executions/{id}", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto found = co_await services.db.read([&](store::Connection& c) { return require_execution(c, ctx); });
    co_return execution_reply(200, found);
  }, {.summary = "Read an execution", .policy = "executions:read"});

  // ---- POST /api/executions/{id}/cancel ---------------------------------------------------
  router.add("POST", "/api/executions/{id}/cancel", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    std::string id(ctx.param("id"));
    auto now = services.clock.now_ms();
    auto outcome = co_await services.db.write([&](store::Connection& c) { return cancel(c, ctx.team_id, id, now); });
    switch (outcome.result) {
      case executions::CancelResult::not_found: throw Problem::not_found("No execution " + id + ".");
      case executions::CancelResult::already_finished:
        throw Problem::conflict("The execution has already finished (" +
                                (outcome.execution ? outcome.execution->status : std::string("gone")) + ").");
      case executions::CancelResult::cancelled: services.live_hub.publish(*outcome.final_event); break;
      // A run in this process stops at once; one elsewhere at its worker's next poll.
      case executions::CancelResult::requested: services.cancels.cancel(id); break;
    }
    if (!outcome.execution) throw Problem::not_found("No execution " + id + ".");
    co_return execution_reply(202, *outcome.execution);
  }, {.summary = "Cancel an execution (a pending one at once, a running one at its next step)",
      .policy = "executions:write"});
}

}  // namespace aop::api
