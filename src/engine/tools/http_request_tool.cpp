#include "engine/tools/http_request_tool.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <boost/json.hpp>

#include "engine/tools/content_type.hpp"
#include "engine/tools/tool_text.hpp"

namespace aop::engine::tools {

namespace json = boost::json;

namespace {

constexpr std::size_t k_max_request_body = 1024 * 1024;

// Headers that tell a model something it can act on; the rest is noise in its context.
bool shown_header(std::string_view name) {
  static constexpr std::array<std::string_view, 8> k_shown = {
      "content-type", "content-length", "location", "retry-after", "www-authenticate", "etag", "last-modified", "link"};
  return std::find(k_shown.begin(), k_shown.end(), name) != k_shown.end() || name.starts_with("ratelimit") ||
         name.starts_with("x-ratelimit");
}

ToolResult failure(std::string message) { return {std::move(message), true}; }

std::string scalar_text(const json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
}

}  // namespace

std::string describe_response(const FetchResponse& response, bool head_request, std::size_t max_body_bytes) {
  std::string out = "HTTP " + std::to_string(response.status);
  if (!response.reason.empty()) out += " " + response.reason;
  out += "\n";
  if (response.redirects > 0) out += "(redirected to " + response.url + ")\n";
  for (const auto& [name, value] : response.headers)
    if (shown_header(name)) out += name + ": " + valid_utf8(value) + "\n";
  out += "\n";
  auto type = response.header("content-type");
  if (head_request || response.body.empty()) {
    out += "(empty body)";
  } else if (content_kind(type, response.body) == ContentKind::binary) {
    out += "[binary body of " + byte_size_text(response.body.size()) + (response.truncated ? " or more" : "") +
           (type.empty() ? "" : " (" + type + ")") + "; not shown]";
  } else {
    out += valid_utf8(response.body);
    if (response.truncated)
      out += "\n[cut: the response body was longer than " + byte_size_text(max_body_bytes) + "; only the first " +
             byte_size_text(max_body_bytes) + " were read]";
  }
  return out;
}

HttpRequestTool::HttpRequestTool(std::shared_ptr<HttpFetcher> fetcher, FetchLimits limits)
    : fetcher_(std::move(fetcher)), limits_(std::move(limits)) {
  parameters_ = {{"type", "object"},
                 {"properties",
                  {{"method",
                    {{"type", "string"},
                     {"enum", {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}},
                     {"description", "HTTP method (default GET)"}}},
                   {"url", {{"type", "string"}, {"description", "Absolute http or https URL"}}},
                   {"headers",
                    {{"type", "object"},
                     {"additionalProperties", {{"type", "string"}}},
                     {"description", "Request headers, e.g. {\"Accept\": \"application/json\"}"}}},
                   {"body",
                    {{"type", {"string", "object", "array"}},
                     {"description", "Request body: text as is, or a JSON object/array (sent as application/json)"}}}}},
                 {"required", {"url"}}};
}

std::string_view HttpRequestTool::description() const {
  return "Sends an HTTP request and returns the status, the main response headers and the body (long bodies are "
         "cut). Use it for APIs; use web_fetch to read a web page as text. Error statuses (404, 500, ...) are "
         "returned like any other answer.";
}

boost::asio::awaitable<ToolResult> HttpRequestTool::invoke(const json::object& arguments, const ToolContext& context) {
  FetchRequest request;
  const auto* url = string_argument(arguments, "url");
  if (!url) co_return failure("http_request needs {\"url\": \"https://...\"} (and optionally method, headers, body)");
  request.url = std::string(*url);
  if (const auto* method = arguments.if_contains("method"); method && !method->is_null()) {
    if (!method->is_string()) co_return failure("\"method\" must be a string such as \"GET\" or \"POST\"");
    request.method = std::string(method->get_string());
    for (auto& c : request.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  bool has_content_type = false;
  if (const auto* headers = arguments.if_contains("headers"); headers && !headers->is_null()) {
    if (!headers->is_object()) co_return failure("\"headers\" must be an object of header names to values");
    for (const auto& [name, value] : headers->get_object()) {
      if (value.is_object() || value.is_array() || value.is_null())
        co_return failure("the value of header \"" + std::string(name) + "\" must be a string");
      request.headers.emplace_back(std::string(name), scalar_text(value));
      std::string lower(name);
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      has_content_type |= lower == "content-type";
    }
  }
  std::string default_type;
  if (const auto* body = arguments.if_contains("body"); body && !body->is_null()) {
    if (body->is_string()) {
      request.body = std::string(body->get_string());
      boost::system::error_code ec;
      auto parsed = json::parse(request.body, ec);
      default_type =
          !ec && (parsed.is_object() || parsed.is_array()) ? "application/json" : "text/plain; charset=utf-8";
    } else if (body->is_object() || body->is_array()) {
      request.body = json::serialize(*body);
      default_type = "application/json";
    } else {
      co_return failure("\"body\" must be a string, or a JSON object or array");
    }
  }
  if (request.body.size() > k_max_request_body)
    co_return failure("the body is " + byte_size_text(request.body.size()) + "; http_request sends at most " +
                      byte_size_text(k_max_request_body));
  if (!default_type.empty() && !has_content_type) request.headers.emplace_back("Content-Type", default_type);

  auto result = co_await fetcher_->fetch(request, limits_, context);
  if (!result.response) co_return failure(result.error);
  co_return ToolResult{describe_response(*result.response, request.method == "HEAD", limits_.max_body_bytes), false};
}

}  // namespace aop::engine::tools
