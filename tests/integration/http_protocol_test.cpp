// HTTP protocol behaviour of the real binary: limits, malformed input, timeouts, keep-alive and
// request ids. Raw sockets where a well-behaved client cannot produce the input.
#include <gtest/gtest.h>

#include <regex>

#include "support/http_assertions.hpp"
#include "support/server_process.hpp"

namespace aop::test {
namespace {

using namespace std::chrono_literals;

HttpResult parse_or_fail(const std::string& raw) {
  try {
    return parse_response(raw);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "no complete HTTP response (" << e.what() << "); received " << raw.size() << " bytes:\n"
                  << raw.substr(0, 2000);
    return {};
  }
}

std::string hex(std::size_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%zx", n);
  return buf;
}

TEST(HttpLimits, BodyOverMaxBodyBytesIs413Problem) {
  ServerProcess server(ServerOptions::with_args({"--max-body-bytes", "1024"}));
  // At the limit the body is read and the request routed (no such route: 404).
  EXPECT_TRUE(is_problem(server.request("POST", "/api/no-such-thing", std::string(1024, 'x'),
                                        {{"Content-Type", "text/plain"}}),
                         404));
  auto r = server.request("POST", "/api/no-such-thing", std::string(1025, 'x'), {{"Content-Type", "text/plain"}});
  EXPECT_TRUE(is_problem(r, 413));
  EXPECT_FALSE(r.header("x-request-id").empty()) << show(r);
  // The server still serves new connections.
  EXPECT_TRUE(has_status(server.get("/healthz"), 200));
}

TEST(HttpLimits, DeclaredOversizedBodyIsRefusedBeforeItIsSent) {
  ServerProcess server(ServerOptions::with_args({"--max-body-bytes", "1024"}));
  RawConnection conn(server.port());
  conn.send(
      "POST /api/no-such-thing HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
      "Content-Length: 1000000\r\nExpect: 100-continue\r\n\r\n");
  auto r = parse_or_fail(conn.read_response(5s));
  EXPECT_TRUE(is_problem(r, 413));
}

TEST(HttpLimits, ChunkedBodyOverMaxBodyBytesIs413Problem) {
  ServerProcess server(ServerOptions::with_args({"--max-body-bytes", "1024"}));
  std::string chunk(2000, 'y');
  std::string request =
      "POST /api/no-such-thing HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
      "Transfer-Encoding: chunked\r\n\r\n" +
      hex(chunk.size()) + "\r\n" + chunk + "\r\n0\r\n\r\n";
  RawConnection conn(server.port());
  conn.send(request);
  auto r = parse_or_fail(conn.read_until_close(5s));
  EXPECT_TRUE(is_problem(r, 413));
}

TEST(HttpLimits, OversizedHeadersAre431Problem) {
  ServerProcess server;
  // Just under the default 8 KiB header limit: fine.
  auto ok = server.get("/healthz", {{"X-Padding", std::string(7000, 'a')}});
  EXPECT_TRUE(has_status(ok, 200));
  auto raw = raw_exchange(server.port(),
                          "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(9000, 'a') + "\r\n\r\n", 5s);
  auto r = parse_or_fail(raw);
  EXPECT_TRUE(is_problem(r, 431));
  EXPECT_FALSE(r.header("x-request-id").empty()) << show(r);
}

TEST(HttpLimits, MaxHeaderBytesIsConfigurable) {
  ServerProcess server(ServerOptions::with_args({"--max-header-bytes", "2048"}));
  auto raw = raw_exchange(server.port(),
                          "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(3000, 'a') + "\r\n\r\n", 5s);
  EXPECT_TRUE(is_problem(parse_or_fail(raw), 431));
}

TEST(HttpProtocol, MalformedRequestsAre400Problem) {
  ServerProcess server;
  for (const std::string& bad : {std::string("THIS IS NOT HTTP\r\n\r\n"),
                                 std::string("GET /healthz HTTP/7.x\r\nHost: x\r\n\r\n"),
                                 std::string("GET /healthz HTTP/1.1\r\nHost x\r\n\r\n"),
                                 std::string("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n")}) {
    SCOPED_TRACE(bad);
    auto raw = raw_exchange(server.port(), bad, 5s);
    EXPECT_TRUE(is_problem(parse_or_fail(raw), 400));
  }
  EXPECT_TRUE(has_status(server.get("/healthz"), 200)) << "the server survives malformed input";
}

TEST(HttpProtocol, SlowHeadersGet408AfterHeaderTimeout) {
  ServerProcess server(ServerOptions::with_args({"--header-timeout-ms", "200"}));
  auto started = std::chrono::steady_clock::now();
  auto raw = raw_exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n", 5s);
  auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(is_problem(parse_or_fail(raw), 408));
  EXPECT_GE(elapsed, 150ms);
  EXPECT_LT(elapsed, 3s) << "the 200 ms header timeout was not applied";
}

TEST(HttpProtocol, KeepAliveServesSeveralRequestsThenIdleTimeoutCloses) {
  ServerProcess server(ServerOptions::with_args({"--idle-timeout-ms", "300"}));
  RawConnection conn(server.port());
  for (int i = 0; i < 3; ++i) {
    conn.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    auto r = parse_or_fail(conn.read_response(5s));
    ASSERT_TRUE(has_status(r, 200)) << "request " << i << " on one connection";
  }
  auto idle_since = std::chrono::steady_clock::now();
  EXPECT_TRUE(conn.closed_by_peer(5s)) << "idle connection not closed";
  auto elapsed = std::chrono::steady_clock::now() - idle_since;
  EXPECT_LT(elapsed, 3s) << "the 300 ms idle timeout was not applied";
}

TEST(HttpProtocol, ConnectionCloseIsHonoured) {
  ServerProcess server;
  RawConnection conn(server.port());
  conn.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  auto raw = conn.read_until_close(5s);
  EXPECT_TRUE(has_status(parse_or_fail(raw), 200));
  EXPECT_TRUE(conn.closed_by_peer(1s));
}

const std::regex k_uuid(R"([0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})");

TEST(RequestId, GeneratedWhenAbsent) {
  ServerProcess server;
  auto a = server.get("/healthz");
  auto b = server.get("/healthz");
  auto c = server.get("/api/no-such-thing");
  for (const auto* r : {&a, &b, &c})
    EXPECT_TRUE(std::regex_match(r->header("x-request-id"), k_uuid)) << show(*r);
  EXPECT_NE(a.header("x-request-id"), b.header("x-request-id"));
}

TEST(RequestId, EchoedWhenGiven) {
  ServerProcess server;
  auto r = server.get("/healthz", {{"X-Request-Id", "it-trace-0001"}});
  EXPECT_EQ(r.header("x-request-id"), "it-trace-0001") << show(r);
  auto problem = server.get("/api/no-such-thing", {{"X-Request-Id", "it-trace-0002"}});
  EXPECT_EQ(problem.header("x-request-id"), "it-trace-0002") << show(problem);
  auto not_allowed = server.request("POST", "/healthz", "{}", {{"X-Request-Id", "it-trace-0003"}});
  EXPECT_EQ(not_allowed.header("x-request-id"), "it-trace-0003") << show(not_allowed);
}

TEST(RequestId, UnsafeIdsAreReplaced) {
  ServerProcess server;
  for (const std::string& unsafe : {std::string("has spaces in it"), std::string(200, 'x')}) {
    auto r = server.get("/healthz", {{"X-Request-Id", unsafe}});
    EXPECT_TRUE(std::regex_match(r.header("x-request-id"), k_uuid)) << show(r);
  }
}

}  // namespace
}  // namespace aop::test
