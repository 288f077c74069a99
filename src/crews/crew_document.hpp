#pragma once
// A crew document in the form it is stored: the normalized JSON config, the YAML it was
// written in (kept only when it still says exactly the same), and the effective inputs.
#include <optional>
#include <string>

#include <boost/json/array.hpp>

#include "crews/crew_spec.hpp"

namespace aop::crews {

struct StoredDocument {
  std::string config_json;
  std::optional<std::string> source_yaml;
  std::string inputs_json;  // JSON array, see effective_inputs
};

// `source_yaml`: the YAML text `spec` was parsed from, if any. It is kept only when parsing
// it again gives `spec` exactly (it does not when the name was overridden, for instance),
// so an export of the source never disagrees with the stored config.
StoredDocument to_stored(const CrewSpec& spec, std::optional<std::string> source_yaml);

// The declared inputs plus those only referenced as {placeholders}, in document order:
// [{name, type, required, description, default?}], what a run form needs.
boost::json::array effective_inputs(const CrewSpec& spec);

// The spec of a stored config. Throws std::runtime_error if the stored text no longer
// parses (it was written by to_stored, so that means corruption or an incompatible change).
CrewSpec load_stored(const std::string& config_json);

}  // namespace aop::crews
