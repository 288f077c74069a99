#include "crews/spec_builder.hpp"

#include <array>
#include <climits>
#include <cmath>
#include <span>

#include "crews/json_kind.hpp"
#include "crews/key_suggestion.hpp"
#include "crews/yaml_scalar.hpp"

namespace aop::crews {

namespace {

namespace json = boost::json;
using namespace std::string_view_literals;

constexpr std::array k_crew_key_list = {
    "name"sv, "description"sv, "process"sv, "llm"sv, "manager_llm"sv, "manager_agent"sv,
    "inputs"sv, "agents"sv, "tasks"sv, "verbose"sv, "max_rpm"sv, "max_execution_time"sv, "hooks"sv};
constexpr std::array k_agent_key_list = {
    "role"sv, "goal"sv, "backstory"sv, "llm"sv, "tools"sv, "allow_delegation"sv, "max_iter"sv,
    "max_rpm"sv, "max_execution_time"sv, "max_retry_limit"sv, "verbose"sv};
constexpr std::array k_task_key_list = {
    "description"sv, "expected_output"sv, "agent"sv, "context"sv, "condition"sv,
    "output_json"sv, "async_execution"sv, "human_input"sv, "max_retry_limit"sv};
constexpr std::array k_input_key_list = {"type"sv, "required"sv, "description"sv, "default"sv};

// CrewAI fields AOP keeps as extras without a typo warning, even when close to a known key.
constexpr std::array k_crewai_crew_fields = {
    "memory"sv, "cache"sv, "embedder"sv, "planning"sv, "planning_llm"sv, "function_calling_llm"sv,
    "share_crew"sv, "output_log_file"sv, "step_callback"sv, "task_callback"sv, "full_output"sv,
    "language"sv, "manager_callbacks"sv, "prompt_file"sv, "stream"sv, "knowledge_sources"sv,
    "chat_llm"sv, "tracing"sv, "config"sv, "id"sv};
constexpr std::array k_crewai_agent_fields = {
    "cache"sv, "memory"sv, "embedder"sv, "step_callback"sv, "function_calling_llm"sv,
    "system_template"sv, "prompt_template"sv, "response_template"sv, "allow_code_execution"sv,
    "code_execution_mode"sv, "respect_context_window"sv, "use_system_prompt"sv, "multimodal"sv,
    "inject_date"sv, "date_format"sv, "reasoning"sv, "max_reasoning_attempts"sv,
    "knowledge_sources"sv, "max_tokens"sv, "callbacks"sv, "config"sv, "name"sv};
constexpr std::array k_crewai_task_fields = {
    "output_file"sv, "output_pydantic"sv, "tools"sv, "markdown"sv, "create_directory"sv,
    "callback"sv, "guardrail"sv, "guardrails"sv, "config"sv, "name"sv, "converter_cls"sv};

class SpecBuilder {
 public:
  explicit SpecBuilder(BuildResult& out, const SourceMap& locations)
      : out_(out), locations_(locations) {}

  void crew(const json::value& root) {
    CrewSpec& c = out_.spec;
    if (root.is_null()) {
      error("", "the document is empty; a crew needs at least `agents` and `tasks`");
      return;
    }
    if (!root.is_object()) {
      error("", "a crew document must be a mapping of keys (name, agents, tasks, ...), not " +
                    json_kind_name(root));
      return;
    }
    for (const auto& [key, value] : root.get_object()) {
      const std::string path(key);
      if (key == "name") read_string(value, path, c.name);
      else if (key == "description") read_string(value, path, c.description);
      else if (key == "process") read_process(value, path);
      else if (key == "llm") read_string(value, path, c.llm);
      else if (key == "manager_llm") read_string(value, path, c.manager_llm);
      else if (key == "manager_agent") read_manager(value, path);
      else if (key == "inputs") read_inputs(value, path);
      else if (key == "agents") read_agents(value, path);
      else if (key == "tasks") read_tasks(value, path);
      else if (key == "verbose") read_verbose(value, path, c.verbose);
      else if (key == "max_rpm") read_int(value, path, c.max_rpm);
      else if (key == "max_execution_time") read_int(value, path, c.max_execution_time);
      else if (key == "hooks") { if (!value.is_null()) c.hooks = value; }
      else keep_extra(c.extra, key, value, path, k_crew_key_list, k_crewai_crew_fields);
    }
  }

 private:
  // ---- diagnostics --------------------------------------------------------------------
  void error(const std::string& path, std::string message) {
    add_diagnostic(out_.errors, {path, std::move(message), locations_.find(path)});
  }
  void warn(const std::string& path, std::string message) {
    add_diagnostic(out_.warnings, {path, std::move(message), locations_.find(path)});
  }
  void type_error(const std::string& path, std::string_view expected, const json::value& got) {
    error(path, "expected " + std::string(expected) + ", got " + json_kind_name(got));
  }

  void keep_extra(json::object& extra, std::string_view key, const json::value& value,
                  const std::string& path, std::span<const std::string_view> known,
                  std::span<const std::string_view> accepted) {
    if (auto near = suggest_key(key, known, accepted)) {
      warn(path, "unknown key \"" + std::string(key) + "\"; did you mean \"" + std::string(*near) +
                     "\"? (kept as an extra field)");
    }
    extra.insert_or_assign(key, value);
  }

  // ---- scalars --------------------------------------------------------------------------
  void read_string(const json::value& v, const std::string& path, std::string& out) {
    if (v.is_null()) return;
    if (!v.is_string()) return type_error(path, "text", v);
    out = std::string(v.get_string());
  }
  void read_string(const json::value& v, const std::string& path, std::optional<std::string>& out) {
    if (v.is_null()) return;
    if (!v.is_string()) return type_error(path, "text", v);
    out = std::string(v.get_string());
  }
  void read_bool(const json::value& v, const std::string& path, bool& out) {
    if (v.is_null()) return;
    if (!v.is_bool()) return type_error(path, "true or false", v);
    out = v.get_bool();
  }
  // CrewAI once took verbose levels 0-2; any number is accepted as on/off.
  void read_verbose(const json::value& v, const std::string& path, bool& out) {
    if (v.is_int64() || v.is_uint64()) {
      out = !(v.is_int64() ? v.get_int64() == 0 : v.get_uint64() == 0);
      return;
    }
    read_bool(v, path, out);
  }
  bool to_int(const json::value& v, const std::string& path, int& out) {
    if (v.is_int64()) {
      auto i = v.get_int64();
      if (i < INT_MIN || i > INT_MAX) return error(path, "number is out of range"), false;
      out = static_cast<int>(i);
      return true;
    }
    if (v.is_uint64()) return error(path, "number is out of range"), false;
    if (v.is_double()) {
      double d = v.get_double();
      if (d != std::floor(d)) return error(path, "expected a whole number, got " + format_double(d)), false;
      if (d < INT_MIN || d > INT_MAX) return error(path, "number is out of range"), false;
      out = static_cast<int>(d);
      return true;
    }
    type_error(path, "a whole number", v);
    return false;
  }
  void read_int(const json::value& v, const std::string& path, int& out) {
    if (v.is_null()) return;
    int i = 0;
    if (to_int(v, path, i)) out = i;
  }
  void read_int(const json::value& v, const std::string& path, std::optional<int>& out) {
    if (v.is_null()) return;
    int i = 0;
    if (to_int(v, path, i)) out = i;
  }
  void read_names(const json::value& v, const std::string& path, std::vector<std::string>& out,
                  std::string_view what) {
    if (v.is_null()) return;
    if (!v.is_array()) return type_error(path, "a list of " + std::string(what), v);
    std::string item_path = path;
    std::size_t i = 0;
    for (const auto& item : v.get_array()) {
      item_path.resize(path.size());
      append_index(item_path, i++);
      if (!item.is_string()) {
        type_error(item_path, "a name", item);
        continue;
      }
      out.emplace_back(item.get_string());
    }
  }
  void read_process(const json::value& v, const std::string& path) {
    if (v.is_null()) return;
    if (!v.is_string()) return type_error(path, "sequential or hierarchical", v);
    if (auto p = parse_process(v.get_string())) {
      out_.spec.process = *p;
    } else {
      error(path, "unknown process \"" + std::string(v.get_string()) +
                      "\"; expected sequential or hierarchical");
    }
  }

  // ---- sections ---------------------------------------------------------------------------
  // A named section (agents, tasks, inputs) is a mapping of name -> mapping; a null entry
  // counts as an empty one so `researcher:` alone reports the missing fields, not a type.
  template <class Fn>
  void for_each_named(const json::value& v, const std::string& path, std::string_view what,
                      Fn&& fn) {
    if (v.is_null()) return;
    if (!v.is_object()) {
      std::string hint = v.is_array() ? "; " + std::string(what) + "s are keyed by name, e.g. `" +
                                            path + ": {my_" + std::string(what) + ": {...}}`"
                                      : "";
      return error(path, "expected a mapping of " + std::string(what) + " name to settings, got " +
                             json_kind_name(v) + hint);
    }
    static const json::object empty;
    for (const auto& [name, entry] : v.get_object()) {
      std::string entry_path = path;
      append_key(entry_path, name);
      if (!entry.is_null() && !entry.is_object()) {
        type_error(entry_path, "a mapping of " + std::string(what) + " settings", entry);
        continue;
      }
      fn(std::string(name), entry.is_null() ? empty : entry.get_object(), entry_path);
    }
  }

  void read_inputs(const json::value& v, const std::string& path) {
    for_each_named(v, path, "input", [&](std::string name, const json::object& o, const std::string& p) {
      InputSpec in;
      in.name = std::move(name);
      bool required_given = false;
      for (const auto& [key, value] : o) {
        std::string kp = p;
        append_key(kp, key);
        if (key == "type") read_string(value, kp, in.type);
        else if (key == "required") {
          if (!value.is_null()) required_given = true;
          read_bool(value, kp, in.required);
        } else if (key == "description") read_string(value, kp, in.description);
        else if (key == "default") { if (!value.is_null()) in.default_value = value; }
        else keep_extra(in.extra, key, value, kp, k_input_key_list, {});
      }
      if (!required_given) in.required = !in.default_value.has_value();
      out_.spec.inputs.push_back(std::move(in));
    });
  }

  void read_agent_fields(AgentSpec& a, const json::object& o, const std::string& p, bool inline_manager) {
    for (const auto& [key, value] : o) {
      std::string kp = p;
      append_key(kp, key);
      if (key == "role") read_string(value, kp, a.role);
      else if (key == "goal") read_string(value, kp, a.goal);
      else if (key == "backstory") read_string(value, kp, a.backstory);
      else if (key == "llm") read_string(value, kp, a.llm);
      else if (key == "tools") read_names(value, kp, a.tools, "tool names");
      else if (key == "allow_delegation") read_bool(value, kp, a.allow_delegation);
      else if (key == "max_iter") read_int(value, kp, a.max_iter);
      else if (key == "max_rpm") read_int(value, kp, a.max_rpm);
      else if (key == "max_execution_time") read_int(value, kp, a.max_execution_time);
      else if (key == "max_retry_limit") read_int(value, kp, a.max_retry_limit);
      else if (key == "verbose") read_verbose(value, kp, a.verbose);
      else if (inline_manager && key == "name") read_string(value, kp, a.name);
      else keep_extra(a.extra, key, value, kp, k_agent_key_list, k_crewai_agent_fields);
    }
  }

  void read_agents(const json::value& v, const std::string& path) {
    for_each_named(v, path, "agent", [&](std::string name, const json::object& o, const std::string& p) {
      AgentSpec a;
      a.name = std::move(name);
      read_agent_fields(a, o, p, false);
      out_.spec.agents.push_back(std::move(a));
    });
  }

  void read_manager(const json::value& v, const std::string& path) {
    if (v.is_null()) return;
    if (v.is_string()) {
      out_.spec.manager_agent = std::string(v.get_string());
    } else if (v.is_object()) {
      AgentSpec a;
      a.name = std::string(k_default_manager_name);
      read_agent_fields(a, v.get_object(), path, true);
      out_.spec.manager_agent = std::move(a);
    } else {
      type_error(path, "an agent name or an agent definition", v);
    }
  }

  void read_tasks(const json::value& v, const std::string& path) {
    for_each_named(v, path, "task", [&](std::string name, const json::object& o, const std::string& p) {
      TaskSpec t;
      t.name = std::move(name);
      for (const auto& [key, value] : o) {
        std::string kp = p;
        append_key(kp, key);
        if (key == "description") read_string(value, kp, t.description);
        else if (key == "expected_output") read_string(value, kp, t.expected_output);
        else if (key == "agent") read_string(value, kp, t.agent);
        else if (key == "context") {
          if (value.is_null()) continue;
          std::vector<std::string> names;
          read_names(value, kp, names, "task names");
          if (value.is_array()) t.context = std::move(names);
        } else if (key == "condition") read_string(value, kp, t.condition);
        else if (key == "output_json") read_output_json(t, value, kp);
        else if (key == "async_execution") read_bool(value, kp, t.async_execution);
        else if (key == "human_input") read_bool(value, kp, t.human_input);
        else if (key == "max_retry_limit") read_int(value, kp, t.max_retry_limit);
        else keep_extra(t.extra, key, value, kp, k_task_key_list, k_crewai_task_fields);
      }
      out_.spec.tasks.push_back(std::move(t));
    });
  }

  // In a CrewAI project `output_json: ReportModel` names a Python class; there is no schema
  // to enforce, so the name is kept (for export) and the task runs without one.
  void read_output_json(TaskSpec& t, const json::value& v, const std::string& path) {
    if (v.is_null()) return;
    if (v.is_string()) {
      warn(path, "\"" + std::string(v.get_string()) +
                     "\" names a Python class (CrewAI); AOP needs a JSON Schema here, so the "
                     "output is not checked (kept as an extra field)");
      t.extra.insert_or_assign("output_json", v);
      return;
    }
    t.output_json = v;
  }

  BuildResult& out_;
  const SourceMap& locations_;
};

}  // namespace

std::span<const std::string_view> crew_keys() { return k_crew_key_list; }
std::span<const std::string_view> agent_keys() { return k_agent_key_list; }
std::span<const std::string_view> task_keys() { return k_task_key_list; }
std::span<const std::string_view> input_keys() { return k_input_key_list; }

BuildResult build_crew_spec(SourceDocument document) {
  BuildResult out;
  SpecBuilder(out, document.locations).crew(document.root);
  out.spec.locations = std::move(document.locations);
  return out;
}

}  // namespace aop::crews
