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
// An event as stored: `data` is the JSON object text, not parsed (replays splice it as it is).
struct StoredEvent {
  std::int64_t seq = 0;
  engine::EventType type = engine::EventType::log;
  std::int64_t ts_ms = 0;
  std::string trace_id;
  std::string parent_trace_id;  // "" for the root
  std::string data;
};
// Events with seq > after_seq, in order, at most `limit` rows read (types this build does not
// know, written by a newer version, are skipped).
std::vector<StoredEvent> read_stored_events(store::Connection& c, const std::string& execution_id,
                                            std::int64_t after_seq, int limit);
// The same, parsed (an event whose data is not a JSON object gets empty data).
std::vector<engine::Event> read_events(store::Connection& c, const std::string& execution_id, std::int64_t after_seq,
                                       int limit);
// The highest seq stored (0 when none).
std::int64_t last_seq(store::Connection& c, const std::string& execution_id);

}  // namespace aop::executions
