#include "engine/tools/http_request_tool.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "../engine_test_support.hpp"
#include "local_http_server.hpp"
#include "test_certificate.hpp"
#include "tool_test_support.hpp"

namespace aop::test {
namespace {

using namespace std::chrono_literals;
using engine::tools::FetchLimits;
using engine::tools::HttpFetcher;
using engine::tools::HttpRequestTool;
using engine::tools::ToolResult;
namespace json = boost::json;

ToolResult call(HttpRequestTool& tool, json::object arguments,
                const engine::tools::ToolContext& context = tool_context()) {
  return run_to_completion(tool.invoke(arguments, context));
}

HttpRequestTool open_tool(FetchLimits limits = loopback_allowed()) {
  return HttpRequestTool(std::make_shared<HttpFetcher>(), limits);
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

TEST(HttpRequestTool, ShowsStatusSelectedHeadersAndBody) {
  LocalHttpServer server([](const SeenRequest&) {
    return Answer{200,
                  R"({"ok":true})",
                  "application/json",
                  {{"X-RateLimit-Remaining", "9"}, {"ETag", "\"v1\""}, {"X-Internal-Trace", "abc"}}};
  });
  auto tool = open_tool();
  auto r = call(tool, {{"url", server.url("/api/items?x=1")}});
  EXPECT_FALSE(r.is_error) << r.output;
  EXPECT_TRUE(r.output.starts_with("HTTP 200 OK\n")) << r.output;
  EXPECT_TRUE(contains(r.output, "\ncontent-type: application/json\n")) << r.output;
  EXPECT_TRUE(contains(r.output, "\ncontent-length: 11\n")) << r.output;
  EXPECT_TRUE(contains(r.output, "\nx-ratelimit-remaining: 9\n")) << r.output;
  EXPECT_TRUE(contains(r.output, "\netag: \"v1\"\n")) << r.output;
  EXPECT_FALSE(contains(r.output, "x-internal-trace")) << r.output;
  EXPECT_TRUE(r.output.ends_with("\n\n{\"ok\":true}")) << r.output;

  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].target, "/api/items?x=1");
  EXPECT_EQ(seen[0].header("host"), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(seen[0].header("accept-encoding"), "identity");
  EXPECT_TRUE(seen[0].header("user-agent").starts_with("aop/"));
  EXPECT_EQ(seen[0].body, "");
}

TEST(HttpRequestTool, SendsMethodHeadersAndJsonBodies) {
  LocalHttpServer server([](const SeenRequest& r) { return Answer{201, "created " + r.body}; });
  auto tool = open_tool();
  auto r = call(tool, {{"method", "post"},
                       {"url", server.url("/items")},
                       {"headers", {{"X-Api-Key", "k-123"}, {"X-Count", 3}}},
                       {"body", {{"name", "widget"}, {"tags", {"a", "b"}}}}});
  EXPECT_FALSE(r.is_error) << r.output;
  EXPECT_TRUE(r.output.starts_with("HTTP 201 Created\n")) << r.output;
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].header("content-type"), "application/json");
  EXPECT_EQ(seen[0].header("x-api-key"), "k-123");
  EXPECT_EQ(seen[0].header("x-count"), "3");
  EXPECT_EQ(json::parse(seen[0].body), json::parse(R"({"name":"widget","tags":["a","b"]})"));
  EXPECT_EQ(seen[0].header("content-length"), std::to_string(seen[0].body.size()));

  // A string body is sent as it is: JSON text is labelled JSON, other text plain; a caller's type wins.
  call(tool, {{"method", "PUT"}, {"url", server.url("/a")}, {"body", R"({"x": 1})"}});
  call(tool, {{"method", "PATCH"}, {"url", server.url("/b")}, {"body", "hello"}});
  call(tool, {{"method", "POST"},
              {"url", server.url("/c")},
              {"body", "a=1&b=2"},
              {"headers", {{"Content-Type", "application/x-www-form-urlencoded"}}}});
  call(tool, {{"method", "DELETE"}, {"url", server.url("/d")}});
  seen = server.requests();
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[1].method, "PUT");
  EXPECT_EQ(seen[1].body, R"({"x": 1})");
  EXPECT_EQ(seen[1].header("content-type"), "application/json");
  EXPECT_EQ(seen[2].method, "PATCH");
  EXPECT_EQ(seen[2].header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(seen[3].header("content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(seen[3].body, "a=1&b=2");
  EXPECT_EQ(seen[4].method, "DELETE");
}

TEST(HttpRequestTool, ErrorStatusesAreAnswersNotToolErrors) {
  LocalHttpServer server([](const SeenRequest& r) {
    if (r.target == "/missing") return Answer{404, "no such item", "text/plain"};
    return Answer{503, "try later", "text/plain", {{"Retry-After", "30"}}};
  });
  auto tool = open_tool();
  auto not_found = call(tool, {{"url", server.url("/missing")}});
  EXPECT_FALSE(not_found.is_error);
  EXPECT_TRUE(not_found.output.starts_with("HTTP 404 Not Found\n")) << not_found.output;
  EXPECT_TRUE(not_found.output.ends_with("\n\nno such item"));
  auto unavailable = call(tool, {{"url", server.url("/busy")}});
  EXPECT_FALSE(unavailable.is_error);
  EXPECT_TRUE(unavailable.output.starts_with("HTTP 503 Service Unavailable\n"));
  EXPECT_TRUE(contains(unavailable.output, "\nretry-after: 30\n"));
}

TEST(HttpRequestTool, TheDeadlineEndsASlowRequestInTime) {
  LocalHttpServer server([](const SeenRequest&) { return Answer{200, "late", "text/plain", {}, 3s}; });
  auto tool = open_tool();
  auto started = std::chrono::steady_clock::now();
  auto r = call(tool, {{"url", server.url("/slow")}}, tool_context(300ms));
  double elapsed = milliseconds_since(started);
  EXPECT_TRUE(r.is_error);
  EXPECT_EQ(r.output, "the request to " + server.url("/slow") +
                          " timed out waiting for the response (the tool call's time limit ran out)");
  EXPECT_GE(elapsed, 290);
  EXPECT_LT(elapsed, 600);  // at the deadline, not when the server would have answered (3 s)
}

TEST(HttpRequestTool, CancellationStopsTheRequestAtOnce) {
  LocalHttpServer server([](const SeenRequest&) { return Answer{200, "late", "text/plain", {}, 3s}; });
  auto tool = open_tool();
  auto context = tool_context(5s);
  std::chrono::steady_clock::time_point cancelled_at;
  std::thread canceller([&] {
    std::this_thread::sleep_for(150ms);
    cancelled_at = std::chrono::steady_clock::now();
    context.cancel->cancel();
  });
  EXPECT_THROW(call(tool, {{"url", server.url("/slow")}}, context), engine::Cancelled);
  auto finished = std::chrono::steady_clock::now();
  canceller.join();
  double stopped_after = std::chrono::duration<double, std::milli>(finished - cancelled_at).count();
  EXPECT_LT(stopped_after, 100);
  EXPECT_EQ(server.requests().size(), 1u);  // it was in flight, not refused up front
}

TEST(HttpRequestTool, LongBodiesAreCutAtTheCap) {
  LocalHttpServer server([](const SeenRequest&) { return Answer{200, std::string(50000, 'x'), "text/plain"}; });
  FetchLimits limits = loopback_allowed();
  limits.max_body_bytes = 1000;
  auto tool = open_tool(limits);
  auto r = call(tool, {{"url", server.url("/big")}});
  EXPECT_FALSE(r.is_error);
  EXPECT_TRUE(r.output.ends_with("\n\n" + std::string(1000, 'x') +
                                 "\n[cut: the response body was longer than 1000 bytes; only the first 1000 bytes "
                                 "were read]"))
      << r.output.substr(0, 200);
}

TEST(HttpRequestTool, LoopbackIsRefusedUnlessAllowed) {
  LocalHttpServer server([](const SeenRequest&) { return Answer{200, "secret admin page"}; });
  HttpRequestTool tool(std::make_shared<HttpFetcher>(), FetchLimits{});
  auto r = call(tool, {{"url", server.url("/admin")}});
  EXPECT_TRUE(r.is_error);
  EXPECT_EQ(r.output,
            "refused: 127.0.0.1 is a loopback address; tools may only reach public internet addresses unless an "
            "administrator allows private networks");
  auto mapped = call(tool, {{"url", "http://[::ffff:127.0.0.1]:" + std::to_string(server.port()) + "/admin"}});
  EXPECT_TRUE(mapped.is_error);
  EXPECT_TRUE(contains(mapped.output, "is a loopback address")) << mapped.output;
  EXPECT_TRUE(server.requests().empty());
}

TEST(HttpRequestTool, RedirectsAreFollowedAndReChecked) {
  LocalHttpServer other([](const SeenRequest& r) { return Answer{200, "auth=" + r.header("authorization")}; });
  LocalHttpServer server([&](const SeenRequest& r) {
    if (r.target == "/old") return Answer{301, "", "text/plain", {{"Location", "/new"}}};
    if (r.target == "/form") return Answer{303, "", "text/plain", {{"Location", "/result"}}};
    if (r.target == "/keep") return Answer{307, "", "text/plain", {{"Location", "/kept"}}};
    if (r.target == "/loop") return Answer{302, "", "text/plain", {{"Location", "/loop"}}};
    if (r.target == "/elsewhere") return Answer{302, "", "text/plain", {{"Location", other.url("/landing")}}};
    if (r.target == "/private") return Answer{302, "", "text/plain", {{"Location", "http://10.0.0.1/admin"}}};
    if (r.target == "/metadata")
      return Answer{302, "", "text/plain", {{"Location", "http://169.254.169.254/latest/meta-data/"}}};
    return Answer{200, r.method + " " + r.target + " body=" + r.body};
  });
  auto tool = open_tool();
  auto moved = call(tool, {{"url", server.url("/old")}});
  EXPECT_TRUE(moved.output.starts_with("HTTP 200 OK\n(redirected to " + server.url("/new") + ")\n")) << moved.output;
  EXPECT_TRUE(moved.output.ends_with("GET /new body="));

  // 303 turns a POST into a GET without the body; 307 keeps both.
  auto seen_after = call(tool, {{"method", "POST"}, {"url", server.url("/form")}, {"body", "data"}});
  EXPECT_TRUE(seen_after.output.ends_with("GET /result body=")) << seen_after.output;
  auto kept = call(tool, {{"method", "POST"}, {"url", server.url("/keep")}, {"body", "data"}});
  EXPECT_TRUE(kept.output.ends_with("POST /kept body=data")) << kept.output;

  auto loop = call(tool, {{"url", server.url("/loop")}});
  EXPECT_TRUE(loop.is_error);
  EXPECT_EQ(loop.output, "too many redirects (more than 5) starting from " + server.url("/loop"));

  // Credentials are not carried to another origin.
  auto moved_away = call(tool, {{"url", server.url("/elsewhere")}, {"headers", {{"Authorization", "Bearer s3cret"}}}});
  EXPECT_TRUE(moved_away.output.ends_with("\n\nauth=")) << moved_away.output;

  // With only this server allowed, a redirect to a private or metadata address is refused.
  FetchLimits only_this = FetchLimits{};
  only_this.policy.allowed_hosts = {"127.0.0.1"};
  auto strict = open_tool(only_this);
  EXPECT_FALSE(call(strict, {{"url", server.url("/old")}}).is_error);
  auto private_hop = call(strict, {{"url", server.url("/private")}});
  EXPECT_TRUE(private_hop.is_error);
  EXPECT_TRUE(private_hop.output.starts_with("refused: 10.0.0.1 is a private address")) << private_hop.output;
  auto metadata_hop = call(strict, {{"url", server.url("/metadata")}});
  EXPECT_TRUE(metadata_hop.is_error);
  EXPECT_TRUE(metadata_hop.output.starts_with("refused: 169.254.169.254 is a link-local address"));
}

TEST(HttpRequestTool, BadArgumentsAreExplained) {
  auto tool = open_tool();
  auto expect_error = [&](json::object arguments, std::string_view part) {
    auto r = call(tool, arguments);
    EXPECT_TRUE(r.is_error) << json::serialize(arguments);
    EXPECT_TRUE(contains(r.output, part)) << r.output;
  };
  expect_error({}, "http_request needs {\"url\"");
  expect_error({{"url", "ftp://example.com/file"}}, "only http and https URLs are allowed");
  expect_error({{"url", "not a url"}}, "is not a valid absolute URL");
  expect_error({{"url", "http://user:pw@127.0.0.1/"}}, "user names and passwords in URLs are not allowed");
  expect_error({{"url", "http://127.0.0.1:99999/"}}, "port is not a number from 1 to 65535");
  expect_error({{"url", "http://127.0.0.1/"}, {"method", "TRACE"}}, "GET, POST, PUT, PATCH, DELETE or HEAD");
  expect_error({{"url", "http://127.0.0.1/"}, {"headers", {{"X-A", "a\r\nInjected: 1"}}}}, "has a line break");
  expect_error({{"url", "http://127.0.0.1/"}, {"headers", {{"Host", "evil"}}}}, "is set by the HTTP client itself");
  expect_error({{"url", "http://127.0.0.1/"}, {"headers", {{"Bad Name", "x"}}}}, "has characters header names");
  expect_error({{"url", "http://127.0.0.1/"}, {"headers", "x"}}, "\"headers\" must be an object");
  expect_error({{"url", "http://127.0.0.1/"}, {"body", 12}}, "\"body\" must be a string");
}

TEST(HttpRequestTool, HeadBinaryAndUnreachable) {
  LocalHttpServer server([](const SeenRequest& r) {
    if (r.target == "/logo.png") return Answer{200, std::string("\x89PNG\r\n\x1a\n\0\0", 10), "image/png"};
    return Answer{200, "hello"};
  });
  auto tool = open_tool();
  auto head = call(tool, {{"method", "HEAD"}, {"url", server.url("/")}});
  EXPECT_FALSE(head.is_error);
  EXPECT_TRUE(head.output.ends_with("\n\n(empty body)")) << head.output;
  auto binary = call(tool, {{"url", server.url("/logo.png")}});
  EXPECT_TRUE(binary.output.ends_with("\n\n[binary body of 10 bytes (image/png); not shown]")) << binary.output;

  std::uint16_t closed_port;
  {
    LocalHttpServer gone([](const SeenRequest&) { return Answer{}; });
    closed_port = gone.port();
  }
  auto refused = call(tool, {{"url", "http://127.0.0.1:" + std::to_string(closed_port) + "/"}});
  EXPECT_TRUE(refused.is_error);
  EXPECT_TRUE(refused.output.starts_with("cannot connect to http://127.0.0.1:" + std::to_string(closed_port) + "/: "))
      << refused.output;
}

// HTTPS against a server whose certificate is trusted through the extra CA file only.
class HttpsRequest : public ::testing::Test {
 protected:
  void use_certificate(const char* subject_alt_names) {
    certificate_ = make_test_certificate(subject_alt_names);
    ca_file_ = std::make_unique<TempFile>(certificate_.certificate_pem);
    server_tls_.use_certificate_chain(boost::asio::buffer(certificate_.certificate_pem));
    server_tls_.use_private_key(boost::asio::buffer(certificate_.private_key_pem), boost::asio::ssl::context::pem);
  }
  TestCertificate certificate_;
  std::unique_ptr<TempFile> ca_file_;
  boost::asio::ssl::context server_tls_{boost::asio::ssl::context::tls_server};
};

TEST_F(HttpsRequest, VerifiesTheCertificateAndSendsTheServerName) {
  use_certificate("DNS:localhost,IP:127.0.0.1");
  LocalHttpServer server([](const SeenRequest& r) { return Answer{200, "secure " + r.target}; }, &server_tls_);
  HttpRequestTool tool(std::make_shared<HttpFetcher>(ca_file_->path()), loopback_allowed());
  auto by_ip = call(tool, {{"url", server.url("/ip")}});
  EXPECT_FALSE(by_ip.is_error) << by_ip.output;
  EXPECT_TRUE(by_ip.output.ends_with("\n\nsecure /ip")) << by_ip.output;
  auto by_name = call(tool, {{"url", "https://localhost:" + std::to_string(server.port()) + "/name"}});
  EXPECT_FALSE(by_name.is_error) << by_name.output;
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].server_name, "");  // no SNI for an IP address
  EXPECT_EQ(seen[1].server_name, "localhost");
}

TEST_F(HttpsRequest, AnUntrustedCertificateIsAnError) {
  use_certificate("DNS:localhost,IP:127.0.0.1");
  LocalHttpServer server([](const SeenRequest&) { return Answer{200, "should not be read"}; }, &server_tls_);
  HttpRequestTool tool(std::make_shared<HttpFetcher>(), loopback_allowed());  // system store only
  auto r = call(tool, {{"url", server.url("/")}});
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(r.output.starts_with("the TLS handshake with " + server.url("/") + " failed: ")) << r.output;
  EXPECT_TRUE(contains(r.output, "certificate verify failed")) << r.output;
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(HttpsRequest, TheCertificateMustNameTheHost) {
  use_certificate("DNS:example.com");  // trusted, but for another host
  LocalHttpServer server([](const SeenRequest&) { return Answer{200, "should not be read"}; }, &server_tls_);
  HttpRequestTool tool(std::make_shared<HttpFetcher>(ca_file_->path()), loopback_allowed());
  for (std::string host : {"127.0.0.1", "localhost"}) {
    auto r = call(tool, {{"url", "https://" + host + ":" + std::to_string(server.port()) + "/"}});
    EXPECT_TRUE(r.is_error) << host;
    EXPECT_TRUE(contains(r.output, "certificate verify failed")) << r.output;
  }
  EXPECT_TRUE(server.requests().empty());
}

}  // namespace
}  // namespace aop::test
