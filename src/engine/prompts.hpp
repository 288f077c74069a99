#pragma once
// The words the engine says to models. Our own wording, built from the agent's role, goal
// and backstory, the task, its expected output and context, and the tools. Two tool styles:
// native tool calling (tools go in the request) and CrewAI's ReAct text protocol (tools and
// the Thought / Action / Action Input / Observation / Final Answer format go in the prompt).
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "engine/tools/tool.hpp"

namespace aop::engine {

struct AgentPersona {
  std::string role;
  std::string goal;
  std::string backstory;
};

struct TaskBrief {
  std::string description;
  std::string expected_output;
  std::string context;  // outputs of earlier tasks, already joined; "" = none
  std::optional<boost::json::value> output_schema;
};

// The system message. With `react_tools`, it also explains the ReAct protocol and lists the
// tools (name, description, argument schema).
std::string system_prompt(const AgentPersona& agent, const std::vector<const tools::Tool*>& react_tools);

// The user message that hands over the task.
std::string task_prompt(const TaskBrief& task);

// ReAct: what to send back after a tool ran.
std::string observation_message(const std::string& observation);
// ReAct: the reply when the model's text follows neither form.
std::string format_error_message(const std::string& problem, bool has_tools);
// After max_iter: ask for the final answer, with no further tool use.
std::string final_answer_now_message(int iterations);
// output_json: the answer did not match; `errors` are "path: message" lines.
std::string schema_retry_message(const std::vector<std::string>& errors);

// The separator CrewAI puts between earlier task outputs in a task's context.
inline constexpr const char* k_context_separator = "\n\n----------\n\n";

}  // namespace aop::engine
