#pragma once
// Crew inputs referenced as {placeholders}. CrewAI interpolates `{name}` (name matching
// [A-Za-z_][A-Za-z0-9_-]*) into role, goal, backstory, description and expected_output and
// leaves every other brace alone; AOP treats each such name as an input of the crew.
#include <string>
#include <string_view>
#include <vector>

#include "crews/crew_spec.hpp"

namespace aop::crews {

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
