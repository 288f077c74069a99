#include "crews/crew_inputs.hpp"

#include <algorithm>

namespace aop::crews {

namespace {

bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9') || c == '-'; }

void collect_agent(const AgentSpec& a, std::vector<std::string>& out) {
  collect_placeholders(a.role, out);
  collect_placeholders(a.goal, out);
  collect_placeholders(a.backstory, out);
}

}  // namespace

void collect_placeholders(std::string_view text, std::vector<std::string>& out) {
  for (auto open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
    std::size_t i = open + 1;
    if (i >= text.size() || !name_start(text[i])) continue;
    while (i < text.size() && name_char(text[i])) ++i;
    if (i >= text.size() || text[i] != '}') continue;
    auto name = text.substr(open + 1, i - open - 1);
    if (std::find(out.begin(), out.end(), name) == out.end()) out.emplace_back(name);
  }
}

std::vector<std::string> referenced_inputs(const CrewSpec& crew) {
  std::vector<std::string> out;
  for (const auto& a : crew.agents) collect_agent(a, out);
  if (crew.manager_agent) {
    if (auto* inline_manager = std::get_if<AgentSpec>(&*crew.manager_agent)) collect_agent(*inline_manager, out);
  }
  for (const auto& t : crew.tasks) {
    collect_placeholders(t.description, out);
    collect_placeholders(t.expected_output, out);
  }
  return out;
}

void add_implicit_inputs(CrewSpec& crew) {
  for (auto& name : referenced_inputs(crew)) {
    if (find_input(crew, name)) continue;
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
