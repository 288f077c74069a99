#pragma once
// Reading a crew from the file system for `aop import` and `aop run`: one document (YAML or
// JSON), or a CrewAI project directory found by config/agents.yaml + config/tasks.yaml (at
// the top or under src/<package>/, the layout `crewai create` makes).
#include <filesystem>
#include <optional>
#include <string>

#include "crews/crew_parser.hpp"

namespace aop::app {

struct ImportSource {
  crews::ParseResult parsed;
  std::optional<std::string> source_yaml;  // when the document was YAML
  std::string label;       // for messages: the file or directory read
  std::string name_guess;  // used when the document names no crew
};

// Throws std::runtime_error when nothing readable is there (missing file, no project, too large).
ImportSource read_import_source(const std::filesystem::path& path);

// "<label>: <kind>: path: message (line L, column C)" lines on stderr.
void print_findings(const std::string& label, const char* kind, const crews::Diagnostics& list);

}  // namespace aop::app
