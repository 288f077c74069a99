#include "executions/recovery.hpp"

#include "core/ids.hpp"
#include "executions/event_rows.hpp"
#include "executions/run_events.hpp"
#include "observability/trace_store.hpp"

namespace aop::executions {

namespace {
// The crew's trace id (execution_started's), so the appended events hang under the run's root.
std::string root_trace(store::Connection& c, const std::string& execution_id) {
  auto rows = c.query("SELECT trace_id FROM execution_events WHERE execution_id = ? AND type = 'execution_started'",
                      {execution_id});
  if (!rows.empty())
    if (auto trace = rows.front().opt_text(0)) return *trace;
  return core::new_id();
}
}  // namespace

std::vector<Recovered> recover_interrupted(store::Connection& c, std::int64_t stale_before_ms, std::int64_t now_ms) {
  std::vector<Recovered> out;
  for (auto& e : mark_interrupted(c, stale_before_ms, now_ms)) {
    Recovered r;
    auto seq = last_seq(c, e.id);
    auto trace = root_trace(c, e.id);
    r.appended.push_back(error_event(e.id, seq + 1, now_ms, trace, "interrupted",
                                     "The worker running this execution stopped before it finished."));
    r.appended.push_back(
        completed_event(e.id, seq + 2, now_ms, trace,
                        {"failed", "interrupted", "The worker running this execution stopped before it finished.",
                         static_cast<double>(e.duration_ms.value_or(0)) / 1000.0}));
    insert_events(c, r.appended);
    // The run's trace ends with it: open spans close as failed, in the same transaction.
    observability::store_traces(c, e.id);
    r.execution = std::move(e);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace aop::executions
