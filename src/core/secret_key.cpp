#include "core/secret_key.hpp"

#include <sodium.h>

#include "core/crypto.hpp"

namespace aop::core {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> parse_secret_key(std::string_view text) {
  text = trim(text);
  if (text.size() == 2 * k_secret_key_bytes) {
    std::string key;
    key.reserve(k_secret_key_bytes);
    for (std::size_t i = 0; i < text.size(); i += 2) {
      int hi = hex_digit(text[i]), lo = hex_digit(text[i + 1]);
      if (hi < 0 || lo < 0) return std::nullopt;
      key.push_back(static_cast<char>(hi * 16 + lo));
    }
    return key;
  }
  unsigned char bytes[k_secret_key_bytes + 1];  // one spare byte tells a longer key apart
  auto size = base64url_decode_into(text, bytes);
  std::optional<std::string> key;
  if (size && *size == k_secret_key_bytes) key.emplace(reinterpret_cast<const char*>(bytes), k_secret_key_bytes);
  sodium_memzero(bytes, sizeof bytes);
  return key;
}

}  // namespace aop::core
