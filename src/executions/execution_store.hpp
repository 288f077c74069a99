#pragma once
// Rows of `executions`: the run queue and the record of every run. Blocking: call inside
// Database::read / Database::write. Reads are team-scoped; the queue functions (claim,
// heartbeat, finish, recovery) are not, because workers serve every team.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/database.hpp"

namespace aop::executions {

struct ExecutionRecord {
  std::string id;
  std::string team_id;
  std::optional<std::string> crew_id;
  std::optional<std::int64_t> crew_version;
  std::string status = "pending";  // pending | running | completed | failed | cancelled
  bool is_test = false;
  std::string inputs = "{}";           // JSON object text
  std::optional<std::string> outputs;  // JSON text
  std::optional<std::string> error_message;
  std::optional<std::string> triggered_by_user;
  std::optional<std::string> triggered_by_key;
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  std::int64_t total_tokens = 0;
  std::optional<double> total_cost;  // null when a model's price is unknown
  std::optional<std::int64_t> duration_ms;
  std::optional<std::string> worker_id;
  std::optional<std::int64_t> claimed_at;
  std::optional<std::int64_t> heartbeat_at;
  bool cancel_requested = false;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> started_at;
  std::optional<std::int64_t> completed_at;
};

bool is_finished_status(const std::string& status);

void insert_execution(store::Connection& c, const ExecutionRecord& e);
// The column list and one row's values in that order, for bulk inserts.
const char* execution_columns();
store::Params execution_row(const ExecutionRecord& e);
std::optional<ExecutionRecord> find_execution(store::Connection& c, const std::string& team_id, const std::string& id);
// Any team's; for workers and the live hub.
std::optional<ExecutionRecord> find_execution_any_team(store::Connection& c, const std::string& id);

// The oldest pending execution, now running on `worker_id` (started_at, claimed_at and
// heartbeat_at = now); nullopt when the queue is empty. Concurrent claimers never get the
// same row: PostgreSQL skips rows another claimer has locked, SQLite's writer is exclusive.
std::optional<ExecutionRecord> claim_next(store::Connection& c, const std::string& worker_id, std::int64_t now_ms);

// Marks the worker's running executions alive; returns how many there are.
std::int64_t heartbeat(store::Connection& c, const std::string& worker_id, std::int64_t now_ms);
// The worker's running executions whose cancel was requested (through any node).
std::vector<std::string> cancel_requests(store::Connection& c, const std::string& worker_id);

struct FinalOutcome {
  std::string status;  // completed | failed | cancelled
  std::optional<std::string> outputs;
  std::optional<std::string> error_message;
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  std::optional<double> total_cost;
  std::int64_t duration_ms = 0;
};
// Writes the end of a run this worker holds; false when it no longer holds it (recovered
// elsewhere as interrupted, for instance).
bool finish_execution(store::Connection& c, const std::string& id, const std::string& worker_id,
                      const FinalOutcome& outcome, std::int64_t now_ms);

enum class CancelResult { not_found, already_finished, cancelled, requested };
// pending → cancelled at once (the caller records its final event); running → cancel_requested.
CancelResult request_cancel(store::Connection& c, const std::string& team_id, const std::string& id,
                            std::int64_t now_ms);

// The orders a list can come in; each pages by (key, id) so pages never skip or repeat.
enum class ExecutionSort { newest, oldest, longest, costliest, most_tokens };
// "newest", "oldest", "duration", "cost", "tokens"; nullopt for anything else.
std::optional<ExecutionSort> execution_sort_named(std::string_view name);

struct ExecutionFilter {
  std::string crew_id;                  // "" = any
  std::string status;                   // "" = any
  std::optional<std::int64_t> from_ms;  // created_at >= from
  std::optional<std::int64_t> to_ms;    // created_at < to
  std::optional<double> min_cost;       // total_cost >= (a run of unknown cost never matches)
  std::optional<double> max_cost;       // total_cost <=
  std::string text;                     // "" = any; else case-insensitive in inputs, outputs or error
  ExecutionSort sort = ExecutionSort::newest;
  std::optional<std::pair<std::int64_t, std::string>> after;  // keyset cursor: (sort key, id)
  int limit = 50;
};
// The cursor key of `e` under `sort` (a cost is carried as its IEEE-754 bits, so the next page
// compares with the exact value).
std::int64_t sort_key(const ExecutionRecord& e, ExecutionSort sort);
// In the filter's order.
std::vector<ExecutionRecord> list_executions(store::Connection& c, const std::string& team_id,
                                             const ExecutionFilter& filter);

// Running executions whose heartbeat is older than `stale_before_ms` (their worker is gone):
// marked failed "interrupted". Returns them as they are now.
std::vector<ExecutionRecord> mark_interrupted(store::Connection& c, std::int64_t stale_before_ms, std::int64_t now_ms);

}  // namespace aop::executions
