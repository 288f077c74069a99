#pragma once
// The HTTP/1.1 server: Boost.Beast on Asio coroutines, one strand per connection, a pool of
// I/O threads. Enforces header/body limits and timeouts before any handler runs, serves SSE
// replies, and shuts down gracefully on SIGTERM/SIGINT.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "http/types.hpp"

namespace aop::http {

class Router;
class Pipeline;
class Metrics;
class SseChannel;

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  int io_threads = 2;
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_header_bytes = 8 * 1024;
  int max_connections = 10000;
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds body_timeout{30000};
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds shutdown_timeout{10000};
  std::chrono::milliseconds sse_ping_interval{15000};
  // At most one write per stream per interval: events that arrive meanwhile go out together.
  // A token stream to thousands of subscribers is then thousands of writes per interval
  // instead of per token; an event after a quiet spell still goes out at once.
  std::chrono::milliseconds sse_min_write_interval{10};
  // SO_SNDBUF of SSE connections; 0 leaves the kernel's autotuning, under which a client that
  // reads nothing absorbs megabytes before its queue here starts to fill.
  int sse_send_buffer_bytes = 0;
};

class Server {
 public:
  Server(boost::asio::io_context& io, ServerOptions options, const Router& router,
         const Pipeline& pipeline, Metrics& metrics);
  ~Server();

  // Binds and listens; returns the bound port (useful with port 0). Throws on failure.
  unsigned short listen();
  // Starts accepting and handling SIGINT/SIGTERM, runs the I/O threads, and returns once a
  // graceful shutdown has finished.
  void run();
  // Begins a graceful shutdown (thread-safe).
  void request_stop();
  // Called when shutdown begins, before waiting for in-flight requests (e.g. stop workers).
  void on_shutdown(std::function<void()> callback) { on_shutdown_ = std::move(callback); }
  // Awaited during shutdown, before the event loop stops, with the shutdown deadline: work that
  // must finish on the event loop (running executions, their last events) ends here.
  using Drain = std::function<boost::asio::awaitable<void>(std::chrono::steady_clock::time_point deadline)>;
  void on_drain(Drain drain) { on_drain_ = std::move(drain); }

  bool stopping() const { return stopping_.load(); }
  std::size_t active_connections() const;

 private:
  struct Connection;
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> session(std::shared_ptr<Connection> conn);
  boost::asio::awaitable<void> shutdown();
  static boost::asio::awaitable<void> watch_for_disconnect(std::shared_ptr<Connection> conn);
  boost::asio::awaitable<void> stream_sse(std::shared_ptr<Connection> conn, Reply& reply,
                                          const RequestContext& ctx);

  boost::asio::io_context& io_;
  ServerOptions options_;
  const Router& router_;
  const Pipeline& pipeline_;
  Metrics& metrics_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  // Shared with the connection coroutines, which can outlive the Server when the io_context
  // is destroyed with frames still suspended.
  struct Registry;
  std::shared_ptr<Registry> registry_;
  std::function<void()> on_shutdown_;
  Drain on_drain_;
};

}  // namespace aop::http
