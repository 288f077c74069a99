#include "executions/event_rows.hpp"

#include "store/bulk_insert.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace aop::executions {

const char* event_columns() { return "execution_id, seq, type, ts, trace_id, parent_trace_id, data"; }

store::Params event_row(const engine::Event& e) {
  return {e.execution_id, e.seq, std::string(engine::event_type_name(e.type)), e.ts_ms,
          e.trace_id.empty() ? store::Value(nullptr) : store::Value(e.trace_id),
          e.parent_trace_id.empty() ? store::Value(nullptr) : store::Value(e.parent_trace_id),
          boost::json::serialize(e.data)};
}

void insert_events(store::Connection& c, const std::vector<engine::Event>& events) {
  // Multi-row statements: a group-commit batch of thousands of events is a handful of
  // statements instead of one prepare and round trip per event.
  std::vector<store::Params> rows;
  rows.reserve(events.size());
  for (const auto& e : events) rows.push_back(event_row(e));
  store::insert_rows(c, "execution_events", event_columns(), rows);
}

std::vector<StoredEvent> read_stored_events(store::Connection& c, const std::string& execution_id,
                                            std::int64_t after_seq, int limit) {
  auto rows = c.query(
      "SELECT seq, type, ts, trace_id, parent_trace_id, data FROM execution_events "
      "WHERE execution_id = ? AND seq > ? ORDER BY seq LIMIT ?",
      {execution_id, after_seq, static_cast<std::int64_t>(limit)});
  std::vector<StoredEvent> out;
  out.reserve(rows.size());
  for (auto r : rows) {
    auto type = engine::parse_event_type(r.text(1));
    if (!type) continue;
    StoredEvent e;
    e.seq = r.i64(0);
    e.type = *type;
    e.ts_ms = r.i64(2);
    e.trace_id = r.opt_text(3).value_or("");
    e.parent_trace_id = r.opt_text(4).value_or("");
    e.data = r.text(5);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<engine::Event> read_events(store::Connection& c, const std::string& execution_id, std::int64_t after_seq,
                                       int limit) {
  auto stored = read_stored_events(c, execution_id, after_seq, limit);
  std::vector<engine::Event> out;
  out.reserve(stored.size());
  for (auto& s : stored) {
    engine::Event e;
    e.seq = s.seq;
    e.type = s.type;
    e.ts_ms = s.ts_ms;
    e.execution_id = execution_id;
    e.trace_id = std::move(s.trace_id);
    e.parent_trace_id = std::move(s.parent_trace_id);
    boost::system::error_code ec;
    auto data = boost::json::parse(s.data, ec);
    if (!ec && data.is_object()) e.data = std::move(data.as_object());
    out.push_back(std::move(e));
  }
  return out;
}

std::int64_t last_seq(store::Connection& c, const std::string& execution_id) {
  auto rows = c.query("SELECT MAX(seq) FROM execution_events WHERE execution_id = ?", {execution_id});
  return rows.empty() ? 0 : rows.front().opt_i64(0).value_or(0);
}

}  // namespace aop::executions
