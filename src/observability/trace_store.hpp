#pragma once
// Rows of `traces`: the span tree of an execution, written once the run's last event is
// durable (by the worker, or by recovery for a run whose worker died) and read back by the
// API. A run whose rows are missing (still running, or it ended without a trace write) is
// traced from its event log instead, so every execution has a trace.
// Blocking: call inside Database::read / Database::write.
#include <string>
#include <vector>

#include "engine/events.hpp"
#include "observability/trace_builder.hpp"
#include "store/database.hpp"

namespace aop::observability {

// Every stored event of the execution, in seq order.
std::vector<engine::Event> all_events(store::Connection& c, const std::string& execution_id);
// The spans built from the execution's event log.
std::vector<Span> spans_from_events(const std::vector<engine::Event>& events);

// Rebuilds the execution's rows from its event log (replacing any); returns how many spans.
std::size_t store_traces(store::Connection& c, const std::string& execution_id);
// The stored rows (empty when none were written).
std::vector<Span> load_traces(store::Connection& c, const std::string& execution_id);
// What the API shows: the stored rows of a finished run, otherwise spans built from its events.
std::vector<Span> execution_spans(store::Connection& c, const std::string& execution_id, bool finished);

// Parents before children: by start time, then depth in the tree (a child may start in the
// same millisecond as its parent). Both the stored and the rebuilt spans come out this way.
void order_spans(std::vector<Span>& spans);

}  // namespace aop::observability
