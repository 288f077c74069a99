#pragma once
// The textual shape of API keys: "aop_<prefix>_<secret>". The prefix (8 of [a-z0-9]) is stored
// in clear to find the key's row and to show in the UI; only a hash of the whole key is stored.
// The secret is 32 random bytes (base64url, 43 characters), so a fast hash is sufficient.
#include <optional>
#include <string>
#include <string_view>

namespace aop::auth {

struct GeneratedKey {
  std::string full;         // shown to the user once, never stored
  std::string prefix;       // 8 characters, stored for lookup and display
  std::string secret_hash;  // hash_api_key(full), stored
};

GeneratedKey generate_api_key();

// The prefix of a well-formed key; nullopt for anything else (cheap, no hashing).
std::optional<std::string> parse_api_key_prefix(std::string_view key);

// sha256_hex of the full key; compare with the stored hash in constant time.
std::string hash_api_key(std::string_view full_key);

}  // namespace aop::auth
