#include "auth/stream_token.hpp"

#include <charconv>
#include <vector>

#include "core/crypto.hpp"

namespace aop::auth {

namespace {
constexpr std::string_view k_prefix = "st1.";

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    auto end = text.find(sep, start);
    out.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

bool parse_int(std::string_view text, std::int64_t& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}
}  // namespace

StreamTokenSigner::StreamTokenSigner(std::string_view jwt_secret)
    : key_(core::hmac_sha256(jwt_secret, "aop stream token key v1")) {}

std::string StreamTokenSigner::issue(const StreamTokenClaims& c) const {
  auto payload = core::base64url_encode(c.execution_id + "|" + c.user_id + "|" + c.team_id + "|" + c.role + "|" +
                                        std::to_string(c.issued_ms) + "|" + std::to_string(c.expires_ms));
  return std::string(k_prefix) + payload + "." + core::base64url_encode(core::hmac_sha256(key_, payload));
}

std::optional<StreamTokenClaims> StreamTokenSigner::verify(std::string_view token, std::int64_t now_ms,
                                                           std::string& error) const {
  if (!token.starts_with(k_prefix)) {
    error = "not a stream token";
    return std::nullopt;
  }
  token.remove_prefix(k_prefix.size());
  auto dot = token.find('.');
  if (dot == std::string_view::npos) {
    error = "malformed stream token";
    return std::nullopt;
  }
  auto payload = token.substr(0, dot);
  auto mac = core::base64url_decode(token.substr(dot + 1));
  // The signature is checked before the payload is even decoded.
  if (!mac || !core::constant_time_equal(*mac, core::hmac_sha256(key_, payload))) {
    error = "the stream token's signature is not valid";
    return std::nullopt;
  }
  auto decoded = core::base64url_decode(payload);
  auto fields = decoded ? split(*decoded, '|') : std::vector<std::string_view>{};
  StreamTokenClaims c;
  if (fields.size() != 6 || !parse_int(fields[4], c.issued_ms) || !parse_int(fields[5], c.expires_ms)) {
    error = "malformed stream token";
    return std::nullopt;
  }
  c.execution_id = fields[0];
  c.user_id = fields[1];
  c.team_id = fields[2];
  c.role = fields[3];
  if (c.expires_ms <= now_ms) {
    error = "the stream token has expired; request a new one";
    return std::nullopt;
  }
  return c;
}

}  // namespace aop::auth
