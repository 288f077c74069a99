#pragma once
// Crew documents in, CrewSpec out. Accepts the AOP format in YAML or JSON (a superset of
// CrewAI's agents.yaml + tasks.yaml), and a CrewAI project's two config files.
#include <optional>
#include <string_view>

#include "crews/crew_spec.hpp"
#include "crews/diagnostic.hpp"

namespace aop::crews {

enum class Format { automatic, yaml, json };

struct ParseResult {
  // Present unless the text could not be read at all (syntax error, too large, not UTF-8).
  // With type errors it is still present, the offending fields left at their defaults, so
  // an editor can go on validating the rest.
  std::optional<CrewSpec> spec;
  Diagnostics errors;
  Diagnostics warnings;  // misspelt-looking keys, CrewAI fields AOP does not enforce

  bool ok() const { return spec.has_value() && errors.empty(); }
};

// `automatic`: JSON when the first non-blank character is '{', YAML otherwise.
Format detect_format(std::string_view text);

ParseResult parse_crew(std::string_view text, Format format_hint = Format::automatic);

// A CrewAI project's config/agents.yaml and config/tasks.yaml (each a mapping keyed by agent
// or task name). Paths start with "agents." or "tasks.", so they also say which file a
// location refers to.
ParseResult parse_crewai_pair(std::string_view agents_yaml, std::string_view tasks_yaml,
                              std::string_view name);

}  // namespace aop::crews
