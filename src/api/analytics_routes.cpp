#include "api/analytics_routes.hpp"

#include <boost/json.hpp>

#include "api/body_reader.hpp"
#include "app/services.hpp"
#include "core/clock.hpp"
#include "core/problem.hpp"
#include "http/router.hpp"
#include "observability/analytics.hpp"

namespace aop::api {

namespace asio = boost::asio;
namespace json = boost::json;
using core::Problem;
using http::Reply;
using http::RequestContext;

namespace {

constexpr std::int64_t k_hour_ms = 3600 * 1000;
constexpr std::int64_t k_day_ms = 24 * k_hour_ms;
constexpr std::int64_t k_max_buckets = 1000;

json::value nullable(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }

struct Window {
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
  std::string bucket;
  std::int64_t bucket_ms = 0;
};

// Defaults: up to now; the last 30 days by day, or the last 48 hours by hour.
Window read_window(const RequestContext& ctx, std::int64_t now) {
  Window w;
  w.bucket = ctx.query_param("bucket").value_or("");
  if (w.bucket.empty()) w.bucket = "day";
  if (w.bucket != "day" && w.bucket != "hour")
    throw Problem::bad_request("bucket must be day or hour.", {{"bucket", "must be day or hour"}});
  w.bucket_ms = w.bucket == "day" ? k_day_ms : k_hour_ms;
  w.to_ms = read_time_param(ctx.query_param("to"), "to").value_or(now);
  w.from_ms = read_time_param(ctx.query_param("from"), "from").value_or(w.to_ms - (w.bucket == "day" ? 30 * k_day_ms : 48 * k_hour_ms));
  if (w.from_ms >= w.to_ms) throw Problem::bad_request("from must be before to.", {{"from", "must be before to"}});
  if ((w.to_ms - w.from_ms) / w.bucket_ms > k_max_buckets)
    throw Problem::bad_request("The window holds more than 1000 " + w.bucket + "s; narrow it or use a larger bucket.",
                               {{"from", "the window is too long for this bucket"}});
  return w;
}

}  // namespace

void register_analytics_routes(http::Router& router, app::Services& services) {
  router.add("GET", "/api/analytics/overview", [&services](RequestContext& ctx) -> asio::awaitable<Reply> {
    auto now = services.clock.now_ms();
    auto w = read_window(ctx, now);
    auto o = co_await services.db.read([&](store::Connection& c) {
      return observability::activity_overview(c, ctx.team_id, w.from_ms, w.to_ms, w.bucket_ms, now);
    });
    json::array series;
    series.reserve(o.series.size());
    for (const auto& b : o.series)
      series.push_back({{"start", core::format_iso8601(b.start_ms)},
                        {"executions", b.executions},
                        {"completed", b.completed},
                        {"failed", b.failed},
                        {"cancelled", b.cancelled},
                        {"cost", nullable(b.cost)},
                        {"tokens", b.tokens}});
    auto decided = o.completed + o.failed;
    json::value success_rate = decided == 0 ? json::value(nullptr)
                                            : json::value(static_cast<double>(o.completed) / static_cast<double>(decided));
    co_return http::json_reply(200, {{"from", core::format_iso8601(w.from_ms)},
                                     {"to", core::format_iso8601(w.to_ms)},
                                     {"bucket", w.bucket},
                                     {"total_crews", o.total_crews},
                                     {"active_executions", o.active_executions},
                                     {"executions", o.executions},
                                     {"completed", o.completed},
                                     {"failed", o.failed},
                                     {"cancelled", o.cancelled},
                                     {"success_rate", success_rate},
                                     {"total_cost", nullable(o.total_cost)},
                                     {"unknown_cost_executions", o.unknown_cost_executions},
                                     {"today_cost", nullable(o.today_cost)},
                                     {"total_tokens", o.total_tokens},
                                     {"series", std::move(series)}});
  }, {.summary = "The team's activity: counts, success rate, cost and a time series (dashboard)",
      .policy = "executions:read"});
}

}  // namespace aop::api
