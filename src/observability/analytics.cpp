#include "observability/analytics.hpp"

namespace aop::observability {

namespace {

constexpr std::int64_t k_day_ms = 24 * 3600 * 1000;

// Columns 1..7 of both the totals and the per-bucket query.
constexpr const char* k_aggregates =
    "COUNT(*), "
    "SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END), "
    "SUM(total_cost), "
    "CAST(SUM(total_tokens) AS BIGINT), "
    "SUM(CASE WHEN total_cost IS NULL AND status IN ('completed', 'failed', 'cancelled') THEN 1 ELSE 0 END)";

std::int64_t count_at(const store::Row& r, int column) { return r.is_null(column) ? 0 : r.i64(column); }

}  // namespace

ActivityOverview activity_overview(store::Connection& c, const std::string& team_id, std::int64_t from_ms,
                                   std::int64_t to_ms, std::int64_t bucket_ms, std::int64_t now_ms) {
  ActivityOverview out;
  {
    auto rows = c.query("SELECT COUNT(*) FROM crews WHERE team_id = ? AND deleted_at IS NULL", {team_id});
    out.total_crews = rows.front().i64(0);
  }
  {
    auto rows = c.query("SELECT COUNT(*) FROM executions WHERE team_id = ? AND status IN ('pending', 'running')",
                        {team_id});
    out.active_executions = rows.front().i64(0);
  }
  {
    std::int64_t today = now_ms - now_ms % k_day_ms;
    auto rows = c.query("SELECT SUM(total_cost) FROM executions WHERE team_id = ? AND created_at >= ?",
                        {team_id, today});
    out.today_cost = rows.front().opt_f64(0);
  }

  std::int64_t buckets = (to_ms - from_ms + bucket_ms - 1) / bucket_ms;
  out.series.resize(static_cast<std::size_t>(std::max<std::int64_t>(buckets, 0)));
  for (std::size_t i = 0; i < out.series.size(); ++i)
    out.series[i].start_ms = from_ms + static_cast<std::int64_t>(i) * bucket_ms;
  // Integer division buckets the same way on both databases (created_at >= from, so no
  // negative rounding).
  auto rows = c.query(std::string("SELECT (created_at - ?) / ? AS bucket, ") + k_aggregates +
                          " FROM executions WHERE team_id = ? AND created_at >= ? AND created_at < ? GROUP BY 1",
                      {from_ms, bucket_ms, team_id, from_ms, to_ms});
  for (auto r : rows) {
    auto index = r.i64(0);
    if (index < 0 || index >= static_cast<std::int64_t>(out.series.size())) continue;
    auto& b = out.series[static_cast<std::size_t>(index)];
    b.executions = count_at(r, 1);
    b.completed = count_at(r, 2);
    b.failed = count_at(r, 3);
    b.cancelled = count_at(r, 4);
    b.cost = r.opt_f64(5);
    b.tokens = count_at(r, 6);
    // The window is exactly its buckets, so the totals are their sums: one scan, not two.
    out.executions += b.executions;
    out.completed += b.completed;
    out.failed += b.failed;
    out.cancelled += b.cancelled;
    if (b.cost) out.total_cost = out.total_cost.value_or(0) + *b.cost;
    out.total_tokens += b.tokens;
    out.unknown_cost_executions += count_at(r, 7);
  }
  return out;
}

}  // namespace aop::observability
