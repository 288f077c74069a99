#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "core/ids.hpp"
#include "core/problem.hpp"
#include "http/metrics.hpp"
#include "http/middleware.hpp"
#include "http/router.hpp"
#include "http/sse.hpp"

namespace aop::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using Strand = asio::strand<asio::io_context::executor_type>;

// State shared by a connection's coroutines and its timer callbacks; everything runs on the
// connection's strand.
struct Server::Connection {
  explicit Connection(tcp::socket s)
      : socket(std::move(s)), timer(socket.get_executor()), wake(socket.get_executor()) {}
  tcp::socket socket;
  asio::steady_timer timer;  // read/write deadline: cancels the socket when it fires
  asio::steady_timer wake;   // SSE: woken by producers, expires at the next ping
  bool timed_out = false;
  bool idle = false;
  bool client_gone = false;

  void arm(std::chrono::milliseconds timeout, const std::shared_ptr<Connection>& self) {
    timed_out = false;
    timer.expires_after(timeout);
    timer.async_wait([self](beast::error_code ec) {
      if (ec) return;
      self->timed_out = true;
      beast::error_code ignored;
      self->socket.cancel(ignored);
    });
  }
  void disarm() { timer.cancel(); }
};

struct Server::Registry {
  std::atomic<std::size_t> active{0};
  std::mutex mutex;
  std::set<std::shared_ptr<Connection>> connections;
  std::set<std::shared_ptr<SseChannel>> sse_channels;
  Metrics* metrics = nullptr;  // cleared when the Server goes away
};

namespace {

// A problem response produced by the server itself before the middleware chain runs.
Response early_problem(int status, const std::string& detail, unsigned version) {
  core::Problem problem(status, "", detail);
  Response res{static_cast<bhttp::status>(status), version};
  res.set(bhttp::field::content_type, "application/problem+json");
  res.set("X-Request-Id", core::new_id());
  res.keep_alive(false);
  res.body() = problem.to_json();
  res.prepare_payload();
  return res;
}

void split_target(std::string_view target, std::string& path, std::string& query) {
  auto q = target.find('?');
  path = std::string(target.substr(0, q));
  query = q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
  if (auto hash = query.find('#'); hash != std::string::npos) query.resize(hash);
}

}  // namespace

// A free function, not a capturing lambda: a coroutine lambda's captures die with the
// temporary closure, while parameters live in the coroutine frame.
asio::awaitable<void> Server::watch_for_disconnect(std::shared_ptr<Connection> conn) {
  char scratch[512];
  beast::error_code ec;
  while (!ec)
    co_await conn->socket.async_read_some(asio::buffer(scratch), asio::redirect_error(asio::use_awaitable, ec));
  conn->client_gone = true;
  conn->wake.cancel();
}

Server::Server(asio::io_context& io, ServerOptions options, const Router& router,
               const Pipeline& pipeline, Metrics& metrics)
    : io_(io), options_(std::move(options)), router_(router), pipeline_(pipeline),
      metrics_(metrics), acceptor_(io), registry_(std::make_shared<Registry>()) {
  registry_->metrics = &metrics_;
}

Server::~Server() {
  std::lock_guard lock(registry_->mutex);
  registry_->metrics = nullptr;
}

std::size_t Server::active_connections() const { return registry_->active.load(); }

unsigned short Server::listen() {
  auto address = asio::ip::make_address(options_.host);
  tcp::endpoint endpoint(address, options_.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  return acceptor_.local_endpoint().port();
}

void Server::run() {
  asio::signal_set signals(io_, SIGINT, SIGTERM);
  signals.async_wait([this](beast::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("received signal {}, shutting down gracefully", signal);
    request_stop();
  });
  asio::co_spawn(io_, accept_loop(), asio::detached);

  std::vector<std::thread> threads;
  for (int i = 1; i < options_.io_threads; ++i) threads.emplace_back([this] { io_.run(); });
  io_.run();
  for (auto& t : threads) t.join();

  // Connections still open after the deadline: close them and let their coroutines unwind
  // now, while everything they reference is alive.
  signals.cancel();
  std::vector<std::shared_ptr<Connection>> remaining;
  {
    std::lock_guard lock(registry_->mutex);
    remaining.assign(registry_->connections.begin(), registry_->connections.end());
  }
  for (auto& c : remaining) {
    beast::error_code ignored;
    c->socket.close(ignored);
    c->timer.cancel();
    c->wake.cancel();
  }
  remaining.clear();
  io_.restart();
  io_.run_for(std::chrono::seconds(1));
}

void Server::request_stop() {
  if (stopping_.exchange(true)) return;
  asio::co_spawn(io_, shutdown(), asio::detached);
}

asio::awaitable<void> Server::accept_loop() {
  while (!stopping_) {
    beast::error_code ec;
    tcp::socket socket = co_await acceptor_.async_accept(asio::make_strand(io_),
                                                          asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (stopping_ || ec == asio::error::operation_aborted) break;
      spdlog::warn("accept failed: {}", ec.message());
      if (ec == asio::error::no_descriptors) {
        asio::steady_timer backoff(io_, std::chrono::milliseconds(50));
        co_await backoff.async_wait(asio::use_awaitable);
      }
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto conn = std::make_shared<Connection>(std::move(socket));
    asio::co_spawn(conn->socket.get_executor(), session(conn), asio::detached);
  }
}

asio::awaitable<void> Server::session(std::shared_ptr<Connection> conn) {
  metrics_.connection_opened();
  std::size_t open = ++registry_->active;
  {
    std::lock_guard lock(registry_->mutex);
    registry_->connections.insert(conn);
  }
  struct Cleanup {
    std::shared_ptr<Registry> registry;
    std::shared_ptr<Connection> conn;
    ~Cleanup() {
      --registry->active;
      std::lock_guard lock(registry->mutex);
      if (registry->metrics) registry->metrics->connection_closed();
      registry->connections.erase(conn);
    }
  } cleanup{registry_, conn};

  auto& socket = conn->socket;
  beast::error_code ec;
  auto write_and_close = [&](Response res) -> asio::awaitable<void> {
    conn->arm(options_.body_timeout, conn);
    co_await bhttp::async_write(socket, res, asio::redirect_error(asio::use_awaitable, ec));
    conn->disarm();
  };

  if (open > static_cast<std::size_t>(options_.max_connections)) {
    co_await write_and_close(early_problem(503, "The server is at its connection limit; retry shortly.", 11));
    socket.shutdown(tcp::socket::shutdown_both, ec);
    co_return;
  }

  beast::flat_buffer buffer;
  while (true) {
    if (buffer.size() == 0) {
      // Idle keep-alive wait: closes silently on timeout or shutdown.
      if (stopping_) break;
      conn->idle = true;
      conn->arm(options_.idle_timeout, conn);
      co_await socket.async_wait(tcp::socket::wait_read, asio::redirect_error(asio::use_awaitable, ec));
      conn->idle = false;
      conn->disarm();
      // A request that arrived just as shutdown cancelled the wait is still served.
      if (ec && !(stopping_ && socket.available(ec) > 0)) break;
      ec = {};
    }

    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
    // The real limit depends on the route, known only after the headers.
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    conn->arm(options_.header_timeout, conn);
    co_await bhttp::async_read_header(socket, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    conn->disarm();
    if (ec) {
      if (conn->timed_out)
        co_await write_and_close(early_problem(408, "The request headers were not received in time.", 11));
      else if (ec == bhttp::error::header_limit)
        co_await write_and_close(early_problem(431, "The request headers exceed " +
                                                        std::to_string(options_.max_header_bytes) + " bytes.", 11));
      else if (ec != bhttp::error::end_of_stream && ec != asio::error::eof &&
               ec != asio::error::connection_reset && ec != asio::error::operation_aborted)
        co_await write_and_close(early_problem(400, "Malformed HTTP request: " + ec.message() + ".", 11));
      break;
    }

    auto& head = parser.get();
    unsigned version = head.version();
    std::string path, query;
    split_target(head.target(), path, query);

    // The route decides the body limit, so match before reading the body.
    std::size_t limit = options_.max_body_bytes;
    if (auto m = router_.match(head.method_string(), path); m.info && m.info->options.max_body_bytes)
      limit = *m.info->options.max_body_bytes;
    if (auto length = parser.content_length(); length && *length > limit) {
      co_await write_and_close(early_problem(413, "The request body of " + std::to_string(*length) +
                                                      " bytes exceeds the limit of " + std::to_string(limit) + " bytes.", version));
      break;
    }
    parser.body_limit(limit);
    if (head[bhttp::field::expect] == "100-continue") {
      bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, version};
      co_await bhttp::async_write(socket, cont, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
    }
    if (!parser.is_done()) {
      conn->arm(options_.body_timeout, conn);
      co_await bhttp::async_read(socket, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      conn->disarm();
      if (ec) {
        if (conn->timed_out)
          co_await write_and_close(early_problem(408, "The request body was not received in time.", version));
        else if (ec == bhttp::error::body_limit)
          co_await write_and_close(early_problem(413, "The request body exceeds the limit of " +
                                                          std::to_string(limit) + " bytes.", version));
        else if (ec != asio::error::eof && ec != bhttp::error::end_of_stream)
          co_await write_and_close(early_problem(400, "Malformed HTTP request body: " + ec.message() + ".", version));
        break;
      }
    }

    Request request = parser.release();
    bool keep_alive = request.keep_alive();
    bool is_head = request.method() == bhttp::verb::head;
    std::string remote;
    if (auto ep = socket.remote_endpoint(ec); !ec) remote = ep.address().to_string();
    RequestContext ctx{request, remote};
    ctx.path = std::move(path);
    ctx.query = std::move(query);

    Reply reply;
    try {
      reply = co_await pipeline_.handle(ctx);
    } catch (...) {
      reply = problem_reply(std::current_exception(), ctx);
    }
    reply.response.version(version);

    if (reply.sse) {
      co_await stream_sse(conn, reply, ctx);
      break;
    }

    keep_alive = keep_alive && !stopping_;
    reply.response.keep_alive(keep_alive);
    reply.response.prepare_payload();
    if (is_head) {
      auto size = reply.response.body().size();
      reply.response.body().clear();
      reply.response.content_length(size);
    }
    conn->arm(options_.body_timeout, conn);
    co_await bhttp::async_write(socket, reply.response, asio::redirect_error(asio::use_awaitable, ec));
    conn->disarm();
    if (ec || !keep_alive) break;
  }
  socket.shutdown(tcp::socket::shutdown_send, ec);
  socket.close(ec);
}

asio::awaitable<void> Server::stream_sse(std::shared_ptr<Connection> conn, Reply& reply,
                                         const RequestContext& ctx) {
  auto channel = reply.sse;
  {
    std::lock_guard lock(registry_->mutex);
    registry_->sse_channels.insert(channel);
  }
  if (stopping_) channel->close(SseEvent{std::nullopt, "shutdown", R"({"reason":"server_shutdown"})"});

  auto& socket = conn->socket;
  beast::error_code ec;
  if (options_.sse_send_buffer_bytes > 0)
    socket.set_option(asio::socket_base::send_buffer_size(options_.sse_send_buffer_bytes), ec);
  bhttp::response<bhttp::empty_body> head{static_cast<bhttp::status>(reply.response.result_int()),
                                          reply.response.version()};
  for (const auto& field : reply.response) head.set(field.name_string(), field.value());
  head.set(bhttp::field::content_type, "text/event-stream; charset=utf-8");
  head.set(bhttp::field::cache_control, "no-cache");
  head.set("X-Accel-Buffering", "no");
  head.keep_alive(false);
  head.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> serializer(head);
  conn->arm(options_.body_timeout, conn);
  co_await bhttp::async_write_header(socket, serializer, asio::redirect_error(asio::use_awaitable, ec));
  conn->disarm();

  if (!ec) {
    // Producers wake the writer through the strand.
    auto executor = socket.get_executor();
    std::weak_ptr<Connection> weak = conn;
    channel->set_waker([executor, weak] {
      asio::post(executor, [weak] {
        if (auto c = weak.lock()) c->wake.cancel();
      });
    });
    // Notice a client that goes away while the stream is idle.
    asio::co_spawn(executor, watch_for_disconnect(conn), asio::detached);

    auto next_ping = std::chrono::steady_clock::now() + options_.sse_ping_interval;
    while (!conn->client_gone) {
      bool finished = false;
      std::string chunk = channel->take(finished);
      if (chunk.empty() && !finished) {
        if (std::chrono::steady_clock::now() >= next_ping) {
          chunk = format_sse_comment("ping");
          next_ping = std::chrono::steady_clock::now() + options_.sse_ping_interval;
        } else {
          conn->wake.expires_at(next_ping);
          co_await conn->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
          continue;
        }
      }
      if (!chunk.empty()) {
        auto write_started = std::chrono::steady_clock::now();
        conn->arm(options_.body_timeout, conn);
        co_await asio::async_write(socket, bhttp::make_chunk(asio::buffer(chunk)),
                                   asio::redirect_error(asio::use_awaitable, ec));
        conn->disarm();
        if (ec) break;
        // Wakes in this pause are absorbed (the channel wakes once until the next take()),
        // except the one when the queue is half full, which ends the pause.
        for (auto until = write_started + options_.sse_min_write_interval;
             !finished && !conn->client_gone && !channel->filling() && std::chrono::steady_clock::now() < until;) {
          conn->wake.expires_at(until);
          co_await conn->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
      }
      if (finished) {
        co_await asio::async_write(socket, bhttp::make_chunk_last(), asio::redirect_error(asio::use_awaitable, ec));
        break;
      }
    }
  }
  channel->disconnect();
  channel->notify_end();
  {
    std::lock_guard lock(registry_->mutex);
    registry_->sse_channels.erase(channel);
  }
  auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.started_at).count();
  spdlog::info("sse stream ended route={} duration_s={:.3f} client_gone={} request_id={}", ctx.route, elapsed,
               conn->client_gone, ctx.request_id);
}

asio::awaitable<void> Server::shutdown() {
  beast::error_code ec;
  acceptor_.close(ec);
  if (on_shutdown_) on_shutdown_();
  std::vector<std::shared_ptr<Connection>> idle;
  {
    std::lock_guard lock(registry_->mutex);
    for (const auto& channel : registry_->sse_channels)
      channel->close(SseEvent{std::nullopt, "shutdown", R"({"reason":"server_shutdown"})"});
    idle.assign(registry_->connections.begin(), registry_->connections.end());
  }
  // Wake idle keep-alive connections so they close; busy ones close after their response.
  for (auto& c : idle)
    asio::post(c->socket.get_executor(), [c] {
      if (c->idle) {
        beast::error_code ignored;
        c->socket.cancel(ignored);
      }
    });
  auto deadline = std::chrono::steady_clock::now() + options_.shutdown_timeout;
  if (on_drain_) {
    try {
      co_await on_drain_(deadline);
    } catch (const std::exception& e) {
      spdlog::error("shutdown: {}", e.what());
    }
  }
  asio::steady_timer poll(io_);
  while (registry_->active > 0 && std::chrono::steady_clock::now() < deadline) {
    poll.expires_after(std::chrono::milliseconds(10));
    co_await poll.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  if (registry_->active > 0)
    spdlog::warn("shutdown deadline reached with {} connection(s) still open", registry_->active.load());
  else
    spdlog::info("all connections closed");
  io_.stop();
}

}  // namespace aop::http
