#pragma once
// Sanity checks for a task's `output_json` JSON Schema: enough to catch mistakes an editor
// should flag (wrong `type` names, `required` naming fields that do not exist), not a full
// meta-schema validation.
#include <string>
#include <vector>

#include <boost/json/value.hpp>

namespace aop::crews {

struct SchemaProblem {
  std::string path;  // under the given base path, e.g. "tasks.t.output_json.required[1]"
  std::string message;
};

// Checks `schema` and, recursively, the schemas under `properties` and `items`.
void check_output_schema(const boost::json::value& schema, const std::string& path,
                         std::vector<SchemaProblem>& problems);

}  // namespace aop::crews
