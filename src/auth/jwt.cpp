#include "auth/jwt.hpp"

#include <sodium.h>

#include <array>
#include <limits>
#include <optional>
#include <stdexcept>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/crypto.hpp"
#include "core/ids.hpp"

namespace aop::auth {
namespace {

// base64url of {"alg":"HS256","typ":"JWT"}: the only header sign_jwt writes, so verify_jwt can
// skip decoding and parsing it in the common case.
constexpr std::string_view k_header_b64 = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
constexpr std::size_t k_max_token = 8192;  // far above any token we issue; bounds the work per request
constexpr std::size_t k_mac_size = crypto_auth_hmacsha256_BYTES;
constexpr std::size_t k_mac_b64_size = 43;

bool is_registered_claim(std::string_view key) {
  return key == "sub" || key == "role" || key == "iat" || key == "exp" || key == "jti";
}

std::optional<JwtError> check_header(std::string_view header_b64) {
  auto json = core::base64url_decode(header_b64);
  if (!json) return JwtError::malformed;
  unsigned char arena[1024];
  boost::json::monotonic_resource mr(arena, sizeof arena);
  boost::system::error_code ec;
  auto header = boost::json::parse(*json, ec, &mr);
  if (ec || !header.is_object()) return JwtError::malformed;
  const auto& obj = header.get_object();
  // Critical extensions we cannot honour must make the token unusable (RFC 7515 section 4.1.11).
  if (obj.contains("crit")) return JwtError::malformed;
  const auto* alg = obj.if_contains("alg");
  if (!alg || !alg->is_string() || alg->get_string() != "HS256") return JwtError::bad_algorithm;
  return std::nullopt;
}

bool signature_matches(std::string_view signing_input, std::string_view sig_b64, const JwtKey& key) {
  if (sig_b64.size() != k_mac_b64_size) return false;
  std::array<unsigned char, k_mac_size> presented{};
  auto len = core::base64url_decode_into(sig_b64, presented);
  if (len != k_mac_size) return false;
  auto expected = key.mac(signing_input);
  return sodium_memcmp(presented.data(), expected.data(), k_mac_size) == 0;
}

std::optional<std::int64_t> as_int64(const boost::json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return static_cast<std::int64_t>(v.get_uint64());
  return std::nullopt;  // doubles are not NumericDate values we issue
}

// Fills `claims` from the payload object; false when a registered claim is absent or mistyped.
bool read_claims(const boost::json::object& payload, JwtClaims& claims) {
  int seen = 0;  // one bit per registered claim
  auto take_string = [&](const boost::json::value& v, std::string& out, int bit) {
    if (!v.is_string()) return false;
    out.assign(v.get_string().data(), v.get_string().size());
    seen |= bit;
    return true;
  };
  auto take_int = [&](const boost::json::value& v, std::int64_t& out, int bit) {
    auto n = as_int64(v);
    if (!n) return false;
    out = *n;
    seen |= bit;
    return true;
  };
  for (const auto& kv : payload) {
    std::string_view key = kv.key();
    const auto& v = kv.value();
    bool ok = true;
    if (key == "sub") ok = take_string(v, claims.sub, 1);
    else if (key == "role") ok = take_string(v, claims.role, 2);
    else if (key == "jti") ok = take_string(v, claims.jti, 4);
    else if (key == "iat") ok = take_int(v, claims.iat, 8);
    else if (key == "exp") ok = take_int(v, claims.exp, 16);
    else claims.extra.emplace(key, v);  // copied into the result's own (default) storage
    if (!ok) return false;
  }
  return seen == 31;
}

}  // namespace

JwtKey::JwtKey(std::string_view secret) {
  if (secret.empty()) throw std::invalid_argument("JWT secret is empty");
  core::init_crypto();
  crypto_auth_hmacsha256_init(&keyed_, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
}

JwtKey::~JwtKey() { sodium_memzero(&keyed_, sizeof keyed_); }

std::array<unsigned char, k_mac_size> JwtKey::mac(std::string_view data) const {
  crypto_auth_hmacsha256_state state = keyed_;  // copying the keyed state skips re-hashing the pads
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  std::array<unsigned char, k_mac_size> out{};
  crypto_auth_hmacsha256_final(&state, out.data());  // also wipes `state`
  return out;
}

std::string sign_jwt(const JwtClaims& claims, const JwtKey& key) {
  boost::json::object payload;
  payload["sub"] = claims.sub;
  payload["role"] = claims.role;
  payload["iat"] = claims.iat;
  payload["exp"] = claims.exp;
  payload["jti"] = claims.jti;
  for (const auto& kv : claims.extra) {
    if (is_registered_claim(kv.key()))
      throw std::invalid_argument("JWT extra claims must not repeat registered claim \"" + std::string(kv.key()) + "\"");
    payload.emplace(kv.key(), kv.value());
  }
  std::string token(k_header_b64);
  token += '.';
  token += core::base64url_encode(boost::json::serialize(payload));
  auto mac = key.mac(token);
  token += '.';
  token += core::base64url_encode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
  return token;
}

std::string sign_jwt(const JwtClaims& claims, std::string_view secret) { return sign_jwt(claims, JwtKey(secret)); }

const char* describe(JwtError error) {
  switch (error) {
    case JwtError::malformed: return "the token is not a well-formed JWT";
    case JwtError::bad_algorithm: return "the token's signing algorithm is not accepted";
    case JwtError::bad_signature: return "the token's signature is invalid";
    case JwtError::expired: return "the access token has expired";
    case JwtError::not_yet_valid: return "the access token is not valid yet";
    case JwtError::missing_claim: return "the token lacks a required claim";
  }
  return "the token is invalid";
}

std::variant<JwtClaims, JwtError> verify_jwt(std::string_view token, const JwtKey& key, std::int64_t now_seconds,
                                             std::int64_t leeway_seconds) {
  if (token.size() > k_max_token) return JwtError::malformed;
  auto dot1 = token.find('.');
  if (dot1 == std::string_view::npos) return JwtError::malformed;
  auto dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    return JwtError::malformed;
  std::string_view header_b64 = token.substr(0, dot1);
  std::string_view payload_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
  std::string_view sig_b64 = token.substr(dot2 + 1);

  if (header_b64 != k_header_b64)
    if (auto err = check_header(header_b64)) return *err;
  // Authenticate before parsing so the JSON parser only ever sees bytes we signed.
  if (!signature_matches(token.substr(0, dot2), sig_b64, key)) return JwtError::bad_signature;

  std::array<unsigned char, k_max_token> raw;  // the payload is shorter than the (bounded) token
  auto len = core::base64url_decode_into(payload_b64, raw);
  if (!len) return JwtError::malformed;
  unsigned char arena[2048];
  boost::json::monotonic_resource mr(arena, sizeof arena);
  boost::system::error_code ec;
  auto payload = boost::json::parse(std::string_view(reinterpret_cast<const char*>(raw.data()), *len), ec, &mr);
  if (ec || !payload.is_object()) return JwtError::malformed;

  JwtClaims claims;
  if (!read_claims(payload.get_object(), claims)) return JwtError::missing_claim;
  // Written as subtractions/additions on `now` so hostile exp/iat values cannot overflow.
  if (claims.exp <= now_seconds - leeway_seconds) return JwtError::expired;
  if (claims.iat > now_seconds + leeway_seconds) return JwtError::not_yet_valid;
  return claims;
}

std::variant<JwtClaims, JwtError> verify_jwt(std::string_view token, std::string_view secret,
                                             std::int64_t now_seconds, std::int64_t leeway_seconds) {
  if (secret.empty()) return JwtError::bad_signature;
  return verify_jwt(token, JwtKey(secret), now_seconds, leeway_seconds);
}

}  // namespace aop::auth
