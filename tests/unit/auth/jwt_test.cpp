#include <gtest/gtest.h>

#include <sodium.h>

#include <boost/json.hpp>

#include "auth/jwt.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"

using namespace aop::auth;
using aop::core::base64url_decode;
using aop::core::base64url_encode;

namespace {

constexpr std::string_view k_secret = "test-secret-that-is-long-enough-for-hs256";
constexpr std::int64_t k_now = 1'800'000'000;

JwtClaims sample_claims() {
  JwtClaims c;
  c.sub = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  c.role = "admin";
  c.iat = k_now;
  c.exp = k_now + 900;
  c.jti = "jti-1";
  return c;
}

boost::json::object sample_payload() {
  return {{"sub", "u1"}, {"role", "member"}, {"iat", k_now}, {"exp", k_now + 900}, {"jti", "j1"}};
}

std::string hs256(std::string_view input, std::string_view secret = k_secret) {
  return base64url_encode(aop::core::hmac_sha256(secret, input));
}

// A token with any header and payload text, correctly signed with HMAC-SHA256.
std::string forge(std::string_view header_json, std::string_view payload_json, std::string_view secret = k_secret) {
  std::string input = base64url_encode(header_json) + "." + base64url_encode(payload_json);
  return input + "." + hs256(input, secret);
}

std::string forge(std::string_view header_json, const boost::json::object& payload) {
  return forge(header_json, boost::json::serialize(payload));
}

std::string hs512(std::string_view input, std::string_view secret) {
  aop::core::init_crypto();
  crypto_auth_hmacsha512_state st;
  crypto_auth_hmacsha512_init(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha512_update(&st, reinterpret_cast<const unsigned char*>(input.data()), input.size());
  std::string mac(crypto_auth_hmacsha512_BYTES, '\0');
  crypto_auth_hmacsha512_final(&st, reinterpret_cast<unsigned char*>(mac.data()));
  return base64url_encode(mac);
}

JwtError error_of(const std::variant<JwtClaims, JwtError>& r) {
  if (const auto* e = std::get_if<JwtError>(&r)) return *e;
  ADD_FAILURE() << "token was accepted";
  return JwtError::malformed;
}

std::vector<std::string> split(const std::string& token) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t dot; (dot = token.find('.', start)) != std::string::npos; start = dot + 1)
    parts.push_back(token.substr(start, dot - start));
  parts.push_back(token.substr(start));
  return parts;
}

}  // namespace

TEST(Jwt, RoundTripsClaimsIncludingExtras) {
  JwtClaims in = sample_claims();
  in.extra["team_id"] = "t-9";
  in.extra["scopes"] = boost::json::array{"crews:read", "crews:run"};
  std::string token = sign_jwt(in, k_secret);

  auto result = verify_jwt(token, k_secret, k_now + 10);
  ASSERT_TRUE(std::holds_alternative<JwtClaims>(result)) << describe(std::get<JwtError>(result));
  const auto& out = std::get<JwtClaims>(result);
  EXPECT_EQ(out.sub, in.sub);
  EXPECT_EQ(out.role, in.role);
  EXPECT_EQ(out.iat, in.iat);
  EXPECT_EQ(out.exp, in.exp);
  EXPECT_EQ(out.jti, in.jti);
  EXPECT_EQ(out.extra, in.extra);
}

TEST(Jwt, HeaderIsExactlyHs256Jwt) {
  auto parts = split(sign_jwt(sample_claims(), k_secret));
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(base64url_decode(parts[0]), R"({"alg":"HS256","typ":"JWT"})");
  auto payload = boost::json::parse(*base64url_decode(parts[1])).as_object();
  EXPECT_EQ(payload.at("sub").as_string(), sample_claims().sub);
  EXPECT_EQ(payload.at("exp").as_int64(), k_now + 900);
}

TEST(Jwt, RejectsExtrasThatShadowRegisteredClaims) {
  JwtClaims c = sample_claims();
  c.extra["role"] = "owner";
  EXPECT_THROW(sign_jwt(c, k_secret), std::invalid_argument);
  EXPECT_THROW(sign_jwt(sample_claims(), ""), std::invalid_argument);
}

TEST(Jwt, ExpiryHonoursLeeway) {
  std::string token = sign_jwt(sample_claims(), k_secret);  // exp = now + 900
  EXPECT_TRUE(std::holds_alternative<JwtClaims>(verify_jwt(token, k_secret, k_now + 900 + 29)));
  EXPECT_EQ(error_of(verify_jwt(token, k_secret, k_now + 900 + 30)), JwtError::expired);
  EXPECT_EQ(error_of(verify_jwt(token, k_secret, k_now + 901, 0)), JwtError::expired);
  EXPECT_EQ(error_of(verify_jwt(token, k_secret, k_now + 900, 0)), JwtError::expired);
}

TEST(Jwt, NotYetValidHonoursLeeway) {
  std::string token = sign_jwt(sample_claims(), k_secret);  // iat = now
  EXPECT_TRUE(std::holds_alternative<JwtClaims>(verify_jwt(token, k_secret, k_now - 30)));
  EXPECT_EQ(error_of(verify_jwt(token, k_secret, k_now - 31)), JwtError::not_yet_valid);
  EXPECT_EQ(error_of(verify_jwt(token, k_secret, k_now - 1, 0)), JwtError::not_yet_valid);
}

TEST(Jwt, TamperedPayloadFailsTheSignature) {
  auto parts = split(sign_jwt(sample_claims(), k_secret));
  auto payload = boost::json::parse(*base64url_decode(parts[1])).as_object();
  payload["role"] = "owner";
  std::string tampered = parts[0] + "." + base64url_encode(boost::json::serialize(payload)) + "." + parts[2];
  EXPECT_EQ(error_of(verify_jwt(tampered, k_secret, k_now)), JwtError::bad_signature);
}

TEST(Jwt, TamperedOrMissingSignatureFails) {
  std::string token = sign_jwt(sample_claims(), k_secret);
  auto parts = split(token);
  std::string sig = parts[2];
  sig[0] = sig[0] == 'A' ? 'B' : 'A';
  EXPECT_EQ(error_of(verify_jwt(parts[0] + "." + parts[1] + "." + sig, k_secret, k_now)), JwtError::bad_signature);
  EXPECT_EQ(error_of(verify_jwt(parts[0] + "." + parts[1] + ".", k_secret, k_now)), JwtError::bad_signature);
  EXPECT_EQ(error_of(verify_jwt(parts[0] + "." + parts[1] + "." + parts[2].substr(1), k_secret, k_now)),
            JwtError::bad_signature);
  EXPECT_EQ(error_of(verify_jwt(parts[0] + "." + parts[1] + "." + parts[2] + "A", k_secret, k_now)),
            JwtError::bad_signature);
  EXPECT_EQ(error_of(verify_jwt(token, "another-secret", k_now)), JwtError::bad_signature);
  EXPECT_EQ(error_of(verify_jwt(token, "", k_now)), JwtError::bad_signature);
}

TEST(Jwt, AlgNoneWithEmptySignatureIsRejected) {
  std::string input = base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." +
                      base64url_encode(boost::json::serialize(sample_payload()));
  EXPECT_EQ(error_of(verify_jwt(input + ".", k_secret, k_now)), JwtError::bad_algorithm);
  EXPECT_EQ(error_of(verify_jwt(input + "." + hs256(input), k_secret, k_now)), JwtError::bad_algorithm);
}

TEST(Jwt, CorrectlySignedHs512IsRejectedAsBadAlgorithm) {
  std::string input = base64url_encode(R"({"alg":"HS512","typ":"JWT"})") + "." +
                      base64url_encode(boost::json::serialize(sample_payload()));
  EXPECT_EQ(error_of(verify_jwt(input + "." + hs512(input, k_secret), k_secret, k_now)), JwtError::bad_algorithm);
}

TEST(Jwt, OnlyTheExactHs256AlgIsAccepted) {
  auto payload = sample_payload();
  for (std::string_view header : {R"({"typ":"JWT"})", R"({})", R"({"alg":"hs256"})", R"({"alg":"Hs256"})",
                                  R"({"alg":"HS256 "})", R"({"alg":"RS256"})", R"({"alg":"ES256"})",
                                  R"({"alg":null})", R"({"alg":256})", R"({"alg":["HS256"]})"}) {
    EXPECT_EQ(error_of(verify_jwt(forge(header, payload), k_secret, k_now)), JwtError::bad_algorithm) << header;
  }
  // Other spellings of a valid HS256 header are fine: only the algorithm is pinned.
  for (std::string_view header : {R"({"alg":"HS256"})", R"({"typ":"JWT","alg":"HS256"})", R"({ "alg" : "HS256" })"})
    EXPECT_TRUE(std::holds_alternative<JwtClaims>(verify_jwt(forge(header, payload), k_secret, k_now))) << header;
}

TEST(Jwt, MalformedShapesAreRejected) {
  std::string token = sign_jwt(sample_claims(), k_secret);
  auto parts = split(token);
  for (const std::string& bad :
       {std::string(), std::string("."), std::string(".."), std::string("..."), parts[0] + "." + parts[1],
        token + ".", token + "." + parts[2], std::string("!!!.@@@.###"), std::string("not a token"),
        std::string("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"), std::string(10000, 'a') + ".b.c"}) {
    EXPECT_EQ(error_of(verify_jwt(bad, k_secret, k_now)), JwtError::malformed) << bad;
  }
}

TEST(Jwt, HeaderThatIsNotAJsonObjectIsMalformed) {
  auto payload = sample_payload();
  for (std::string_view header : {"hello", "[]", R"("HS256")", R"({"alg":"HS256")", ""})
    EXPECT_EQ(error_of(verify_jwt(forge(header, payload), k_secret, k_now)), JwtError::malformed) << header;
  EXPECT_EQ(error_of(verify_jwt(forge(R"({"alg":"HS256","crit":["exp"]})", payload), k_secret, k_now)),
            JwtError::malformed);
}

TEST(Jwt, SignedButUnparseablePayloadIsMalformed) {
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  EXPECT_EQ(error_of(verify_jwt(forge(header, "[1,2]"), k_secret, k_now)), JwtError::malformed);
  EXPECT_EQ(error_of(verify_jwt(forge(header, "{not json"), k_secret, k_now)), JwtError::malformed);
  std::string input = base64url_encode(header) + ".@@";  // signed, but not base64url
  EXPECT_EQ(error_of(verify_jwt(input + "." + hs256(input), k_secret, k_now)), JwtError::malformed);
}

TEST(Jwt, MissingOrMistypedClaimsAreReported) {
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  for (const char* claim : {"sub", "role", "iat", "exp", "jti"}) {
    auto payload = sample_payload();
    payload.erase(claim);
    EXPECT_EQ(error_of(verify_jwt(forge(header, payload), k_secret, k_now)), JwtError::missing_claim) << claim;
  }
  auto mistyped = [&](const char* claim, boost::json::value v) {
    auto payload = sample_payload();
    payload[claim] = std::move(v);
    return error_of(verify_jwt(forge(header, payload), k_secret, k_now));
  };
  EXPECT_EQ(mistyped("sub", 42), JwtError::missing_claim);
  EXPECT_EQ(mistyped("role", nullptr), JwtError::missing_claim);
  EXPECT_EQ(mistyped("exp", "soon"), JwtError::missing_claim);
  EXPECT_EQ(mistyped("exp", static_cast<double>(k_now + 900)), JwtError::missing_claim);
  EXPECT_EQ(mistyped("iat", boost::json::array{}), JwtError::missing_claim);
}

TEST(Jwt, HostileTimestampsDoNotOverflow) {
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  auto payload = sample_payload();
  payload["exp"] = std::numeric_limits<std::int64_t>::max();
  payload["iat"] = std::numeric_limits<std::int64_t>::min();
  EXPECT_TRUE(std::holds_alternative<JwtClaims>(verify_jwt(forge(header, payload), k_secret, k_now)));
  payload["exp"] = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(error_of(verify_jwt(forge(header, payload), k_secret, k_now)), JwtError::missing_claim);
}

TEST(Jwt, DescribeGivesASentenceForEveryError) {
  EXPECT_STREQ(describe(JwtError::expired), "the access token has expired");
  for (auto e : {JwtError::malformed, JwtError::bad_algorithm, JwtError::bad_signature, JwtError::expired,
                 JwtError::not_yet_valid, JwtError::missing_claim})
    EXPECT_GT(std::string_view(describe(e)).size(), 10u);
}

TEST(Jwt, PrecomputedKeyAgreesWithTheSecret) {
  JwtKey key(k_secret);
  JwtKey copy = key;
  std::string token = sign_jwt(sample_claims(), key);
  EXPECT_EQ(token, sign_jwt(sample_claims(), k_secret));  // signing is deterministic
  EXPECT_TRUE(std::holds_alternative<JwtClaims>(verify_jwt(token, copy, k_now)));
  EXPECT_TRUE(std::holds_alternative<JwtClaims>(verify_jwt(token, k_secret, k_now)));
  EXPECT_EQ(error_of(verify_jwt(token, JwtKey("other"), k_now)), JwtError::bad_signature);
  // The key can be reused: each MAC starts from the keyed state, not from the previous message.
  EXPECT_TRUE(std::holds_alternative<JwtClaims>(verify_jwt(token, key, k_now)));
  EXPECT_THROW(JwtKey(""), std::invalid_argument);
}
