#include "core/ids.hpp"

#include <sodium.h>

#include <algorithm>
#include <atomic>
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
  // RFC 9562's monotonic counter: the 12 bits after the version count up within a millisecond,
  // so ids made one after another in this process sort in the order they were made (lists
  // ordered by (created_at, id) keep the order of events of the same millisecond).
  static std::atomic<std::uint64_t> last{0};  // (ms << 12) | counter
  std::uint64_t now = static_cast<std::uint64_t>(system_clock().now_ms()) << 12;
  std::uint64_t prev = last.load(std::memory_order_relaxed), next = 0;
  do {
    next = std::max(now, prev + 1);
  } while (!last.compare_exchange_weak(prev, next, std::memory_order_relaxed));
  std::array<std::uint8_t, 10> random{};
  std::uint64_t a = rng.next();
  random[0] = static_cast<std::uint8_t>((next >> 8) & 0x0f);  // the counter's high 4 bits (beside the version)
  random[1] = static_cast<std::uint8_t>(next);
  for (int i = 2; i < 10; ++i) random[i] = static_cast<std::uint8_t>(a >> (8 * (i - 2)));
  return make_uuid7(static_cast<std::int64_t>(next >> 12), random);
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
