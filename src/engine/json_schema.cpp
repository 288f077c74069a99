#include "engine/json_schema.hpp"

// Valijson aborts on a bad schema unless told to throw.
#define VALIJSON_USE_EXCEPTIONS 1
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <stdexcept>

namespace aop::engine {

namespace {

// Valijson's context is like ["<root>", "[score]"] or ["<root>", "[items]", "[2]"].
std::string path_of(const std::vector<std::string>& context) {
  std::string path;
  for (std::size_t i = 1; i < context.size(); ++i) {
    std::string part = context[i];
    if (part.size() >= 2 && part.front() == '[' && part.back() == ']') part = part.substr(1, part.size() - 2);
    bool index = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
    if (index) path += "[" + part + "]";
    else path += (path.empty() ? "" : ".") + part;
  }
  return path.empty() ? "(the answer)" : path;
}

}  // namespace

SchemaViolations check_against_schema(const boost::json::value& instance, const boost::json::value& schema) {
  SchemaViolations out;
  valijson::Schema compiled;
  try {
    valijson::SchemaParser parser;
    valijson::adapters::BoostJsonAdapter schema_adapter(schema);
    parser.populateSchema(schema_adapter, compiled);
  } catch (const std::exception& e) {
    out.errors.push_back(std::string("the output_json schema cannot be used: ") + e.what());
    return out;
  }
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::BoostJsonAdapter target(instance);
  if (validator.validate(compiled, target, &results)) return out;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    // Valijson also reports the enclosing "failed to validate property" for each nested
    // failure; the innermost messages say what is wrong.
    if (error.description.find("Failed to validate against schema associated with property") == 0) continue;
    out.errors.push_back(path_of(error.context) + ": " + error.description);
  }
  if (out.errors.empty()) out.errors.push_back("(the answer): does not match the schema");
  return out;
}

}  // namespace aop::engine
