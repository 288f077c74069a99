#pragma once
// RFC 7807 problem details. Handlers throw Problem for expected failures (bad input,
// not found, conflicts); the HTTP error middleware renders it as application/problem+json.
#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace aop::core {

struct FieldError {
  std::string path;     // e.g. "tasks.review.context[0]" or "body" for the whole document
  std::string message;
  int line = 0;         // 1-based position in a submitted document (0 = not known), so an
  int column = 0;       // editor can underline the mistake
};

class Problem : public std::exception {
 public:
  Problem(int status, std::string title, std::string detail = {},
          std::vector<FieldError> errors = {});

  int status() const { return status_; }
  const std::string& type() const { return type_; }
  const std::string& title() const { return title_; }
  const std::string& detail() const { return detail_; }
  const std::vector<FieldError>& errors() const { return errors_; }
  // Extra response headers, e.g. Retry-After for 429 or Allow for 405.
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }

  Problem& with_type(std::string type) { type_ = std::move(type); return *this; }
  Problem& with_header(std::string name, std::string value) {
    headers_.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  const char* what() const noexcept override { return detail_.empty() ? title_.c_str() : detail_.c_str(); }

  // The JSON document: {type, title, status, detail, errors?, instance?}.
  std::string to_json(const std::string& instance = {}) const;

  static Problem bad_request(std::string detail, std::vector<FieldError> errors = {});
  static Problem unauthorized(std::string detail);
  static Problem forbidden(std::string detail);
  static Problem not_found(std::string detail = "The requested resource does not exist.");
  static Problem conflict(std::string detail);
  static Problem unprocessable(std::string detail, std::vector<FieldError> errors);
  static Problem payload_too_large(std::string detail);
  static Problem too_many_requests(std::string detail, int retry_after_seconds);
  static Problem internal();

 private:
  int status_;
  std::string type_;
  std::string title_;
  std::string detail_;
  std::vector<FieldError> errors_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

// Standard reason phrase for a status code ("Not Found").
std::string status_title(int status);

}  // namespace aop::core
