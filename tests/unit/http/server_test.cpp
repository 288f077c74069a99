// Tests of the HTTP server core through a real socket, with test-only routes registered
// here (never in the product).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "app/web_ui.hpp"
#include "core/problem.hpp"
#include "http/metrics.hpp"
#include "http/middleware.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/sse.hpp"
#include "http/static_files.hpp"
#include "support/http_client.hpp"

using namespace aop;
using namespace aop::http;
using aop::test::http_request;
using aop::test::raw_exchange;
namespace asio = boost::asio;

namespace {

class ServerFixture : public ::testing::Test {
 protected:
  void start(ServerOptions options = {}, const StaticFiles* web = nullptr) {
    options.port = 0;
    register_test_routes();
    pipeline_ = standard_pipeline(router_, metrics_, {"http://allowed.test"},
                                  web ? app::web_ui_handler(*web) : Handler{});
    server_ = std::make_unique<Server>(io_, options, router_, pipeline_, metrics_);
    port_ = server_->listen();
    thread_ = std::thread([this] { server_->run(); });
  }
  void TearDown() override {
    if (server_) server_->request_stop();
    if (thread_.joinable()) thread_.join();
  }

  void register_test_routes() {
    router_.add("GET", "/ping", [](RequestContext&) -> asio::awaitable<Reply> {
      co_return json_reply(200, {{"pong", true}});
    });
    router_.add("POST", "/echo", [](RequestContext& ctx) -> asio::awaitable<Reply> {
      co_return json_reply(200, ctx.json_body());
    });
    router_.add("PUT", "/echo", [](RequestContext& ctx) -> asio::awaitable<Reply> {
      co_return json_reply(200, ctx.json_body());
    });
    router_.add("POST", "/small", [](RequestContext& ctx) -> asio::awaitable<Reply> {
      co_return text_reply(200, std::to_string(ctx.request.body().size()));
    }, {.max_body_bytes = 16, .test_only = true});
    router_.add("GET", "/items/{id}", [](RequestContext& ctx) -> asio::awaitable<Reply> {
      co_return json_reply(200, {{"id", std::string(ctx.param("id"))},
                                 {"q", ctx.query_param("q").value_or("")}});
    });
    router_.add("GET", "/boom", [](RequestContext&) -> asio::awaitable<Reply> {
      throw std::runtime_error("secret internal detail");
      co_return empty_reply(200);
    });
    router_.add("GET", "/slow", [](RequestContext&) -> asio::awaitable<Reply> {
      asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(300));
      co_await t.async_wait(asio::use_awaitable);
      co_return json_reply(200, {{"slow", true}});
    });
    // Streams `n` events of `size` bytes, then closes with a final "done" event; or stays
    // open forever when n < 0 (to test pings and shutdown).
    router_.add("GET", "/test/sse", [this](RequestContext& ctx) -> asio::awaitable<Reply> {
      int n = std::stoi(ctx.query_param("n").value_or("3"));
      std::size_t size = std::stoul(ctx.query_param("size").value_or("5"));
      std::size_t buffer = std::stoul(ctx.query_param("buffer").value_or("64"));
      auto channel = std::make_shared<SseChannel>(buffer);
      Reply reply = empty_reply(200);
      reply.sse = channel;
      if (n >= 0) {
        producer_ = std::thread([channel, n, size, this] {
          for (int i = 0; i < n; ++i) {
            if (!channel->push({std::to_string(i + 1), "tick", std::string(size, 'x') + "\nline2"})) {
              producer_refused_ = true;
              break;
            }
          }
          channel->close(SseEvent{std::nullopt, "done", "{}"});
        });
      }
      co_return reply;
    }, {.test_only = true});
  }

  asio::io_context io_;
  Router router_;
  Metrics metrics_;
  Pipeline pipeline_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::thread producer_;
  std::atomic<bool> producer_refused_{false};
  unsigned short port_ = 0;

 public:
  ~ServerFixture() override {
    if (producer_.joinable()) producer_.join();
  }
};

}  // namespace

TEST_F(ServerFixture, ServesRoutesWithRequestIdAndSecurityHeaders) {
  start();
  auto r = http_request(port_, "GET", "/ping");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json().at("pong").as_bool(), true);
  EXPECT_EQ(r.header("x-request-id").size(), 36u) << "a UUID is generated when absent";
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  r = http_request(port_, "GET", "/ping", "", {{"X-Request-Id", "abc-123"}});
  EXPECT_EQ(r.header("x-request-id"), "abc-123") << "a caller's id is echoed";
  r = http_request(port_, "GET", "/items/a%20b?q=x%26y");
  EXPECT_EQ(r.json().at("id").as_string(), "a b");
  EXPECT_EQ(r.json().at("q").as_string(), "x&y");
}

TEST_F(ServerFixture, UnknownRouteIs404AndWrongMethodIs405WithAllow) {
  start();
  auto r = http_request(port_, "GET", "/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_EQ(r.json().at("status").as_int64(), 404);
  r = http_request(port_, "DELETE", "/echo");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("allow"), "POST, PUT");
  EXPECT_EQ(r.json().at("title").as_string(), "Method Not Allowed");
}

TEST_F(ServerFixture, MalformedJsonIs400WithPosition) {
  start();
  auto r = http_request(port_, "POST", "/echo", "{\n  \"a\": 1,\n  \"b\": }");
  EXPECT_EQ(r.status, 400);
  auto detail = std::string(r.json().at("detail").as_string());
  EXPECT_NE(detail.find("line 3"), std::string::npos) << detail;
  EXPECT_EQ(r.json().at("errors").as_array()[0].at("path").as_string(), "body");
  r = http_request(port_, "POST", "/echo", "{\"a\":1} trailing");
  EXPECT_EQ(r.status, 400) << "trailing garbage is malformed";
  r = http_request(port_, "POST", "/echo", "{\"a\":1}", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(r.status, 415);
  r = http_request(port_, "POST", "/echo", "{\"a\":[1,2]}");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json().at("a").as_array().size(), 2u);
}

TEST_F(ServerFixture, UnexpectedErrorsAre500WithoutLeakingDetails) {
  start();
  auto r = http_request(port_, "GET", "/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret internal detail"), std::string::npos);
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
}

TEST_F(ServerFixture, OversizedBodiesAre413BeforeReading) {
  ServerOptions o;
  o.max_body_bytes = 1024;
  start(o);
  auto r = http_request(port_, "POST", "/echo", "[" + std::string(2000, '1') + "]");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  r = http_request(port_, "POST", "/small", std::string(17, 'x'), {{"Content-Type", "text/plain"}});
  EXPECT_EQ(r.status, 413) << "per-route limit of 16 bytes";
  r = http_request(port_, "POST", "/small", std::string(16, 'x'), {{"Content-Type", "text/plain"}});
  EXPECT_EQ(r.status, 200);
  // Chunked bodies have no Content-Length; the limit applies while reading.
  std::string chunked = "POST /small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "a\r\n0123456789\r\na\r\n0123456789\r\n0\r\n\r\n";
  auto raw = raw_exchange(port_, chunked);
  EXPECT_EQ(raw.rfind("HTTP/1.1 413", 0), 0u) << raw;
}

TEST_F(ServerFixture, OversizedHeadersAre431) {
  start();
  std::string req = "GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n";
  auto raw = raw_exchange(port_, req);
  EXPECT_EQ(raw.rfind("HTTP/1.1 431", 0), 0u) << raw.substr(0, 200);
}

TEST_F(ServerFixture, SlowHeadersAre408AndIdleConnectionsClose) {
  ServerOptions o;
  o.header_timeout = std::chrono::milliseconds(200);
  o.idle_timeout = std::chrono::milliseconds(200);
  start(o);
  auto t0 = std::chrono::steady_clock::now();
  auto raw = raw_exchange(port_, "GET /ping HTTP/1.1\r\nHost: x\r\n", std::chrono::seconds(3));
  EXPECT_EQ(raw.rfind("HTTP/1.1 408", 0), 0u) << raw;
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  // A connection that never sends anything is closed silently after the idle timeout.
  t0 = std::chrono::steady_clock::now();
  raw = raw_exchange(port_, "", std::chrono::seconds(3));
  EXPECT_EQ(raw, "");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
}

TEST_F(ServerFixture, MalformedRequestLineIs400) {
  start();
  auto raw = raw_exchange(port_, "THIS IS NOT HTTP\r\n\r\n");
  EXPECT_EQ(raw.rfind("HTTP/1.1 400", 0), 0u) << raw;
}

TEST_F(ServerFixture, KeepAliveServesSeveralRequestsOnOneConnection) {
  start();
  std::string two = "GET /ping HTTP/1.1\r\nHost: x\r\n\r\nGET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  auto raw = raw_exchange(port_, two);
  std::size_t first = raw.find("HTTP/1.1 200");
  ASSERT_NE(first, std::string::npos);
  EXPECT_NE(raw.find("HTTP/1.1 200", first + 1), std::string::npos) << raw;
}

TEST_F(ServerFixture, ConnectionCapAnswers503) {
  ServerOptions o;
  o.max_connections = 2;
  start(o);
  asio::io_context io;
  asio::ip::tcp::socket a(io), b(io);
  a.connect({asio::ip::make_address("127.0.0.1"), port_});
  b.connect({asio::ip::make_address("127.0.0.1"), port_});
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto raw = raw_exchange(port_, "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(raw.rfind("HTTP/1.1 503", 0), 0u) << raw;
}

TEST_F(ServerFixture, CorsAllowsConfiguredOriginsOnly) {
  start();
  auto r = http_request(port_, "OPTIONS", "/echo", "",
                        {{"Origin", "http://allowed.test"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.header("access-control-allow-origin"), "http://allowed.test");
  r = http_request(port_, "OPTIONS", "/echo", "",
                   {{"Origin", "http://evil.test"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.header("access-control-allow-origin"), "");
  r = http_request(port_, "GET", "/ping", "", {{"Origin", "http://allowed.test"}});
  EXPECT_EQ(r.header("access-control-allow-origin"), "http://allowed.test");
}

TEST_F(ServerFixture, SseStreamsFramedEventsThenEnds) {
  start();
  auto r = aop::test::http_stream(port_, "/test/sse?n=3");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/event-stream; charset=utf-8");
  EXPECT_EQ(r.header("cache-control"), "no-cache");
  EXPECT_EQ(r.body,
            "id: 1\nevent: tick\ndata: xxxxx\ndata: line2\n\n"
            "id: 2\nevent: tick\ndata: xxxxx\ndata: line2\n\n"
            "id: 3\nevent: tick\ndata: xxxxx\ndata: line2\n\n"
            "event: done\ndata: {}\n\n");
}

TEST_F(ServerFixture, SseSendsPingsWhileIdle) {
  ServerOptions o;
  o.sse_ping_interval = std::chrono::milliseconds(50);
  start(o);
  auto r = aop::test::http_stream(port_, "/test/sse?n=-1", {}, std::chrono::milliseconds(400));
  EXPECT_GE(std::count(r.body.begin(), r.body.end(), ':'), 3) << r.body;
  EXPECT_NE(r.body.find(": ping\n\n"), std::string::npos);
}

TEST_F(ServerFixture, SlowSseClientIsDroppedWithoutBlockingTheProducer) {
  start();
  // The client connects but does not read while 200 events of 64 KiB are produced into a
  // buffer of 16: the producer must be refused (never blocked) and the stream must end with
  // a "dropped" event.
  asio::io_context io;
  asio::ip::tcp::socket s(io);
  s.connect({asio::ip::make_address("127.0.0.1"), port_});
  std::string req = "GET /test/sse?n=200&size=65536&buffer=16 HTTP/1.1\r\nHost: x\r\n\r\n";
  asio::write(s, asio::buffer(req));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!producer_refused_ && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(producer_refused_) << "the producer was told the client is gone";
  std::string all;
  char buf[65536];
  boost::system::error_code ec;
  while (!ec) {
    auto n = s.read_some(asio::buffer(buf), ec);
    all.append(buf, n);
  }
  EXPECT_NE(all.find("event: dropped"), std::string::npos);
  EXPECT_EQ(all.find("event: done"), std::string::npos);
}

TEST_F(ServerFixture, GracefulShutdownFinishesInFlightRequestsAndEndsStreams) {
  ServerOptions o;
  o.shutdown_timeout = std::chrono::seconds(5);
  start(o);
  std::thread sse_client([this] {
    auto r = aop::test::http_stream(port_, "/test/sse?n=-1", {}, std::chrono::seconds(5));
    EXPECT_NE(r.body.find("event: shutdown"), std::string::npos) << r.body;
  });
  test::HttpResult slow;
  std::thread slow_client([&] { slow = http_request(port_, "GET", "/slow"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto t0 = std::chrono::steady_clock::now();
  server_->request_stop();
  thread_.join();
  slow_client.join();
  sse_client.join();
  EXPECT_EQ(slow.status, 200) << "the in-flight request completed";
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
}

TEST_F(ServerFixture, MetricsCountRequestsByRoute) {
  start();
  http_request(port_, "GET", "/items/1");
  http_request(port_, "GET", "/items/2");
  auto text = metrics_.render();
  EXPECT_NE(text.find("aop_http_requests_total{route=\"/items/{id}\",method=\"GET\",status=\"200\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("aop_http_request_duration_seconds_count{route=\"/items/{id}\"} 2"), std::string::npos);
  EXPECT_NE(text.find("aop_process_resident_memory_bytes"), std::string::npos);
}

TEST_F(ServerFixture, StaticFilesWithSpaFallbackEtagAndGzip) {
  auto dir = std::filesystem::temp_directory_path() / ("aop-web-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "assets");
  std::ofstream(dir / "index.html") << "<html>app</html>";
  std::ofstream(dir / "assets" / "app-AbCdEf12.js") << "console.log(1)";
  std::ofstream(dir / "assets" / "app-AbCdEf12.js.gz") << "GZIPPED";
  std::ofstream(dir / "assets" / "app-AbCdEf12.js.br") << "BROTLI";
  auto web = StaticFiles::load(dir.string());
  start({}, &web);

  auto r = http_request(port_, "GET", "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "<html>app</html>");
  EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.header("cache-control"), "no-cache");
  auto etag = r.header("etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_FALSE(r.header("last-modified").empty());

  r = http_request(port_, "GET", "/", "", {{"If-None-Match", etag}});
  EXPECT_EQ(r.status, 304);

  r = http_request(port_, "GET", "/crews/123/edit");
  EXPECT_EQ(r.body, "<html>app</html>") << "client-side routes get the app shell";

  r = http_request(port_, "GET", "/assets/app-AbCdEf12.js");
  EXPECT_EQ(r.body, "console.log(1)");
  EXPECT_EQ(r.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(r.header("cache-control"), "public, max-age=31536000, immutable");
  r = http_request(port_, "GET", "/assets/app-AbCdEf12.js", "", {{"Accept-Encoding", "gzip, deflate, br"}});
  EXPECT_EQ(r.body, "BROTLI");
  EXPECT_EQ(r.header("content-encoding"), "br");
  r = http_request(port_, "GET", "/assets/app-AbCdEf12.js", "", {{"Accept-Encoding", "gzip;q=1, br;q=0"}});
  EXPECT_EQ(r.body, "GZIPPED");
  EXPECT_EQ(r.header("content-encoding"), "gzip");
  r = http_request(port_, "GET", "/assets/app-AbCdEf12.js", "", {{"Accept-Encoding", "x-gzip-ish"}});
  EXPECT_EQ(r.body, "console.log(1)");
  EXPECT_EQ(r.header("content-encoding"), "") << "an unknown coding gets the plain file";
  r = http_request(port_, "GET", "/assets/app-AbCdEf12.js.br");
  EXPECT_EQ(r.status, 404) << "precompressed siblings are not files of their own";

  r = http_request(port_, "GET", "/assets/missing.js");
  EXPECT_EQ(r.status, 404);
  r = http_request(port_, "GET", "/api/unknown");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.header("content-type"), "application/problem+json") << "API paths never get the SPA";
  std::filesystem::remove_all(dir);
}
