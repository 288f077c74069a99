#pragma once
// Reads fields from a JSON request body and collects every problem with its path, so one
// 422 answer lists all mistakes at once.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "core/problem.hpp"

namespace aop::api {

class BodyReader {
 public:
  // Throws 422 when the body is not a JSON object. Keeps its own copy of the document, so
  // `BodyReader body(ctx.json_body());` is safe.
  explicit BodyReader(boost::json::value body);

  std::optional<std::string> string(std::string_view key, bool required, std::size_t min_length = 0,
                                    std::size_t max_length = 10000);
  std::optional<std::int64_t> integer(std::string_view key, bool required, std::int64_t min, std::int64_t max);
  std::optional<bool> boolean(std::string_view key, bool required);
  std::optional<std::vector<std::string>> string_list(std::string_view key, bool required);
  // A field that may be JSON null: returns the value pointer (nullptr when absent).
  const boost::json::value* raw(std::string_view key) const;
  bool has(std::string_view key) const;

  void error(std::string path, std::string message);
  // Fields the endpoint does not know are errors too: a typo must not be silently ignored.
  void allow_only(std::initializer_list<std::string_view> keys);
  // Throws 422 listing every collected problem.
  void finish() const;

 private:
  boost::json::value value_;
  const boost::json::object* object_ = nullptr;
  std::vector<core::FieldError> errors_;
};

struct Page {
  int limit = 50;
  std::optional<std::pair<std::int64_t, std::string>> after;  // (created_at, id) of the last item seen
};

// ?limit= (1..200, default 50) and ?cursor=; throws 400 naming the parameter.
Page read_page(std::optional<std::string> limit, std::optional<std::string> cursor);
std::string encode_cursor(std::int64_t created_at, const std::string& id);

// Characters (UTF-8 code points) in `text`: every length limit of the API counts these.
std::size_t count_characters(std::string_view text);

// A free-text query parameter ("" when absent); throws 400 naming the parameter when it is longer
// than `max_characters`.
std::string read_text_param(const std::optional<std::string>& text, const char* name, std::size_t max_characters);

// A query parameter holding an ISO 8601 time: epoch ms, nullopt when absent or empty; throws
// 400 naming the parameter when it does not parse.
std::optional<std::int64_t> read_time_param(const std::optional<std::string>& text, const char* name);

// ISO 8601 string for epoch ms, or null.
boost::json::value timestamp(std::optional<std::int64_t> epoch_ms);

}  // namespace aop::api
