// `aop import`, `aop export` and `aop demo` against a running server's database: what the
// CLI writes, the API must read back. Runs once per database (AOP_TEST_DB=sqlite|postgres).
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "support/identity.hpp"

namespace aop::test {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `aop <args...>` on the server's database and data directory.
CommandResult aop_on(const ServerProcess& server, std::vector<std::string> args) {
  args.insert(args.end(), {"--data-dir", server.data_dir().string()});
  for (const auto& a : server.database().cli_args()) args.push_back(a);
  return run_aop(args);
}

std::string crew_id_from(const CommandResult& r) {
  std::smatch m;
  static const std::regex id(R"(as crew ([0-9a-f-]{36}))");
  if (!std::regex_search(r.stdout_text, m, id)) throw HarnessError("no crew id in:\n" + r.describe());
  return m[1];
}

TEST(CrewCli, ImportsACrewAiProjectAndExportsItBack) {
  ServerProcess server(ServerOptions::with_args({"--user-rate-limit", "0"}));
  ApiClient api(server);
  auto admin = register_account(api, "cli-admin@example.com", "cli-admin-password");
  auto project = source_dir() / "tests/fixtures/crewai/research_crew";

  auto imported = aop_on(server, {"import", project.string(), "--name", "Research from CrewAI"});
  ASSERT_EQ(imported.exit_code, 0) << imported.describe();
  auto id = crew_id_from(imported);
  auto r = api.get("/api/crews/" + id, admin.auth());
  ASSERT_EQ(r.status, 200) << show(r);
  auto crew = r.json();
  EXPECT_EQ(str(crew, "name"), "Research from CrewAI");
  EXPECT_EQ(str(crew, "status"), "draft");
  EXPECT_EQ(crew.at("config").at("agents").as_object().size(), 2u);
  EXPECT_TRUE(crew.at("config").at("tasks").as_object().contains("reporting_task"));

  // Export as a CrewAI project by name, import that directory: the same agents and tasks.
  TempDir out("aop-export-");
  auto exported = aop_on(server, {"export", "Research from CrewAI", "--format", "crewai", "--output", out.path().string()});
  ASSERT_EQ(exported.exit_code, 0) << exported.describe();
  ASSERT_TRUE(std::filesystem::is_regular_file(out / "config" / "agents.yaml")) << exported.describe();
  auto again = aop_on(server, {"import", out.path().string(), "--name", "Round trip"});
  ASSERT_EQ(again.exit_code, 0) << again.describe();
  auto copy = api.get("/api/crews/" + crew_id_from(again), admin.auth()).json();
  EXPECT_EQ(copy.at("config").at("agents"), crew.at("config").at("agents"));
  EXPECT_EQ(copy.at("config").at("tasks"), crew.at("config").at("tasks"));

  // A YAML file keeps its text through import and export.
  auto yaml_file = out / "crew.yaml";
  const std::string yaml = "# kept\nname: file-crew\nagents:\n  a: {role: R, goal: G, backstory: B}\n"
                           "tasks:\n  t: {description: D, expected_output: O, agent: a}\n";
  std::ofstream(yaml_file) << yaml;
  auto from_file = aop_on(server, {"import", yaml_file.string()});
  ASSERT_EQ(from_file.exit_code, 0) << from_file.describe();
  auto file_id = crew_id_from(from_file);
  auto yaml_out = aop_on(server, {"export", file_id});
  ASSERT_EQ(yaml_out.exit_code, 0) << yaml_out.describe();
  EXPECT_EQ(yaml_out.stdout_text, yaml);
  auto json_out = aop_on(server, {"export", file_id, "--format", "json"});
  ASSERT_EQ(json_out.exit_code, 0) << json_out.describe();
  EXPECT_EQ(json::parse(json_out.stdout_text), api.get("/api/crews/" + file_id, admin.auth()).json().at("config"));

  // Mistakes are reported and change nothing.
  auto bad = out / "bad.yaml";
  std::ofstream(bad) << "name: bad\nagents: [\n";
  auto refused = aop_on(server, {"import", bad.string()});
  EXPECT_EQ(refused.exit_code, 1) << refused.describe();
  EXPECT_NE(refused.stderr_text.find("bad.yaml: error:"), std::string::npos) << refused.describe();
  EXPECT_EQ(aop_on(server, {"export", "no-such-crew"}).exit_code, 1);
  EXPECT_EQ(aop_on(server, {"export", file_id, "--format", "zip"}).exit_code, 2);
  EXPECT_EQ(aop_on(server, {"import", (out / "missing").string()}).exit_code, 1);
  auto list = api.get("/api/crews", admin.auth()).json();
  EXPECT_EQ(list.at("items").as_array().size(), 3u);
}

TEST(CrewCli, DemoCreatesAnAdministratorAndValidCrewsOnce) {
  ServerProcess server(ServerOptions::with_args({"--user-rate-limit", "0"}));
  ApiClient api(server);
  auto first = aop_on(server, {"demo"});
  ASSERT_EQ(first.exit_code, 0) << first.describe();
  auto login_file = server.data_dir() / "demo-login.txt";
  struct stat st {};
  ASSERT_EQ(::stat(login_file.c_str(), &st), 0) << first.describe();
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::smatch m;
  auto text = read_text(login_file);
  ASSERT_TRUE(std::regex_search(text, m, std::regex(R"(email: (\S+)\npassword: (\S+)\n)"))) << text;
  EXPECT_NE(first.stdout_text.find(m[2].str()), std::string::npos) << "the password is shown to the user";

  auto admin = login(api, m[1], m[2]);
  EXPECT_EQ(admin.role, "admin");
  auto r = api.get("/api/crews", admin.auth());
  ASSERT_EQ(r.status, 200) << show(r);
  auto items = r.json().at("items").as_array();
  ASSERT_EQ(items.size(), 3u) << show(r);
  std::set<std::string> processes;
  bool has_condition = false, has_output_json = false;
  for (const auto& item : items) {
    std::string id = str(item, "id");
    auto detail = api.get("/api/crews/" + id, admin.auth()).json();
    EXPECT_TRUE(detail.at("validation").at("errors").as_array().empty()) << json::serialize(detail.at("validation"));
    EXPECT_TRUE(detail.at("validation").at("warnings").as_array().empty()) << json::serialize(detail.at("validation"));
    processes.insert(str(detail.at("config"), "process"));
    for (const auto& [name, task] : detail.at("config").at("tasks").as_object()) {
      has_condition |= task.as_object().contains("condition");
      has_output_json |= task.as_object().contains("output_json");
    }
    // Every demo crew is labelled as running on the simulated model.
    EXPECT_NE(json::serialize(detail.at("config")).find("simulated/"), std::string::npos) << str(item, "name");
    EXPECT_EQ(api.post("/api/crews/" + id + "/deploy", json::object{}, admin.auth()).status, 201) << str(item, "name");
  }
  EXPECT_EQ(processes, (std::set<std::string>{"sequential", "hierarchical"}));
  EXPECT_TRUE(has_condition);
  EXPECT_TRUE(has_output_json);

  // Again: nothing new, the same login.
  auto second = aop_on(server, {"demo"});
  ASSERT_EQ(second.exit_code, 0) << second.describe();
  EXPECT_EQ(read_text(login_file), text);
  EXPECT_EQ(api.get("/api/crews", admin.auth()).json().at("items").as_array().size(), 3u);
  EXPECT_EQ(api.get("/api/users", admin.auth()).json().at("items").as_array().size(), 1u);
}

}  // namespace
}  // namespace aop::test
