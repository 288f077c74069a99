// SSE fan-out load: N clients subscribe to one execution's event stream and report how late
// each event arrives (arrival time minus the event's `ts`, for events emitted after the client
// had connected), until execution_completed or a timeout. One coroutine per client, on one
// event loop per core.
//
//   aop_sse_fanout <port> <path?query> <bearer token> <clients> [timeout seconds, default 60] [threads, default cores]
//
// Prints connected/finished counts and latency p50/p99/max in milliseconds.
#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>
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

// When the last client got its response headers: events after it reach every subscriber.
std::atomic<std::int64_t> last_connect_ms{0};

struct Totals {
  int connected = 0;
  int finished = 0;
  int failed = 0;
  std::vector<double> latencies_ms;
  std::vector<std::int64_t> emitted_at;  // each sample's event ts, to tell the connect storm apart
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
    {
      totals.latencies_ms.push_back(static_cast<double>(now_ms() - at));
      totals.emitted_at.push_back(at);
    }
  }
  pending.erase(0, start);
}

asio::awaitable<void> client(unsigned short port, std::string target, std::string token, Totals& totals,
                             std::chrono::steady_clock::time_point deadline, std::atomic<int>& done_clients) {
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
      ++done_clients;
      co_return;
    }
    ++totals.connected;
    last_connect_ms.store(std::max(last_connect_ms.load(), now_ms()));
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
    else ++totals.failed;
  } catch (const std::exception&) {
    ++totals.failed;
  }
  ++done_clients;
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
    std::cerr << "usage: aop_sse_fanout <port> <path?query> <bearer token> <clients> [timeout s] [threads]\n";
    return 2;
  }
  auto port = static_cast<unsigned short>(std::stoi(argv[1]));
  std::string target = argv[2], token = argv[3];
  int clients = std::stoi(argv[4]);
  int timeout = argc > 5 ? std::stoi(argv[5]) : 60;
  // One loop per core: a single-threaded client reading 10,000 sockets becomes the bottleneck
  // it is meant to measure (each loop has its own totals, merged at the end).
  int threads = argc > 6 ? std::stoi(argv[6]) : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout);
  std::vector<std::unique_ptr<asio::io_context>> loops;
  std::vector<Totals> totals(static_cast<std::size_t>(threads));
  std::atomic<int> done{0};
  for (int t = 0; t < threads; ++t) loops.push_back(std::make_unique<asio::io_context>(1));
  for (int i = 0; i < clients; ++i) {
    auto t = static_cast<std::size_t>(i % threads);
    asio::co_spawn(*loops[t], client(port, target, token, totals[t], deadline, done), asio::detached);
  }
  std::vector<std::thread> runners;
  for (int t = 0; t < threads; ++t) runners.emplace_back([&, t] {
    auto& io = *loops[static_cast<std::size_t>(t)];
    asio::steady_timer stop(io, deadline + std::chrono::seconds(1));
    stop.async_wait([&](auto) { io.stop(); });
    // Ends the loop once every client is done, without waiting for the timeout.
    asio::steady_timer check(io);
    std::function<void()> poll = [&] {
      check.expires_after(std::chrono::milliseconds(100));
      check.async_wait([&](boost::system::error_code ec) {
        if (ec) return;
        if (done.load() >= clients) io.stop();
        else poll();
      });
    };
    poll();
    io.run();
  });
  for (auto& r : runners) r.join();
  Totals all;
  for (auto& t : totals) {
    all.connected += t.connected;
    all.finished += t.finished;
    all.failed += t.failed;
    all.latencies_ms.insert(all.latencies_ms.end(), t.latencies_ms.begin(), t.latencies_ms.end());
    all.emitted_at.insert(all.emitted_at.end(), t.emitted_at.begin(), t.emitted_at.end());
  }
  // All events, including those sent while thousands of clients were still connecting (each
  // connect is an authenticated request and a replay read); then only the events emitted once
  // every client was connected: the fan-out itself.
  auto& l = all.latencies_ms;
  std::vector<double> steady;
  for (std::size_t i = 0; i < l.size(); ++i)
    if (all.emitted_at[i] > last_connect_ms.load()) steady.push_back(l[i]);
  std::printf("clients %d threads %d connected %d finished %d failed %d samples %zu latency_ms p50 %.1f p99 %.1f max %.1f\n",
              clients, threads, all.connected, all.finished, all.failed, l.size(), percentile(l, 0.5),
              percentile(l, 0.99), l.empty() ? 0.0 : *std::max_element(l.begin(), l.end()));
  std::printf("  after all connected: samples %zu latency_ms p50 %.1f p99 %.1f max %.1f\n", steady.size(),
              percentile(steady, 0.5), percentile(steady, 0.99),
              steady.empty() ? 0.0 : *std::max_element(steady.begin(), steady.end()));
  return all.finished == clients ? 0 : 1;
}
