#include "core/crypto.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

#include "core/ids.hpp"

namespace aop::core {
namespace {

const unsigned char* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* bytes_of(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

constexpr int k_b64_variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

// 6-bit value of each base64url character; k_invalid for every other byte (including '=').
constexpr unsigned k_invalid = 0x80;
constexpr auto k_b64_values = [] {
  std::array<unsigned char, 256> table{};
  table.fill(k_invalid);
  constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (std::size_t i = 0; i < alphabet.size(); ++i) table[static_cast<unsigned char>(alphabet[i])] = static_cast<unsigned char>(i);
  return table;
}();
constexpr std::size_t k_nonce_size = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t k_tag_size = crypto_aead_xchacha20poly1305_ietf_ABYTES;

void require_key(std::string_view key32) {
  if (key32.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    throw std::invalid_argument("secret box keys must be 32 bytes");
}

// libsodium wants NUL-terminated hash strings; an embedded NUL or an over-long input cannot be a
// valid hash, so both are rejected here rather than silently truncated.
std::optional<std::string> c_string_hash(std::string_view encoded) {
  if (encoded.size() >= crypto_pwhash_STRBYTES || encoded.find('\0') != std::string_view::npos) return std::nullopt;
  return std::string(encoded);
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  init_crypto();
  // libsodium's codec is constant-time, which matters because tokens and keys pass through it.
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), k_b64_variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes_of(bytes), bytes.size(), k_b64_variant);
  out.pop_back();  // the terminating NUL
  return out;
}

std::optional<std::size_t> base64url_decode_into(std::string_view text, std::span<unsigned char> out) {
  // Table-driven rather than sodium_base642bin: libsodium's constant-time decoder costs ~10 ns a
  // character, which dominated JWT verification. What is decoded here (tokens presented by
  // clients) is not secret from the party sending it.
  const std::size_t rem = text.size() % 4;
  if (rem == 1) return std::nullopt;  // 6 bits cannot make a byte
  const std::size_t size = text.size() / 4 * 3 + (rem == 0 ? 0 : rem - 1);
  if (size > out.size()) return std::nullopt;
  const auto* in = bytes_of(text);
  unsigned char* o = out.data();
  unsigned bad = 0;  // accumulates k_invalid bits
  for (std::size_t n = text.size() / 4; n > 0; --n, in += 4, o += 3) {
    unsigned a = k_b64_values[in[0]], b = k_b64_values[in[1]], c = k_b64_values[in[2]], d = k_b64_values[in[3]];
    bad |= a | b | c | d;
    std::uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
    o[0] = static_cast<unsigned char>(v >> 16);
    o[1] = static_cast<unsigned char>(v >> 8);
    o[2] = static_cast<unsigned char>(v);
  }
  if (rem >= 2) {
    unsigned a = k_b64_values[in[0]], b = k_b64_values[in[1]];
    bad |= a | b;
    o[0] = static_cast<unsigned char>((a << 2) | (b >> 4));
    if (rem == 2) {
      bad |= (b & 0x0f) ? k_invalid : 0;  // unused trailing bits must be zero (canonical form)
    } else {
      unsigned c = k_b64_values[in[2]];
      bad |= c | ((c & 0x03) ? k_invalid : 0);
      o[1] = static_cast<unsigned char>((b << 4) | (c >> 2));
    }
  }
  if (bad & k_invalid) return std::nullopt;
  return size;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 2, '\0');
  auto size = base64url_decode_into(text, {bytes_of(out), out.size()});
  if (!size) return std::nullopt;
  out.resize(*size);
  return out;
}

std::string sha256_hex(std::string_view data) {
  init_crypto();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, bytes_of(data), data.size());
  char hex[2 * sizeof digest + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, 2 * sizeof digest);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  init_crypto();
  // The streaming API accepts keys of any length (the one-shot API needs exactly 32 bytes).
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, bytes_of(key), key.size());
  crypto_auth_hmacsha256_update(&state, bytes_of(data), data.size());
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, bytes_of(mac));
  return mac;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  init_crypto();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_token(std::size_t bytes) {
  init_crypto();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string token = base64url_encode(raw);
  sodium_memzero(raw.data(), raw.size());
  return token;
}

std::string hash_password(std::string_view password, const PasswordParams& params) {
  init_crypto();
  if (params.ops_limit < crypto_pwhash_argon2id_OPSLIMIT_MIN || params.mem_limit < crypto_pwhash_argon2id_MEMLIMIT_MIN)
    throw std::invalid_argument("password hashing parameters are below Argon2id's minimum");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params.ops_limit, params.mem_limit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("password hashing failed (out of memory?)");
  return std::string(out);
}

bool verify_password(std::string_view encoded, std::string_view password) {
  auto hash = c_string_hash(encoded);
  if (!hash) return false;
  init_crypto();
  return crypto_pwhash_str_verify(hash->c_str(), password.data(), password.size()) == 0;
}

bool password_needs_rehash(std::string_view encoded, const PasswordParams& params) {
  // libsodium would accept an Argon2i hash with matching costs; we want Argon2id specifically.
  if (!encoded.starts_with(crypto_pwhash_argon2id_STRPREFIX)) return true;
  auto hash = c_string_hash(encoded);
  if (!hash) return true;
  init_crypto();
  return crypto_pwhash_str_needs_rehash(hash->c_str(), params.ops_limit, params.mem_limit) != 0;
}

std::string seal(std::string_view key32, std::string_view plaintext, std::string_view associated_data) {
  require_key(key32);
  init_crypto();
  std::string out(k_nonce_size + plaintext.size() + k_tag_size, '\0');
  unsigned char* nonce = bytes_of(out);
  randombytes_buf(nonce, k_nonce_size);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + k_nonce_size, &written, bytes_of(plaintext), plaintext.size(),
                                             bytes_of(associated_data), associated_data.size(), nullptr, nonce,
                                             bytes_of(key32));
  out.resize(k_nonce_size + written);
  return out;
}

std::optional<std::string> open(std::string_view key32, std::string_view sealed, std::string_view associated_data) {
  require_key(key32);
  if (sealed.size() < k_nonce_size + k_tag_size) return std::nullopt;
  init_crypto();
  const unsigned char* nonce = bytes_of(sealed);
  std::string plain(sealed.size() - k_nonce_size - k_tag_size, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(bytes_of(plain), &written, nullptr, nonce + k_nonce_size,
                                                 sealed.size() - k_nonce_size, bytes_of(associated_data),
                                                 associated_data.size(), nonce, bytes_of(key32)) != 0)
    return std::nullopt;
  plain.resize(written);
  return plain;
}

std::string random_key() {
  init_crypto();
  std::string key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES, '\0');
  randombytes_buf(key.data(), key.size());
  return key;
}

}  // namespace aop::core
