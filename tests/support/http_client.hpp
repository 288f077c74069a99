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

inline HttpResult http_request(unsigned short port, const std::string& method, const std::string& target,
                               const std::string& body = {},
                               const std::vector<std::pair<std::string, std::string>>& headers = {},
                               const std::string& host = "127.0.0.1") {
  namespace beast = boost::beast;
  namespace bhttp = beast::http;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address(host), port));
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
  req.set(bhttp::field::host, host);
  bool has_type = false;
  for (const auto& [k, v] : headers) {
    req.set(k, v);
    if (lower(k) == "content-type") has_type = true;
  }
  if (!body.empty() && !has_type) req.set(bhttp::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  bhttp::write(stream, req);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  if (method == "HEAD") parser.skip(true);
  bhttp::read(stream, buffer, parser);
  auto& res = parser.get();
  HttpResult out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res) out.headers[lower(std::string(f.name_string()))] = std::string(f.value());
  out.body = res.body();
  beast::error_code ec;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
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
  stream.expires_after(timeout);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  beast::error_code ec;
  bhttp::read(stream, buffer, parser, ec);
  HttpResult out;
  out.status = static_cast<int>(parser.get().result_int());
  for (const auto& f : parser.get()) out.headers[lower(std::string(f.name_string()))] = std::string(f.value());
  out.body = parser.get().body();
  return out;
}

}  // namespace aop::test
