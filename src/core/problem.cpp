#include "core/problem.hpp"

#include <boost/json.hpp>

namespace aop::core {

std::string status_title(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return status >= 500 ? "Server Error" : "Error";
  }
}

Problem::Problem(int status, std::string title, std::string detail, std::vector<FieldError> errors)
    : status_(status),
      type_("about:blank"),
      title_(title.empty() ? status_title(status) : std::move(title)),
      detail_(std::move(detail)),
      errors_(std::move(errors)) {}

std::string Problem::to_json(const std::string& instance) const {
  boost::json::object doc;
  doc["type"] = type_;
  doc["title"] = title_;
  doc["status"] = status_;
  if (!detail_.empty()) doc["detail"] = detail_;
  if (!instance.empty()) doc["instance"] = instance;
  if (!errors_.empty()) {
    boost::json::array list;
    for (const auto& e : errors_) {
      boost::json::object item{{"path", e.path}, {"message", e.message}};
      if (e.line > 0) {
        item["line"] = e.line;
        item["column"] = e.column;
      }
      list.push_back(std::move(item));
    }
    doc["errors"] = std::move(list);
  }
  return boost::json::serialize(doc);
}

Problem Problem::bad_request(std::string detail, std::vector<FieldError> errors) {
  return Problem(400, "", std::move(detail), std::move(errors));
}
Problem Problem::unauthorized(std::string detail) { return Problem(401, "", std::move(detail)); }
Problem Problem::forbidden(std::string detail) { return Problem(403, "", std::move(detail)); }
Problem Problem::not_found(std::string detail) { return Problem(404, "", std::move(detail)); }
Problem Problem::conflict(std::string detail) { return Problem(409, "", std::move(detail)); }
Problem Problem::unprocessable(std::string detail, std::vector<FieldError> errors) {
  return Problem(422, "Validation Failed", std::move(detail), std::move(errors));
}
Problem Problem::payload_too_large(std::string detail) {
  return Problem(413, "", std::move(detail));
}
Problem Problem::too_many_requests(std::string detail, int retry_after_seconds) {
  Problem p(429, "", std::move(detail));
  p.with_header("Retry-After", std::to_string(retry_after_seconds));
  return p;
}
Problem Problem::internal() {
  return Problem(500, "", "An unexpected error occurred. It has been logged with the request id.");
}

}  // namespace aop::core
