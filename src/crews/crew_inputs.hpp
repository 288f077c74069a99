#pragma once
// Crew inputs referenced as {placeholders}. CrewAI interpolates `{name}` (name matching
// [A-Za-z_][A-Za-z0-9_-]*) into role, goal, backstory, description and expected_output and
// leaves every other brace alone; AOP treats each such name as an input of the crew.
#include <string>
#include <string_view>
#include <vector>

#include "crews/crew_spec.hpp"

namespace aop::crews {

// Calls fn(name, begin, end) for each {placeholder} in `text`, in order; [begin, end) is the
// byte range of the placeholder, braces included. The one definition of what a placeholder is.
template <class Fn>
void for_each_placeholder(std::string_view text, Fn&& fn) {
  auto start = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  auto inner = [&](char c) { return start(c) || (c >= '0' && c <= '9') || c == '-'; };
  for (auto open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
    std::size_t i = open + 1;
    if (i >= text.size() || !start(text[i])) continue;
    while (i < text.size() && inner(text[i])) ++i;
    if (i >= text.size() || text[i] != '}') continue;
    fn(text.substr(open + 1, i - open - 1), open, i + 1);
  }
}

// Appends the placeholder names in `text` to `out`, skipping names already there.
void collect_placeholders(std::string_view text, std::vector<std::string>& out);

// Placeholder names across the crew (agents, the inline manager, then tasks), first use first.
std::vector<std::string> referenced_inputs(const CrewSpec& crew);

// Declares every referenced but undeclared input: type string, required, in order of first
// use after the declared ones. Afterwards they are ordinary declared inputs (and exported).
void add_implicit_inputs(CrewSpec& crew);

// Agent, task and input names: [A-Za-z_][A-Za-z0-9_-]{0,63}.
bool is_valid_name(std::string_view name);

}  // namespace aop::crews
