#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>

#include "core/crypto.hpp"

using namespace aop::core;

namespace {

std::string to_hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 0xf];
  }
  return out;
}

// Cheap Argon2id costs so tests that do not check the defaults stay fast.
constexpr PasswordParams k_cheap{1, 64u << 10};

}  // namespace

TEST(Base64Url, EncodesRfc4648VectorsWithoutPadding) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
  EXPECT_EQ(base64url_encode("fooba"), "Zm9vYmE");
  EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64url_encode("\xfb\xff\xbf"), "-_-_");  // the URL-safe characters
}

TEST(Base64Url, RoundTripsEveryLengthAndByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t n = 0; n <= all.size(); ++n) {
    std::string bytes = all.substr(256 - n);
    auto decoded = base64url_decode(base64url_encode(bytes));
    ASSERT_TRUE(decoded) << n;
    EXPECT_EQ(*decoded, bytes) << n;
  }
}

TEST(Base64Url, RejectsPaddingForeignCharactersAndNonCanonicalInput) {
  for (std::string_view bad : {"Zg==", "Zg=", "Zm8=", "Zm9v+A", "Zm9v/A", "Zm 9v", "Zm9v\n", "Z", "Zm9vY",
                               "Zh",     // 1 byte with non-zero trailing bits
                               "Zm9",    // 2 bytes with non-zero trailing bits
                               "Zm9v.", "%41"}) {
    EXPECT_FALSE(base64url_decode(bad)) << bad;
  }
  EXPECT_FALSE(base64url_decode(std::string_view("Zm\0v", 4)));
  EXPECT_EQ(base64url_decode(""), std::string());
}

TEST(Sha256, KnownAnswer) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(HmacSha256, Rfc4231TestCase2) {
  std::string mac = hmac_sha256("Jefe", "what do ya want for nothing?");
  ASSERT_EQ(mac.size(), 32u);
  EXPECT_EQ(to_hex(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256, Rfc4231TestCase6KeyLongerThanABlock) {
  std::string key(131, '\xaa');
  EXPECT_EQ(to_hex(hmac_sha256(key, "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("secret", "secret"));
  EXPECT_FALSE(constant_time_equal("secret", "secreT"));
  EXPECT_FALSE(constant_time_equal("secret", "secret!"));
  EXPECT_FALSE(constant_time_equal("", "x"));
  EXPECT_TRUE(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
  EXPECT_FALSE(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}

TEST(RandomToken, IsBase64UrlOfTheRequestedSizeAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string token = random_token(32);
    ASSERT_EQ(token.size(), 43u);
    auto raw = base64url_decode(token);
    ASSERT_TRUE(raw);
    EXPECT_EQ(raw->size(), 32u);
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(random_token(0), "");
}

TEST(Password, DefaultParamsAreEncodedAndVerify) {
  std::string encoded = hash_password("correct horse battery staple");
  EXPECT_TRUE(encoded.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << encoded;
  EXPECT_TRUE(verify_password(encoded, "correct horse battery staple"));
  EXPECT_FALSE(verify_password(encoded, "correct horse battery stapler"));
  EXPECT_FALSE(verify_password(encoded, ""));
  EXPECT_FALSE(password_needs_rehash(encoded));
  EXPECT_TRUE(password_needs_rehash(encoded, PasswordParams{3, 19u << 20}));
  EXPECT_TRUE(password_needs_rehash(encoded, PasswordParams{2, 64u << 20}));
}

TEST(Password, SaltsDifferAndBinaryPasswordsWork) {
  std::string password("p\0ss\xff", 5);
  std::string a = hash_password(password, k_cheap);
  std::string b = hash_password(password, k_cheap);
  EXPECT_NE(a, b);
  EXPECT_TRUE(a.starts_with("$argon2id$v=19$m=64,t=1,p=1$")) << a;
  EXPECT_TRUE(verify_password(a, password));
  EXPECT_TRUE(verify_password(b, password));
  EXPECT_FALSE(verify_password(a, "p"));  // no truncation at the NUL
  EXPECT_TRUE(password_needs_rehash(a));  // cheaper than the defaults
  EXPECT_FALSE(password_needs_rehash(a, k_cheap));
}

TEST(Password, MalformedEncodedStringsFailWithoutThrowing) {
  std::string good = hash_password("pw", k_cheap);
  std::string nul_inside = good;
  nul_inside[20] = '\0';
  for (const std::string& bad :
       {std::string(), std::string("garbage"), std::string("$argon2id$"), std::string("$argon2id$v=19$m=64,t=1,p=1$"),
        good.substr(0, good.size() - 5), good + "AAAA", std::string("$2b$12$abcdefghijklmnopqrstuv"),
        std::string(500, 'x'), nul_inside}) {
    EXPECT_NO_THROW(EXPECT_FALSE(verify_password(bad, "pw")) << bad);
    EXPECT_TRUE(password_needs_rehash(bad)) << bad;
  }
}

TEST(Password, RejectsParamsBelowTheMinimum) {
  EXPECT_THROW(hash_password("pw", PasswordParams{0, 19u << 20}), std::invalid_argument);
  EXPECT_THROW(hash_password("pw", PasswordParams{2, 1024}), std::invalid_argument);
}

TEST(SecretBox, RoundTripsWithAndWithoutAssociatedData) {
  std::string key = random_key();
  ASSERT_EQ(key.size(), 32u);
  for (std::string plain : {std::string(), std::string("sk-live-123"), std::string(10000, '\x01')}) {
    std::string box = seal(key, plain, "row-42");
    EXPECT_EQ(box.size(), 24 + plain.size() + 16);
    EXPECT_EQ(open(key, box, "row-42"), plain);
    std::string box2 = seal(key, plain);
    EXPECT_EQ(open(key, box2), plain);
  }
  EXPECT_NE(seal(key, "same"), seal(key, "same"));  // fresh nonce every time
}

TEST(SecretBox, RejectsTamperingWrongKeyAndWrongAssociatedData) {
  std::string key = random_key();
  std::string box = seal(key, "api secret", "crew-1");
  for (std::size_t i : {std::size_t{0}, std::size_t{23}, std::size_t{24}, box.size() - 1}) {
    std::string tampered = box;
    tampered[i] ^= 0x01;
    EXPECT_FALSE(open(key, tampered, "crew-1")) << i;
  }
  EXPECT_FALSE(open(key, box.substr(0, box.size() - 1), "crew-1"));
  EXPECT_FALSE(open(key, box.substr(0, 39), "crew-1"));
  EXPECT_FALSE(open(key, "", "crew-1"));
  EXPECT_FALSE(open(random_key(), box, "crew-1"));
  EXPECT_FALSE(open(key, box, "crew-2"));
  EXPECT_FALSE(open(key, box));
  EXPECT_EQ(open(key, box, "crew-1"), "api secret");
}

TEST(SecretBox, RequiresA32ByteKey) {
  EXPECT_THROW(seal("short", "x"), std::invalid_argument);
  EXPECT_THROW(open(std::string(33, 'k'), std::string(64, '\0')), std::invalid_argument);
}
