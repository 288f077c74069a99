#include "executions/execution_store.hpp"

#include <bit>

namespace aop::executions {

namespace {

using store::optional_value;

constexpr const char* k_columns =
    "id, team_id, crew_id, crew_version, status, is_test, inputs, outputs, error_message, triggered_by_user, "
    "triggered_by_key, input_tokens, output_tokens, total_tokens, total_cost, duration_ms, worker_id, claimed_at, "
    "heartbeat_at, cancel_requested, created_at, started_at, completed_at";

ExecutionRecord execution_from(const store::Row& r) {
  ExecutionRecord e;
  e.id = r.text(0);
  e.team_id = r.text(1);
  e.crew_id = r.opt_text(2);
  e.crew_version = r.opt_i64(3);
  e.status = r.text(4);
  e.is_test = r.boolean(5);
  e.inputs = r.text(6);
  e.outputs = r.opt_text(7);
  e.error_message = r.opt_text(8);
  e.triggered_by_user = r.opt_text(9);
  e.triggered_by_key = r.opt_text(10);
  e.input_tokens = r.i64(11);
  e.output_tokens = r.i64(12);
  e.total_tokens = r.i64(13);
  e.total_cost = r.opt_f64(14);
  e.duration_ms = r.opt_i64(15);
  e.worker_id = r.opt_text(16);
  e.claimed_at = r.opt_i64(17);
  e.heartbeat_at = r.opt_i64(18);
  e.cancel_requested = r.boolean(19);
  e.created_at = r.i64(20);
  e.started_at = r.opt_i64(21);
  e.completed_at = r.opt_i64(22);
  return e;
}

std::vector<ExecutionRecord> all_from(const store::Rows& rows) {
  std::vector<ExecutionRecord> out;
  out.reserve(rows.size());
  for (auto r : rows) out.push_back(execution_from(r));
  return out;
}

std::string select_columns() { return std::string("SELECT ") + k_columns + " FROM executions"; }

}  // namespace

bool is_finished_status(const std::string& status) {
  return status == "completed" || status == "failed" || status == "cancelled";
}

const char* execution_columns() { return k_columns; }

store::Params execution_row(const ExecutionRecord& e) {
  return {e.id,
             e.team_id,
             optional_value(e.crew_id),
             optional_value(e.crew_version),
             e.status,
             e.is_test,
             e.inputs,
             optional_value(e.outputs),
             optional_value(e.error_message),
             optional_value(e.triggered_by_user),
             optional_value(e.triggered_by_key),
             e.input_tokens,
             e.output_tokens,
             e.total_tokens,
             optional_value(e.total_cost),
             optional_value(e.duration_ms),
             optional_value(e.worker_id),
             optional_value(e.claimed_at),
             optional_value(e.heartbeat_at),
             e.cancel_requested,
             e.created_at,
             optional_value(e.started_at),
             optional_value(e.completed_at)};
}

void insert_execution(store::Connection& c, const ExecutionRecord& e) {
  c.execute(std::string("INSERT INTO executions (") + k_columns +
                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            execution_row(e));
}

std::optional<ExecutionRecord> find_execution(store::Connection& c, const std::string& team_id, const std::string& id) {
  auto rows = c.query(select_columns() + " WHERE id = ? AND team_id = ?", {id, team_id});
  if (rows.empty()) return std::nullopt;
  return execution_from(rows.front());
}

std::optional<ExecutionRecord> find_execution_any_team(store::Connection& c, const std::string& id) {
  auto rows = c.query(select_columns() + " WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return execution_from(rows.front());
}

std::optional<ExecutionRecord> claim_next(store::Connection& c, const std::string& worker_id, std::int64_t now_ms) {
  // SKIP LOCKED lets concurrent workers on PostgreSQL take different rows without waiting;
  // SQLite's single writer transaction already serializes the SELECT and the UPDATE.
  std::string pick = "SELECT id FROM executions WHERE status = 'pending' ORDER BY created_at, id LIMIT 1";
  if (c.dialect() == store::Dialect::postgres) pick += " FOR UPDATE SKIP LOCKED";
  auto rows = c.query(
      "UPDATE executions SET status = 'running', worker_id = ?, claimed_at = ?, heartbeat_at = ?, started_at = ? "
      "WHERE id = (" +
          pick + ") AND status = 'pending' RETURNING " + k_columns,
      {worker_id, now_ms, now_ms, now_ms});
  if (rows.empty()) return std::nullopt;
  return execution_from(rows.front());
}

std::int64_t heartbeat(store::Connection& c, const std::string& worker_id, std::int64_t now_ms) {
  return c.execute("UPDATE executions SET heartbeat_at = ? WHERE worker_id = ? AND status = 'running'",
                   {now_ms, worker_id});
}

std::vector<std::string> cancel_requests(store::Connection& c, const std::string& worker_id) {
  auto rows = c.query("SELECT id FROM executions WHERE worker_id = ? AND status = 'running' AND cancel_requested = ?",
                      {worker_id, true});
  std::vector<std::string> out;
  for (auto r : rows) out.push_back(r.text(0));
  return out;
}

bool finish_execution(store::Connection& c, const std::string& id, const std::string& worker_id, const FinalOutcome& o,
                      std::int64_t now_ms) {
  return c.execute(
             "UPDATE executions SET status = ?, outputs = ?, error_message = ?, input_tokens = ?, output_tokens = ?, "
             "total_tokens = ?, total_cost = ?, duration_ms = ?, completed_at = ?, heartbeat_at = ? "
             "WHERE id = ? AND worker_id = ? AND status = 'running'",
             {o.status, optional_value(o.outputs), optional_value(o.error_message), o.input_tokens, o.output_tokens,
              o.input_tokens + o.output_tokens, optional_value(o.total_cost), o.duration_ms, now_ms, now_ms, id,
              worker_id}) > 0;
}

CancelResult request_cancel(store::Connection& c, const std::string& team_id, const std::string& id,
                            std::int64_t now_ms) {
  // A pending run never started: it ends here. On PostgreSQL a concurrent claim holds the row
  // lock; this UPDATE then waits, sees 'running' and falls through to the request below.
  if (c.execute("UPDATE executions SET status = 'cancelled', cancel_requested = ?, completed_at = ?, duration_ms = 0 "
                "WHERE id = ? AND team_id = ? AND status = 'pending'",
                {true, now_ms, id, team_id}) > 0)
    return CancelResult::cancelled;
  if (c.execute("UPDATE executions SET cancel_requested = ? WHERE id = ? AND team_id = ? AND status = 'running'",
                {true, id, team_id}) > 0)
    return CancelResult::requested;
  auto rows = c.query("SELECT status FROM executions WHERE id = ? AND team_id = ?", {id, team_id});
  return rows.empty() ? CancelResult::not_found : CancelResult::already_finished;
}

namespace {

// Unknown durations and costs sort last (below every real value).
const char* sort_column(ExecutionSort sort) {
  switch (sort) {
    case ExecutionSort::newest:
    case ExecutionSort::oldest: return "created_at";
    case ExecutionSort::longest: return "COALESCE(duration_ms, -1)";
    case ExecutionSort::costliest: return "COALESCE(total_cost, -1.0)";
    case ExecutionSort::most_tokens: return "total_tokens";
  }
  return "created_at";
}

}  // namespace

std::optional<ExecutionSort> execution_sort_named(std::string_view name) {
  if (name == "newest") return ExecutionSort::newest;
  if (name == "oldest") return ExecutionSort::oldest;
  if (name == "duration") return ExecutionSort::longest;
  if (name == "cost") return ExecutionSort::costliest;
  if (name == "tokens") return ExecutionSort::most_tokens;
  return std::nullopt;
}

std::int64_t sort_key(const ExecutionRecord& e, ExecutionSort sort) {
  switch (sort) {
    case ExecutionSort::newest:
    case ExecutionSort::oldest: return e.created_at;
    case ExecutionSort::longest: return e.duration_ms.value_or(-1);
    case ExecutionSort::costliest: return std::bit_cast<std::int64_t>(e.total_cost.value_or(-1.0));
    case ExecutionSort::most_tokens: return e.total_tokens;
  }
  return e.created_at;
}

std::vector<ExecutionRecord> list_executions(store::Connection& c, const std::string& team_id,
                                             const ExecutionFilter& f) {
  std::string sql = select_columns() + " WHERE team_id = ?";
  store::Params p{team_id};
  if (!f.crew_id.empty()) {
    sql += " AND crew_id = ?";
    p.push_back(f.crew_id);
  }
  if (!f.status.empty()) {
    sql += " AND status = ?";
    p.push_back(f.status);
  }
  if (f.from_ms) {
    sql += " AND created_at >= ?";
    p.push_back(*f.from_ms);
  }
  if (f.to_ms) {
    sql += " AND created_at < ?";
    p.push_back(*f.to_ms);
  }
  if (f.min_cost) {
    sql += " AND total_cost >= ?";
    p.push_back(*f.min_cost);
  }
  if (f.max_cost) {
    sql += " AND total_cost <= ?";
    p.push_back(*f.max_cost);
  }
  if (!f.text.empty()) {
    // SQLite's LIKE ignores ASCII case; PostgreSQL needs ILIKE. Wildcards typed by the user are literal.
    std::string pattern = "%";
    for (char ch : f.text) {
      if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
      pattern += ch;
    }
    pattern += '%';
    std::string like = c.dialect() == store::Dialect::postgres ? " ILIKE ? ESCAPE '\\'" : " LIKE ? ESCAPE '\\'";
    sql += " AND (inputs" + like + " OR outputs" + like + " OR error_message" + like + ")";
    p.insert(p.end(), {pattern, pattern, pattern});
  }
  const char* key = sort_column(f.sort);
  bool ascending = f.sort == ExecutionSort::oldest;
  if (f.after) {
    store::Value at = f.sort == ExecutionSort::costliest ? store::Value(std::bit_cast<double>(f.after->first))
                                                         : store::Value(f.after->first);
    std::string cmp = ascending ? " > " : " < ";
    sql += std::string(" AND (") + key + cmp + "? OR (" + key + " = ? AND id" + cmp + "?))";
    p.insert(p.end(), {at, at, f.after->second});
  }
  sql += std::string(" ORDER BY ") + key + (ascending ? " ASC, id ASC" : " DESC, id DESC") + " LIMIT ?";
  p.push_back(static_cast<std::int64_t>(f.limit));
  return all_from(c.query(sql, p));
}

std::vector<ExecutionRecord> mark_interrupted(store::Connection& c, std::int64_t stale_before_ms, std::int64_t now_ms) {
  // The duration is the time the run was last known alive.
  return all_from(
      c.query("UPDATE executions SET status = 'failed', error_message = 'interrupted', completed_at = ?, "
              "duration_ms = COALESCE(heartbeat_at, started_at, created_at) - COALESCE(started_at, created_at) "
              "WHERE status = 'running' AND COALESCE(heartbeat_at, claimed_at, created_at) < ? RETURNING " +
                  std::string(k_columns),
              {now_ms, stale_before_ms}));
}

}  // namespace aop::executions
