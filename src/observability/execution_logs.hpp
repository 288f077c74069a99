#pragma once
// An execution's log: its `log` events and its `error` events (as level "error"), read from the
// event log with a minimum level, a case-insensitive text search and a seq cursor.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/events.hpp"
#include "store/database.hpp"

namespace aop::observability {

// debug < info < warning < error; nullopt for any other name.
std::optional<int> log_level_rank(std::string_view level);

struct LogEntry {
  std::int64_t seq = 0;
  std::int64_t ts_ms = 0;
  std::string level;
  std::string message;
  std::string trace_id;
};

struct LogQuery {
  int min_rank = 0;         // log_level_rank of the lowest level shown
  std::string text;         // "" = any; otherwise matched case-insensitively in the message
  std::int64_t after_seq = 0;
  int limit = 50;
};

struct LogPage {
  std::vector<LogEntry> items;
  std::optional<std::int64_t> next_after;  // seq to continue after, when there are more
};

// The log line an event stands for (nullopt for events that are not log or error).
std::optional<LogEntry> log_entry_of(const engine::Event& event);
bool matches(const LogEntry& entry, const LogQuery& query);

// Blocking, inside Database::read.
LogPage read_logs(store::Connection& c, const std::string& execution_id, const LogQuery& query);

}  // namespace aop::observability
