#pragma once
// CrewSpec -> text. parse_crew(to_yaml(spec)) and parse_crew(serialize(to_json(spec))) give
// back an equal spec, extras included; to_crewai writes the two files of a CrewAI project.
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "crews/crew_spec.hpp"

namespace aop::crews {

// Only what differs from the defaults is written (plus the always-meaningful fields such as
// role and description), known keys first in a fixed order, then extras in their order.
boost::json::value to_json(const CrewSpec& crew);
std::string to_yaml(const CrewSpec& crew);

struct CrewAiPair {
  std::string agents_yaml;  // config/agents.yaml
  std::string tasks_yaml;   // config/tasks.yaml
  // Paths of fields CrewAI's YAML cannot hold (process, inputs, conditions, ...): in a
  // CrewAI project they belong in crew.py, so the UI can list them for the user.
  std::vector<std::string> not_exported;
};

CrewAiPair to_crewai(const CrewSpec& crew);

}  // namespace aop::crews
