#include "crews/crew_validator.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "crews/condition.hpp"
#include "crews/hook_spec.hpp"
#include "crews/model_string.hpp"
#include "crews/output_schema.hpp"

namespace aop::crews {

namespace {

namespace json = boost::json;

// Built by appending: GCC 12 at -O3 reports a false -Wrestrict for "\"" + std::string(...).
std::string quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  out += s;
  out += '"';
  return out;
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

std::string item(std::string path, std::size_t i) {
  path += '[';
  path += std::to_string(i);
  path += ']';
  return path;
}

bool value_has_type(const json::value& v, std::string_view type) {
  if (type == "string") return v.is_string();
  if (type == "number") return v.is_number();
  if (type == "integer")
    return v.is_int64() || v.is_uint64() || (v.is_double() && std::floor(v.get_double()) == v.get_double());
  if (type == "boolean") return v.is_bool();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  return true;
}

class Validator {
 public:
  Validator(const CrewSpec& crew, const ValidationOptions& options, ValidationResult& out)
      : c_(crew), o_(options), out_(out) {}

  void run() {
    index_names();
    crew_fields();
    inputs();
    agents();
    manager();
    tasks();
    unused_agents();
    hooks();
  }

 private:
  void error(std::string path, std::string message) {
    auto where = c_.locations.find(path);
    add_diagnostic(out_.errors, {std::move(path), std::move(message), where});
  }
  void warn(std::string path, std::string message) {
    auto where = c_.locations.find(path);
    add_diagnostic(out_.warnings, {std::move(path), std::move(message), where});
  }

  void index_names() {
    agent_index_.reserve(c_.agents.size());
    for (std::size_t i = 0; i < c_.agents.size(); ++i) agent_index_.emplace(c_.agents[i].name, i);
    task_index_.reserve(c_.tasks.size());
    for (std::size_t i = 0; i < c_.tasks.size(); ++i) task_index_.emplace(c_.tasks[i].name, i);
    if (c_.manager_agent) {
      if (auto* name = std::get_if<std::string>(&*c_.manager_agent)) manager_name_ = *name;
    }
  }

  void check_name(const std::string& path, std::string_view name) {
    if (!is_valid_name(name))
      error(path, "invalid name " + quote(name) +
                      "; use a letter or _ first, then letters, digits, _ or - (64 at most)");
  }

  // Paths are built only when there is something to report: this runs on every keystroke.
  static std::string join(std::string_view base, std::string_view field) {
    std::string p(base);
    if (!p.empty()) p += '.';
    p += field;
    return p;
  }

  void check_model(std::string_view base, std::string_view field, const std::optional<std::string>& model) {
    if (!model) return;
    if (auto problem = model_string_problem(*model, o_.extra_providers)) error(join(base, field), *problem);
  }

  void at_least(std::string_view base, std::string_view field, const std::optional<int>& value, int minimum) {
    if (value && *value < minimum) error(join(base, field), "must be at least " + std::to_string(minimum));
  }

  // ---- crew -------------------------------------------------------------------------------
  void crew_fields() {
    if (blank(c_.name)) error("name", "required");
    check_model("", "llm", c_.llm);
    check_model("", "manager_llm", c_.manager_llm);
    at_least("", "max_rpm", c_.max_rpm, 1);
    at_least("", "max_execution_time", c_.max_execution_time, 1);
    if (c_.process == Process::hierarchical) {
      if (!c_.manager_llm && !c_.manager_agent)
        error("process", "a hierarchical crew needs manager_llm or manager_agent");
      if (c_.manager_llm && c_.manager_agent)
        warn("manager_llm", "ignored: manager_agent is set and takes precedence");
    } else {
      if (c_.manager_llm) warn("manager_llm", "ignored: only a hierarchical crew has a manager");
      if (c_.manager_agent) warn("manager_agent", "ignored: only a hierarchical crew has a manager");
    }
  }

  void inputs() {
    for (const auto& in : c_.inputs) {
      const std::string path = "inputs." + in.name;
      check_name(path, in.name);
      if (!is_input_type(in.type)) {
        error(path + ".type", "unknown type " + quote(in.type) +
                                  "; expected string, number, integer, boolean, object or array");
      } else if (in.default_value && !value_has_type(*in.default_value, in.type)) {
        error(path + ".default", "default does not match type " + in.type);
      }
    }
  }

  // ---- agents -----------------------------------------------------------------------------
  void agent_fields(const AgentSpec& a, const std::string& path) {
    if (blank(a.role)) error(path + ".role", "required");
    if (blank(a.goal)) error(path + ".goal", "required");
    if (blank(a.backstory)) error(path + ".backstory", "required");
    check_model(path, "llm", a.llm);
    std::unordered_set<std::string_view> seen;
    for (std::size_t i = 0; i < a.tools.size(); ++i) {
      const auto& tool = a.tools[i];
      if (!o_.known_tools.contains(tool)) error(item(path + ".tools", i), "unknown tool " + quote(tool));
      if (!seen.insert(tool).second) warn(item(path + ".tools", i), "tool " + quote(tool) + " is listed twice");
    }
    at_least(path, "max_iter", a.max_iter, 1);
    at_least(path, "max_rpm", a.max_rpm, 1);
    at_least(path, "max_execution_time", a.max_execution_time, 1);
    at_least(path, "max_retry_limit", a.max_retry_limit, 0);
  }

  void agents() {
    if (c_.agents.empty()) error("agents", "a crew needs at least one agent");
    for (const auto& a : c_.agents) {
      const std::string path = "agents." + a.name;
      check_name(path, a.name);
      agent_fields(a, path);
    }
  }

  void manager() {
    if (!c_.manager_agent) return;
    if (manager_name_) {
      if (!agent_index_.contains(*manager_name_))
        error("manager_agent", "unknown agent " + quote(*manager_name_));
      return;
    }
    const auto& m = std::get<AgentSpec>(*c_.manager_agent);
    agent_fields(m, "manager_agent");
    check_name("manager_agent.name", m.name);
    if (agent_index_.contains(m.name))
      error("manager_agent", "manager agent " + quote(m.name) +
                                 " is also listed in agents; the manager cannot be a crew member");
    if (!m.tools.empty())
      error("manager_agent.tools", "the manager cannot have tools; it delegates through its coworker tools");
  }

  // ---- tasks ------------------------------------------------------------------------------
  void tasks() {
    if (c_.tasks.empty()) error("tasks", "a crew needs at least one task");
    for (auto& name : referenced_inputs(c_)) known_inputs_.insert(std::move(name));
    for (const auto& in : c_.inputs) known_inputs_.insert(in.name);
    find_components();
    async_batch_start_.resize(c_.tasks.size());
    for (std::size_t i = 0; i < c_.tasks.size(); ++i)
      async_batch_start_[i] = (i > 0 && c_.tasks[i - 1].async_execution) ? async_batch_start_[i - 1] : i;
    for (std::size_t i = 0; i < c_.tasks.size(); ++i) task(i);
    async_tail();
  }

  void task(std::size_t i) {
    const auto& t = c_.tasks[i];
    const std::string path = "tasks." + t.name;
    check_name(path, t.name);
    if (blank(t.description)) error(path + ".description", "required");
    if (blank(t.expected_output)) error(path + ".expected_output", "required");
    if (t.agent) {
      if (!agent_index_.contains(*t.agent)) {
        error(path + ".agent", "unknown agent " + quote(*t.agent));
      } else {
        used_agents_.insert(*t.agent);
        if (manager_name_ && *t.agent == *manager_name_)
          error(path + ".agent", "agent " + quote(*t.agent) +
                                     " is the crew's manager and cannot also take tasks");
      }
    } else if (c_.process == Process::sequential && worker_count() > 1) {
      warn(path + ".agent", "no agent; CrewAI would need one assigned in code");
    }
    if (t.context) context(i, join(path, "context"));
    if (t.condition) condition(i, join(path, "condition"));
    if (t.output_json) {
      std::vector<SchemaProblem> problems;
      check_output_schema(*t.output_json, join(path, "output_json"), problems);
      for (auto& p : problems) error(std::move(p.path), std::move(p.message));
    }
    at_least(path, "max_retry_limit", t.max_retry_limit, 0);
  }

  std::size_t worker_count() const { return c_.agents.size() - (manager_name_ && agent_index_.contains(*manager_name_) ? 1 : 0); }

  // Describes why task `i` may not read task `j` (j not before i), or "" if it may.
  std::string ordering_problem(std::size_t i, std::size_t j, std::string_view what) {
    const auto& name = c_.tasks[j].name;
    if (i == j) return std::string(what) + " cannot use the task's own output";
    if (j < i) return {};
    if (auto cycle = find_cycle(j, i); !cycle.empty())
      return "context cycle: " + cycle + "; " + std::string(what) + " can only use earlier tasks";
    return "task " + quote(name) + " runs later; " + std::string(what) + " can only use earlier tasks";
  }

  // Strongly connected components of the context graph (iterative Tarjan): a reference to
  // a later task closes a cycle exactly when both tasks share a component.
  void find_components() {
    const std::size_t n = c_.tasks.size();
    edges_.assign(n, {});
    for (std::size_t i = 0; i < n; ++i) {
      if (!c_.tasks[i].context) continue;
      for (const auto& dep : *c_.tasks[i].context) {
        auto it = task_index_.find(dep);
        if (it != task_index_.end()) edges_[i].push_back(it->second);
      }
    }
    component_.assign(n, -1);
    std::vector<int> index(n, -1), low(n, 0);
    std::vector<bool> on_stack(n, false);
    std::vector<std::size_t> stack;
    std::vector<std::pair<std::size_t, std::size_t>> work;  // (node, next edge)
    int counter = 0, components = 0;
    for (std::size_t root = 0; root < n; ++root) {
      if (index[root] >= 0) continue;
      work.push_back({root, 0});
      while (!work.empty()) {
        auto& [v, e] = work.back();
        if (e == 0 && index[v] < 0) {
          index[v] = low[v] = counter++;
          stack.push_back(v);
          on_stack[v] = true;
        }
        if (e < edges_[v].size()) {
          auto w = edges_[v][e++];
          if (index[w] < 0) work.push_back({w, 0});
          else if (on_stack[w]) low[v] = std::min(low[v], index[w]);
          continue;
        }
        if (low[v] == index[v]) {
          std::size_t w;
          do {
            w = stack.back();
            stack.pop_back();
            on_stack[w] = false;
            component_[w] = components;
          } while (w != v);
          ++components;
        }
        auto done = v;
        work.pop_back();
        if (!work.empty()) low[work.back().first] = std::min(low[work.back().first], low[done]);
      }
    }
  }

  // "a -> b -> a" when task `from` reaches task `to` through context, else "".
  std::string find_cycle(std::size_t from, std::size_t to) {
    if (component_[from] != component_[to]) return {};
    // Spelling out the path costs a graph walk; a pathological document gets it a few times.
    if (++cycle_walks_ > 20) return quote(c_.tasks[to].name) + " is part of a context cycle";
    std::vector<int> parent(c_.tasks.size(), -1);
    std::vector<std::size_t> stack{from};
    std::vector<bool> seen(c_.tasks.size(), false);
    seen[from] = true;
    while (!stack.empty()) {
      auto cur = stack.back();
      stack.pop_back();
      if (cur == to) {
        std::string chain = c_.tasks[to].name;
        for (int k = static_cast<int>(to); k != static_cast<int>(from);) {
          k = parent[k];
          chain = c_.tasks[k].name + " -> " + chain;
        }
        return c_.tasks[to].name + " -> " + chain;
      }
      for (auto next : edges_[cur]) {
        if (seen[next]) continue;
        seen[next] = true;
        parent[next] = static_cast<int>(cur);
        stack.push_back(next);
      }
    }
    return {};
  }

  void context(std::size_t i, const std::string& path) {
    const auto& t = c_.tasks[i];
    const auto& names = *t.context;
    std::unordered_set<std::string_view> seen;
    for (std::size_t k = 0; k < names.size(); ++k) {
      const auto& dep = names[k];
      auto it = task_index_.find(dep);
      if (it == task_index_.end()) {
        error(item(path, k), "unknown task " + quote(dep));
        continue;
      }
      if (!seen.insert(dep).second) warn(item(path, k), "task " + quote(dep) + " is listed twice");
      if (auto problem = ordering_problem(i, it->second, "context"); !problem.empty()) {
        error(item(path, k), problem);
        continue;
      }
      // CrewAI: an async task cannot wait for async tasks of its own, still-running batch.
      if (t.async_execution && it->second >= async_batch_start_[i]) {
          error(item(path, k), "asynchronous task cannot use the output of " + quote(dep) +
                                   ", which runs asynchronously alongside it");
      }
    }
  }

  void condition(std::size_t i, const std::string& path) {
    auto parsed = parse_condition(*c_.tasks[i].condition);
    if (!parsed.ok()) {
      error(path, "invalid condition at column " + std::to_string(parsed.error.offset + 1) + ": " +
                      parsed.error.message);
      return;
    }
    for (const auto& name : referenced_tasks(*parsed.condition)) {
      auto it = task_index_.find(name);
      if (it == task_index_.end()) {
        error(path, "unknown task " + quote(name));
      } else if (auto problem = ordering_problem(i, it->second, "a condition"); !problem.empty()) {
        error(path, problem);
      }
    }
    for (const auto& name : referenced_inputs(*parsed.condition)) {
      if (!known_inputs_.contains(name))
        warn(path, "input " + quote(name) + " is not declared; it reads as null when not given");
    }
  }

  // CrewAI: a crew can end with at most one asynchronous task.
  void async_tail() {
    std::size_t tail = 0;
    while (tail < c_.tasks.size() && c_.tasks[c_.tasks.size() - 1 - tail].async_execution) ++tail;
    if (tail > 1) {
      const auto& first = c_.tasks[c_.tasks.size() - tail];
      error("tasks." + first.name + ".async_execution",
            "the crew can end with at most one asynchronous task; the last " + std::to_string(tail) +
                " are asynchronous");
    }
  }

  void unused_agents() {
    // Hierarchical crews delegate, and a one-agent crew gives that agent every task.
    if (c_.process != Process::sequential || worker_count() < 2) return;
    for (const auto& a : c_.agents) {
      if (manager_name_ && a.name == *manager_name_) continue;
      if (!used_agents_.contains(a.name)) warn("agents." + a.name, "no task uses this agent");
    }
  }

  // Shape errors come from read_hooks; here, whether a filter can ever match this crew.
  void hooks() {
    if (!c_.hooks) return;
    auto read = read_hooks(*c_.hooks, c_.locations);
    for (auto& e : read.errors) add_diagnostic(out_.errors, std::move(e));
    if (!c_.hooks->is_array()) return;
    std::set<std::string, std::less<>> tools = {"Delegate work to coworker", "Ask question to coworker"};
    for (const auto& a : c_.agents) tools.insert(a.tools.begin(), a.tools.end());
    std::set<std::string, std::less<>> agents = {std::string(k_default_manager_name)};
    for (const auto& a : c_.agents) agents.insert(a.name);
    if (c_.manager_agent)
      if (auto* inline_manager = std::get_if<AgentSpec>(&*c_.manager_agent)) agents.insert(inline_manager->name);
    std::size_t i = 0;
    for (const auto& value : c_.hooks->get_array()) {
      const std::string path = item("hooks", i++) + ".match.";
      const auto* match = value.is_object() ? value.get_object().if_contains("match") : nullptr;
      if (!match || !match->is_object()) continue;
      auto check = [&](std::string_view key, auto&& known, std::string_view what) {
        auto* v = match->get_object().if_contains(key);
        if (v && v->is_string() && !known(std::string_view(v->get_string())))
          warn(path + std::string(key), "no " + std::string(what) + " is named " + quote(v->get_string()) +
                                            "; the hook never runs");
      };
      check("task", [&](std::string_view n) { return task_index_.contains(n); }, "task");
      check("agent", [&](std::string_view n) { return agents.contains(n); }, "agent");
      check("tool", [&](std::string_view n) { return tools.contains(n); }, "tool of this crew's agents");
    }
  }

  const CrewSpec& c_;
  const ValidationOptions& o_;
  ValidationResult& out_;
  std::unordered_map<std::string_view, std::size_t> agent_index_;
  std::unordered_map<std::string_view, std::size_t> task_index_;
  std::optional<std::string> manager_name_;
  std::set<std::string, std::less<>> used_agents_;
  std::unordered_set<std::string> known_inputs_;  // declared or used as {placeholder}
  std::vector<std::vector<std::size_t>> edges_;   // task -> tasks in its context
  std::vector<int> component_;
  std::vector<std::size_t> async_batch_start_;    // first task of the async run a task is in
  int cycle_walks_ = 0;
};

}  // namespace

std::set<std::string, std::less<>> builtin_tool_names() {
  return {"http_request", "web_fetch", "file_read", "file_write", "calculator", "web_search"};
}

ValidationResult validate(const CrewSpec& crew, const ValidationOptions& options) {
  ValidationResult result;
  Validator(crew, options, result).run();
  return result;
}

}  // namespace aop::crews
