// Process lifecycle of `aop serve`: start-up, graceful shutdown on SIGTERM/SIGINT, restart on
// the same data, recovery after SIGKILL.
#include <gtest/gtest.h>

#include <cstdio>
#include <regex>

#include "support/http_assertions.hpp"
#include "support/server_process.hpp"

namespace aop::test {
namespace {

using namespace std::chrono_literals;

TEST(Lifecycle, StartsQuickly) {
  ServerProcess server;
  auto ms = server.startup_time().count();
  std::printf("[ startup  ] %s: spawn to first /healthz 200 in %.1f ms\n", server.dialect().c_str(), ms);
  EXPECT_LT(ms, 5000.0) << server.diagnostics();
  EXPECT_TRUE(server.wait_for_log("listening on http://127.0.0.1:" + std::to_string(server.port())))
      << server.diagnostics();
}

void expect_graceful_exit(ServerProcess& server, int signal) {
  auto sent = std::chrono::steady_clock::now();
  server.terminate(signal);
  auto status = server.wait_exit(5s);
  ASSERT_TRUE(status.has_value()) << "still running 5 s after signal " << signal << "\n" << server.diagnostics();
  EXPECT_TRUE(status->success()) << status->describe() << "\n" << server.diagnostics();
  EXPECT_LT(std::chrono::steady_clock::now() - sent, 2s) << "no connections were open; shutdown should be prompt";
  auto log = server.log();
  EXPECT_NE(log.find("shutting down"), std::string::npos) << server.diagnostics();
  EXPECT_NE(log.find("stopped"), std::string::npos) << server.diagnostics();
}

TEST(Lifecycle, SigtermExitsZeroAndLogsShutdown) {
  ServerProcess server;
  ASSERT_TRUE(has_status(server.get("/readyz"), 200));
  expect_graceful_exit(server, SIGTERM);
}

TEST(Lifecycle, SigintExitsZeroAndLogsShutdown) {
  ServerProcess server;
  expect_graceful_exit(server, SIGINT);
}

TEST(Lifecycle, IdleKeepAliveConnectionDoesNotDelayShutdown) {
  ServerProcess server(ServerOptions::with_args({"--shutdown-timeout-ms", "10000"}));
  RawConnection conn(server.port());
  conn.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(has_status(parse_response(conn.read_response(5s)), 200));
  // The connection is now idle in keep-alive; shutdown must close it rather than wait 10 s.
  auto sent = std::chrono::steady_clock::now();
  server.terminate(SIGTERM);
  auto status = server.wait_exit(8s);
  ASSERT_TRUE(status.has_value()) << "an idle keep-alive connection held up shutdown\n" << server.diagnostics();
  EXPECT_TRUE(status->success()) << status->describe();
  EXPECT_LT(std::chrono::steady_clock::now() - sent, 2s);
  EXPECT_TRUE(conn.closed_by_peer(1s));
}

// Sends the head of a POST with `Expect: 100-continue` and waits for the interim 100 response,
// which proves the server is past its idle wait and reading this request's body. (Without that
// handshake a test cannot tell whether a signal arrived before or after the server saw the bytes.)
void start_request_in_flight(RawConnection& conn, const std::string& request_id) {
  conn.send("POST /api/no-such-thing HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
            "X-Request-Id: " + request_id + "\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n");
  auto interim = conn.read_response(std::chrono::seconds(5));
  ASSERT_TRUE(interim.starts_with("HTTP/1.1 100 Continue\r\n")) << "no 100 Continue: " << interim;
}

TEST(Lifecycle, RequestInFlightFinishesDuringShutdown) {
  ServerProcess server(ServerOptions::with_args({"--shutdown-timeout-ms", "5000"}));
  RawConnection conn(server.port());
  ASSERT_NO_FATAL_FAILURE(start_request_in_flight(conn, "in-flight-1"));
  conn.send("12345");
  server.terminate(SIGTERM);
  ASSERT_TRUE(server.wait_for_log("shutting down")) << server.diagnostics();
  EXPECT_FALSE(server.wait_exit(200ms).has_value()) << "exited with a request in flight\n" << server.diagnostics();

  conn.send("67890");
  auto raw = conn.read_until_close(5s);
  HttpResult r;
  ASSERT_NO_THROW(r = parse_response(raw)) << "in-flight request got no complete response: " << raw;
  EXPECT_TRUE(is_problem(r, 404)) << "the in-flight request is answered normally";
  EXPECT_EQ(r.header("x-request-id"), "in-flight-1");
  EXPECT_EQ(lower(r.header("connection")), "close") << show(r);

  auto status = server.wait_exit(5s);
  ASSERT_TRUE(status.has_value()) << "did not exit after the last request finished\n" << server.diagnostics();
  EXPECT_TRUE(status->success()) << status->describe() << "\n" << server.diagnostics();
}

TEST(Lifecycle, NewConnectionsAreRefusedDuringShutdown) {
  ServerProcess server(ServerOptions::with_args({"--shutdown-timeout-ms", "5000"}));
  RawConnection holder(server.port());  // keeps the server in its drain phase
  ASSERT_NO_FATAL_FAILURE(start_request_in_flight(holder, "holder-1"));
  server.terminate(SIGTERM);
  ASSERT_TRUE(server.wait_for_log("shutting down")) << server.diagnostics();
  bool refused = false;
  auto deadline = std::chrono::steady_clock::now() + 2s;
  while (!refused && std::chrono::steady_clock::now() < deadline) {
    try {
      http_request(server.port(), "GET", "/healthz", {}, {}, "127.0.0.1", 500ms);
      std::this_thread::sleep_for(5ms);
    } catch (const std::exception&) {
      refused = true;
    }
  }
  EXPECT_TRUE(refused) << "the listener stayed open after SIGTERM";
  // Let the held request finish so the server can exit before its deadline.
  holder.send("0123456789");
  EXPECT_TRUE(has_status(parse_response(holder.read_until_close(5s)), 404));
  auto status = server.wait_exit(6s);
  ASSERT_TRUE(status.has_value()) << server.diagnostics();
  EXPECT_TRUE(status->success()) << status->describe() << "\n" << server.diagnostics();
}

TEST(Lifecycle, StalledRequestDoesNotBlockShutdownPastDeadline) {
  ServerProcess server(ServerOptions::with_args({"--shutdown-timeout-ms", "300", "--body-timeout-ms", "60000"}));
  RawConnection conn(server.port());
  ASSERT_NO_FATAL_FAILURE(start_request_in_flight(conn, "stalled-1"));  // the body never comes
  auto sent = std::chrono::steady_clock::now();
  server.terminate(SIGTERM);
  auto status = server.wait_exit(5s);
  ASSERT_TRUE(status.has_value()) << "the 300 ms shutdown deadline was not applied\n" << server.diagnostics();
  auto elapsed = std::chrono::steady_clock::now() - sent;
  EXPECT_TRUE(status->success()) << status->describe() << "\n" << server.diagnostics();
  EXPECT_GE(elapsed, 250ms) << "exited before the deadline although a request was in flight";
  EXPECT_LT(elapsed, 3s);
  EXPECT_NE(server.log().find("shutdown deadline reached"), std::string::npos) << server.diagnostics();
}

TEST(Lifecycle, RestartKeepsData) {
  ServerProcess server;
  ASSERT_TRUE(has_status(server.get("/readyz"), 200));
  auto migrations = server.database().query_scalar("SELECT COUNT(*) FROM schema_migrations");
  ASSERT_FALSE(migrations.empty());
  ASSERT_GT(std::stoi(migrations), 0);
  EXPECT_NE(server.log().find("applied " + migrations + " migration(s)"), std::string::npos) << server.diagnostics();
  // A row written while the server ran survives the restart.
  server.database().execute(
      "INSERT INTO teams (id, name, slug, created_at, updated_at) "
      "VALUES ('0190a000-0000-7000-8000-000000000001', 'Restart Team', 'restart-team', 1, 1)");

  server.restart();

  auto ready = server.get("/readyz");
  ASSERT_TRUE(has_status(ready, 200));
  EXPECT_EQ(ready.json().at("database").as_string(), test_dialect());
  EXPECT_EQ(server.database().query_scalar("SELECT COUNT(*) FROM schema_migrations"), migrations);
  EXPECT_EQ(server.database().query_scalar("SELECT name FROM teams WHERE slug = 'restart-team'"), "Restart Team");
  EXPECT_EQ(server.log_since_start().find("migration(s)"), std::string::npos)
      << "no migration should run on the second start\n"
      << server.log_since_start();
}

TEST(Lifecycle, RecoversAfterSigkill) {
  ServerProcess server;
  ASSERT_TRUE(has_status(server.get("/readyz"), 200));
  server.database().execute(
      "INSERT INTO teams (id, name, slug, created_at, updated_at) "
      "VALUES ('0190a000-0000-7000-8000-000000000002', 'Crash Team', 'crash-team', 1, 1)");
  auto status = server.kill9();
  EXPECT_EQ(status.signal, SIGKILL) << status.describe();
  server.restart();
  EXPECT_TRUE(has_status(server.get("/readyz"), 200));
  EXPECT_EQ(server.database().query_scalar("SELECT slug FROM teams WHERE slug = 'crash-team'"), "crash-team");
}

TEST(Lifecycle, PortInUseFailsWithClearMessage) {
  ServerProcess first;
  TempDir data("aop-cli-");
  auto r = run_aop({"serve", "--port", std::to_string(first.port()), "--data-dir", data.path().string()}, {}, 20s);
  EXPECT_NE(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.stderr_text.find("cannot listen"), std::string::npos) << r.describe();
  EXPECT_NE(r.stderr_text.find(std::to_string(first.port())), std::string::npos) << r.describe();
}

}  // namespace
}  // namespace aop::test
