#pragma once
// Core HTTP types shared by the server, router, middleware and API handlers.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/value.hpp>

#include "core/principal.hpp"

namespace aop::http {

namespace bhttp = boost::beast::http;
using Request = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;

class SseChannel;

// What a handler returns: a complete response, or response headers plus an SSE channel that
// the server drains until the channel closes.
struct Reply {
  Response response;
  std::shared_ptr<SseChannel> sse;
};

// Per-request state that flows through the middleware chain.
struct RequestContext {
  Request& request;
  std::string remote_address;
  std::string request_id;
  std::string route;  // the matched pattern, e.g. "/api/crews/{id}"; empty when unmatched
  std::vector<std::pair<std::string, std::string>> path_params;
  std::chrono::steady_clock::time_point started_at = std::chrono::steady_clock::now();
  std::string path;   // decoded path without the query
  std::string query;  // raw query string without '?'
  // Set by the route guard (authentication and authorization) before the handler runs.
  std::shared_ptr<const core::Principal> principal;
  std::string team_id;    // the active team for team-scoped routes
  std::string team_role;  // the principal's role in it: owner | member ("" for admins outside it)

  // Path parameter by name ({id}); empty when absent.
  std::string_view param(std::string_view name) const;
  // Decoded query parameter; nullopt when absent.
  std::optional<std::string> query_param(std::string_view name) const;
  // Parses the body as JSON; throws Problem 400 with the parse position on malformed input,
  // 415 when the content type is not JSON.
  boost::json::value json_body() const;
  // A header value; empty when absent.
  std::string_view header(std::string_view name) const;
};

using Handler = std::function<boost::asio::awaitable<Reply>(RequestContext&)>;

// Response helpers.
Reply json_reply(int status, const boost::json::value& body);
Reply text_reply(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
Reply empty_reply(int status);

}  // namespace aop::http
