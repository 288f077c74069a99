#pragma once
// The master key that encrypts secrets at rest: 32 bytes, written as base64url (43 characters,
// no padding — the form `aop` generates) or as 64 hex digits (the form `openssl rand -hex 32`
// prints).
#include <optional>
#include <string>
#include <string_view>

namespace aop::core {

inline constexpr std::size_t k_secret_key_bytes = 32;

// The 32 raw key bytes, or nullopt when `text` is neither form. Surrounding whitespace is
// ignored (a key file may end with a newline).
std::optional<std::string> parse_secret_key(std::string_view text);

}  // namespace aop::core
