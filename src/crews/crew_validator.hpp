#pragma once
// Meaning checks on a parsed crew: references between agents, tasks and inputs, required
// fields, models, tools, conditions and output schemas. Reports every problem, each with
// its path, so an editor can show them all at once; cheap enough to run on each keystroke.
#include <set>
#include <string>

#include "crews/crew_inputs.hpp"
#include "crews/crew_spec.hpp"
#include "crews/diagnostic.hpp"

namespace aop::crews {

// http_request, web_fetch, file_read, file_write, calculator, web_search.
std::set<std::string, std::less<>> builtin_tool_names();

struct ValidationOptions {
  std::set<std::string, std::less<>> known_tools = builtin_tool_names();
  std::set<std::string, std::less<>> extra_providers;  // besides k_known_providers
};

struct ValidationResult {
  Diagnostics errors;    // the crew cannot run as written
  Diagnostics warnings;  // it can, but probably not as meant
  bool ok() const { return errors.empty(); }
};

ValidationResult validate(const CrewSpec& crew, const ValidationOptions& options = {});

}  // namespace aop::crews
