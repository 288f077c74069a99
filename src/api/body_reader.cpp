#include "api/body_reader.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

#include "core/clock.hpp"
#include "core/crypto.hpp"

namespace aop::api {

BodyReader::BodyReader(boost::json::value body) : value_(std::move(body)) {
  if (!value_.is_object())
    throw core::Problem::unprocessable("The request body must be a JSON object.", {{"body", "expected an object"}});
  object_ = &value_.as_object();
}

const boost::json::value* BodyReader::raw(std::string_view key) const { return object_->if_contains(key); }
bool BodyReader::has(std::string_view key) const { return object_->contains(key); }

void BodyReader::error(std::string path, std::string message) {
  errors_.push_back({std::move(path), std::move(message)});
}

std::optional<std::string> BodyReader::string(std::string_view key, bool required, std::size_t min_length,
                                              std::size_t max_length) {
  const auto* v = raw(key);
  if (!v || v->is_null()) {
    if (required) error(std::string(key), "is required");
    return std::nullopt;
  }
  if (!v->is_string()) {
    error(std::string(key), "must be a string");
    return std::nullopt;
  }
  std::string s(v->as_string());
  std::size_t length = count_characters(s);  // the JSON parser guarantees valid UTF-8
  if (length < min_length) {
    error(std::string(key), min_length <= 1 ? "must not be empty"
                                            : "must be at least " + std::to_string(min_length) + " characters");
    return std::nullopt;
  }
  if (length > max_length) {
    error(std::string(key), "must be at most " + std::to_string(max_length) + " characters");
    return std::nullopt;
  }
  return s;
}

std::optional<std::int64_t> BodyReader::integer(std::string_view key, bool required, std::int64_t min,
                                                std::int64_t max) {
  const auto* v = raw(key);
  if (!v || v->is_null()) {
    if (required) error(std::string(key), "is required");
    return std::nullopt;
  }
  std::int64_t n = 0;
  if (v->is_int64()) n = v->as_int64();
  else if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) n = static_cast<std::int64_t>(v->as_uint64());
  else {
    error(std::string(key), "must be an integer");
    return std::nullopt;
  }
  if (n < min || n > max) {
    error(std::string(key), "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> BodyReader::boolean(std::string_view key, bool required) {
  const auto* v = raw(key);
  if (!v || v->is_null()) {
    if (required) error(std::string(key), "is required");
    return std::nullopt;
  }
  if (!v->is_bool()) {
    error(std::string(key), "must be true or false");
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<std::vector<std::string>> BodyReader::string_list(std::string_view key, bool required) {
  const auto* v = raw(key);
  if (!v || v->is_null()) {
    if (required) error(std::string(key), "is required");
    return std::nullopt;
  }
  if (!v->is_array()) {
    error(std::string(key), "must be an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  const auto& arr = v->as_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_string()) {
      error(std::string(key) + "[" + std::to_string(i) + "]", "must be a string");
      continue;
    }
    out.emplace_back(arr[i].as_string());
  }
  return out;
}

void BodyReader::allow_only(std::initializer_list<std::string_view> keys) {
  for (const auto& kv : *object_)
    if (std::find(keys.begin(), keys.end(), kv.key()) == keys.end())
      error(std::string(kv.key()), "is not a known field");
}

void BodyReader::finish() const {
  if (errors_.empty()) return;
  std::string detail = errors_.size() == 1 ? "1 field is invalid: " + errors_[0].path + " " + errors_[0].message + "."
                                           : std::to_string(errors_.size()) + " fields are invalid.";
  throw core::Problem::unprocessable(detail, errors_);
}

Page read_page(std::optional<std::string> limit, std::optional<std::string> cursor) {
  Page page;
  if (limit) {
    int n = 0;
    auto [ptr, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
    if (ec != std::errc() || ptr != limit->data() + limit->size() || n < 1 || n > 200)
      throw core::Problem::bad_request("limit must be an integer from 1 to 200.", {{"limit", "must be 1..200"}});
    page.limit = n;
  }
  if (cursor && !cursor->empty()) {
    auto decoded = core::base64url_decode(*cursor);
    auto sep = decoded ? decoded->find('|') : std::string::npos;
    std::int64_t at = 0;
    bool ok = sep != std::string::npos;
    if (ok) {
      auto [ptr, ec] = std::from_chars(decoded->data(), decoded->data() + sep, at);
      ok = ec == std::errc() && ptr == decoded->data() + sep;
    }
    if (!ok) throw core::Problem::bad_request("cursor is not valid; use next_cursor from a previous page.",
                                              {{"cursor", "malformed"}});
    page.after = std::make_pair(at, decoded->substr(sep + 1));
  }
  return page;
}

std::size_t count_characters(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
}

std::string read_text_param(const std::optional<std::string>& text, const char* name, std::size_t max_characters) {
  if (!text) return {};
  if (count_characters(*text) > max_characters)
    throw core::Problem::bad_request(
        std::string(name) + " must be at most " + std::to_string(max_characters) + " characters.",
        {{name, "must be at most " + std::to_string(max_characters) + " characters"}});
  return *text;
}

std::optional<std::int64_t> read_time_param(const std::optional<std::string>& text, const char* name) {
  if (!text || text->empty()) return std::nullopt;
  std::int64_t ms = 0;
  if (!core::parse_iso8601(*text, ms))
    throw core::Problem::bad_request(std::string(name) + " must be an ISO 8601 timestamp such as 2026-01-31T00:00:00Z.",
                                     {{name, "must be an ISO 8601 timestamp"}});
  return ms;
}

std::string encode_cursor(std::int64_t created_at, const std::string& id) {
  return core::base64url_encode(std::to_string(created_at) + "|" + id);
}

boost::json::value timestamp(std::optional<std::int64_t> epoch_ms) {
  if (!epoch_ms) return nullptr;
  return boost::json::string(core::format_iso8601(*epoch_ms));
}

}  // namespace aop::api
