#pragma once
// One agent working on one task: the loop of LLM calls and tool calls until a final answer.
// Native tool calling when the provider supports it, CrewAI's ReAct text protocol otherwise.
// Emits agent_started, llm_stream_chunk, llm_call, tool_call and agent_completed events.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include "engine/llm/pricing.hpp"
#include "engine/prompts.hpp"
#include "engine/rate_gate.hpp"
#include "engine/run_context.hpp"
#include "engine/tools/tool.hpp"

namespace aop::engine {

class HookDispatcher;

struct AgentAssignment {
  std::string agent_name;  // key under `agents` ("manager" for a generated manager)
  AgentPersona persona;    // placeholders already filled in
  TaskBrief brief;         // placeholders filled in, context joined
  std::string task_name;
  std::string model;  // "provider/model"
  std::vector<std::shared_ptr<tools::Tool>> tools;
  int max_iter = 25;
  int max_retry_limit = 2;  // extra attempts when the answer does not match output_json
  std::optional<std::chrono::steady_clock::time_point> deadline;  // max_execution_time (agent and crew)
  std::vector<RateGate*> rate_gates;  // agent's and crew's max_rpm; each call passes all
  std::string parent_trace_id;        // the task's trace node
  HookDispatcher* hooks = nullptr;    // the crew's hooks; null when it has none
};

struct AgentOutcome {
  std::string output;                      // the final answer (JSON text when output_json is set)
  std::optional<boost::json::value> json;  // the parsed answer, when it is JSON
  TokenUsage usage;                        // summed over the agent's LLM calls
  std::optional<double> cost;              // null when any call's model has no price
  int llm_calls = 0;
  int tool_calls = 0;
  bool forced_final = false;  // max_iter ran out and the model was asked to finish
};

// Throws EngineError (LLM failure, answer never matched the schema, time budget exhausted)
// or Cancelled.
boost::asio::awaitable<AgentOutcome> run_agent(RunContext& run, const AgentAssignment& assignment);

// A tool name usable for native function calling ([A-Za-z0-9_-], at most 64): CrewAI's
// "Delegate work to coworker" becomes "delegate_work_to_coworker".
std::string native_tool_name(std::string_view name);

}  // namespace aop::engine
