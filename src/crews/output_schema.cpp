#include "crews/output_schema.hpp"

#include <algorithm>
#include <string_view>

#include "crews/source_document.hpp"

namespace aop::crews {

namespace {

namespace json = boost::json;

constexpr std::string_view k_schema_types[] = {"object", "array", "string", "number",
                                               "integer", "boolean", "null"};

bool is_schema_type(const json::value& v) {
  return v.is_string() && std::find(std::begin(k_schema_types), std::end(k_schema_types),
                                    std::string_view(v.get_string())) != std::end(k_schema_types);
}

std::string join(const std::string& path, std::string_view key) {
  std::string p = path;
  append_key(p, key);
  return p;
}

void check(const json::value& schema, const std::string& path, std::vector<SchemaProblem>& out,
           int depth) {
  if (!schema.is_object()) {
    out.push_back({path, "a JSON Schema must be a mapping (e.g. {type: object, properties: {...}})"});
    return;
  }
  if (depth > 32) return;  // the reader already bounds nesting; this only keeps recursion flat
  const auto& o = schema.get_object();
  if (auto* type = o.if_contains("type")) {
    bool ok = is_schema_type(*type);
    if (type->is_array())
      ok = !type->get_array().empty() &&
           std::all_of(type->get_array().begin(), type->get_array().end(), is_schema_type);
    if (!ok)
      out.push_back({join(path, "type"),
                     "type must be one of object, array, string, number, integer, boolean, null"});
  }
  const json::object* properties = nullptr;
  if (auto* p = o.if_contains("properties")) {
    if (!p->is_object()) {
      out.push_back({join(path, "properties"), "properties must be a mapping of field name to schema"});
    } else {
      properties = &p->get_object();
      for (const auto& [name, sub] : *properties) {
        auto sub_path = join(join(path, "properties"), name);
        if (!sub.is_object())
          out.push_back({sub_path, "the schema of a property must be a mapping"});
        else
          check(sub, sub_path, out, depth + 1);
      }
    }
  }
  if (auto* r = o.if_contains("required")) {
    auto rpath = join(path, "required");
    if (!r->is_array()) {
      out.push_back({rpath, "required must be a list of property names"});
    } else {
      std::size_t i = 0;
      for (const auto& name : r->get_array()) {
        std::string item_path = rpath;
        append_index(item_path, i++);
        if (!name.is_string())
          out.push_back({item_path, "required entries must be property names"});
        else if (!properties || !properties->contains(name.get_string()))
          out.push_back({item_path, "required property \"" + std::string(name.get_string()) +
                                        "\" is not defined in properties"});
      }
    }
  }
  if (auto* items = o.if_contains("items")) {
    if (items->is_array()) {  // tuple form of older drafts
      std::size_t i = 0;
      for (const auto& item : items->get_array()) {
        std::string item_path = join(path, "items");
        append_index(item_path, i++);
        check(item, item_path, out, depth + 1);
      }
    } else {
      check(*items, join(path, "items"), out, depth + 1);
    }
  }
}

}  // namespace

void check_output_schema(const json::value& schema, const std::string& path,
                         std::vector<SchemaProblem>& problems) {
  check(schema, path, problems, 0);
}

}  // namespace aop::crews
