#include "crews/crew_spec.hpp"

#include <algorithm>

namespace aop::crews {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

template <class Item>
const Item* find_named(const std::vector<Item>& items, std::string_view name) {
  for (const auto& item : items)
    if (item.name == name) return &item;
  return nullptr;
}

}  // namespace

std::string_view process_name(Process process) {
  return process == Process::hierarchical ? "hierarchical" : "sequential";
}

std::optional<Process> parse_process(std::string_view text) {
  if (iequals(text, "sequential")) return Process::sequential;
  if (iequals(text, "hierarchical")) return Process::hierarchical;
  return std::nullopt;
}

bool is_input_type(std::string_view type) {
  return std::find(std::begin(k_input_types), std::end(k_input_types), type) !=
         std::end(k_input_types);
}

const AgentSpec* find_agent(const CrewSpec& crew, std::string_view name) {
  return find_named(crew.agents, name);
}
const TaskSpec* find_task(const CrewSpec& crew, std::string_view name) {
  return find_named(crew.tasks, name);
}
const InputSpec* find_input(const CrewSpec& crew, std::string_view name) {
  return find_named(crew.inputs, name);
}

int task_index(const CrewSpec& crew, std::string_view name) {
  for (std::size_t i = 0; i < crew.tasks.size(); ++i)
    if (crew.tasks[i].name == name) return static_cast<int>(i);
  return -1;
}

}  // namespace aop::crews
