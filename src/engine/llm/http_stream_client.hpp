#pragma once
// The outgoing HTTP/1.1 client of the LLM providers: POST a JSON body over http or https and
// hand the response body to the caller as it arrives (LLM answers stream for tens of
// seconds). Built on Beast and Asio coroutines, so a waiting call holds no thread. TLS
// verifies the server's certificate against the system trust store and its host name.
// The TLS machinery stays in the .cpp so this header is cheap to include.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "engine/cancel_token.hpp"

namespace aop::engine::llm {

struct HttpPost {
  std::string url;  // http://host:port/path or https://...
  std::vector<std::pair<std::string, std::string>> headers;  // besides Host, Content-Type, User-Agent
  std::string body;                                          // sent as application/json
  std::chrono::milliseconds timeout{std::chrono::seconds(120)};  // the whole exchange, body included
  std::shared_ptr<CancelToken> cancel;                            // may be null
  std::uint64_t max_body_bytes = 64ull * 1024 * 1024;
};

struct HttpResponseHead {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  // The first value of `name` (any case), or "" when absent.
  std::string header(std::string_view name) const;
};

// Called with each piece of the body as it is read (on the exchange's own strand; the
// awaiting coroutine is suspended meanwhile). An exception thrown here ends the exchange
// and propagates out of post().
using BodyHandler = std::function<void(const HttpResponseHead& head, std::string_view data)>;

class HttpStreamClient {
 public:
  struct Options {
    // PEM certificates trusted in addition to the system store (a private CA in front of a
    // self-hosted model server; tests).
    std::string extra_ca_pem;
  };

  HttpStreamClient();
  explicit HttpStreamClient(Options options);
  ~HttpStreamClient();
  HttpStreamClient(const HttpStreamClient&) = delete;
  HttpStreamClient& operator=(const HttpStreamClient&) = delete;

  // One exchange on a fresh connection. Returns the response head once the whole body has
  // been delivered. Throws LlmError: `timeout` when request.timeout passes first,
  // `cancelled` when request.cancel fires (the socket is closed at once), `network` for
  // DNS, connect, TLS and dropped connections, `malformed` for a response that is not
  // HTTP, `bad_request` for a URL that cannot be used.
  boost::asio::awaitable<HttpResponseHead> post(const HttpPost& request, const BodyHandler& on_body);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aop::engine::llm
