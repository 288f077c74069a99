// docs/openapi.yaml is the contract: every route the product registers is documented, and every
// documented operation is routed. The product's route table comes from `aop routes` (one
// "METHOD PATTERN" line per route, test-only routes never included), so this test needs no
// list of its own and follows every new `register_*` call automatically.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "support/server_process.hpp"

namespace aop::test {
namespace {

using Operation = std::pair<std::string, std::string>;  // {METHOD, /path/{param}}

std::string join(const std::set<Operation>& ops) {
  std::string out;
  for (const auto& [method, path] : ops) out += "  " + method + " " + path + "\n";
  return out;
}

std::set<Operation> routed_operations() {
  auto r = run_aop({"routes"}, {}, std::chrono::seconds(30));
  if (r.exit_code != 0) {
    ADD_FAILURE() << "`aop routes` failed; it must print one \"METHOD PATTERN\" line per product route\n"
                  << r.describe();
    return {};
  }
  static const std::regex line_re(R"(([A-Z]+) (/\S*))");
  std::set<Operation> ops;
  std::istringstream in(r.stdout_text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::smatch m;
    if (!std::regex_match(line, m, line_re)) {
      ADD_FAILURE() << "`aop routes` printed a line that is not \"METHOD PATTERN\": \"" << line << "\"";
      continue;
    }
    EXPECT_TRUE(ops.insert({m[1], m[2]}).second) << "route listed twice: " << line;
  }
  return ops;
}

const std::set<std::string> k_http_methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

YAML::Node load_contract() {
  auto path = source_dir() / "docs" / "openapi.yaml";
  try {
    return YAML::LoadFile(path.string());
  } catch (const YAML::Exception& e) {
    ADD_FAILURE() << path << " is not valid YAML: " << e.what();
    return {};
  }
}

std::set<Operation> documented_operations(const YAML::Node& doc) {
  std::set<Operation> ops;
  auto paths = doc["paths"];
  if (!paths || !paths.IsMap()) {
    ADD_FAILURE() << "docs/openapi.yaml has no `paths` map";
    return ops;
  }
  for (const auto& entry : paths) {
    auto path = entry.first.as<std::string>();
    if (!entry.second.IsMap()) {
      ADD_FAILURE() << "paths[" << path << "] is not a map";
      continue;
    }
    for (const auto& op : entry.second) {
      auto key = op.first.as<std::string>();
      if (!k_http_methods.count(key)) continue;  // parameters, summary, servers, ...
      std::string method = key;
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      ops.insert({method, path});
    }
  }
  return ops;
}

TEST(OpenApiCoverage, EveryRouteIsDocumentedAndEveryOperationIsRouted) {
  auto routed = routed_operations();
  ASSERT_FALSE(routed.empty()) << "`aop routes` listed no routes";
  EXPECT_TRUE(routed.count({"GET", "/healthz"})) << "`aop routes` output lacks GET /healthz:\n" << join(routed);
  auto doc = load_contract();
  ASSERT_TRUE(doc) << "no contract";
  auto documented = documented_operations(doc);

  std::set<Operation> undocumented, unrouted;
  for (const auto& op : routed)
    if (!documented.count(op)) undocumented.insert(op);
  for (const auto& op : documented)
    if (!routed.count(op)) unrouted.insert(op);
  EXPECT_TRUE(undocumented.empty()) << "routes missing from docs/openapi.yaml (add them under `paths`):\n"
                                    << join(undocumented);
  EXPECT_TRUE(unrouted.empty()) << "operations in docs/openapi.yaml that no route serves:\n" << join(unrouted);
}

TEST(OpenApiCoverage, ContractIsWellFormed) {
  auto doc = load_contract();
  ASSERT_TRUE(doc) << "no contract";
  ASSERT_TRUE(doc["openapi"]) << "no `openapi` version";
  EXPECT_TRUE(doc["openapi"].as<std::string>().starts_with("3.1")) << doc["openapi"].as<std::string>();
  ASSERT_TRUE(doc["paths"] && doc["paths"].IsMap());

  std::map<std::string, std::string> operation_ids;  // id -> "METHOD path"
  static const std::regex param_re(R"(\{([^}/]+)\})");
  for (const auto& entry : doc["paths"]) {
    auto path = entry.first.as<std::string>();
    EXPECT_TRUE(path.starts_with("/")) << path;
    std::set<std::string> template_params;
    for (std::sregex_iterator it(path.begin(), path.end(), param_re), end; it != end; ++it)
      template_params.insert((*it)[1]);
    std::set<std::string> shared_params;
    if (auto params = entry.second["parameters"]; params && params.IsSequence())
      for (const auto& p : params)
        if (p["in"] && p["in"].as<std::string>() == "path") shared_params.insert(p["name"].as<std::string>());

    for (const auto& op : entry.second) {
      auto method = op.first.as<std::string>();
      if (!k_http_methods.count(method)) continue;
      auto where = method + " " + path;
      const auto& o = op.second;
      ASSERT_TRUE(o.IsMap()) << where;
      if (o["operationId"]) {
        auto id = o["operationId"].as<std::string>();
        auto [it, fresh] = operation_ids.emplace(id, where);
        EXPECT_TRUE(fresh) << "operationId \"" << id << "\" used by " << it->second << " and " << where;
      } else {
        ADD_FAILURE() << where << " has no operationId";
      }
      EXPECT_TRUE(o["responses"] && o["responses"].IsMap() && o["responses"].size() > 0)
          << where << " documents no responses";
      // Every {param} in the path is declared as an `in: path` parameter, and vice versa.
      std::set<std::string> declared = shared_params;
      if (auto params = o["parameters"]; params && params.IsSequence())
        for (const auto& p : params)
          if (p["in"] && p["in"].as<std::string>() == "path") declared.insert(p["name"].as<std::string>());
      // Parameters given by $ref cannot be resolved cheaply here; only check when none is used.
      bool has_ref = false;
      for (const auto* list : {&entry.second, &o}) {
        if (auto params = (*list)["parameters"]; params && params.IsSequence()) {
          for (const auto& p : params) has_ref = has_ref || p["$ref"];
        }
      }
      if (!has_ref) {
        EXPECT_EQ(declared, template_params) << where << ": path parameters and the path template disagree";
      }
    }
  }
}

}  // namespace
}  // namespace aop::test
