#pragma once
// Document tree -> CrewSpec: checks each known key's type, keeps unknown keys in `extra`
// (warning when one looks like a misspelt known key). Meaning (references, required
// fields, models) is the validator's job.
#include <span>
#include <string_view>

#include "crews/crew_spec.hpp"
#include "crews/source_document.hpp"

namespace aop::crews {

struct BuildResult {
  CrewSpec spec;         // fields with type errors keep their defaults
  Diagnostics errors;
  Diagnostics warnings;
};

BuildResult build_crew_spec(SourceDocument document);

// Keys the format defines, per level (the docs test checks each is documented).
std::span<const std::string_view> crew_keys();
std::span<const std::string_view> agent_keys();
std::span<const std::string_view> task_keys();
std::span<const std::string_view> input_keys();

}  // namespace aop::crews
