#pragma once
// Injectable wall clock so tests can control time.
#include <chrono>
#include <cstdint>
#include <string>

namespace aop::core {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch.
  virtual std::int64_t now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// The process-wide real clock (stateless, so sharing it is not global mutable state).
inline const Clock& system_clock() {
  static const Clock clock;
  return clock;
}

// "2026-11-21T20:27:48.123Z"
std::string format_iso8601(std::int64_t epoch_ms);
// Parses RFC 3339 / ISO 8601 UTC or offset timestamps; returns false on malformed input.
bool parse_iso8601(std::string_view text, std::int64_t& epoch_ms);

}  // namespace aop::core
