#include "engine/llm/http_stream_client.hpp"

#include <openssl/ssl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <mutex>
#include <optional>

#include "engine/llm/llm_types.hpp"

namespace aop::engine::llm {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Kind = LlmError::Kind;

namespace {

struct Target {
  bool tls = false;
  std::string host;         // for DNS, SNI and certificate checks (no IPv6 brackets)
  std::string port;
  std::string host_header;  // host[:port] as the Host header wants it
  std::string path;         // path and query
};

Target parse_target(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) throw LlmError(Kind::bad_request, "invalid LLM URL \"" + url + "\": " + parsed.error().message());
  Target t;
  std::string scheme(parsed->scheme());
  if (scheme == "https") t.tls = true;
  else if (scheme != "http") throw LlmError(Kind::bad_request, "LLM URL \"" + url + "\" must start with http:// or https://");
  t.host = parsed->host_address();
  if (t.host.empty()) throw LlmError(Kind::bad_request, "LLM URL \"" + url + "\" has no host");
  t.port = parsed->has_port() ? std::string(parsed->port()) : (t.tls ? "443" : "80");
  t.host_header = std::string(parsed->encoded_host_and_port());
  t.path = std::string(parsed->encoded_target());
  if (t.path.empty()) t.path = "/";
  return t;
}

enum class Abort { none, timeout, cancelled };

// What the deadline timer and the cancel callback reach: everything runs on one strand, so
// closing the socket never races the coroutine's own operations on it.
struct Exchange {
  explicit Exchange(const asio::any_io_executor& ex) : resolver(ex), timer(ex), stream(ex) {}
  tcp::resolver resolver;
  asio::steady_timer timer;
  beast::tcp_stream stream;
  std::optional<beast::ssl_stream<beast::tcp_stream&>> tls;
  Abort abort = Abort::none;

  void stop(Abort why) {
    if (abort != Abort::none) return;
    abort = why;
    resolver.cancel();
    beast::error_code ignored;
    stream.socket().close(ignored);
  }
};

}  // namespace

std::string HttpResponseHead::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k.size() == name.size() &&
        std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); }))
      return v;
  return {};
}

struct HttpStreamClient::Impl {
  explicit Impl(Options o) : options(std::move(o)) {}

  // Loading the system trust store takes tens of milliseconds, so it happens on the first
  // https call only, once per client.
  ssl::context& tls_context() {
    std::call_once(tls_once, [this] {
      auto& ctx = tls.emplace(ssl::context::tls_client);
      ctx.set_default_verify_paths();
      ctx.set_verify_mode(ssl::verify_peer);
      ctx.set_options(ssl::context::no_sslv2 | ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                      ssl::context::no_tlsv1_1);
      if (!options.extra_ca_pem.empty()) ctx.add_certificate_authority(asio::buffer(options.extra_ca_pem));
    });
    return *tls;
  }

  asio::awaitable<HttpResponseHead> exchange(const Target& target, const HttpPost& request, const BodyHandler& on_body);

  Options options;
  std::once_flag tls_once;
  std::optional<ssl::context> tls;
};

HttpStreamClient::HttpStreamClient() : HttpStreamClient(Options{}) {}
HttpStreamClient::HttpStreamClient(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpStreamClient::~HttpStreamClient() = default;

asio::awaitable<HttpResponseHead> HttpStreamClient::post(const HttpPost& request, const BodyHandler& on_body) {
  Target target = parse_target(request.url);
  if (request.cancel && request.cancel->cancelled()) throw LlmError(Kind::cancelled, "the LLM call was cancelled");
  // The exchange runs on its own strand: the cancel callback (any thread) posts its socket
  // close there, serialized with the reads it interrupts.
  auto strand = asio::make_strand(co_await asio::this_coro::executor);
  auto exchange = impl_->exchange(target, request, on_body);  // made outside the co_await expression (GCC 12)
  co_return co_await asio::co_spawn(strand, std::move(exchange), asio::use_awaitable);
}

namespace {

template <class Stream>
asio::awaitable<HttpResponseHead> talk(Stream& stream, Exchange& state, const Target& target, const HttpPost& request,
                                       const BodyHandler& on_body);

[[noreturn]] void fail(const Exchange& state, const Target& target, const HttpPost& request, std::string_view step,
                       const beast::error_code& ec) {
  if (state.abort == Abort::cancelled) throw LlmError(Kind::cancelled, "the LLM call was cancelled");
  if (state.abort == Abort::timeout || ec == beast::error::timeout)
    throw LlmError(Kind::timeout, "no complete answer from " + target.host_header + " within " +
                                      std::to_string(request.timeout.count()) + " ms");
  // Beast's parse errors mean the peer does not speak HTTP; a message cut short is a
  // dropped connection like any other.
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category() &&
      ec != bhttp::error::partial_message && ec != bhttp::error::end_of_stream)
    throw LlmError(Kind::malformed, "unreadable HTTP response from " + target.host_header + ": " + ec.message());
  throw LlmError(Kind::network, std::string(step) + " " + target.host_header + ": " + ec.message());
}

}  // namespace

asio::awaitable<HttpResponseHead> HttpStreamClient::Impl::exchange(const Target& target, const HttpPost& request,
                                                                   const BodyHandler& on_body) {
  auto ex = co_await asio::this_coro::executor;
  auto state = std::make_shared<Exchange>(ex);
  std::weak_ptr<Exchange> weak = state;

  // One deadline for every step, DNS included (tcp_stream's own timeouts cover socket
  // operations only).
  state->timer.expires_after(request.timeout);
  state->timer.async_wait([weak](beast::error_code ec) {
    if (auto s = weak.lock(); s && !ec) s->stop(Abort::timeout);
  });
  auto registration = CancelToken::on_cancel(request.cancel, [weak, ex] {
    asio::post(ex, [weak] {
      if (auto s = weak.lock()) s->stop(Abort::cancelled);
    });
  });

  beast::error_code ec;
  auto endpoints = co_await state->resolver.async_resolve(target.host, target.port,
                                                          asio::redirect_error(asio::use_awaitable, ec));
  if (ec || state->abort != Abort::none) fail(*state, target, request, "cannot resolve", ec);
  co_await state->stream.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec || state->abort != Abort::none) fail(*state, target, request, "cannot connect to", ec);
  state->stream.socket().set_option(tcp::no_delay(true), ec);

  if (!target.tls) co_return co_await talk(state->stream, *state, target, request, on_body);

  ssl::context* context = nullptr;
  try {
    context = &tls_context();
  } catch (const boost::system::system_error& e) {
    throw LlmError(Kind::bad_request, std::string("cannot set up TLS (check the extra CA certificates): ") + e.what());
  }
  auto& tls = state->tls.emplace(state->stream, *context);
  // SNI, so servers behind shared front ends present the right certificate (names only:
  // RFC 6066 leaves IP addresses out).
  boost::system::error_code not_ip;
  asio::ip::make_address(target.host, not_ip);
  if (not_ip && !SSL_set_tlsext_host_name(tls.native_handle(), target.host.c_str()))
    throw LlmError(Kind::network, "cannot set the TLS server name for " + target.host);
  tls.set_verify_callback(ssl::host_name_verification(target.host));
  co_await tls.async_handshake(ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
  if (ec || state->abort != Abort::none) fail(*state, target, request, "TLS handshake failed with", ec);
  co_return co_await talk(tls, *state, target, request, on_body);
}

namespace {

template <class Stream>
asio::awaitable<HttpResponseHead> talk(Stream& stream, Exchange& state, const Target& target, const HttpPost& request,
                                       const BodyHandler& on_body) {
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, target.path, 11};
  req.set(bhttp::field::host, target.host_header);
  req.set(bhttp::field::user_agent, "aop/" AOP_VERSION);
  req.set(bhttp::field::content_type, "application/json");
  for (const auto& [name, value] : request.headers) req.set(name, value);
  req.body() = request.body;
  req.prepare_payload();

  beast::error_code ec;
  co_await bhttp::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
  if (ec || state.abort != Abort::none) fail(state, target, request, "cannot send the request to", ec);

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::buffer_body> parser;
  parser.body_limit(request.max_body_bytes);
  co_await bhttp::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec || state.abort != Abort::none) fail(state, target, request, "no response from", ec);

  HttpResponseHead head;
  head.status = static_cast<int>(parser.get().result_int());
  for (const auto& field : parser.get()) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    head.headers.emplace_back(std::move(name), std::string(field.value()));
  }

  // buffer_body + read_some: each read hands over what the socket had, so streamed text
  // reaches on_body as it arrives rather than when a buffer fills.
  std::string scratch(16 * 1024, '\0');
  while (!parser.is_done()) {
    auto& body = parser.get().body();
    body.data = scratch.data();
    body.size = scratch.size();
    co_await bhttp::async_read_some(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == bhttp::error::need_buffer) ec = {};
    std::size_t got = scratch.size() - parser.get().body().size;
    if (state.abort != Abort::none) fail(state, target, request, "reading from", ec);
    if (got > 0) on_body(head, std::string_view(scratch.data(), got));
    if (ec) fail(state, target, request, "connection lost while reading from", ec);
  }
  co_return head;
}

}  // namespace

}  // namespace aop::engine::llm
