#pragma once
// Appending JSON text by hand, for the hot read paths (execution pages, event replay) that
// splice JSON already stored in the database into a response instead of parsing it into a
// document and serializing it again. Everything else should build boost::json values.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aop::core {

// "text" with quotes; escapes quote, backslash and control characters (bytes are copied as
// they are otherwise, as boost::json::serialize does).
void append_json_string(std::string& out, std::string_view text);
inline void append_json_string(std::string& out, const std::string& text) {
  append_json_string(out, std::string_view(text));
}
// Shortest form that reads back to the same value; non-finite numbers become null (JSON has none).
void append_json_number(std::string& out, double value);
void append_json_number(std::string& out, std::int64_t value);

// null for an absent value.
void append_json_string(std::string& out, const std::optional<std::string>& text);
void append_json_number(std::string& out, const std::optional<double>& value);
void append_json_number(std::string& out, const std::optional<std::int64_t>& value);

}  // namespace aop::core
