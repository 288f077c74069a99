#pragma once
// Reads a crew document from a request body, in any of the shapes the crews endpoints take:
//   Content-Type: application/yaml (or text/yaml)  the crew document itself
//   {"name", "description", "config": {...} | "<yaml or json text>", ...}   the JSON wrapper
//   {"agents": ..., "tasks": ..., ...}             a crew document written in JSON
//   {"agents_yaml", "tasks_yaml", "name"?}         a CrewAI project's two files (import only)
// Problems in the wrapper's own fields throw 422; problems in the document are returned,
// so the validate endpoint can report them and the others can refuse with all of them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/problem.hpp"
#include "crews/crew_parser.hpp"
#include "http/types.hpp"

namespace aop::api {

enum class CrewBodyUse { create, update, validate, import };

struct CrewBody {
  crews::ParseResult parsed;  // spec absent when the document could not be read, or (update) was not sent
  bool has_document = true;   // false: an update of name/description only
  std::optional<std::string> source_yaml;  // the YAML text the spec was read from
  std::optional<std::string> name, description;  // wrapper fields, applied over the document's own
  std::optional<std::int64_t> version;           // the version an update edits
  std::string message;                           // why, kept with the version
};

CrewBody read_crew_body(const http::RequestContext& ctx, CrewBodyUse use);

// Diagnostics in problem+json form (path, message, line, column).
std::vector<core::FieldError> field_errors(const crews::Diagnostics& diagnostics);

// Throws 422 listing the document's parse errors, if any.
void require_readable(const CrewBody& body);

// The version an update edits: If-Match ("3", W/"3" or 3) or the body's `version`; they must
// agree when both are given. nullopt = unconditional.
std::optional<std::int64_t> expected_version(const http::RequestContext& ctx, const CrewBody& body);

// Largest crew request body accepted (the parser's own limit plus room for the wrapper).
inline constexpr std::size_t k_max_crew_body_bytes = 3 * 1024 * 1024;

}  // namespace aop::api
