#include "engine/tools/tool_text.hpp"

#include <cstdio>

#include <boost/json/string.hpp>

namespace aop::engine::tools {

const boost::json::string* string_argument(const boost::json::object& arguments, std::string_view key) {
  const auto* value = arguments.if_contains(key);
  return value && value->is_string() ? &value->get_string() : nullptr;
}

namespace {

// Length of the valid UTF-8 sequence at text[i], or 0 when it is invalid (overlong forms,
// surrogates and code points above U+10FFFF included).
std::size_t sequence_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b = byte(i);
  if (b < 0x80) return 1;
  std::size_t n;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (b >= 0xC2 && b <= 0xDF)
    n = 2;
  else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    if (b == 0xE0) low = 0xA0;
    if (b == 0xED) high = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    if (b == 0xF0) low = 0x90;
    if (b == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  return n;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = sequence_length(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = sequence_length(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

std::string byte_size_text(std::size_t bytes) {
  auto scaled = [](double value, const char* unit) {
    char buffer[32];
    if (value == static_cast<double>(static_cast<std::size_t>(value)))
      std::snprintf(buffer, sizeof buffer, "%zu %s", static_cast<std::size_t>(value), unit);
    else
      std::snprintf(buffer, sizeof buffer, "%.1f %s", value, unit);
    return std::string(buffer);
  };
  if (bytes >= 1024 * 1024) return scaled(static_cast<double>(bytes) / (1024 * 1024), "MiB");
  if (bytes >= 1024) return scaled(static_cast<double>(bytes) / 1024, "KiB");
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

bool looks_binary(std::string_view bytes) {
  std::size_t controls = 0;
  for (unsigned char c : bytes) {
    if (c == 0) return true;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1B) ++controls;
  }
  return controls * 20 > bytes.size();  // a stray control character does not make a text binary
}

}  // namespace aop::engine::tools
