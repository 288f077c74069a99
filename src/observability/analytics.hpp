#pragma once
// A team's activity over a time window, for the dashboard: run counts by outcome, cost,
// tokens and a time series bucketed by hour or day. Aggregated in SQL over the executions'
// real columns (status, total_cost, total_tokens, created_at), so it stays fast on both
// databases. Blocking: call inside Database::read.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace aop::observability {

struct ActivityBucket {
  std::int64_t start_ms = 0;
  std::int64_t executions = 0;
  std::int64_t completed = 0;
  std::int64_t failed = 0;
  std::int64_t cancelled = 0;
  std::optional<double> cost;  // null when no run in the bucket has a known cost
  std::int64_t tokens = 0;
};

struct ActivityOverview {
  std::int64_t total_crews = 0;        // not deleted
  std::int64_t active_executions = 0;  // pending or running now
  std::int64_t executions = 0;         // created in the window
  std::int64_t completed = 0;
  std::int64_t failed = 0;
  std::int64_t cancelled = 0;
  std::int64_t unknown_cost_executions = 0;  // finished runs whose cost is null (a model without a price)
  std::optional<double> total_cost;
  std::optional<double> today_cost;  // since 00:00 UTC today, whatever the window
  std::int64_t total_tokens = 0;
  std::vector<ActivityBucket> series;  // every bucket of the window, empty ones included
};

// Runs created in [from_ms, to_ms), bucketed by bucket_ms from from_ms.
ActivityOverview activity_overview(store::Connection& c, const std::string& team_id, std::int64_t from_ms,
                                   std::int64_t to_ms, std::int64_t bucket_ms, std::int64_t now_ms);

}  // namespace aop::observability
