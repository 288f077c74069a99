#include "crews/crew_writer.hpp"

#include "crews/text_position.hpp"
#include "crews/yaml_writer.hpp"

namespace aop::crews {

namespace {

namespace json = boost::json;

constexpr int k_default_max_iter = 25;
constexpr int k_default_max_retry_limit = 2;

void put_extra(json::object& o, const json::object& extra) {
  for (const auto& [key, value] : extra)
    if (!o.contains(key)) o.emplace(key, value);
}

json::array names(const std::vector<std::string>& list) {
  json::array a;
  a.reserve(list.size());
  for (const auto& s : list) a.emplace_back(s);
  return a;
}

json::object agent_json(const AgentSpec& a, bool inline_manager) {
  json::object o;
  if (inline_manager && a.name != k_default_manager_name) o["name"] = a.name;
  o["role"] = a.role;
  o["goal"] = a.goal;
  o["backstory"] = a.backstory;
  if (a.llm) o["llm"] = *a.llm;
  if (!a.tools.empty()) o["tools"] = names(a.tools);
  if (a.allow_delegation) o["allow_delegation"] = true;
  if (a.max_iter != k_default_max_iter) o["max_iter"] = a.max_iter;
  if (a.max_rpm) o["max_rpm"] = *a.max_rpm;
  if (a.max_execution_time) o["max_execution_time"] = *a.max_execution_time;
  if (a.max_retry_limit != k_default_max_retry_limit) o["max_retry_limit"] = a.max_retry_limit;
  if (a.verbose) o["verbose"] = true;
  put_extra(o, a.extra);
  return o;
}

// CrewAI-only view: no condition, output_json or max_retry_limit (not Task fields there).
json::object task_json(const TaskSpec& t, bool crewai) {
  json::object o;
  o["description"] = t.description;
  o["expected_output"] = t.expected_output;
  if (t.agent) o["agent"] = *t.agent;
  if (t.context) o["context"] = names(*t.context);
  if (!crewai && t.condition) o["condition"] = *t.condition;
  if (!crewai && t.output_json) o["output_json"] = *t.output_json;
  if (t.async_execution) o["async_execution"] = true;
  if (t.human_input) o["human_input"] = true;
  if (!crewai && t.max_retry_limit) o["max_retry_limit"] = *t.max_retry_limit;
  put_extra(o, t.extra);
  return o;
}

json::object input_json(const InputSpec& in) {
  json::object o;
  o["type"] = in.type;
  const bool has_default = in.default_value && !in.default_value->is_null();
  if (in.required != !has_default) o["required"] = in.required;
  if (!in.description.empty()) o["description"] = in.description;
  if (has_default) o["default"] = *in.default_value;
  put_extra(o, in.extra);
  return o;
}

// The crew name as it may appear in a YAML comment: one line, printable characters only.
std::string one_line(std::string_view s) {
  if (find_invalid_utf8(s) != std::string_view::npos) return "?";
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    char32_t c = decode_utf8(s, i, len);
    if (c >= 0x20 && c != 0x7F && c != 0x85 && c != 0x2028 && c != 0x2029 && c != 0xFEFF && is_yaml_printable(c)) out.append(s.substr(i, len));
    else out += ' ';
    i += len;
  }
  return out;
}

}  // namespace

json::value to_json(const CrewSpec& c) {
  json::object o;
  if (!c.name.empty()) o["name"] = c.name;
  if (!c.description.empty()) o["description"] = c.description;
  o["process"] = process_name(c.process);
  if (c.llm) o["llm"] = *c.llm;
  if (c.manager_llm) o["manager_llm"] = *c.manager_llm;
  if (c.manager_agent) {
    if (auto* name = std::get_if<std::string>(&*c.manager_agent)) o["manager_agent"] = *name;
    else o["manager_agent"] = agent_json(std::get<AgentSpec>(*c.manager_agent), true);
  }
  if (c.verbose) o["verbose"] = true;
  if (c.max_rpm) o["max_rpm"] = *c.max_rpm;
  if (c.max_execution_time) o["max_execution_time"] = *c.max_execution_time;
  if (!c.inputs.empty()) {
    json::object inputs;
    for (const auto& in : c.inputs) inputs[in.name] = input_json(in);
    o["inputs"] = std::move(inputs);
  }
  json::object agents;
  for (const auto& a : c.agents) agents[a.name] = agent_json(a, false);
  o["agents"] = std::move(agents);
  json::object tasks;
  for (const auto& t : c.tasks) tasks[t.name] = task_json(t, false);
  o["tasks"] = std::move(tasks);
  if (c.hooks) o["hooks"] = *c.hooks;
  put_extra(o, c.extra);
  return o;
}

std::string to_yaml(const CrewSpec& crew) { return write_yaml(to_json(crew)); }

CrewAiPair to_crewai(const CrewSpec& c) {
  CrewAiPair pair;
  // Crew-level settings live in crew.py in a CrewAI project.
  auto note = [&](bool present, std::string path) {
    if (present) pair.not_exported.push_back(std::move(path));
  };
  note(!c.description.empty(), "description");
  note(c.process != Process::sequential, "process");
  note(c.llm.has_value(), "llm");
  note(c.manager_llm.has_value(), "manager_llm");
  note(c.manager_agent.has_value(), "manager_agent");
  note(!c.inputs.empty(), "inputs");
  note(c.verbose, "verbose");
  note(c.max_rpm.has_value(), "max_rpm");
  note(c.max_execution_time.has_value(), "max_execution_time");
  note(c.hooks.has_value(), "hooks");
  for (const auto& [key, value] : c.extra) note(true, std::string(key));

  json::object agents;
  for (const auto& a : c.agents) agents[a.name] = agent_json(a, false);
  json::object tasks;
  for (const auto& t : c.tasks) {
    tasks[t.name] = task_json(t, true);
    const std::string path = "tasks." + t.name;
    note(t.condition.has_value(), path + ".condition");
    note(t.output_json.has_value(), path + ".output_json");
    note(t.max_retry_limit.has_value(), path + ".max_retry_limit");
  }
  const std::string header = "# Exported by AOP from crew \"" + one_line(c.name) + "\".\n";
  pair.agents_yaml = header + write_yaml(agents);
  pair.tasks_yaml = header + write_yaml(tasks);
  return pair;
}

}  // namespace aop::crews
