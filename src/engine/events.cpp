#include "engine/events.hpp"

#include <array>
#include <utility>

#include "core/clock.hpp"

namespace aop::engine {

namespace {

constexpr std::array<std::pair<EventType, std::string_view>, 12> k_names{{
    {EventType::execution_started, "execution_started"},
    {EventType::task_started, "task_started"},
    {EventType::agent_started, "agent_started"},
    {EventType::llm_call, "llm_call"},
    {EventType::llm_stream_chunk, "llm_stream_chunk"},
    {EventType::tool_call, "tool_call"},
    {EventType::agent_completed, "agent_completed"},
    {EventType::task_completed, "task_completed"},
    {EventType::task_skipped, "task_skipped"},
    {EventType::log, "log"},
    {EventType::error, "error"},
    {EventType::execution_completed, "execution_completed"},
}};

const boost::json::string* string_at(const boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v ? v->if_string() : nullptr;
}

}  // namespace

std::string_view event_type_name(EventType type) {
  for (const auto& [t, name] : k_names)
    if (t == type) return name;
  return "unknown";
}

std::optional<EventType> parse_event_type(std::string_view name) {
  for (const auto& [t, n] : k_names)
    if (n == name) return t;
  return std::nullopt;
}

bool is_persisted(EventType type) { return type != EventType::llm_stream_chunk; }

boost::json::object to_json(const Event& e) {
  boost::json::object out;
  out.reserve(7);
  out["seq"] = e.seq;
  out["type"] = event_type_name(e.type);
  out["ts"] = core::format_iso8601(e.ts_ms);
  out["execution_id"] = e.execution_id;
  out["trace_id"] = e.trace_id;
  if (e.parent_trace_id.empty()) out["parent_trace_id"] = nullptr;
  else out["parent_trace_id"] = e.parent_trace_id;
  out["data"] = e.data;
  return out;
}

std::optional<Event> event_from_json(const boost::json::object& doc) {
  Event e;
  auto* seq = doc.if_contains("seq");
  auto* type = string_at(doc, "type");
  auto* ts = string_at(doc, "ts");
  auto* execution = string_at(doc, "execution_id");
  auto* trace = string_at(doc, "trace_id");
  auto* data = doc.if_contains("data");
  if (!seq || !seq->is_int64() || !type || !ts || !execution || !trace || !data || !data->is_object())
    return std::nullopt;
  auto parsed_type = parse_event_type(*type);
  if (!parsed_type || !core::parse_iso8601(*ts, e.ts_ms)) return std::nullopt;
  e.seq = seq->get_int64();
  e.type = *parsed_type;
  e.execution_id = *execution;
  e.trace_id = *trace;
  if (auto* parent = string_at(doc, "parent_trace_id")) e.parent_trace_id = *parent;
  e.data = data->get_object();
  return e;
}

}  // namespace aop::engine
