#include "auth/api_key_format.hpp"

#include <sodium.h>

#include "core/crypto.hpp"
#include "core/ids.hpp"

namespace aop::auth {
namespace {

constexpr std::string_view k_scheme = "aop_";
constexpr std::size_t k_prefix_size = 8;
constexpr std::size_t k_secret_bytes = 32;
constexpr std::size_t k_secret_size = 43;  // base64url of 32 bytes, unpadded
constexpr std::size_t k_key_size = k_scheme.size() + k_prefix_size + 1 + k_secret_size;
constexpr std::string_view k_prefix_alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

bool is_prefix_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// The 6-bit value of a base64url character, or -1.
int base64url_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// 43 characters carry 258 bits; the canonical encoding of 32 bytes leaves the last 2 at zero.
bool is_canonical_secret(std::string_view s) {
  for (char c : s)
    if (base64url_value(c) < 0) return false;
  return (base64url_value(s.back()) & 0x3) == 0;
}

}  // namespace

GeneratedKey generate_api_key() {
  core::init_crypto();
  std::string prefix(k_prefix_size, '\0');
  for (char& c : prefix) c = k_prefix_alphabet[randombytes_uniform(k_prefix_alphabet.size())];  // unbiased
  GeneratedKey key;
  key.full.reserve(k_key_size);
  key.full.append(k_scheme).append(prefix).append(1, '_').append(core::random_token(k_secret_bytes));
  key.prefix = std::move(prefix);
  key.secret_hash = hash_api_key(key.full);
  return key;
}

std::optional<std::string> parse_api_key_prefix(std::string_view key) {
  // Fixed offsets, because the secret's alphabet itself contains '_'.
  if (key.size() != k_key_size || !key.starts_with(k_scheme)) return std::nullopt;
  std::string_view prefix = key.substr(k_scheme.size(), k_prefix_size);
  for (char c : prefix)
    if (!is_prefix_char(c)) return std::nullopt;
  if (key[k_scheme.size() + k_prefix_size] != '_') return std::nullopt;
  if (!is_canonical_secret(key.substr(k_key_size - k_secret_size))) return std::nullopt;
  return std::string(prefix);
}

std::string hash_api_key(std::string_view full_key) { return core::sha256_hex(full_key); }

}  // namespace aop::auth
