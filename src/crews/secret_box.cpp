#include "crews/secret_box.hpp"

#include <sodium.h>

#include <stdexcept>

#include "core/crypto.hpp"

namespace aop::crews {

namespace {

constexpr std::size_t k_nonce_bytes = 24;  // XChaCha20-Poly1305, as core::seal lays it out

// Length-prefixed fields, so no two different owners produce the same bytes
// ("a" + "bc" vs "ab" + "c"). The version tag leaves room for another layout later.
std::string associated_data(const SecretOwner& o) {
  std::string out = "aop-secret-v1";
  for (const std::string* field : {&o.team_id, &o.crew_id, &o.name, &o.kind}) {
    out += '|';
    out += std::to_string(field->size());
    out += ':';
    out += *field;
  }
  return out;
}

}  // namespace

SecretBox::SecretBox(std::string key) : key_(std::move(key)) {
  if (key_.size() != 32) throw std::invalid_argument("the secret key must be 32 bytes");
}

SecretBox::~SecretBox() { sodium_memzero(key_.data(), key_.size()); }

SealedSecret SecretBox::seal(const SecretOwner& owner, std::string_view plaintext) const {
  std::string box = core::seal(key_, plaintext, associated_data(owner));
  std::string_view view(box);
  return {core::base64url_encode(view.substr(0, k_nonce_bytes)), core::base64url_encode(view.substr(k_nonce_bytes))};
}

std::optional<std::string> SecretBox::open(const SecretOwner& owner, const SealedSecret& sealed) const {
  auto nonce = core::base64url_decode(sealed.nonce);
  auto ciphertext = core::base64url_decode(sealed.ciphertext);
  if (!nonce || !ciphertext || nonce->size() != k_nonce_bytes) return std::nullopt;
  return core::open(key_, *nonce + *ciphertext, associated_data(owner));
}

}  // namespace aop::crews
