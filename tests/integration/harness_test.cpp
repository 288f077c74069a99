// Checks of the integration-test harness itself (tests/support): if these fail, the other
// integration tests' verdicts cannot be trusted.
#include <gtest/gtest.h>

#include "support/http_assertions.hpp"
#include "support/server_process.hpp"

namespace aop::test {
namespace {

using namespace std::chrono_literals;

TEST(Harness, PostgresUrlWithDatabaseReplacesOnlyThePath) {
  EXPECT_EQ(postgres_url_with_database("postgres://postgres@127.0.0.1:5432/postgres", "it_x"),
            "postgres://postgres@127.0.0.1:5432/it_x");
  EXPECT_EQ(postgres_url_with_database("postgres://u:p@h:1/db?sslmode=disable", "it_x"),
            "postgres://u:p@h:1/it_x?sslmode=disable");
  EXPECT_EQ(postgres_url_with_database("postgresql://h", "it_x"), "postgresql://h/it_x");
  EXPECT_EQ(postgres_url_with_database("postgres://h?connect_timeout=3", "it_x"), "postgres://h/it_x?connect_timeout=3");
}

TEST(Harness, ServerRunsInItsOwnDirectoriesAndDatabase) {
  ServerProcess a;
  ServerProcess b;
  EXPECT_NE(a.port(), b.port());
  EXPECT_NE(a.data_dir(), b.data_dir());
  EXPECT_NE(a.database_url(), b.database_url());
  EXPECT_EQ(a.dialect(), test_dialect());
  if (test_dialect() == "sqlite") {
    EXPECT_TRUE(std::filesystem::exists(a.data_dir() / "aop.db"));
    EXPECT_EQ(a.database_url(), "sqlite://" + (a.data_dir() / "aop.db").string());
  } else {
    EXPECT_EQ(a.database().query_scalar("SELECT current_database()"), a.database().name());
  }
  EXPECT_TRUE(a.wait_for_log(a.dialect() == "sqlite" ? a.database_url() : a.database().name())) << a.diagnostics();
}

TEST(Harness, TempDirAndDatabaseAreRemoved) {
  std::filesystem::path dir;
  std::string name;
  {
    ServerProcess server;
    dir = server.dir();
    name = server.database().name();
    ASSERT_TRUE(std::filesystem::exists(dir));
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
  if (test_dialect() == "postgres") {
    auto admin = std::string(std::getenv("AOP_TEST_PG_URL"));
    EXPECT_EQ(PgConnection(admin).query_scalar("SELECT COUNT(*) FROM pg_database WHERE datname = '" + name + "'"), "0");
  }
}

TEST(Harness, StartupFailureIsReportedWithTheServerOutput) {
  try {
    ServerProcess server(ServerOptions::with_args({"--log-format", "xml"}));
    FAIL() << "a server with an invalid configuration was reported healthy";
  } catch (const HarnessError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("exited during start-up with exit code 2"), std::string::npos) << what;
    EXPECT_NE(what.find("--log-format"), std::string::npos) << "the server's stderr is included: " << what;
  }
}

TEST(Harness, StartTimeoutIsEnforced) {
  ServerOptions options;
  options.args = {"--host", "127.0.0.2"};  // healthy, but not where the harness looks
  options.start_timeout = 500ms;
  auto started = std::chrono::steady_clock::now();
  EXPECT_THROW(ServerProcess server(options), HarnessError);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(Harness, RunAopTimesOut) {
  TempDir data("aop-cli-");
  auto started = std::chrono::steady_clock::now();
  auto r = run_aop({"serve", "--port", "0", "--data-dir", data.path().string()}, {}, 500ms);
  EXPECT_TRUE(r.timed_out) << r.describe();
  EXPECT_EQ(r.exit_code, -1);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(Harness, InheritedAopVariablesDoNotLeakIntoTheServer) {
  // ctest sets AOP_TEST_DB, AOP_BIN, ...; a developer may have AOP_* settings exported. The
  // child sees only what the test passes. (`migrate` loads the configuration and exits.)
  const char* before = std::getenv("AOP_LOG_FORMAT");
  std::string saved = before ? before : "";
  ::setenv("AOP_LOG_FORMAT", "xml", 1);  // would make any command that loads the config fail
  auto r = run_aop({"migrate"});
  if (before) ::setenv("AOP_LOG_FORMAT", saved.c_str(), 1); else ::unsetenv("AOP_LOG_FORMAT");
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  auto given = run_aop({"migrate"}, {{"AOP_LOG_FORMAT", "xml"}});
  EXPECT_EQ(given.exit_code, 2) << "env given by the test reaches the child: " << given.describe();
}

}  // namespace
}  // namespace aop::test
