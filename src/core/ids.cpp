#include "core/ids.hpp"

#include <sodium.h>

#include <stdexcept>

#include "core/clock.hpp"

namespace aop::core {

void init_crypto() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) throw std::runtime_error("libsodium failed to initialise");
}

std::string make_uuid7(std::int64_t epoch_ms, const std::array<std::uint8_t, 10>& random) {
  std::array<std::uint8_t, 16> b{};
  auto ms = static_cast<std::uint64_t>(epoch_ms);
  for (int i = 0; i < 6; ++i) b[i] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
  for (int i = 0; i < 10; ++i) b[6 + i] = random[i];
  b[6] = static_cast<std::uint8_t>(0x70 | (b[6] & 0x0f));  // version 7
  b[8] = static_cast<std::uint8_t>(0x80 | (b[8] & 0x3f));  // RFC 4122 variant
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(hex[b[i] >> 4]);
    out.push_back(hex[b[i] & 0xf]);
  }
  return out;
}

namespace {
// Ids are unique, not secret: a per-thread xoshiro256** seeded from libsodium avoids a
// getrandom() system call per id. Tokens and keys use random_hex() (libsodium) instead.
struct IdRandom {
  std::uint64_t s[4];
  IdRandom() {
    init_crypto();
    randombytes_buf(s, sizeof s);
  }
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t next() {
    std::uint64_t result = rotl(s[1] * 5, 7) * 9;
    std::uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }
};
}  // namespace

std::string new_id() {
  thread_local IdRandom rng;
  std::array<std::uint8_t, 10> random{};
  std::uint64_t a = rng.next(), b = rng.next();
  for (int i = 0; i < 8; ++i) random[i] = static_cast<std::uint8_t>(a >> (8 * i));
  random[8] = static_cast<std::uint8_t>(b);
  random[9] = static_cast<std::uint8_t>(b >> 8);
  return make_uuid7(system_clock().now_ms(), random);
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

std::string random_hex(std::size_t bytes) {
  init_crypto();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(bytes * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  out.pop_back();
  return out;
}

}  // namespace aop::core
