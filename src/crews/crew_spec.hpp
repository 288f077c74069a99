#pragma once
// The crew definition model: what a crew document (YAML or JSON, a superset of CrewAI's
// agents.yaml + tasks.yaml) says, independent of how it was written. Defaults follow
// CrewAI. Unknown keys are kept in `extra` so an export gives back what was imported.
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "crews/diagnostic.hpp"

namespace aop::crews {

enum class Process { sequential, hierarchical };

std::string_view process_name(Process process);
// Case-insensitive; nullopt for anything but "sequential" / "hierarchical".
std::optional<Process> parse_process(std::string_view text);

// The declared types of crew inputs (JSON Schema's names).
inline constexpr std::string_view k_input_types[] = {"string", "number", "integer",
                                                     "boolean", "object", "array"};
bool is_input_type(std::string_view type);

struct InputSpec {
  std::string name;
  std::string type = "string";  // kept as written so the validator can report a bad one
  bool required = true;         // when absent from the document: true unless a default is given
  std::string description;
  std::optional<boost::json::value> default_value;  // the `default` key
  boost::json::object extra;
  bool operator==(const InputSpec&) const = default;
};

struct AgentSpec {
  std::string name;  // the key under `agents`
  std::string role;
  std::string goal;
  std::string backstory;
  std::optional<std::string> llm;  // "provider/model"; absent = the crew's llm, then the server default
  std::vector<std::string> tools;
  bool allow_delegation = false;
  int max_iter = 25;
  std::optional<int> max_rpm;
  std::optional<int> max_execution_time;  // seconds
  int max_retry_limit = 2;
  bool verbose = false;
  boost::json::object extra;
  bool operator==(const AgentSpec&) const = default;
};

struct TaskSpec {
  std::string name;  // the key under `tasks`
  std::string description;
  std::string expected_output;
  std::optional<std::string> agent;
  // Absent: every earlier task's output is context (CrewAI). Present and empty: none.
  std::optional<std::vector<std::string>> context;
  std::optional<std::string> condition;  // see condition.hpp; false = the task is skipped
  std::optional<boost::json::value> output_json;  // JSON Schema the output must satisfy
  bool async_execution = false;
  bool human_input = false;
  std::optional<int> max_retry_limit;
  boost::json::object extra;
  bool operator==(const TaskSpec&) const = default;
};

// manager_agent: the key of an agent defined under `agents` (taken out of the worker
// pool, as a CrewAI project keeps its manager in agents.yaml), or an inline definition.
using ManagerAgent = std::variant<std::string, AgentSpec>;
inline constexpr std::string_view k_default_manager_name = "manager";

struct CrewSpec {
  std::string name;
  std::string description;
  Process process = Process::sequential;
  std::optional<std::string> llm;  // default model for agents that name none
  std::optional<std::string> manager_llm;
  std::optional<ManagerAgent> manager_agent;
  std::vector<InputSpec> inputs;  // document order
  std::vector<AgentSpec> agents;  // document order
  std::vector<TaskSpec> tasks;    // document order = run order
  bool verbose = false;
  std::optional<int> max_rpm;             // crew-wide requests per minute
  std::optional<int> max_execution_time;  // whole run, seconds
  std::optional<boost::json::value> hooks;
  boost::json::object extra;  // memory, cache, embedder, ... anything not modelled
  SourceMap locations;        // ignored by ==

  bool operator==(const CrewSpec&) const = default;
};

const AgentSpec* find_agent(const CrewSpec& crew, std::string_view name);
const TaskSpec* find_task(const CrewSpec& crew, std::string_view name);
const InputSpec* find_input(const CrewSpec& crew, std::string_view name);
// Position of a task in run order, or -1.
int task_index(const CrewSpec& crew, std::string_view name);

}  // namespace aop::crews
