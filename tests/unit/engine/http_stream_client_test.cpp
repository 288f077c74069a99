// The outgoing HTTP client on its own: heads and bodies, URLs, and TLS verification against
// a server with a throw-away certificate.
#include <gtest/gtest.h>

#include "engine/llm/http_stream_client.hpp"
#include "engine/llm/llm_types.hpp"
#include "fixtures/fake_llm_server.hpp"
#include "fixtures/tls_test_server.hpp"
#include "llm_test_support.hpp"

using namespace aop::engine::llm;
using aop::test::FakeLlmServer;
using aop::test::FakeReply;
using aop::test::llm_error_of;
using aop::test::run_coroutine;
using aop::test::TlsTestServer;
using namespace std::chrono_literals;
using Kind = LlmError::Kind;

namespace {

struct Collected {
  std::string body;
  int pieces = 0;
  BodyHandler handler = [this](const HttpResponseHead&, std::string_view data) {
    body.append(data);
    ++pieces;
  };
};

HttpPost post_to(std::string url) {
  HttpPost post;
  post.url = std::move(url);
  post.body = R"({"hello": "world"})";
  post.timeout = 5s;
  return post;
}

TEST(HttpStreamClient, ReturnsTheHeadAndDeliversTheBodyAndSendsHeaders) {
  FakeLlmServer server;
  server.enqueue(FakeReply::error(418, "short and stout", {{"X-Teapot", "yes"}}));
  HttpStreamClient client;
  auto post = post_to(server.openai_url() + "/chat/completions?trace=1");
  post.headers = {{"X-Custom", "value"}};
  Collected got;

  auto head = run_coroutine(client.post(post, got.handler));

  EXPECT_EQ(head.status, 418);
  EXPECT_EQ(head.header("X-Teapot"), "yes") << "looked up in any case";
  EXPECT_EQ(got.body, "short and stout");
  auto sent = server.requests().at(0);
  EXPECT_EQ(sent.target, "/v1/chat/completions?trace=1");
  EXPECT_EQ(sent.header("x-custom"), "value");
  EXPECT_EQ(sent.header("host"), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(sent.header("user-agent").rfind("aop/", 0), 0u);
  EXPECT_EQ(sent.body, post.body);
}

TEST(HttpStreamClient, UnusableUrlsAreBadRequests) {
  HttpStreamClient client;
  Collected got;
  for (const char* url : {"ftp://example.com/v1", "not a url", "http:///v1"}) {
    auto error = llm_error_of(client.post(post_to(url), got.handler));
    ASSERT_TRUE(error) << url;
    EXPECT_EQ(error->kind(), Kind::bad_request) << url << ": " << error->what();
  }
}

TEST(HttpStreamClient, HttpsToAPlainHttpServerFailsFast) {
  FakeLlmServer server;
  HttpStreamClient client;
  Collected got;
  auto start = std::chrono::steady_clock::now();
  auto error = llm_error_of(client.post(post_to("https://127.0.0.1:" + std::to_string(server.port()) + "/v1"), got.handler));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::network) << error->what();
  EXPECT_LT(aop::test::elapsed_since(start), 2s);
}

TEST(HttpStreamClient, TlsRefusesACertificateTheSystemStoreDoesNotTrust) {
  TlsTestServer server("data: secret\n\n");
  HttpStreamClient client;
  Collected got;
  auto error = llm_error_of(client.post(post_to("https://localhost:" + std::to_string(server.port()) + "/v1"), got.handler));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::network);
  EXPECT_NE(std::string(error->what()).find("certificate"), std::string::npos) << error->what();
  EXPECT_EQ(got.body, "");
}

TEST(HttpStreamClient, TlsWithATrustedCertificateStreamsTheBody) {
  TlsTestServer server("data: {\"ok\": true}\n\n");
  HttpStreamClient client(HttpStreamClient::Options{.extra_ca_pem = server.certificate_pem()});
  Collected got;
  auto head = run_coroutine(client.post(post_to("https://localhost:" + std::to_string(server.port()) + "/v1/messages"), got.handler));
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-type"), "text/event-stream");
  EXPECT_EQ(got.body, "data: {\"ok\": true}\n\n");
  EXPECT_EQ(server.handshakes(), 1u);
}

TEST(HttpStreamClient, TlsChecksTheHostName) {
  // Trusted certificate, wrong name: it is for "localhost", not for 127.0.0.1.
  TlsTestServer server("data: x\n\n");
  HttpStreamClient client(HttpStreamClient::Options{.extra_ca_pem = server.certificate_pem()});
  Collected got;
  auto error = llm_error_of(client.post(post_to("https://127.0.0.1:" + std::to_string(server.port()) + "/v1"), got.handler));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::network) << error->what();
  EXPECT_EQ(got.body, "");
}

}  // namespace
