#include <gtest/gtest.h>

#include <set>

#include "auth/api_key_format.hpp"
#include "core/crypto.hpp"

using namespace aop::auth;

TEST(ApiKeyFormat, GeneratedKeysHaveTheDocumentedShape) {
  std::set<std::string> prefixes;
  for (int i = 0; i < 200; ++i) {
    GeneratedKey key = generate_api_key();
    ASSERT_EQ(key.full.size(), 4u + 8 + 1 + 43) << key.full;
    EXPECT_TRUE(key.full.starts_with("aop_" + key.prefix + "_"));
    ASSERT_EQ(key.prefix.size(), 8u);
    for (char c : key.prefix) EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) << key.prefix;
    auto secret = aop::core::base64url_decode(std::string_view(key.full).substr(13));
    ASSERT_TRUE(secret);
    EXPECT_EQ(secret->size(), 32u);
    EXPECT_EQ(key.secret_hash, hash_api_key(key.full));
    EXPECT_EQ(parse_api_key_prefix(key.full), key.prefix);
    prefixes.insert(key.prefix);
  }
  EXPECT_EQ(prefixes.size(), 200u);
}

TEST(ApiKeyFormat, HashIsSha256HexOfTheFullKey) {
  GeneratedKey key = generate_api_key();
  EXPECT_EQ(key.secret_hash.size(), 64u);
  EXPECT_EQ(key.secret_hash, aop::core::sha256_hex(key.full));
  EXPECT_NE(hash_api_key(key.full + "x"), key.secret_hash);
}

TEST(ApiKeyFormat, SecretsContainingUnderscoresParse) {
  // '_' and '-' are part of the secret's alphabet, so parsing must not split on them.
  std::string key = "aop_abc12345____________________________________________";
  key.back() = 'A';
  ASSERT_EQ(key.size(), 56u);
  EXPECT_EQ(parse_api_key_prefix(key), "abc12345");
  key[20] = '-';
  EXPECT_EQ(parse_api_key_prefix(key), "abc12345");
}

TEST(ApiKeyFormat, MalformedKeysAreRejected) {
  const std::string good = generate_api_key().full;
  auto with = [&](std::size_t pos, char c) {
    std::string k = good;
    k[pos] = c;
    return k;
  };
  for (const std::string& bad : {
           std::string(), std::string("aop_"), good.substr(0, good.size() - 1), good + "A",
           "AOP_" + good.substr(4), "aop-" + good.substr(4), "pk_" + good.substr(3),
           with(4, 'A'),   // upper-case prefix
           with(11, '-'),  // prefix outside [a-z0-9]
           with(12, '-'),  // separator
           with(20, '+'), with(20, '='), with(30, ' '),
           with(55, 'B'),  // non-canonical final character of a 32-byte secret
           std::string(good.size(), 'a'),
       }) {
    EXPECT_FALSE(parse_api_key_prefix(bad)) << bad;
  }
}
