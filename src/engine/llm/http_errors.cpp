#include "engine/llm/http_errors.hpp"

#include <cctype>
#include <charconv>
#include <ctime>
#include <iomanip>
#include <sstream>

#include <boost/json/parse.hpp>

#include "core/ascii.hpp"
#include "core/json_fields.hpp"

namespace aop::engine::llm {

namespace json = boost::json;
using Kind = LlmError::Kind;

namespace {

using core::json_fields::string_at;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

struct ErrorBody {
  std::string message, type, code;
};

ErrorBody read_error_body(std::string_view body) {
  ErrorBody out;
  json::error_code ec;
  auto doc = json::parse(body, ec);
  if (!ec && doc.is_object()) {
    const auto& root = doc.get_object();
    if (auto it = root.find("error"); it != root.end()) {
      if (it->value().is_string()) {
        out.message = it->value().get_string();
      } else if (it->value().is_object()) {
        const auto& e = it->value().get_object();
        out.message = string_at(e, "message");
        out.type = string_at(e, "type");
        out.code = string_at(e, "code");
      }
    }
    if (out.message.empty()) out.message = string_at(root, "message");
    if (out.message.empty()) out.message = string_at(root, "detail");
  }
  if (out.message.empty()) {
    auto text = trim(body);
    out.message = std::string(text.substr(0, 300));
    if (text.size() > 300) out.message += "...";
  }
  return out;
}

bool mentions_missing_model(std::string_view message) {
  auto m = core::ascii_lower(message);
  return m.find("model") != std::string::npos &&
         (m.find("not found") != std::string::npos || m.find("does not exist") != std::string::npos ||
          m.find("invalid model") != std::string::npos || m.find("unknown model") != std::string::npos ||
          m.find("not exist") != std::string::npos);
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(value.front()))) {
    double seconds = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc() || end != value.data() + value.size() || seconds < 0) return std::nullopt;
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000 + 0.5));
  }
  // IMF-fixdate, the only HTTP-date form servers send today: "Wed, 21 Oct 2015 07:28:00 GMT".
  std::tm tm{};
  std::istringstream in{std::string(value)};
  in.imbue(std::locale::classic());
  in >> std::get_time(&tm, "%a, %d %b %Y %H:%M:%S");
  std::string zone;
  in >> zone;
  if (in.fail() || zone != "GMT") return std::nullopt;
  auto at = std::chrono::system_clock::from_time_t(timegm(&tm));
  auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(at - now);
  return std::max(delay, std::chrono::milliseconds(0));
}

std::string error_message_of(std::string_view body) { return read_error_body(body).message; }

Kind kind_of_error_type(std::string_view type, Kind fallback) {
  auto t = core::ascii_lower(type);
  if (t == "authentication_error" || t == "permission_error" || t == "invalid_api_key" ||
      t == "permission_denied" || t == "unauthorized")
    return Kind::authentication;
  if (t == "model_not_found" || t == "not_found_error") return Kind::model_not_found;
  if (t == "rate_limit_error" || t == "rate_limit_exceeded" || t == "rate_limited") return Kind::rate_limited;
  if (t == "overloaded_error" || t == "api_error" || t == "server_error" || t == "internal_error" ||
      t == "service_unavailable")
    return Kind::server;
  if (t == "invalid_request_error" || t == "request_too_large" || t == "context_length_exceeded" ||
      t == "insufficient_quota")
    return Kind::bad_request;
  return fallback;
}

LlmError error_from_response(std::string_view provider, std::string_view model, const HttpResponseHead& head,
                             std::string_view body, std::chrono::system_clock::time_point now) {
  int status = head.status;
  auto error = read_error_body(body);
  std::string detail = " (HTTP " + std::to_string(status) + (error.code.empty() ? "" : " " + error.code) + ")";
  if (!error.message.empty()) detail += ": " + error.message;
  std::string prefix = std::string(provider) + ": ";
  std::string model_quoted = "\"" + std::string(model) + "\"";

  bool missing_model = error.code == "model_not_found" || error.type == "not_found_error" ||
                       (status == 404) || ((status == 400 || status == 422) && mentions_missing_model(error.message));
  if (status == 401 || status == 403)
    return LlmError(Kind::authentication, prefix + "the API key was rejected" + detail, status);
  if (missing_model)
    return LlmError(Kind::model_not_found,
                    prefix + "model " + model_quoted + " not found; check the model name and the base URL" + detail,
                    status);
  if (status == 429) {
    // Out of credit is a 429 too, but waiting does not help.
    if (error.code == "insufficient_quota" || error.type == "insufficient_quota")
      return LlmError(Kind::bad_request, prefix + "quota exhausted; check the account's billing" + detail, status);
    std::optional<std::chrono::milliseconds> retry_after;
    if (auto ms = head.header("retry-after-ms"); !ms.empty()) {
      if (auto v = parse_retry_after(ms, now)) retry_after = *v / 1000;  // the value is already milliseconds
    }
    if (!retry_after) retry_after = parse_retry_after(head.header("retry-after"), now);
    return LlmError(Kind::rate_limited, prefix + "rate limited" + detail, status, retry_after);
  }
  if (status == 408) return LlmError(Kind::timeout, prefix + "the server timed out" + detail, status);
  if (status >= 500) {
    auto retry_after = parse_retry_after(head.header("retry-after"), now);
    return LlmError(Kind::server, prefix + "server error" + detail, status, retry_after);
  }
  if (status >= 400) return LlmError(Kind::bad_request, prefix + "the request was rejected" + detail, status);
  std::string where = head.header("location");
  return LlmError(Kind::bad_request,
                  prefix + "unexpected HTTP " + std::to_string(status) + (where.empty() ? "" : " to " + where) +
                      "; check the base URL",
                  status);
}

}  // namespace aop::engine::llm
