#pragma once
// Checks a value against a JSON Schema (a task's `output_json`), with Valijson. Errors come
// back as "path: message" lines that are fed to the model when it has to try again.
#include <string>
#include <vector>

#include <boost/json/value.hpp>

namespace aop::engine {

struct SchemaViolations {
  std::vector<std::string> errors;  // empty = valid
  bool ok() const { return errors.empty(); }
};

// A schema that cannot be used (unsupported keyword use, remote $ref) is reported as one
// error rather than thrown: the crew's author has to fix it, and the run says so.
SchemaViolations check_against_schema(const boost::json::value& instance, const boost::json::value& schema);

}  // namespace aop::engine
