#include "crews/text_position.hpp"

#include <algorithm>

namespace aop::crews {

namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

int count_chars(std::string_view text) {
  int n = 0;
  for (unsigned char c : text)
    if (!is_continuation(c)) ++n;
  return n;
}

}  // namespace

Location location_at(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, count_chars(text.substr(line_start, offset - line_start)) + 1};
}

CharIndex::CharIndex(std::string_view text) {
  line_starts_.push_back(0);
  for (std::size_t pos = 0;;) {
    const auto newline = text.find('\n', pos);
    const auto end = newline == std::string_view::npos ? text.size() : newline + 1;
    chars_ += static_cast<std::size_t>(count_chars(text.substr(pos, end - pos)));
    if (newline == std::string_view::npos) break;
    line_starts_.push_back(chars_);
    pos = end;
  }
}

Location CharIndex::location(std::size_t index) const {
  index = std::min(index, chars_);
  // Parsers ask in document order, so the line of the previous answer (or the next one)
  // is nearly always right; otherwise search.
  auto on_line = [&](std::size_t line) {
    return line_starts_[line] <= index && (line + 1 == line_starts_.size() || index < line_starts_[line + 1]);
  };
  std::size_t line = last_line_;
  if (!on_line(line)) {
    if (line + 1 < line_starts_.size() && on_line(line + 1)) {
      ++line;
    } else {
      // The last line starting at or before `index`; line_starts_[0] is 0, so there is one.
      line = static_cast<std::size_t>(std::upper_bound(line_starts_.begin(), line_starts_.end(), index) -
                                      line_starts_.begin()) - 1;
    }
  }
  last_line_ = line;
  return {static_cast<int>(line) + 1, static_cast<int>(index - line_starts_[line]) + 1};
}

ColumnIndex::ColumnIndex(std::string_view text) : text_(text) {
  ascii_ = std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii_) return;
  block_chars_.reserve(text.size() / k_block + 1);
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i % k_block == 0) block_chars_.push_back(chars);
    if (!is_continuation(static_cast<unsigned char>(text[i]))) ++chars;
  }
}

std::size_t ColumnIndex::chars_before(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  if (ascii_) return offset;
  // Non-ASCII text is non-empty, so there is at least one block.
  const std::size_t block = std::min(offset / k_block, block_chars_.size() - 1);
  return block_chars_[block] +
         static_cast<std::size_t>(count_chars(text_.substr(block * k_block, offset - block * k_block)));
}

int ColumnIndex::column(std::size_t line_start, std::size_t offset) const {
  return static_cast<int>(chars_before(offset) - chars_before(line_start)) + 1;
}

std::size_t find_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  const auto n = text.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    char32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      if (!is_continuation(cc)) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return std::string_view::npos;
}

char32_t decode_utf8(std::string_view text, std::size_t offset, std::size_t& length) {
  auto c = static_cast<unsigned char>(text[offset]);
  if (c < 0x80) {
    length = 1;
    return c;
  }
  length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  char32_t cp = c & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07);
  for (std::size_t k = 1; k < length && offset + k < text.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(text[offset + k]) & 0x3F);
  return cp;
}

bool is_yaml_printable(char32_t c) {
  if (c == 0x09 || c == 0x0A || c == 0x0D || c == 0x85) return true;
  if (c >= 0x20 && c <= 0x7E) return true;
  if (c >= 0xA0 && c <= 0xD7FF) return true;
  if (c >= 0xE000 && c <= 0xFFFD) return true;
  return c >= 0x10000 && c <= 0x10FFFF;
}

std::size_t utf8_length(std::string_view text) { return static_cast<std::size_t>(count_chars(text)); }

}  // namespace aop::crews
