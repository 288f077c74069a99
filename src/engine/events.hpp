#pragma once
// The one event schema (DESIGN.md section 6). The engine emits these; the same JSON goes to
// the SSE stream, webhooks, the event log and the trace builder:
//   {seq, type, ts, execution_id, trace_id, parent_trace_id, data}
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace aop::engine {

enum class EventType {
  execution_started,    // {execution_id, crew_id, started_at}
  task_started,         // {task_name, agent_name, trace_id}
  agent_started,        // {agent_name, task_name, trace_id}
  llm_call,             // {model, input_tokens, output_tokens, duration, cost}
  llm_stream_chunk,     // {text}; live only, not persisted one by one
  tool_call,            // {tool_name, inputs, outputs, duration}
  agent_completed,      // {agent_name, output, duration, tokens}
  task_completed,       // {task_name, output, duration}
  task_skipped,         // {task_name, reason}
  log,                  // {level, message, timestamp, trace_id}
  error,                // {error_type, message, trace_id, stack_trace}
  execution_completed,  // {execution_id, status, outputs, total_duration, total_cost}
};

std::string_view event_type_name(EventType type);
std::optional<EventType> parse_event_type(std::string_view name);
// False for events that are streamed live but not written to the event log.
bool is_persisted(EventType type);

struct Event {
  std::int64_t seq = 0;  // 1, 2, ... per execution, assigned by whoever orders the stream
  EventType type = EventType::log;
  std::int64_t ts_ms = 0;  // epoch milliseconds
  std::string execution_id;
  std::string trace_id;
  std::string parent_trace_id;  // "" for the root (the crew)
  boost::json::object data;
};

// The wire form; ts as ISO 8601 with milliseconds, parent_trace_id null at the root.
boost::json::object to_json(const Event& event);
// The inverse, for replaying the event log. nullopt when `doc` is not an event.
std::optional<Event> event_from_json(const boost::json::object& doc);

// Where the engine reports. Implementations must not block: the executions module queues.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void emit(Event event) = 0;
};

}  // namespace aop::engine
