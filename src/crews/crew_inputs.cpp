#include "crews/crew_inputs.hpp"

#include <algorithm>
#include <unordered_set>

namespace aop::crews {

namespace {

bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9') || c == '-'; }

// Ordered, duplicate-free list of names; the set keeps a text full of placeholders linear.
struct NameList {
  std::vector<std::string>& names;
  std::unordered_set<std::string> seen;

  void scan(std::string_view text) {
    for_each_placeholder(text, [&](std::string_view name, std::size_t, std::size_t) {
      if (seen.emplace(name).second) names.emplace_back(name);
    });
  }
  void scan(const AgentSpec& a) {
    scan(a.role);
    scan(a.goal);
    scan(a.backstory);
  }
};

}  // namespace

void collect_placeholders(std::string_view text, std::vector<std::string>& out) {
  NameList list{out, {}};
  for (const auto& name : out) list.seen.insert(name);
  list.scan(text);
}

std::vector<std::string> referenced_inputs(const CrewSpec& crew) {
  std::vector<std::string> out;
  NameList list{out, {}};
  for (const auto& a : crew.agents) list.scan(a);
  if (crew.manager_agent) {
    if (auto* inline_manager = std::get_if<AgentSpec>(&*crew.manager_agent)) list.scan(*inline_manager);
  }
  for (const auto& t : crew.tasks) {
    list.scan(t.description);
    list.scan(t.expected_output);
  }
  return out;
}

void add_implicit_inputs(CrewSpec& crew) {
  std::unordered_set<std::string> declared;
  for (const auto& in : crew.inputs) declared.insert(in.name);
  for (auto& name : referenced_inputs(crew)) {
    if (!declared.insert(name).second) continue;
    InputSpec in;
    in.name = std::move(name);
    crew.inputs.push_back(std::move(in));
  }
}

bool is_valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || !name_start(name[0])) return false;
  return std::all_of(name.begin() + 1, name.end(), name_char);
}

}  // namespace aop::crews
