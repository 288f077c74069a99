#include "api/crew_body.hpp"

#include <algorithm>
#include <charconv>

#include <boost/json.hpp>

#include "api/body_reader.hpp"
#include "crews/source_document.hpp"

namespace aop::api {

namespace json = boost::json;
using core::Problem;

namespace {

constexpr std::size_t k_max_name = 200;
constexpr std::size_t k_max_description = 10'000;
constexpr std::size_t k_max_message = 500;

bool is_yaml_type(std::string_view type) { return type.find("yaml") != std::string_view::npos; }

// Positions in a document we serialized ourselves would point into text the user never saw.
void drop_locations(crews::ParseResult& parsed) {
  for (auto& d : parsed.errors) d.location.reset();
  for (auto& d : parsed.warnings) d.location.reset();
  if (parsed.spec) parsed.spec->locations.clear();
}

void read_wrapper_config(BodyReader& body, CrewBody& out, CrewBodyUse use) {
  const json::value* config = body.raw("config");
  if (!config) {
    if (use == CrewBodyUse::update) {
      out.has_document = false;
      return;
    }
    body.error("config", "required");
    return;
  }
  if (config->is_object()) {
    out.parsed = crews::parse_crew(json::serialize(*config), crews::Format::json);
    drop_locations(out.parsed);
  } else if (config->is_string()) {
    std::string_view text = config->get_string();
    if (text.size() > crews::k_max_document_bytes) {
      body.error("config", "is larger than " + std::to_string(crews::k_max_document_bytes / 1024 / 1024) + " MiB");
      return;
    }
    auto format = crews::detect_format(text);
    out.parsed = crews::parse_crew(text, format);
    if (format == crews::Format::yaml) out.source_yaml = std::string(text);
  } else {
    body.error("config", "must be a crew document: a JSON object, or its YAML or JSON text");
  }
}

void read_crewai_pair(BodyReader& body, CrewBody& out) {
  body.allow_only({"agents_yaml", "tasks_yaml", "name", "description"});
  auto agents = body.string("agents_yaml", true, 0, crews::k_max_document_bytes);
  auto tasks = body.string("tasks_yaml", true, 0, crews::k_max_document_bytes);
  out.name = body.string("name", false, 1, k_max_name);
  out.description = body.string("description", false, 0, k_max_description);
  body.finish();
  out.parsed = crews::parse_crewai_pair(*agents, *tasks, out.name.value_or("Imported crew"));
}

void apply_overrides(CrewBody& out, CrewBodyUse use) {
  if (!out.parsed.spec) return;
  auto& spec = *out.parsed.spec;
  if (out.name) spec.name = *out.name;
  if (out.description) spec.description = *out.description;
  // An import keeps what it can; an untitled document still becomes a crew to fix in the editor.
  if (use == CrewBodyUse::import && spec.name.empty()) spec.name = "Untitled crew";
}

}  // namespace

CrewBody read_crew_body(const http::RequestContext& ctx, CrewBodyUse use) {
  CrewBody out;
  const std::string& text = ctx.request.body();
  if (is_yaml_type(ctx.header("Content-Type"))) {
    if (text.empty()) throw Problem::bad_request("The request body is empty; a crew document is required.",
                                                 {{"body", "required"}});
    out.parsed = crews::parse_crew(text, crews::Format::yaml);
    out.source_yaml = text;
    apply_overrides(out, use);
    return out;
  }
  auto value = ctx.json_body();
  if (!value.is_object())
    throw Problem::unprocessable("The body must be a JSON object: a crew document or {name, description, config}.",
                                 {{"body", "must be a JSON object"}});
  const auto& object = value.as_object();
  bool wrapper = object.contains("config");
  if (use == CrewBodyUse::update && !wrapper) {
    // {name}, {version, description}, ...: an update of the wrapper fields only.
    wrapper = std::all_of(object.begin(), object.end(), [](const auto& kv) {
      return kv.key() == "name" || kv.key() == "description" || kv.key() == "version" || kv.key() == "message";
    });
  }
  bool pair = object.contains("agents_yaml") || object.contains("tasks_yaml");
  if (pair && use == CrewBodyUse::import) {
    BodyReader body(std::move(value));
    read_crewai_pair(body, out);
  } else if (wrapper) {
    BodyReader body(std::move(value));
    if (use == CrewBodyUse::update) body.allow_only({"name", "description", "config", "version", "message"});
    else body.allow_only({"name", "description", "config", "message"});
    out.name = body.string("name", false, 1, k_max_name);
    out.description = body.string("description", false, 0, k_max_description);
    out.message = body.string("message", false, 0, k_max_message).value_or("");
    if (use == CrewBodyUse::update) out.version = body.integer("version", false, 1, INT64_MAX);
    read_wrapper_config(body, out, use);
    body.finish();
  } else {
    // The crew document itself, in JSON: parse the text the user sent so positions are theirs.
    out.parsed = crews::parse_crew(text, crews::Format::json);
  }
  apply_overrides(out, use);
  return out;
}

std::vector<core::FieldError> field_errors(const crews::Diagnostics& diagnostics) {
  std::vector<core::FieldError> out;
  out.reserve(diagnostics.size());
  for (const auto& d : diagnostics) {
    core::FieldError e{d.path, d.message};
    if (d.location) {
      e.line = d.location->line;
      e.column = d.location->column;
    }
    out.push_back(std::move(e));
  }
  return out;
}

void require_readable(const CrewBody& body) {
  if (!body.has_document || body.parsed.errors.empty()) return;
  auto n = body.parsed.errors.size();
  throw Problem::unprocessable(
      n == 1 ? "The crew document cannot be read: " + crews::to_string(body.parsed.errors[0]) + "."
             : "The crew document cannot be read: " + std::to_string(n) + " problems.",
      field_errors(body.parsed.errors));
}

std::optional<std::int64_t> expected_version(const http::RequestContext& ctx, const CrewBody& body) {
  std::optional<std::int64_t> from_header;
  std::string_view tag = ctx.header("If-Match");
  if (!tag.empty()) {
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') tag = tag.substr(1, tag.size() - 2);
    std::int64_t n = 0;
    auto [ptr, ec] = std::from_chars(tag.data(), tag.data() + tag.size(), n);
    if (ec != std::errc() || ptr != tag.data() + tag.size() || n < 1)
      throw Problem::bad_request("If-Match must be the crew's version as its ETag gives it, e.g. \"3\".",
                                 {{"If-Match", "must be a version number"}});
    from_header = n;
  }
  if (from_header && body.version && *from_header != *body.version)
    throw Problem::unprocessable("If-Match and version name different versions.",
                                 {{"version", "differs from If-Match (" + std::to_string(*from_header) + ")"}});
  return from_header ? from_header : body.version;
}

}  // namespace aop::api
