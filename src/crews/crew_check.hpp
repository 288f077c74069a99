#pragma once
// Parse and validate in one call, with one list of problems: what an editor or the import
// endpoint shows for a document.
#include <optional>
#include <string_view>

#include "crews/crew_parser.hpp"
#include "crews/crew_validator.hpp"

namespace aop::crews {

struct CrewCheck {
  std::optional<CrewSpec> spec;  // as parsed; implicit inputs not added
  Diagnostics errors;            // parse errors first, then validation errors
  Diagnostics warnings;
  bool ok() const { return spec.has_value() && errors.empty(); }
};

CrewCheck check_crew(std::string_view text, const ValidationOptions& options = {},
                     Format format = Format::automatic);

// The same for a CrewAI project's agents.yaml + tasks.yaml.
CrewCheck check_crewai_pair(std::string_view agents_yaml, std::string_view tasks_yaml,
                            std::string_view name, const ValidationOptions& options = {});

}  // namespace aop::crews
