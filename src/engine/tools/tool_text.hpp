#pragma once
// Text helpers shared by the builtin tools: reading arguments, keeping observations valid
// UTF-8 (events are JSON), cutting long text at a character boundary, sizes in words.
#include <cstddef>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace aop::engine::tools {

// The string argument `key`, or nullptr when it is missing or not a string.
const boost::json::string* string_argument(const boost::json::object& arguments, std::string_view key);

// True when `text` is entirely valid UTF-8.
bool is_valid_utf8(std::string_view text);

// `text` with every invalid UTF-8 sequence replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

// The longest prefix of `text` of at most `max_bytes` that does not split a UTF-8 character.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

// 512 -> "512 bytes", 2048 -> "2 KiB", 1572864 -> "1.5 MiB".
std::string byte_size_text(std::size_t bytes);

// True when `bytes` are not text: a NUL byte, or more than 5% control characters.
bool looks_binary(std::string_view bytes);

}  // namespace aop::engine::tools
