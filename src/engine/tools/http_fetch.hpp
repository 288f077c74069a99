#pragma once
// The tools' own small HTTP client (http and https) on Boost.Beast: one request per
// connection, the tool call's deadline over everything (lookup, connect, TLS, transfer),
// cancellation that closes the socket at once, a cap on the response body, redirects
// followed and re-checked against the network policy. TLS verifies the peer against the
// system trust store (plus an optional extra CA file) with SNI and host name checks.
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "engine/tools/net_policy.hpp"
#include "engine/tools/tool.hpp"

namespace boost::asio::ssl {
class context;
}

namespace aop::engine::tools {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct FetchRequest {
  std::string method = "GET";  // GET, POST, PUT, PATCH, DELETE or HEAD
  std::string url;
  HeaderList headers;  // sent as given (after the client's own defaults are overridden)
  std::string body;
};

struct FetchLimits {
  NetPolicy policy;             // applied to every hop
  bool check_addresses = true;  // false for URLs an administrator configured
  std::size_t max_body_bytes = 2 * 1024 * 1024;
  int max_redirects = 5;
};

struct FetchResponse {
  unsigned status = 0;
  std::string reason;
  HeaderList headers;      // names in lower case, in the order received
  std::string body;        // at most max_body_bytes
  bool truncated = false;  // the body was longer than max_body_bytes
  std::string url;         // after redirects
  int redirects = 0;

  // The first header named `name` (lower case), or empty.
  std::string header(std::string_view name) const;
};

struct FetchResult {
  std::optional<FetchResponse> response;
  std::string error;  // when there is no response: why, in words a model can act on
};

// Why a request header cannot be sent as given (empty when it can): names must be HTTP
// tokens, values single-line, and framing headers (Host, Content-Length, ...) are the
// client's own.
std::string header_problem(std::string_view name, std::string_view value);

class HttpFetcher {
 public:
  // `extra_ca_file`: a PEM file of CA certificates trusted besides the system store.
  explicit HttpFetcher(std::string extra_ca_file = {});
  ~HttpFetcher();

  // Performs the request within context.deadline. Network and policy failures come back in
  // FetchResult::error; any HTTP status is a response. Throws Cancelled when context.cancel
  // fires. The caller's executor must be serialized (a strand or a one-thread io_context).
  boost::asio::awaitable<FetchResult> fetch(const FetchRequest& request, const FetchLimits& limits,
                                            const ToolContext& context);

 private:
  // Made on first use (loading the trust store costs); nullptr with `error` set when it cannot be.
  boost::asio::ssl::context* tls_context(std::string& error);

  std::string extra_ca_file_;
  std::once_flag tls_once_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
  std::string tls_error_;  // why the trust store could not be loaded
};

}  // namespace aop::engine::tools
