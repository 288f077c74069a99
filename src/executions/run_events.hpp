#pragma once
// The event sink of one run in the server, and the events AOP writes itself when a run ends
// outside the engine (failed to start, interrupted, cancelled before it started).
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "engine/events.hpp"

namespace aop::executions {

class EventLog;

// Numbers the run's stored events 1, 2, 3, ... with no gaps (the engine's own numbering also
// counts llm_stream_chunk events, which are not stored). A chunk carries the seq of the stored
// event it follows. execution_completed is held back: the worker commits it together with the
// run's final row (EventLog::commit).
class RunEvents final : public engine::EventSink {
 public:
  explicit RunEvents(EventLog& log) : log_(log) {}
  void emit(engine::Event event) override;
  // The held-back execution_completed, if the engine emitted it.
  std::optional<engine::Event> take_final();
  // The next seq a stored event would get.
  std::int64_t next_seq() const;

 private:
  EventLog& log_;
  mutable std::mutex mutex_;
  std::int64_t last_seq_ = 0;
  std::optional<engine::Event> final_;
};

struct FinalEventFields {
  std::string status;      // failed | cancelled
  std::string error_type;  // empty: no error
  std::string error_message;
  double total_duration = 0;  // seconds
};
// An `error` event as the engine would emit it.
engine::Event error_event(const std::string& execution_id, std::int64_t seq, std::int64_t ts_ms,
                          const std::string& trace_id, const std::string& type, const std::string& message);
// An execution_completed event with no outputs, tokens or cost.
engine::Event completed_event(const std::string& execution_id, std::int64_t seq, std::int64_t ts_ms,
                              const std::string& trace_id, const FinalEventFields& fields);

}  // namespace aop::executions
