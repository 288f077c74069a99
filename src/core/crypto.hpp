#pragma once
// Thin wrappers over libsodium for the few primitives the server needs: encodings, hashes,
// MACs, random tokens, password hashing and authenticated encryption of secrets at rest.
// Every function initialises libsodium itself, so callers need no setup.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace aop::core {

// RFC 4648 section 5 alphabet, no padding.
std::string base64url_encode(std::string_view bytes);
// Strict inverse of base64url_encode: rejects padding, characters outside the alphabet and
// non-canonical trailing bits, so every byte string has exactly one accepted encoding.
// Table-driven (fast, not constant-time): meant for tokens that clients present. Encoding, which
// handles freshly generated secrets, is libsodium's constant-time codec.
std::optional<std::string> base64url_decode(std::string_view text);
// The same into a caller's buffer (no allocation); the decoded size, or nullopt when the input is
// invalid or does not fit.
std::optional<std::size_t> base64url_decode_into(std::string_view text, std::span<unsigned char> out);

// Lower-case hex SHA-256. A fast hash is right for high-entropy secrets (refresh tokens,
// API keys); never use it for passwords.
std::string sha256_hex(std::string_view data);

// Raw 32-byte HMAC-SHA256; the key may have any length.
std::string hmac_sha256(std::string_view key, std::string_view data);

// Equality whose running time does not depend on where the inputs differ (it does depend on
// whether their lengths differ, which is not secret for MACs and hashes).
bool constant_time_equal(std::string_view a, std::string_view b);

// base64url of `bytes` CSPRNG bytes: 32 bytes give a 43-character token.
std::string random_token(std::size_t bytes);

// Argon2id cost. The defaults (19 MiB, 2 passes, 1 lane) are OWASP's minimum recommendation.
struct PasswordParams {
  std::uint64_t ops_limit = 2;
  std::size_t mem_limit = 19u << 20;
};

// Password hashing is deliberately slow (~30-60 ms of CPU and mem_limit bytes of memory per
// call): callers on I/O threads must run these three on the blocking pool.
//
// Returns the PHC string "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>" with a random salt.
// Throws std::invalid_argument for parameters below libsodium's minimum, std::runtime_error if
// the memory cannot be allocated.
std::string hash_password(std::string_view password, const PasswordParams& params = {});
// False for a wrong password and for anything that is not a valid encoded hash; never throws.
bool verify_password(std::string_view encoded, std::string_view password);
// True when the hash is not Argon2id with exactly these parameters (or is malformed), so the
// caller should re-hash the password it has just verified.
bool password_needs_rehash(std::string_view encoded, const PasswordParams& params = {});

// Authenticated encryption (XChaCha20-Poly1305) for secrets at rest. The result is
// nonce(24) || ciphertext+tag; random nonces are safe with 192-bit nonces. associated_data is
// authenticated but not stored (e.g. the owning row's id, so a sealed value cannot be moved to
// another row). Throws std::invalid_argument unless key32 is 32 bytes.
std::string seal(std::string_view key32, std::string_view plaintext, std::string_view associated_data = {});
// nullopt when the box was tampered with, or the key or associated data differ.
std::optional<std::string> open(std::string_view key32, std::string_view sealed,
                                std::string_view associated_data = {});
// A fresh random 32-byte key for seal/open.
std::string random_key();

}  // namespace aop::core
