#include "engine/tools/http_fetch.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <cctype>

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "core/ascii.hpp"
#include "engine/tools/http_url.hpp"

namespace aop::engine::tools {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using boost::system::error_code;

namespace {

constexpr std::size_t k_header_limit = 64 * 1024;

bool is_redirect(unsigned status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// Headers that carry credentials; they are not sent on to another origin after a redirect.
bool credential_header(std::string_view name) {
  auto n = core::ascii_lower(name);
  return n == "authorization" || n == "proxy-authorization" || n == "cookie" || n.find("token") != std::string::npos ||
         n.find("key") != std::string::npos || n.find("secret") != std::string::npos ||
         n.find("auth") != std::string::npos;
}

// Closes the connection when the run is cancelled: on the connection's own executor, and
// only if the connection still exists by then.
CancelToken::Registration close_on_cancel(const std::shared_ptr<CancelToken>& cancel,
                                          const std::shared_ptr<beast::tcp_stream>& tcp) {
  return CancelToken::on_cancel(cancel, [weak = std::weak_ptr<beast::tcp_stream>(tcp), executor = tcp->get_executor()] {
    asio::post(executor, [weak] {
      if (auto stream = weak.lock()) stream->close();
    });
  });
}

struct Hop {
  const HttpUrl& url;
  http::verb verb;
  const HeaderList& headers;
  const std::string& body;
  const FetchLimits& limits;
  const ToolContext& context;
};

enum class Step { connect, handshake, send, receive };

// What went wrong during `step`, or Cancelled when the run was cancelled meanwhile.
std::string failure(const Hop& hop, Step step, const error_code& ec) {
  if (hop.context.cancel && hop.context.cancel->cancelled()) throw Cancelled();
  const std::string& url = hop.url.text;
  if (ec == beast::error::timeout) {
    static constexpr std::array<std::string_view, 4> k_during = {"connecting", "in the TLS handshake",
                                                                 "sending the request", "waiting for the response"};
    return "the request to " + url + " timed out " + std::string(k_during[static_cast<int>(step)]) +
           " (the tool call's time limit ran out)";
  }
  switch (step) {
    case Step::connect:
      return "cannot connect to " + url + ": " + ec.message();
    case Step::handshake:
      return "the TLS handshake with " + url + " failed: " + ec.message();
    case Step::send:
      return "sending the request to " + url + " failed: " + ec.message();
    case Step::receive:
      break;
  }
  return "reading the response from " + url + " failed: " + ec.message();
}

http::request<http::string_body> build_request(const Hop& hop) {
  http::request<http::string_body> request{hop.verb, hop.url.target, 11};
  request.set(http::field::host, hop.url.host_header());
  request.set(http::field::user_agent, "aop/" AOP_VERSION);
  request.set(http::field::accept, "*/*");
  for (const auto& [name, value] : hop.headers) request.set(name, value);
  // Compressed bodies would need decoding, and one request per connection keeps it simple.
  request.set(http::field::accept_encoding, "identity");
  request.set(http::field::connection, "close");
  request.body() = hop.body;
  if (!hop.body.empty() || hop.verb == http::verb::post || hop.verb == http::verb::put || hop.verb == http::verb::patch)
    request.prepare_payload();
  return request;
}

// Sends the request and reads the response, keeping at most max_body_bytes of the body.
template <class Stream>
asio::awaitable<void> exchange(Stream& stream, const Hop& hop, FetchResult& result) {
  error_code ec;
  auto request = build_request(hop);
  co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    result.error = failure(hop, Step::send, ec);
    co_return;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::buffer_body> parser;
  parser.header_limit(k_header_limit);
  parser.body_limit(boost::none);  // the cap below cuts instead of failing
  if (hop.verb == http::verb::head) parser.skip(true);
  co_await http::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    result.error = failure(hop, Step::receive, ec);
    co_return;
  }
  FetchResponse response;
  response.status = parser.get().result_int();
  response.reason = std::string(parser.get().reason());
  for (const auto& field : parser.get()) response.headers.emplace_back(core::ascii_lower(field.name_string()), field.value());

  std::array<char, 16 * 1024> chunk;
  const std::size_t cap = hop.limits.max_body_bytes;
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == http::error::need_buffer) ec = {};
    // A TLS peer that closes without close_notify ends a body that runs to the end of the stream.
    if (ec == ssl::error::stream_truncated && parser.need_eof()) parser.put_eof(ec);
    if (ec) {
      result.error = failure(hop, Step::receive, ec);
      co_return;
    }
    std::size_t got = chunk.size() - parser.get().body().size;
    std::size_t room = cap - response.body.size();
    response.body.append(chunk.data(), std::min(got, room));
    if (got > room) {
      response.truncated = true;  // stop reading; the connection closes with the stream
      break;
    }
  }
  result.response = std::move(response);
}

bool is_ip_literal(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

// One request to one URL: vet and connect, TLS if https (`tls` is then set), exchange.
asio::awaitable<void> one_hop(const HttpUrl& url, http::verb verb, const HeaderList& headers, const std::string& body,
                              const FetchLimits& limits, const ToolContext& context, ssl::context* tls,
                              FetchResult& result) {
  NetPolicy open_policy{true, {}};
  const NetPolicy& policy = limits.check_addresses ? limits.policy : open_policy;
  auto resolved = co_await resolve_vetted(url.host, url.port, policy, context.deadline, context.cancel);
  if (!resolved.error.empty()) {
    result.error = resolved.error;
    co_return;
  }
  Hop hop{url, verb, headers, body, limits, context};
  auto executor = co_await asio::this_coro::executor;
  error_code ec;
  if (!url.tls) {
    auto stream = std::make_shared<beast::tcp_stream>(executor);
    auto registration = close_on_cancel(context.cancel, stream);
    stream->expires_at(context.deadline);
    co_await stream->async_connect(resolved.endpoints, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      result.error = failure(hop, Step::connect, ec);
      co_return;
    }
    co_await exchange(*stream, hop, result);
    co_return;
  }

  auto stream = std::make_shared<beast::ssl_stream<beast::tcp_stream>>(executor, *tls);
  std::shared_ptr<beast::tcp_stream> tcp(stream, &beast::get_lowest_layer(*stream));
  auto registration = close_on_cancel(context.cancel, tcp);
  // Verify the certificate against the host the model asked for, and send it as SNI.
  SSL* handle = stream->native_handle();
  X509_VERIFY_PARAM* param = SSL_get0_param(handle);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  bool ip = is_ip_literal(url.host);
  bool named = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str()) == 1
                  : X509_VERIFY_PARAM_set1_host(param, url.host.c_str(), url.host.size()) == 1 &&
                        SSL_set_tlsext_host_name(handle, url.host.c_str()) == 1;
  if (!named) {
    result.error = "cannot set up TLS for the host " + url.host;
    co_return;
  }
  stream->set_verify_mode(ssl::verify_peer);
  tcp->expires_at(context.deadline);
  co_await tcp->async_connect(resolved.endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    result.error = failure(hop, Step::connect, ec);
    co_return;
  }
  co_await stream->async_handshake(ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    result.error = failure(hop, Step::handshake, ec);
    co_return;
  }
  co_await exchange(*stream, hop, result);
}

}  // namespace

std::string FetchResponse::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (n == name) return v;
  return {};
}

std::string header_problem(std::string_view name, std::string_view value) {
  static constexpr std::string_view k_token_chars = "!#$%&'*+-.^_`|~";
  if (name.empty()) return "a header name is empty";
  for (unsigned char c : name)
    if (!std::isalnum(c) && k_token_chars.find(static_cast<char>(c)) == std::string_view::npos)
      return "the header name \"" + std::string(name) + "\" has characters header names cannot have";
  for (unsigned char c : value)
    if (c == '\r' || c == '\n' || c == 0) return "the value of header \"" + std::string(name) + "\" has a line break";
  static constexpr std::array<std::string_view, 9> k_own = {"host",       "content-length", "transfer-encoding",
                                                            "connection", "upgrade",        "te",
                                                            "trailer",    "keep-alive",     "accept-encoding"};
  auto n = core::ascii_lower(name);
  if (std::find(k_own.begin(), k_own.end(), n) != k_own.end() || n.starts_with("proxy-"))
    return "the header \"" + std::string(name) + "\" is set by the HTTP client itself";
  return {};
}

HttpFetcher::HttpFetcher(std::string extra_ca_file) : extra_ca_file_(std::move(extra_ca_file)) {}

HttpFetcher::~HttpFetcher() = default;

ssl::context* HttpFetcher::tls_context(std::string& error) {
  std::call_once(tls_once_, [this] {
    auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
    error_code ec;
    context->set_default_verify_paths(ec);
    if (!ec && !extra_ca_file_.empty()) context->load_verify_file(extra_ca_file_, ec);
    if (ec) {
      tls_error_ = "the TLS trust store cannot be loaded (" + ec.message() + ")";
      return;
    }
    SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
    context->set_verify_mode(ssl::verify_peer);
    tls_ = std::move(context);
  });
  if (!tls_) error = tls_error_;
  return tls_.get();
}

asio::awaitable<FetchResult> HttpFetcher::fetch(const FetchRequest& request, const FetchLimits& limits,
                                                const ToolContext& context) {
  std::string error;
  auto url = parse_http_url(request.url, error);
  if (!url) co_return FetchResult{std::nullopt, error};
  auto verb = http::string_to_verb(request.method);
  if (verb != http::verb::get && verb != http::verb::post && verb != http::verb::put && verb != http::verb::patch &&
      verb != http::verb::delete_ && verb != http::verb::head)
    co_return FetchResult{std::nullopt, "the method must be GET, POST, PUT, PATCH, DELETE or HEAD"};
  for (const auto& [name, value] : request.headers)
    if (auto problem = header_problem(name, value); !problem.empty()) co_return FetchResult{std::nullopt, problem};

  HeaderList headers = request.headers;
  std::string body = request.body;
  for (int redirects = 0;; ++redirects) {
    ssl::context* tls = url->tls ? tls_context(error) : nullptr;
    if (url->tls && !tls) co_return FetchResult{std::nullopt, error};
    FetchResult result;
    co_await one_hop(*url, verb, headers, body, limits, context, tls, result);
    if (!result.response) co_return result;
    auto& response = *result.response;
    response.url = url->text;
    response.redirects = redirects;
    std::string location = response.header("location");
    if (!is_redirect(response.status) || location.empty() || limits.max_redirects <= 0) co_return result;
    if (redirects >= limits.max_redirects)
      co_return FetchResult{std::nullopt, "too many redirects (more than " + std::to_string(limits.max_redirects) +
                                              ") starting from " + request.url};
    auto next = redirect_target(*url, location, error);
    if (!next) co_return FetchResult{std::nullopt, error};
    // As browsers do: 303, and 301/302 after a POST, continue as a GET without the body.
    if (response.status == 303 || ((response.status == 301 || response.status == 302) && verb == http::verb::post)) {
      if (verb != http::verb::head) verb = http::verb::get;
      body.clear();
      std::erase_if(headers, [](const auto& h) { return core::ascii_lower(h.first) == "content-type"; });
    }
    if (next->origin() != url->origin())
      std::erase_if(headers, [](const auto& h) { return credential_header(h.first); });
    url = std::move(next);
  }
}

}  // namespace aop::engine::tools
