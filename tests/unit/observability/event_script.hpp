#pragma once
// Hand-written event sequences for the observability tests: each emit() is one engine event,
// numbered and stamped like the engine's (seq 1, 2, ...; time advancing by `step` ms).
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "engine/events.hpp"

namespace aop::test {

struct EventScript {
  std::string execution_id = "exec-1";
  std::int64_t now = 1'700'000'000'000;
  std::vector<engine::Event> events;

  const engine::Event& emit(engine::EventType type, const std::string& trace, const std::string& parent,
                            boost::json::object data, std::int64_t step = 10) {
    now += step;
    engine::Event e;
    e.seq = static_cast<std::int64_t>(events.size()) + 1;
    e.type = type;
    e.ts_ms = now;
    e.execution_id = execution_id;
    e.trace_id = trace;
    e.parent_trace_id = parent;
    e.data = std::move(data);
    events.push_back(std::move(e));
    return events.back();
  }
  // An llm_call of `seconds` under `agent`.
  void llm(const std::string& trace, const std::string& agent_trace, const std::string& model, std::int64_t in,
           std::int64_t out, boost::json::value cost, double seconds, const std::string& agent,
           const std::string& task) {
    emit(engine::EventType::llm_call, trace, agent_trace,
         {{"model", model},
          {"input_tokens", in},
          {"output_tokens", out},
          {"cached_input_tokens", 0},
          {"duration", seconds},
          {"cost", cost},
          {"agent_name", agent},
          {"task_name", task}},
         static_cast<std::int64_t>(seconds * 1000));
  }
  void log(const std::string& trace, const std::string& level, const std::string& message) {
    emit(engine::EventType::log, trace, "", {{"level", level}, {"message", message}, {"trace_id", trace}});
  }
};

}  // namespace aop::test
