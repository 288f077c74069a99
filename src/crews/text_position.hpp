#pragma once
// Byte offsets in UTF-8 text -> line/column for diagnostics, and the character checks the
// readers share.
#include <cstddef>
#include <string_view>

#include "crews/diagnostic.hpp"

namespace aop::crews {

// Line and column (in characters) of a byte offset; offsets past the end clamp to it.
Location location_at(std::string_view text, std::size_t offset);

// Same, when the line start is already known (yaml-cpp reports line and byte column).
Location location_in_line(std::string_view text, std::size_t offset, int zero_based_line);

// Offset of the first byte that is not well-formed UTF-8, or npos.
std::size_t find_invalid_utf8(std::string_view text);

// Decodes the code point starting at `offset` in valid UTF-8 text; `length` receives its size.
char32_t decode_utf8(std::string_view text, std::size_t offset, std::size_t& length);

// Characters YAML 1.2 allows in a stream (c-printable): tab, line breaks, printable
// characters. Everything else (other controls, U+FFFE, U+FFFF) is rejected up front.
bool is_yaml_printable(char32_t c);

// Number of code points in valid UTF-8 text.
std::size_t utf8_length(std::string_view text);

}  // namespace aop::crews
