#pragma once
// A small blocking HTTP/1.1 client for tests (unit tests of the in-process server and
// integration tests of the real binary). Header-only so every test binary can use it.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace aop::test {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  boost::json::value json() const { return boost::json::parse(body); }
};

inline std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Sends one request on a fresh connection and reads the response. The whole exchange is
// bounded by `timeout` (a boost::system::system_error is thrown on timeout, refusal or a
// malformed response). If the server answers and closes before the whole request is written
// (e.g. 413 for a declared Content-Length), that answer is returned.
inline HttpResult http_request(unsigned short port, const std::string& method, const std::string& target,
                               const std::string& body = {},
                               const std::vector<std::pair<std::string, std::string>>& headers = {},
                               const std::string& host = "127.0.0.1",
                               std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  namespace beast = boost::beast;
  namespace bhttp = beast::http;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  bhttp::request<bhttp::string_body> req;
  req.method_string(method);  // also takes methods Beast does not know
  req.target(target);
  req.version(11);
  req.set(bhttp::field::host, host);
  bool has_type = false;
  for (const auto& [k, v] : headers) {
    req.set(k, v);
    if (lower(k) == "content-type") has_type = true;
  }
  if (!body.empty() && !has_type) req.set(bhttp::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  if (method == "HEAD") parser.skip(true);

  beast::error_code ec, write_ec;
  stream.expires_after(timeout);
  auto endpoint = boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address(host), port);
  stream.async_connect(endpoint, [&](beast::error_code e) {
    if (e) {
      ec = e;
      return;
    }
    bhttp::async_write(stream, req, [&](beast::error_code e, std::size_t) {
      write_ec = e;  // the server may have answered already; try to read that answer
      bhttp::async_read(stream, buffer, parser, [&](beast::error_code e, std::size_t) { ec = e; });
    });
  });
  io.run();
  if (ec) {
    if (write_ec) ec = write_ec;
    throw boost::system::system_error(ec, "http_request " + method + " " + target);
  }
  auto& res = parser.get();
  HttpResult out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res) out.headers[lower(std::string(f.name_string()))] = std::string(f.value());
  out.body = res.body();
  beast::error_code ignored;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  return out;
}

// Sends raw bytes and returns everything the server sends until it closes the connection
// or `timeout` passes.
inline std::string raw_exchange(unsigned short port, const std::string& bytes,
                                std::chrono::milliseconds timeout = std::chrono::seconds(5),
                                std::chrono::milliseconds pause_before_send = std::chrono::milliseconds(0)) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  if (pause_before_send.count() > 0) std::this_thread::sleep_for(pause_before_send);
  if (!bytes.empty()) boost::asio::write(socket, boost::asio::buffer(bytes));
  std::string received;
  char buf[4096];
  auto deadline = std::chrono::steady_clock::now() + timeout;
  socket.non_blocking(true);
  while (std::chrono::steady_clock::now() < deadline) {
    boost::system::error_code ec;
    std::size_t n = socket.read_some(boost::asio::buffer(buf), ec);
    if (ec == boost::asio::error::would_block) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    if (ec) break;
    received.append(buf, n);
  }
  return received;
}

// Parses one complete HTTP response from raw bytes (e.g. from raw_exchange); throws
// boost::system::system_error if the bytes do not hold a complete response.
inline HttpResult parse_response(const std::string& raw) {
  namespace beast = boost::beast;
  namespace bhttp = beast::http;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.eager(true);
  parser.body_limit(64 * 1024 * 1024);
  beast::error_code ec;
  parser.put(boost::asio::buffer(raw), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec) throw boost::system::system_error(ec, "parse_response: " + raw.substr(0, 200));
  HttpResult out;
  out.status = static_cast<int>(parser.get().result_int());
  for (const auto& f : parser.get()) out.headers[lower(std::string(f.name_string()))] = std::string(f.value());
  out.body = parser.get().body();
  return out;
}

// A plain TCP connection for tests that need control over what is sent when: half-sent
// requests, requests in flight during shutdown, keep-alive connections.
class RawConnection {
 public:
  explicit RawConnection(unsigned short port) : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }
  void send(const std::string& bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes)); }

  // Everything received until the server closes the connection or `timeout` passes.
  std::string read_until_close(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    return read_while([](const std::string&) { return true; }, timeout);
  }
  // Reads until one complete response has arrived (or the connection closes / `timeout`
  // passes) and returns the raw bytes; leaves the connection open.
  std::string read_response(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    return read_while(
        [](const std::string& got) {
          namespace bhttp = boost::beast::http;
          bhttp::response_parser<bhttp::string_body> parser;
          parser.eager(true);
          boost::beast::error_code ec;
          parser.put(boost::asio::buffer(got), ec);
          return !(parser.is_done() && !ec);
        },
        timeout);
  }
  // True once the server has closed its side (reads EOF/reset) within `timeout`.
  bool closed_by_peer(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    read_while([](const std::string&) { return true; }, timeout);
    return peer_closed_;
  }
  boost::asio::ip::tcp::socket& socket() { return socket_; }

 private:
  template <class KeepGoing>
  std::string read_while(KeepGoing keep_going, std::chrono::milliseconds timeout) {
    std::string received;
    char buf[4096];
    auto deadline = std::chrono::steady_clock::now() + timeout;
    socket_.non_blocking(true);
    while (!peer_closed_ && std::chrono::steady_clock::now() < deadline && keep_going(received)) {
      boost::system::error_code ec;
      std::size_t n = socket_.read_some(boost::asio::buffer(buf), ec);
      if (ec == boost::asio::error::would_block) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        continue;
      }
      if (ec) {
        peer_closed_ = true;
        break;
      }
      received.append(buf, n);
    }
    socket_.non_blocking(false);
    return received;
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  bool peer_closed_ = false;
};

// Reads a streaming (SSE) response until the server ends it or `timeout` passes; returns the
// de-chunked body.
inline HttpResult http_stream(unsigned short port, const std::string& target,
                              const std::vector<std::pair<std::string, std::string>>& headers = {},
                              std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  namespace beast = boost::beast;
  namespace bhttp = beast::http;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  bhttp::request<bhttp::empty_body> req{bhttp::verb::get, target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  req.set(bhttp::field::accept, "text/event-stream");
  for (const auto& [k, v] : headers) req.set(k, v);
  bhttp::write(stream, req);
  // Synchronous reads ignore tcp_stream timeouts, so read asynchronously and bound the
  // event loop's run time instead.
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  bool done = false;
  bhttp::async_read(stream, buffer, parser, [&](beast::error_code, std::size_t) { done = true; });
  io.run_for(timeout);
  if (!done) {
    stream.socket().close();
    io.restart();
    io.run_for(std::chrono::seconds(1));
  }
  HttpResult out;
  out.status = static_cast<int>(parser.get().result_int());
  for (const auto& f : parser.get()) out.headers[lower(std::string(f.name_string()))] = std::string(f.value());
  out.body = parser.get().body();
  return out;
}

}  // namespace aop::test
