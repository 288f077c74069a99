#include "executions/run_events.hpp"

#include "executions/event_log.hpp"

namespace aop::executions {

namespace json = boost::json;

void RunEvents::emit(engine::Event event) {
  std::unique_lock lock(mutex_);
  if (!engine::is_persisted(event.type)) {
    event.seq = last_seq_;
    lock.unlock();
    log_.append(std::move(event));
    return;
  }
  event.seq = ++last_seq_;
  if (event.type == engine::EventType::execution_completed) {
    final_ = std::move(event);
    return;
  }
  lock.unlock();
  log_.append(std::move(event));
}

std::optional<engine::Event> RunEvents::take_final() {
  std::lock_guard lock(mutex_);
  auto out = std::move(final_);
  final_.reset();
  return out;
}

std::int64_t RunEvents::next_seq() const {
  std::lock_guard lock(mutex_);
  return last_seq_ + 1;
}

engine::Event error_event(const std::string& execution_id, std::int64_t seq, std::int64_t ts_ms,
                          const std::string& trace_id, const std::string& type, const std::string& message) {
  engine::Event e;
  e.seq = seq;
  e.type = engine::EventType::error;
  e.ts_ms = ts_ms;
  e.execution_id = execution_id;
  e.trace_id = trace_id;
  e.data = {{"error_type", type},
            {"message", message},
            {"trace_id", trace_id},
            {"stack_trace", nullptr},
            {"context", {{"execution_id", execution_id}, {"raised_by", "platform"}}}};
  return e;
}

engine::Event completed_event(const std::string& execution_id, std::int64_t seq, std::int64_t ts_ms,
                              const std::string& trace_id, const FinalEventFields& f) {
  engine::Event e;
  e.seq = seq;
  e.type = engine::EventType::execution_completed;
  e.ts_ms = ts_ms;
  e.execution_id = execution_id;
  e.trace_id = trace_id;
  e.data = {
      {"execution_id", execution_id},       {"status", f.status},    {"outputs", json::object()}, {"final_output", ""},
      {"total_duration", f.total_duration}, {"total_cost", nullptr}, {"input_tokens", 0},         {"output_tokens", 0}};
  if (!f.error_type.empty()) e.data["error"] = {{"type", f.error_type}, {"message", f.error_message}};
  return e;
}

}  // namespace aop::executions
