#pragma once
// An HTTP (or HTTPS) server on 127.0.0.1, port 0, running on its own thread for the tools'
// tests. Every request is recorded and answered by a handler, which may also ask for a
// delay before the answer (deadlines, cancellation). One request per connection.
#include <openssl/ssl.h>

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace aop::test {

struct SeenRequest {
  std::string method;
  std::string target;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string server_name;                     // TLS SNI, when there was one
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct Answer {
  unsigned status = 200;
  std::string body;
  std::string content_type = "text/plain";
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds delay{0};  // wait this long before answering
};

class LocalHttpServer {
 public:
  using Handler = std::function<Answer(const SeenRequest&)>;

  // With `tls`, the server speaks HTTPS using that (server) context.
  explicit LocalHttpServer(Handler handler, boost::asio::ssl::context* tls = nullptr)
      : handler_(std::move(handler)), tls_(tls) {
    namespace asio = boost::asio;
    acceptor_.open(asio::ip::tcp::v4());
    acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true));
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(io_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~LocalHttpServer() {
    io_.stop();
    thread_.join();
  }
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url(std::string_view path = "/") const {
    return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  std::vector<SeenRequest> requests() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  boost::asio::awaitable<void> accept_loop() {
    namespace asio = boost::asio;
    for (;;) {
      boost::system::error_code ec;
      auto socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
    }
  }

  boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket) {
    namespace asio = boost::asio;
    namespace beast = boost::beast;
    beast::tcp_stream plain(std::move(socket));
    if (!tls_) {
      co_await exchange(plain, "");
      co_return;
    }
    beast::ssl_stream<beast::tcp_stream> stream(std::move(plain), *tls_);
    boost::system::error_code ec;
    co_await stream.async_handshake(asio::ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;  // e.g. the client refused our certificate
    const char* sni = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
    co_await exchange(stream, sni ? sni : "");
  }

  template <class Stream>
  boost::asio::awaitable<void> exchange(Stream& stream, std::string server_name) {
    namespace asio = boost::asio;
    namespace beast = boost::beast;
    namespace http = beast::http;
    boost::system::error_code ec;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    co_await http::async_read(stream, buffer, request, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    SeenRequest seen;
    seen.method = std::string(request.method_string());
    seen.target = std::string(request.target());
    seen.body = request.body();
    seen.server_name = std::move(server_name);
    for (const auto& field : request) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      seen.headers[name] = std::string(field.value());
    }
    {
      std::lock_guard lock(mutex_);
      seen_.push_back(seen);
    }
    Answer answer = handler_(seen);
    if (answer.delay.count() > 0) {
      asio::steady_timer timer(io_, answer.delay);
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    http::response<http::string_body> response{static_cast<http::status>(answer.status), 11};
    response.set(http::field::content_type, answer.content_type);
    for (const auto& [name, value] : answer.headers) response.set(name, value);
    response.body() = answer.body;
    response.keep_alive(false);
    response.prepare_payload();
    co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
    beast::get_lowest_layer(stream).socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  }

  Handler handler_;
  boost::asio::ssl::context* tls_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_{io_};
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  std::vector<SeenRequest> seen_;
  std::thread thread_;
};

}  // namespace aop::test
