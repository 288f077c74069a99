// SecretBox: values round-trip, and a sealed value opens only for the owner it was sealed
// for, under the key it was sealed with.
#include "crews/secret_box.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

#include "core/crypto.hpp"

using aop::crews::SealedSecret;
using aop::crews::SecretBox;
using aop::crews::SecretOwner;

namespace {

const SecretOwner k_crew_var{"team-1", "crew-1", "OPENAI_API_KEY", "env"};
const std::string k_value = "sk-test-0123456789abcdef-plaintext";

}  // namespace

TEST(SecretBox, RoundTripsValuesOfAnySize) {
  SecretBox box(aop::core::random_key());
  for (const std::string& value : {std::string(), std::string("x"), k_value, std::string(64 * 1024, 'v'),
                                   std::string("multi\nline\tvalue with \xc3\xa9 UTF-8")}) {
    auto sealed = box.seal(k_crew_var, value);
    EXPECT_EQ(box.open(k_crew_var, sealed), value);
  }
}

TEST(SecretBox, StoresOnlyBase64UrlTextThatDoesNotContainThePlaintext) {
  SecretBox box(aop::core::random_key());
  auto sealed = box.seal(k_crew_var, k_value);
  auto nonce = aop::core::base64url_decode(sealed.nonce);
  auto ciphertext = aop::core::base64url_decode(sealed.ciphertext);
  ASSERT_TRUE(nonce && ciphertext);
  EXPECT_EQ(nonce->size(), 24u);
  EXPECT_EQ(ciphertext->size(), k_value.size() + 16) << "ciphertext plus a Poly1305 tag";
  for (const auto& text : {sealed.nonce, sealed.ciphertext, *nonce, *ciphertext}) {
    EXPECT_EQ(text.find(k_value), std::string::npos);
    EXPECT_EQ(text.find("sk-test"), std::string::npos);
  }
}

TEST(SecretBox, UsesAFreshNonceEveryTime) {
  SecretBox box(aop::core::random_key());
  std::set<std::string> nonces, ciphertexts;
  for (int i = 0; i < 50; ++i) {
    auto sealed = box.seal(k_crew_var, k_value);
    nonces.insert(sealed.nonce);
    ciphertexts.insert(sealed.ciphertext);
  }
  EXPECT_EQ(nonces.size(), 50u);
  EXPECT_EQ(ciphertexts.size(), 50u);
}

TEST(SecretBox, AValueMovedToAnotherOwnerDoesNotOpen) {
  SecretBox box(aop::core::random_key());
  auto sealed = box.seal(k_crew_var, k_value);
  // Copying the row's nonce and ciphertext into another row changes one of these.
  std::vector<SecretOwner> others = {
      {"team-2", "crew-1", "OPENAI_API_KEY", "env"},          // another team
      {"team-1", "crew-2", "OPENAI_API_KEY", "env"},          // another crew of the team
      {"team-1", "", "OPENAI_API_KEY", "env"},                // the team-level variable of the same name
      {"team-1", "crew-1", "OPENAI_BASE_URL", "env"},         // another variable of the crew
      {"team-1", "crew-1", "OPENAI_API_KEY", "llm_api_key"},  // another kind
  };
  for (const auto& other : others)
    EXPECT_FALSE(box.open(other, sealed))
        << other.team_id << "/" << other.crew_id << "/" << other.name << "/" << other.kind;
  EXPECT_EQ(box.open(k_crew_var, sealed), k_value);
}

TEST(SecretBox, OwnerFieldsCannotBeShiftedIntoEachOther) {
  SecretBox box(aop::core::random_key());
  auto sealed = box.seal({"team-1", "crew-1", "AB", "env"}, k_value);
  EXPECT_FALSE(box.open({"team-1", "crew-1A", "B", "env"}, sealed));
  EXPECT_FALSE(box.open({"team-1crew-1", "", "AB", "env"}, sealed));
}

TEST(SecretBox, AnotherKeyOrAlteredColumnsDoNotOpen) {
  auto key = aop::core::random_key();
  SecretBox box(key);
  auto sealed = box.seal(k_crew_var, k_value);
  SecretBox other(aop::core::random_key());
  EXPECT_FALSE(other.open(k_crew_var, sealed)) << "another master key";
  SecretBox same(key);
  EXPECT_EQ(same.open(k_crew_var, sealed), k_value) << "the same key in a new process";

  auto flip = [](std::string text) {
    text[text.size() / 2] = text[text.size() / 2] == 'A' ? 'B' : 'A';
    return text;
  };
  EXPECT_FALSE(box.open(k_crew_var, {flip(sealed.nonce), sealed.ciphertext}));
  EXPECT_FALSE(box.open(k_crew_var, {sealed.nonce, flip(sealed.ciphertext)}));
  EXPECT_FALSE(box.open(k_crew_var, {sealed.nonce, sealed.ciphertext.substr(0, sealed.ciphertext.size() - 2)}));
  EXPECT_FALSE(box.open(k_crew_var, {"", sealed.ciphertext}));
  EXPECT_FALSE(box.open(k_crew_var, {"not base64!", sealed.ciphertext}));
  // Two rows' nonces swapped: neither opens.
  auto second = box.seal(k_crew_var, "another value");
  EXPECT_FALSE(box.open(k_crew_var, {second.nonce, sealed.ciphertext}));
}

TEST(SecretBox, RejectsKeysThatAreNot32Bytes) {
  EXPECT_THROW(SecretBox(std::string(31, 'k')), std::invalid_argument);
  EXPECT_THROW(SecretBox(std::string(33, 'k')), std::invalid_argument);
  EXPECT_THROW(SecretBox(std::string()), std::invalid_argument);
  EXPECT_NO_THROW(SecretBox(std::string(32, 'k')));
}
