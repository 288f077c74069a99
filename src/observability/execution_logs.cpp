#include "observability/execution_logs.hpp"

#include <algorithm>
#include <cctype>

#include <boost/json/parse.hpp>

#include "core/ascii.hpp"
#include "core/clock.hpp"
#include "core/json_fields.hpp"

namespace aop::observability {

namespace {

constexpr std::string_view k_levels[] = {"debug", "info", "warning", "error"};
constexpr int k_scan_page = 500;

}  // namespace

std::optional<int> log_level_rank(std::string_view level) {
  for (int i = 0; i < 4; ++i)
    if (k_levels[i] == level) return i;
  return std::nullopt;
}

std::optional<LogEntry> log_entry_of(const engine::Event& e) {
  if (e.type != engine::EventType::log && e.type != engine::EventType::error) return std::nullopt;
  LogEntry entry;
  entry.seq = e.seq;
  entry.ts_ms = e.ts_ms;
  // The engine stamps a log line when it is written; the event's ts is when it was queued.
  if (auto ts = core::json_fields::string_at(e.data, "timestamp"); !ts.empty()) core::parse_iso8601(ts, entry.ts_ms);
  entry.message = core::json_fields::string_at(e.data, "message");
  entry.trace_id = core::json_fields::string_at(e.data, "trace_id");
  if (entry.trace_id.empty()) entry.trace_id = e.trace_id;
  if (e.type == engine::EventType::error) {
    entry.level = "error";
  } else {
    auto level = core::ascii_lower(core::json_fields::string_at(e.data, "level"));
    if (level == "warn") level = "warning";
    // An unknown level is shown as info rather than dropped.
    entry.level = log_level_rank(level) ? level : "info";
  }
  return entry;
}

bool matches(const LogEntry& entry, const LogQuery& query) {
  if (log_level_rank(entry.level).value_or(1) < query.min_rank) return false;
  if (query.text.empty()) return true;
  return core::ascii_lower(entry.message).find(core::ascii_lower(query.text)) != std::string::npos;
}

LogPage read_logs(store::Connection& c, const std::string& execution_id, const LogQuery& query) {
  LogPage page;
  auto after = query.after_seq;
  // Filters are applied here (levels and messages live in the event's JSON), so the log is
  // scanned in pages until one more match than asked for is found: that one proves there is a
  // next page.
  for (;;) {
    auto rows = c.query(
        "SELECT seq, type, ts, trace_id, data FROM execution_events "
        "WHERE execution_id = ? AND seq > ? AND type IN ('log', 'error') ORDER BY seq LIMIT ?",
        {execution_id, after, static_cast<std::int64_t>(k_scan_page)});
    for (auto r : rows) {
      engine::Event e;
      e.seq = r.i64(0);
      e.type = r.text(1) == "error" ? engine::EventType::error : engine::EventType::log;
      e.ts_ms = r.i64(2);
      e.trace_id = r.opt_text(3).value_or("");
      boost::system::error_code ec;
      auto data = boost::json::parse(r.text(4), ec);
      if (!ec && data.is_object()) e.data = std::move(data.as_object());
      auto entry = log_entry_of(e);
      if (!entry || !matches(*entry, query)) continue;
      if (static_cast<int>(page.items.size()) == query.limit) {
        page.next_after = page.items.back().seq;
        return page;
      }
      page.items.push_back(std::move(*entry));
    }
    if (static_cast<int>(rows.size()) < k_scan_page) return page;
    after = rows[rows.size() - 1].i64(0);
  }
}

}  // namespace aop::observability
