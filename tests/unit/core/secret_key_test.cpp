// The master key setting: two accepted spellings of 32 bytes, and errors that name the
// setting without repeating the (secret) value.
#include "core/secret_key.hpp"

#include <gtest/gtest.h>

#include <map>

#include "core/config.hpp"
#include "core/crypto.hpp"

using namespace aop::core;

namespace {

std::string bytes_0_to_31() {
  std::string key;
  for (int i = 0; i < 32; ++i) key.push_back(static_cast<char>(i));
  return key;
}

Config load_with_env(const std::map<std::string, std::string>& vars) {
  auto getenv = [&vars](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
  return load_config({std::nullopt, {}, getenv});
}

}  // namespace

TEST(SecretKey, AcceptsHexInEitherCase) {
  std::string hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  EXPECT_EQ(parse_secret_key(hex), bytes_0_to_31());
  std::string upper = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F";
  EXPECT_EQ(parse_secret_key(upper), bytes_0_to_31());
}

TEST(SecretKey, AcceptsBase64UrlAsGeneratedAndIgnoresSurroundingWhitespace) {
  auto encoded = base64url_encode(bytes_0_to_31());
  ASSERT_EQ(encoded.size(), 43u);
  EXPECT_EQ(parse_secret_key(encoded), bytes_0_to_31());
  EXPECT_EQ(parse_secret_key(encoded + "\n"), bytes_0_to_31()) << "a key file may end with a newline";
  EXPECT_EQ(parse_secret_key("  " + encoded + "\r\n"), bytes_0_to_31());
  // What load_or_create_secret writes for a fresh key.
  auto fresh = random_token(32);
  auto parsed = parse_secret_key(fresh);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->size(), 32u);
}

TEST(SecretKey, RejectsOtherLengthsAndAlphabets) {
  EXPECT_FALSE(parse_secret_key(""));
  EXPECT_FALSE(parse_secret_key(std::string(62, 'a'))) << "31 bytes of hex";
  EXPECT_FALSE(parse_secret_key(std::string(66, 'a'))) << "33 bytes of hex";
  EXPECT_FALSE(parse_secret_key(std::string(63, 'a') + "g")) << "not a hex digit";
  EXPECT_FALSE(parse_secret_key(base64url_encode(std::string(31, 'x'))));
  EXPECT_FALSE(parse_secret_key(base64url_encode(std::string(33, 'x'))));
  EXPECT_FALSE(parse_secret_key(base64url_encode(std::string(32, 'x')) + "=")) << "padding is not base64url";
  EXPECT_FALSE(parse_secret_key("correct horse battery staple, but not a key"));
}

TEST(SecretKeySetting, DefaultsToEmptyAndReadsEitherSpelling) {
  EXPECT_TRUE(load_with_env({}).secret_key.empty()) << "empty means: generated into the data directory";
  auto hex = load_with_env({{"AOP_SECRET_KEY", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"}});
  EXPECT_EQ(hex.secret_key, bytes_0_to_31());
  auto b64 = load_with_env({{"AOP_SECRET_KEY", base64url_encode(bytes_0_to_31())}});
  EXPECT_EQ(b64.secret_key, bytes_0_to_31());
}

TEST(SecretKeySetting, InvalidValueNamesTheSettingButNeverTheValue) {
  const std::string value = "not-a-key-but-maybe-a-password-8d1f";
  try {
    load_with_env({{"AOP_SECRET_KEY", value}});
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("AOP_SECRET_KEY"), std::string::npos) << what;
    EXPECT_NE(what.find("32 bytes"), std::string::npos) << what;
    EXPECT_EQ(what.find(value), std::string::npos) << "the error repeats the secret: " << what;
  }
}

TEST(SecretKeySetting, IsRedactedWhenShown) {
  auto config = load_with_env({{"AOP_SECRET_KEY", base64url_encode(bytes_0_to_31())}});
  for (const auto& s : settings()) {
    if (s.key != "secret_key") continue;
    EXPECT_EQ(s.get(config), "***");
    EXPECT_EQ(s.get(Config{}), "");
    return;
  }
  FAIL() << "no secret_key setting";
}
