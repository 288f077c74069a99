#pragma once
// UUIDv7 identifiers (RFC 9562): 48-bit Unix milliseconds, then random bits, so ids sort by
// creation time and keep B-tree inserts local.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace aop::core {

// Formats a UUIDv7 from a timestamp and 10 random bytes (pure; used by tests).
std::string make_uuid7(std::int64_t epoch_ms, const std::array<std::uint8_t, 10>& random);

// A new UUIDv7 for now, from the system clock and libsodium's CSPRNG. Thread-safe.
std::string new_id();

// True for a canonical lower-case 8-4-4-4-12 hex UUID.
bool is_uuid(std::string_view text);

// Cryptographically random bytes rendered as lower-case hex (2 * bytes characters).
std::string random_hex(std::size_t bytes);

// Initialises libsodium once; safe to call many times.
void init_crypto();

}  // namespace aop::core
