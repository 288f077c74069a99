// The real `aop serve` binary over HTTP: system routes, error documents, web UI fallback.
// Runs once per database (AOP_TEST_DB=sqlite|postgres).
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>

#include "support/http_assertions.hpp"
#include "support/server_process.hpp"

namespace aop::test {
namespace {

TEST(SystemRoutes, HealthzAnswers200Json) {
  ServerProcess server;
  auto r = server.get("/healthz");
  ASSERT_TRUE(has_status(r, 200));
  EXPECT_TRUE(r.header("content-type").starts_with("application/json")) << show(r);
  EXPECT_EQ(r.json().at("status").as_string(), "ok") << show(r);
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff") << show(r);
}

TEST(SystemRoutes, ReadyzNamesTheDatabaseUnderTest) {
  ServerProcess server;
  auto r = server.get("/readyz");
  ASSERT_TRUE(has_status(r, 200));
  EXPECT_TRUE(r.header("content-type").starts_with("application/json")) << show(r);
  auto doc = r.json();
  EXPECT_EQ(doc.at("status").as_string(), "ready") << show(r);
  EXPECT_EQ(doc.at("database").as_string(), test_dialect()) << show(r);
}

TEST(SystemRoutes, ReadyzRecoversAfterDatabaseConnectionsAreKilled) {
  if (test_dialect() != "postgres") GTEST_SKIP() << "PostgreSQL only: SQLite has no server to lose";
  ServerProcess server;
  ASSERT_TRUE(has_status(server.get("/readyz"), 200));
  ASSERT_GE(server.database().terminate_connections(), 1) << "the server held no connection";
  // The pool may notice the dead connection on first use; it must reconnect promptly.
  HttpResult r;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  do {
    r = server.get("/readyz");
  } while (r.status != 200 && std::chrono::steady_clock::now() < deadline);
  EXPECT_TRUE(has_status(r, 200)) << server.diagnostics();
  EXPECT_TRUE(has_status(server.get("/readyz"), 200));
}

TEST(SystemRoutes, ReadyzIs503WhenTheDatabaseIsGone) {
  if (test_dialect() != "postgres") GTEST_SKIP() << "PostgreSQL only: SQLite has no server to lose";
  ServerProcess server;
  ASSERT_TRUE(has_status(server.get("/readyz"), 200));
  server.database().drop();
  for (int i = 0; i < 3; ++i) {
    auto r = server.get("/readyz");
    ASSERT_TRUE(has_status(r, 503)) << server.diagnostics();
    auto doc = r.json();
    EXPECT_EQ(doc.at("status").as_string(), "unavailable") << show(r);
    EXPECT_EQ(doc.at("database").as_string(), "postgres") << show(r);
  }
  EXPECT_TRUE(has_status(server.get("/healthz"), 200)) << "liveness does not depend on the database";
}

// Every sample line of the Prometheus text format: name{labels} value.
void expect_valid_prometheus_text(const std::string& text) {
  static const std::regex sample(R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*")"
                                 R"((,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*")*\})? )"
                                 R"(([-+]?[0-9.eE+-]+|NaN|[+-]Inf)$)");
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line.starts_with("# HELP ") || line.starts_with("# TYPE ")) continue;
    EXPECT_TRUE(std::regex_match(line, sample)) << "line " << n << " is not a Prometheus sample: " << line;
  }
}

TEST(SystemRoutes, MetricsExposeRequestsProcessAndPool) {
  ServerProcess server;
  // A request with a distinctive route label, made exactly once.
  ASSERT_TRUE(is_problem(server.get("/api/docs/no-such-asset.js"), 404));
  ASSERT_TRUE(has_status(server.get("/readyz"), 200));  // uses a database connection
  auto r = server.get("/metrics");
  ASSERT_TRUE(has_status(r, 200));
  EXPECT_TRUE(r.header("content-type").starts_with("text/plain")) << show(r);
  const auto& text = r.body;
  EXPECT_NE(text.find(R"(aop_http_requests_total{route="/api/docs/{file}",method="GET",status="404"} 1)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(aop_http_request_duration_seconds_bucket{route="/api/docs/{file}",le="+Inf"} 1)"),
            std::string::npos)
      << text;
  // The harness's /healthz polls count as well.
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(aop_http_requests_total\{route="/healthz",method="GET",status="200"\} [1-9])")))
      << text;
  EXPECT_TRUE(std::regex_search(text, std::regex(R"((^|\n)aop_process_uptime_seconds [0-9.e+-]+\n)"))) << text;
  std::smatch pool;
  ASSERT_TRUE(std::regex_search(text, pool, std::regex(R"((^|\n)aop_db_pool_connections ([0-9.e+-]+)\n)"))) << text;
  EXPECT_GE(std::stod(pool[2]), 1.0) << "/readyz used a database connection\n" << text;
  expect_valid_prometheus_text(text);
}

TEST(SystemRoutes, ServesTheOpenApiDocument) {
  ServerProcess server;
  auto r = server.get("/api/openapi.yaml");
  ASSERT_TRUE(has_status(r, 200));
  EXPECT_TRUE(r.header("content-type").starts_with("application/yaml")) << show(r);
  EXPECT_TRUE(r.body.starts_with("openapi: 3.1")) << show(r);
  EXPECT_EQ(r.body, read_file(source_dir() / "docs" / "openapi.yaml"))
      << "the served document differs from docs/openapi.yaml (is the binary stale?)";
}

TEST(SystemRoutes, SwaggerUiIsServedFromSwaggerDir) {
  TempDir swagger("aop-swagger-");
  const std::string bundle = "/* dummy swagger-ui-bundle */ window.SwaggerUIBundle = function () {};\n";
  const std::string css = "/* dummy swagger-ui css */ body { margin: 0 }\n";
  write_file(swagger / "swagger-ui-bundle.js", bundle);
  write_file(swagger / "swagger-ui.css", css);
  ServerProcess server(ServerOptions::with_args({"--swagger-dir", swagger.path().string()}));

  auto page = server.get("/api/docs");
  ASSERT_TRUE(has_status(page, 200));
  EXPECT_TRUE(page.header("content-type").starts_with("text/html")) << show(page);
  EXPECT_NE(page.body.find("swagger-ui-bundle.js"), std::string::npos) << show(page);
  EXPECT_NE(page.body.find("swagger-ui.css"), std::string::npos) << show(page);

  auto js = server.get("/api/docs/swagger-ui-bundle.js");
  ASSERT_TRUE(has_status(js, 200));
  EXPECT_EQ(js.body, bundle);
  EXPECT_NE(js.header("content-type").find("javascript"), std::string::npos) << show(js);

  auto style = server.get("/api/docs/swagger-ui.css");
  ASSERT_TRUE(has_status(style, 200));
  EXPECT_EQ(style.body, css);
  EXPECT_TRUE(style.header("content-type").starts_with("text/css")) << show(style);

  auto init = server.get("/api/docs/swagger-init.js");
  ASSERT_TRUE(has_status(init, 200));
  EXPECT_NE(init.body.find("/api/openapi.yaml"), std::string::npos) << show(init);

  EXPECT_TRUE(is_problem(server.get("/api/docs/missing.js"), 404));
}

TEST(SystemRoutes, SwaggerUiWithoutAssetsIs503Problem) {
  ServerProcess server;  // the harness's swagger dir is empty
  EXPECT_TRUE(is_problem(server.get("/api/docs"), 503));
}

TEST(SystemRoutes, UnknownApiRouteIs404Problem) {
  ServerProcess server;
  for (const char* target : {"/api/no-such-thing", "/api/crews/x/y/z", "/api"}) {
    auto r = server.get(target);
    EXPECT_TRUE(is_problem(r, 404)) << target;
  }
  auto post = server.request("POST", "/api/no-such-thing", R"({"a":1})");
  EXPECT_TRUE(is_problem(post, 404));
}

TEST(SystemRoutes, WrongMethodIs405WithAllow) {
  ServerProcess server;
  for (const char* method : {"POST", "DELETE", "PUT"}) {
    auto r = server.request(method, "/healthz", method == std::string("DELETE") ? "" : "{}");
    ASSERT_TRUE(is_problem(r, 405)) << method;
    EXPECT_EQ(r.header("allow"), "GET") << show(r);
  }
  auto r = server.request("POST", "/api/openapi.yaml", "{}");
  EXPECT_TRUE(is_problem(r, 405));
  EXPECT_NE(r.header("allow").find("GET"), std::string::npos) << show(r);
}

TEST(SystemRoutes, NotBuiltPageWhenWebDirIsEmpty) {
  ServerProcess server;  // the harness's web dir is empty
  for (const char* target : {"/", "/crews/123"}) {
    SCOPED_TRACE(target);
    auto r = server.get(target);
    EXPECT_TRUE(has_status(r, 200));
    EXPECT_TRUE(r.header("content-type").starts_with("text/html")) << show(r);
    EXPECT_NE(r.body.find("/api/docs"), std::string::npos) << show(r);
  }
  EXPECT_TRUE(is_problem(server.get("/assets/missing.js"), 404));
}

TEST(SystemRoutes, WebUiIsServedWithClientSideRoutes) {
  TempDir web("aop-web-");
  const std::string index = "<!doctype html><title>AOP test shell</title><div id=root></div>\n";
  const std::string app = "console.log('app');\n";
  write_file(web / "index.html", index);
  write_file(web / "assets" / "app-AbCd1234.js", app);
  ServerProcess server(ServerOptions::with_args({"--web-dir", web.path().string()}));

  auto root = server.get("/");
  ASSERT_TRUE(has_status(root, 200));
  EXPECT_EQ(root.body, index);
  auto asset = server.get("/assets/app-AbCd1234.js");
  ASSERT_TRUE(has_status(asset, 200));
  EXPECT_EQ(asset.body, app);
  auto client_route = server.get("/crews/123/edit");
  ASSERT_TRUE(has_status(client_route, 200));
  EXPECT_EQ(client_route.body, index) << "client-side routes get the app shell";
  EXPECT_TRUE(is_problem(server.get("/assets/missing.js"), 404));
  EXPECT_TRUE(is_problem(server.get("/api/missing"), 404)) << "/api/ paths never fall back to the web UI";
}

}  // namespace
}  // namespace aop::test
