#pragma once
// HS256 JSON Web Tokens (RFC 7519) for access tokens. The algorithm is pinned: a token whose
// header names anything but HS256 is rejected before its signature is even considered, which
// closes the "alg: none" and algorithm-confusion attacks.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include <boost/json/object.hpp>
#include <sodium/crypto_auth_hmacsha256.h>

namespace aop::auth {

struct JwtClaims {
  std::string sub;   // user id
  std::string role;
  std::int64_t iat = 0;  // issued at, Unix seconds
  std::int64_t exp = 0;  // expires at, Unix seconds
  std::string jti;   // token id, for revocation lists
  boost::json::object extra;  // any other claims
};

// An HS256 secret with its HMAC pads already hashed. Build it once (e.g. in the auth service)
// and reuse it: that saves two of the ~8 SHA-256 blocks each verification hashes. The state is
// as sensitive as the secret and is wiped on destruction.
class JwtKey {
 public:
  // Throws std::invalid_argument for an empty secret.
  explicit JwtKey(std::string_view secret);
  JwtKey(const JwtKey&) = default;
  JwtKey& operator=(const JwtKey&) = default;
  ~JwtKey();

  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac(std::string_view data) const;

 private:
  crypto_auth_hmacsha256_state keyed_;
};

// Header is exactly {"alg":"HS256","typ":"JWT"}. Throws std::invalid_argument if `extra`
// repeats one of the registered claims above, or the secret is empty.
std::string sign_jwt(const JwtClaims& claims, const JwtKey& key);
std::string sign_jwt(const JwtClaims& claims, std::string_view secret);

enum class JwtError { malformed, bad_algorithm, bad_signature, expired, not_yet_valid, missing_claim };

// A short sentence fit for a 401 problem's detail.
const char* describe(JwtError error);

// Checks shape, algorithm, signature (in constant time, before the payload is parsed), the
// required claims (string sub, role, jti; integer iat, exp) and the time window, allowing
// `leeway_seconds` of clock skew either way. An empty secret verifies nothing (bad_signature).
std::variant<JwtClaims, JwtError> verify_jwt(std::string_view token, const JwtKey& key, std::int64_t now_seconds,
                                             std::int64_t leeway_seconds = 30);
std::variant<JwtClaims, JwtError> verify_jwt(std::string_view token, std::string_view secret,
                                             std::int64_t now_seconds, std::int64_t leeway_seconds = 30);

}  // namespace aop::auth
