// The `aop` command line: version, migrate, configuration errors, database errors.
#include <gtest/gtest.h>

#include <regex>

#include "support/http_assertions.hpp"
#include "support/server_process.hpp"

namespace aop::test {
namespace {

using namespace std::chrono_literals;

std::size_t count_lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

TEST(Cli, VersionPrintsTheVersion) {
  auto r = run_aop({"version"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.stdout_text, std::string("aop ") + AOP_VERSION + "\n") << r.describe();
  EXPECT_TRUE(std::regex_match(r.stdout_text, std::regex(R"(aop [0-9]+\.[0-9]+\.[0-9]+\S*\n)"))) << r.describe();
  EXPECT_EQ(r.stderr_text, "");
}

TEST(Cli, NoSubcommandIsAnError) {
  auto r = run_aop({});
  EXPECT_NE(r.exit_code, 0) << r.describe();
  EXPECT_FALSE(r.stdout_text.empty() && r.stderr_text.empty()) << "says nothing about what is wrong";
}

TEST(Cli, MigrateAppliesThenReportsZero) {
  TempDir dir("aop-migrate-");
  auto data = dir / "data";
  ScratchDatabase db(data);
  std::vector<std::string> args = {"migrate", "--data-dir", data.string()};
  for (const auto& a : db.cli_args()) args.push_back(a);

  static const std::regex summary(R"(applied ([0-9]+) migration\(s\); schema version ([0-9]+)\n)");
  auto first = run_aop(args);
  ASSERT_EQ(first.exit_code, 0) << first.describe();
  std::smatch m1;
  ASSERT_TRUE(std::regex_search(first.stdout_text, m1, summary)) << first.describe();
  int applied = std::stoi(m1[1]);
  int version = std::stoi(m1[2]);
  EXPECT_GE(applied, 1);
  EXPECT_GE(version, 1);
  EXPECT_EQ(db.query_scalar("SELECT COUNT(*) FROM schema_migrations"), std::to_string(applied));

  auto second = run_aop(args);
  ASSERT_EQ(second.exit_code, 0) << second.describe();
  std::smatch m2;
  ASSERT_TRUE(std::regex_search(second.stdout_text, m2, summary)) << second.describe();
  EXPECT_EQ(std::stoi(m2[1]), 0) << "the second run must find nothing to do\n" << second.describe();
  EXPECT_EQ(std::stoi(m2[2]), version);
  EXPECT_EQ(db.query_scalar("SELECT COUNT(*) FROM schema_migrations"), std::to_string(applied));
}

TEST(Cli, MigrateAfterServeAppliesNothing) {
  ServerProcess server;  // applied the migrations at start-up
  ASSERT_TRUE(has_status(server.get("/readyz"), 200));
  std::vector<std::string> args = {"migrate", "--data-dir", server.data_dir().string()};
  for (const auto& a : server.database().cli_args()) args.push_back(a);
  auto r = run_aop(args);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.stdout_text.find("applied 0 migration(s)"), std::string::npos) << r.describe();
}

struct BadConfig {
  std::string name;
  std::vector<std::string> args;
  EnvVars env;
  std::string must_mention;  // the setting, as the user wrote it
};

void PrintTo(const BadConfig& c, std::ostream* os) { *os << c.name; }

class InvalidConfig : public ::testing::TestWithParam<BadConfig> {};

TEST_P(InvalidConfig, ExitsTwoWithOneLineNamingTheSetting) {
  const auto& c = GetParam();
  TempDir data("aop-cfg-");
  std::vector<std::string> args = {"serve", "--port-file", (data / "port").string(), "--data-dir",
                                   (data / "data").string()};
  args.insert(args.end(), c.args.begin(), c.args.end());
  auto r = run_aop(args, c.env, 15s);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_EQ(count_lines(r.stderr_text), 1u) << "exactly one line on stderr\n" << r.describe();
  EXPECT_TRUE(r.stderr_text.starts_with("aop: invalid configuration: ")) << r.describe();
  EXPECT_NE(r.stderr_text.find(c.must_mention), std::string::npos)
      << "stderr must name " << c.must_mention << "\n"
      << r.describe();
  EXPECT_FALSE(std::filesystem::exists(data / "port")) << "the server must not have started";
}

INSTANTIATE_TEST_SUITE_P(
    Cli, InvalidConfig,
    ::testing::Values(BadConfig{"PortNotAnInteger", {}, {{"AOP_PORT", "x"}}, "AOP_PORT"},
                      BadConfig{"PortOutOfRange", {"--port", "70000"}, {}, "--port"},
                      BadConfig{"LogFormatXml", {"--log-format", "xml"}, {}, "--log-format"},
                      BadConfig{"LogLevelEnv", {}, {{"AOP_LOG_LEVEL", "loud"}}, "AOP_LOG_LEVEL"},
                      BadConfig{"DatabaseUrlMysql", {"--database-url", "mysql://x"}, {}, "--database-url"},
                      BadConfig{"MaxBodyBytesTooSmall", {"--max-body-bytes", "10"}, {}, "--max-body-bytes"},
                      BadConfig{"MissingConfigFile", {"--config", "/nonexistent/aop.yaml"}, {}, "/nonexistent/aop.yaml"}),
    [](const ::testing::TestParamInfo<BadConfig>& info) { return info.param.name; });

TEST(Cli, UnreachableDatabaseFailsClearlyWithoutLeakingThePassword) {
  TempDir data("aop-cfg-");
  const std::string url = "postgres://u:supersecret@127.0.0.1:1/x";
  for (const std::string command : {"serve", "migrate"}) {
    SCOPED_TRACE(command);
    auto r = run_aop({command, "--port", "0", "--port-file", (data / "port").string(), "--data-dir",
                      (data / "data").string(), "--database-url", url},
                     {}, 30s);
    EXPECT_NE(r.exit_code, 0) << r.describe();
    EXPECT_FALSE(r.timed_out) << r.describe();
    EXPECT_EQ(r.stderr_text.find("supersecret"), std::string::npos) << "password leaked on stderr\n" << r.describe();
    EXPECT_EQ(r.stdout_text.find("supersecret"), std::string::npos) << "password leaked on stdout\n" << r.describe();
    EXPECT_NE(r.stderr_text.find("database"), std::string::npos) << r.describe();
    EXPECT_NE(r.stderr_text.find("127.0.0.1:1"), std::string::npos) << "stderr should say which server\n" << r.describe();
    EXPECT_GE(count_lines(r.stderr_text), 1u) << r.describe();
    EXPECT_FALSE(std::filesystem::exists(data / "port")) << "the server must not have started";
  }
}

TEST(Cli, PasswordIsRedactedFromTheStartupLog) {
  if (test_dialect() != "postgres") GTEST_SKIP() << "needs a PostgreSQL URL with a password";
  // The test server trusts every login, so any password works; it must never be logged.
  TempDir dir("aop-pw-");
  ScratchDatabase db(dir / "data");
  auto url = db.url();
  auto at = url.find('@');
  ASSERT_NE(at, std::string::npos) << url;
  auto with_password = url.substr(0, at) + ":supersecret" + url.substr(at);
  ServerProcess server(ServerOptions::with_args({"--database-url", with_password}));
  ASSERT_TRUE(has_status(server.get("/readyz"), 200));
  ASSERT_TRUE(server.wait_for_log("listening on")) << server.diagnostics();
  EXPECT_EQ(server.log().find("supersecret"), std::string::npos) << server.diagnostics();
  EXPECT_NE(server.log().find(":***@"), std::string::npos) << server.diagnostics();
}

}  // namespace
}  // namespace aop::test
