#pragma once
// Rows of `execution_events`, the append-only event log ((execution_id, seq) unique).
// Blocking: call inside Database::read / Database::write.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/events.hpp"
#include "store/database.hpp"

namespace aop::executions {

void insert_events(store::Connection& c, const std::vector<engine::Event>& events);
// The column list and one event's values in that order, for bulk inserts.
const char* event_columns();
store::Params event_row(const engine::Event& e);
// Events with seq > after_seq, in order, at most `limit`.
std::vector<engine::Event> read_events(store::Connection& c, const std::string& execution_id, std::int64_t after_seq,
                                       int limit);
// The highest seq stored (0 when none).
std::int64_t last_seq(store::Connection& c, const std::string& execution_id);

}  // namespace aop::executions
