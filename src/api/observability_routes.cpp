// Traces, logs and metrics of one execution, scoped to the caller's team like the execution.
#include "api/observability_routes.hpp"

#include <charconv>

#include <boost/json.hpp>

#include "api/execution_json.hpp"
#include "app/services.hpp"
#include "core/clock.hpp"
#include "core/problem.hpp"
#include "executions/execution_store.hpp"
#include "http/router.hpp"
#include "observability/execution_logs.hpp"
#include "observability/execution_metrics.hpp"
#include "observability/trace_store.hpp"

namespace aop::api {

namespace asio = boost::asio;
namespace json = boost::json;
using core::Problem;
using http::Reply;
using http::RequestContext;

namespace {

std::optional<std::int64_t> whole_number(const std::string& text) {
  std::int64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return n;
}

observability::LogQuery read_log_query(const RequestContext& ctx) {
  observability::LogQuery q;
  std::vector<core::FieldError> errors;
  if (auto level = ctx.query_param("level"); level && !level->empty()) {
    auto rank = observability::log_level_rank(*level);
    if (rank) q.min_rank = *rank;
    else errors.push_back({"level", "must be debug, info, warning or error"});
  }
  q.text = ctx.query_param("q").value_or("");
  if (auto cursor = ctx.query_param("cursor"); cursor && !cursor->empty()) {
    auto seq = whole_number(*cursor);
    if (seq && *seq >= 0) q.after_seq = *seq;
    else errors.push_back({"cursor", "is not valid; use next_cursor from a previous page"});
  }
  if (auto limit = ctx.query_param("limit"); limit && !limit->empty()) {
    auto n = whole_number(*limit);
    if (n && *n >= 1 && *n <= 200) q.limit = static_cast<int>(*n);
    else errors.push_back({"limit", "must be an integer from 1 to 200"});
  }
  // 400 like every other list's bad query parameter (422 is for bodies).
  if (!errors.empty()) throw Problem::bad_request("The log query is not valid.", std::move(errors));
  return q;
}

json::object log_json(const observability::LogEntry& e) {
  return {{"seq", e.seq},
          {"timestamp", core::format_iso8601(e.ts_ms)},
          {"level", e.level},
          {"message", e.message},
          {"trace_id", e.trace_id.empty() ? json::value(nullptr) : json::value(e.trace_id)}};
}

}  // namespace

void register_observability_routes(http::Router& router, app::Services& services) {
  // ---- GET /api/executions/{id}/traces ----------------------------------------------------
  router.add("GET", "/api/executions/{id}/traces", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    std::string id(ctx.param("id"));
    auto spans = co_await services.db.read([&](store::Connection& c) {
      auto execution = require_execution(c, ctx);
      return observability::execution_spans(c, id, executions::is_finished_status(execution.status));
    });
    json::array items;
    items.reserve(spans.size());
    for (const auto& s : spans) items.push_back(observability::span_json(s));
    co_return http::json_reply(200, {{"execution_id", id}, {"spans", std::move(items)}});
  }, {.summary = "An execution's trace: its spans (crew > task > agent > llm_call | tool | delegation), parents first",
      .policy = "executions:read"});

  // ---- GET /api/executions/{id}/logs ------------------------------------------------------
  router.add("GET", "/api/executions/{id}/logs", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    std::string id(ctx.param("id"));
    auto query = read_log_query(ctx);
    auto page = co_await services.db.read([&](store::Connection& c) {
      require_execution(c, ctx);
      return observability::read_logs(c, id, query);
    });
    json::array items;
    items.reserve(page.items.size());
    for (const auto& e : page.items) items.push_back(log_json(e));
    json::value next = nullptr;
    if (page.next_after) next = json::string(std::to_string(*page.next_after));
    co_return http::json_reply(200, {{"items", std::move(items)}, {"next_cursor", next}});
  }, {.summary = "An execution's log lines and errors (filters: level = that level and above, q = text; by seq)",
      .policy = "executions:read"});

  // ---- GET /api/executions/{id}/metrics ---------------------------------------------------
  router.add("GET", "/api/executions/{id}/metrics", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    std::string id(ctx.param("id"));
    auto now = services.clock.now_ms();
    auto metrics = co_await services.db.read([&](store::Connection& c) {
      auto execution = require_execution(c, ctx);
      auto m = observability::compute_metrics(observability::all_events(c, id));
      // The run's own figure (the worker's clock) when it has one; while it runs, so far.
      if (execution.duration_ms) m.duration_ms = execution.duration_ms;
      else if (!m.duration_ms && execution.started_at) m.duration_ms = now - *execution.started_at;
      return m;
    });
    co_return http::json_reply(200, observability::metrics_json(metrics));
  }, {.summary = "An execution's tokens, cost, calls and latencies: totals, by model, by agent and by task",
      .policy = "executions:read"});
}

}  // namespace aop::api
