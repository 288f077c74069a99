// SSE fan-out load: N clients subscribe to one execution's event stream and report how late
// each event arrives (arrival time minus the event's `ts`, for events emitted after the client
// had connected), until execution_completed or a timeout. One thread, one coroutine per client.
//
//   aop_sse_fanout <port> <path?query> <bearer token> <clients> [timeout seconds, default 60]
//
// Prints connected/finished counts and latency p50/p99/max in milliseconds.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "core/clock.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

struct Totals {
  int connected = 0;
  int finished = 0;
  int failed = 0;
  std::vector<double> latencies_ms;
};

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Handles the complete SSE messages at the front of `pending`. Only the `ts` field and the
// event line are looked at, so the client's CPU stays small next to the server's.
void take_messages(std::string& pending, std::int64_t connected_at, Totals& totals, bool& done) {
  std::size_t end;
  std::size_t start = 0;
  while ((end = pending.find("\n\n", start)) != std::string::npos) {
    std::string_view message(pending.data() + start, end - start);
    start = end + 2;
    if (message.starts_with(":")) continue;  // a ping
    if (message.find("event: execution_completed") != std::string_view::npos) done = true;
    auto ts = message.find("\"ts\":\"");
    if (ts == std::string_view::npos) continue;
    auto close = message.find('"', ts + 6);
    std::int64_t at = 0;
    if (close != std::string_view::npos && aop::core::parse_iso8601(message.substr(ts + 6, close - ts - 6), at) &&
        at >= connected_at)
      totals.latencies_ms.push_back(static_cast<double>(now_ms() - at));
  }
  pending.erase(0, start);
}

asio::awaitable<void> client(unsigned short port, std::string target, std::string token, Totals& totals,
                             std::chrono::steady_clock::time_point deadline) {
  try {
    tcp::socket socket(co_await asio::this_coro::executor);
    co_await socket.async_connect({asio::ip::make_address("127.0.0.1"), port}, asio::use_awaitable);
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::authorization, "Bearer " + token);
    req.set(http::field::accept, "text/event-stream");
    co_await http::async_write(socket, req, asio::use_awaitable);
    auto connected_at = now_ms();

    beast::flat_buffer buffer;
    http::response_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);
    co_await http::async_read_header(socket, buffer, parser, asio::use_awaitable);
    if (parser.get().result() != http::status::ok) {
      ++totals.failed;
      co_return;
    }
    ++totals.connected;
    std::string pending;
    char chunk[16 * 1024];
    bool done = false;
    while (!done && !parser.is_done() && std::chrono::steady_clock::now() < deadline) {
      parser.get().body().data = chunk;
      parser.get().body().size = sizeof chunk;
      boost::system::error_code ec;
      // read_some: return with whatever arrived (async_read would wait for 16 KiB of body).
      co_await http::async_read_some(socket, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      if (ec && ec != http::error::need_buffer) break;
      pending.append(chunk, sizeof chunk - parser.get().body().size);
      take_messages(pending, connected_at, totals, done);
    }
    if (done) ++totals.finished;
  } catch (const std::exception&) {
    ++totals.failed;
  }
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "usage: aop_sse_fanout <port> <path?query> <bearer token> <clients> [timeout s]\n";
    return 2;
  }
  auto port = static_cast<unsigned short>(std::stoi(argv[1]));
  std::string target = argv[2], token = argv[3];
  int clients = std::stoi(argv[4]);
  int timeout = argc > 5 ? std::stoi(argv[5]) : 60;
  asio::io_context io;
  Totals totals;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout);
  for (int i = 0; i < clients; ++i) asio::co_spawn(io, client(port, target, token, totals, deadline), asio::detached);
  asio::steady_timer stop(io, deadline + std::chrono::seconds(1));
  stop.async_wait([&](auto) { io.stop(); });
  // Ends the loop once every client is done, without waiting for the timeout.
  asio::steady_timer check(io);
  std::function<void()> poll = [&] {
    check.expires_after(std::chrono::milliseconds(100));
    check.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      if (totals.finished + totals.failed >= clients) io.stop();
      else poll();
    });
  };
  poll();
  io.run();
  auto& l = totals.latencies_ms;
  std::printf("clients %d connected %d finished %d failed %d samples %zu latency_ms p50 %.1f p99 %.1f max %.1f\n",
              clients, totals.connected, totals.finished, totals.failed, l.size(), percentile(l, 0.5),
              percentile(l, 0.99), l.empty() ? 0.0 : *std::max_element(l.begin(), l.end()));
  return totals.finished == clients ? 0 : 1;
}
