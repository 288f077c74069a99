// Stream tokens: what they carry, and that forged, altered, expired or foreign tokens fail.
#include "auth/stream_token.hpp"

#include <gtest/gtest.h>

#include "core/crypto.hpp"

namespace aop::auth {
namespace {

StreamTokenClaims claims() { return {"exec-1", "user-1", "team-1", "viewer", 1000, 61000}; }

TEST(StreamToken, RoundTripsItsClaimsUntilItExpires) {
  StreamTokenSigner signer(std::string(48, 's'));
  auto token = signer.issue(claims());
  EXPECT_TRUE(token.starts_with("st1."));
  std::string error;
  auto verified = signer.verify(token, 60999, error);
  ASSERT_TRUE(verified) << error;
  EXPECT_EQ(verified->execution_id, "exec-1");
  EXPECT_EQ(verified->user_id, "user-1");
  EXPECT_EQ(verified->team_id, "team-1");
  EXPECT_EQ(verified->role, "viewer");
  EXPECT_EQ(verified->issued_ms, 1000);
  EXPECT_FALSE(signer.verify(token, 61000, error));
  EXPECT_NE(error.find("expired"), std::string::npos) << error;
}

TEST(StreamToken, AnotherKeyOrAnAlteredPayloadIsRefused) {
  StreamTokenSigner signer(std::string(48, 's'));
  StreamTokenSigner other(std::string(48, 't'));
  auto token = signer.issue(claims());
  std::string error;
  EXPECT_FALSE(other.verify(token, 2000, error));
  EXPECT_NE(error.find("signature"), std::string::npos) << error;

  // Swap in another execution id but keep the signature.
  auto forged_claims = claims();
  forged_claims.execution_id = "exec-2";
  auto forged_payload = other.issue(forged_claims);
  auto dot = token.rfind('.');
  auto forged = forged_payload.substr(0, forged_payload.rfind('.')) + token.substr(dot);
  EXPECT_FALSE(signer.verify(forged, 2000, error));
  for (std::string bad : {"", "st1.", "st1.abc", "st1.abc.def", "eyJhbGciOiJIUzI1NiJ9.e30.x"})
    EXPECT_FALSE(signer.verify(bad, 2000, error)) << bad;
}

TEST(StreamToken, AccessTokensAndStreamTokensNeverShareAKey) {
  // The key is derived from the JWT secret, not the secret itself: a MAC made with the JWT
  // secret does not verify.
  std::string secret(48, 's');
  StreamTokenSigner signer(secret);
  auto token = signer.issue(claims());
  auto payload = token.substr(4, token.rfind('.') - 4);
  auto with_jwt_key = "st1." + payload + "." + core::base64url_encode(core::hmac_sha256(secret, payload));
  std::string error;
  EXPECT_FALSE(signer.verify(with_jwt_key, 2000, error));
}

}  // namespace
}  // namespace aop::auth
