#pragma once
// Encrypts secret values for the `secrets` table (XChaCha20-Poly1305 under the master key).
// Each value is bound to its owner — team, crew, name and kind — through the associated data,
// so a ciphertext copied into another row (another crew, team or name) no longer opens.
#include <optional>
#include <string>
#include <string_view>

namespace aop::crews {

// What a secret belongs to; crew_id is empty for team-level values.
struct SecretOwner {
  std::string team_id;
  std::string crew_id;
  std::string name;
  std::string kind;  // env | llm_api_key
};

// The two TEXT columns of a row, base64url encoded.
struct SealedSecret {
  std::string nonce;
  std::string ciphertext;
};

class SecretBox {
 public:
  // Throws std::invalid_argument unless `key` is 32 bytes.
  explicit SecretBox(std::string key);
  ~SecretBox();
  SecretBox(const SecretBox&) = delete;
  SecretBox& operator=(const SecretBox&) = delete;

  SealedSecret seal(const SecretOwner& owner, std::string_view plaintext) const;
  // nullopt when the row was sealed under another key, for another owner, or was altered.
  std::optional<std::string> open(const SecretOwner& owner, const SealedSecret& sealed) const;

 private:
  std::string key_;
};

}  // namespace aop::crews
