#pragma once
// Runs a whole crew: inputs checked and interpolated, tasks in order (sequential) or through
// a manager (hierarchical), conditions, context, async tasks, limits and cancellation.
// Emits execution_started first and execution_completed last, whatever happens.
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "crews/crew_spec.hpp"
#include "engine/llm/pricing.hpp"
#include "engine/run_context.hpp"

namespace aop::engine {

struct CrewRunRequest {
  crews::CrewSpec crew;
  boost::json::object inputs;
  std::string crew_id;  // for events; "" when run from a file
};

struct TaskRecord {
  std::string name;
  std::string agent;  // who did it ("manager" in hierarchical crews)
  std::string status = "pending";  // completed | skipped | failed | cancelled | pending
  std::string output;
  std::optional<boost::json::value> json;
  double duration = 0;  // seconds
  TokenUsage usage;
  std::optional<double> cost;
  int llm_calls = 0;
  int tool_calls = 0;
};

struct CrewRunResult {
  std::string status;  // completed | failed | cancelled
  std::string error_type;
  std::string error_message;
  std::string final_output;  // the last completed task's output
  std::vector<TaskRecord> tasks;  // in document order
  double total_duration = 0;      // seconds
  TokenUsage usage;
  std::optional<double> total_cost;  // null when any call's model has no price
};

// Never throws for run failures (they are in the result); throws only for bugs.
boost::asio::awaitable<CrewRunResult> run_crew(RunContext& run, const CrewRunRequest& request);

// Declared inputs with defaults filled in and given values type-checked. Problems (missing
// required input, wrong type) come back per input.
struct InputProblem {
  std::string input;    // the input's name
  std::string message;  // "is required", "must be of type integer, got \"x\""
};
struct ResolvedInputs {
  boost::json::object values;
  std::vector<InputProblem> problems;
};
ResolvedInputs resolve_inputs(const crews::CrewSpec& crew, const boost::json::object& given);

}  // namespace aop::engine
