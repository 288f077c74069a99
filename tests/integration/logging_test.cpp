// What `aop serve` writes to its log (stdout): access lines, JSON format, levels.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "support/http_assertions.hpp"
#include "support/server_process.hpp"

namespace aop::test {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(line);
  return out;
}

std::string line_containing(const std::string& text, const std::string& needle) {
  for (const auto& line : lines_of(text))
    if (line.find(needle) != std::string::npos) return line;
  return {};
}

TEST(Logging, AccessLineHasMethodRouteStatusDurationAndRequestId) {
  ServerProcess server;
  ASSERT_TRUE(is_problem(server.get("/api/docs/missing.js", {{"X-Request-Id", "it-log-0001"}}), 404));
  ASSERT_TRUE(server.wait_for_log("request_id=it-log-0001")) << server.diagnostics();
  auto line = line_containing(server.log(), "request_id=it-log-0001");
  EXPECT_NE(line.find("method=GET"), std::string::npos) << line;
  EXPECT_NE(line.find("route=/api/docs/{file}"), std::string::npos) << line;
  EXPECT_NE(line.find("path=/api/docs/missing.js"), std::string::npos) << line;
  EXPECT_NE(line.find("status=404"), std::string::npos) << line;
  EXPECT_TRUE(std::regex_search(line, std::regex(R"(duration_ms=[0-9]+(\.[0-9]+)?)"))) << line;
  EXPECT_TRUE(std::regex_search(line, std::regex(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)"))) << "timestamped: " << line;
}

TEST(Logging, UnmatchedAndRejectedRequestsAreLoggedToo) {
  ServerProcess server;
  server.get("/api/no-such-thing", {{"X-Request-Id", "it-log-0002"}});
  server.request("POST", "/healthz", "{}", {{"X-Request-Id", "it-log-0003"}});
  ASSERT_TRUE(server.wait_for_log("request_id=it-log-0003")) << server.diagnostics();
  ASSERT_TRUE(server.wait_for_log("request_id=it-log-0002")) << server.diagnostics();
  auto unmatched = line_containing(server.log(), "request_id=it-log-0002");
  EXPECT_NE(unmatched.find("status=404"), std::string::npos) << unmatched;
  auto wrong_method = line_containing(server.log(), "request_id=it-log-0003");
  EXPECT_NE(wrong_method.find("method=POST"), std::string::npos) << wrong_method;
  EXPECT_NE(wrong_method.find("route=/healthz"), std::string::npos) << wrong_method;
  EXPECT_NE(wrong_method.find("status=405"), std::string::npos) << wrong_method;
}

TEST(Logging, JsonFormatWritesOneJsonObjectPerLine) {
  ServerProcess server(ServerOptions::with_args({"--log-format", "json"}));
  ASSERT_TRUE(has_status(server.get("/readyz", {{"X-Request-Id", "it-json-\"quoted\\"}}), 200));
  ASSERT_TRUE(server.wait_for_log("it-json-")) << server.diagnostics();
  server.terminate(SIGTERM);
  auto status = server.wait_exit(5s);
  ASSERT_TRUE(status && status->success()) << server.diagnostics();

  auto lines = lines_of(server.log());
  ASSERT_GE(lines.size(), 3u) << server.diagnostics();  // start-up, access, shutdown at least
  bool found_access = false, found_shutdown = false;
  for (const auto& line : lines) {
    boost::json::value doc;
    try {
      doc = boost::json::parse(line);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "not JSON (" << e.what() << "): " << line;
      continue;
    }
    ASSERT_TRUE(doc.is_object()) << line;
    const auto& obj = doc.as_object();
    for (const char* key : {"ts", "level", "msg"})
      EXPECT_TRUE(obj.contains(key) && obj.at(key).is_string()) << "missing string \"" << key << "\": " << line;
    if (!obj.contains("msg") || !obj.at("msg").is_string()) continue;
    std::string msg(obj.at("msg").as_string());
    if (msg.find("request_id=it-json-\"quoted\\") != std::string::npos) {
      found_access = true;
      EXPECT_NE(msg.find("route=/readyz"), std::string::npos) << line;
      EXPECT_NE(msg.find("status=200"), std::string::npos) << line;
    }
    if (msg.find("shutting down") != std::string::npos) found_shutdown = true;
  }
  EXPECT_TRUE(found_access) << "the access line (with its quotes and backslash escaped) is missing\n"
                            << server.diagnostics();
  EXPECT_TRUE(found_shutdown) << server.diagnostics();
}

TEST(Logging, LogLevelWarnDropsAccessLines) {
  ServerProcess server(ServerOptions::with_args({"--log-level", "warn"}));
  ASSERT_TRUE(has_status(server.get("/healthz", {{"X-Request-Id", "it-quiet-0001"}}), 200));
  server.terminate(SIGTERM);
  auto status = server.wait_exit(5s);
  ASSERT_TRUE(status && status->success()) << server.diagnostics();
  EXPECT_EQ(server.log().find("it-quiet-0001"), std::string::npos) << server.diagnostics();
  EXPECT_EQ(server.log().find(" info "), std::string::npos) << server.diagnostics();
}

}  // namespace
}  // namespace aop::test
