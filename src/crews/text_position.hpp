#pragma once
// Byte offsets in UTF-8 text -> line/column for diagnostics, and the character checks the
// readers share.
#include <cstddef>
#include <string_view>
#include <vector>

#include "crews/diagnostic.hpp"

namespace aop::crews {

// Line and column (in characters) of a byte offset; offsets past the end clamp to it.
Location location_at(std::string_view text, std::size_t offset);

// Character counts between byte offsets in constant time, so recording the column of every
// key stays linear even for a document that is one long line (minified JSON).
class ColumnIndex {
 public:
  explicit ColumnIndex(std::string_view text);
  // 1-based column of `offset` on the line starting at byte `line_start`.
  int column(std::size_t line_start, std::size_t offset) const;

 private:
  std::size_t chars_before(std::size_t offset) const;

  static constexpr std::size_t k_block = 64;
  std::string_view text_;
  bool ascii_ = true;
  std::vector<std::size_t> block_chars_;  // characters before each k_block-byte block
};

// Character offsets (libyaml's mark index) -> line/column. Lines end at '\n' only, as in
// location_at: libyaml also breaks lines at CR, NEL, LS and PS, so its own line numbers
// would disagree with the JSON reader and with the editor.
class CharIndex {
 public:
  explicit CharIndex(std::string_view text);
  // Location of the character at `index`; indexes past the end clamp to it.
  Location location(std::size_t index) const;

 private:
  std::size_t chars_ = 0;
  std::vector<std::size_t> line_starts_;  // character index of each line's first character
  mutable std::size_t last_line_ = 0;     // 0-based line of the previous answer
};

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
