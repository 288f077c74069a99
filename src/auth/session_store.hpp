#pragma once
// Refresh tokens. Each login starts a family; each refresh rotates the token within it.
// Only SHA-256 hashes of tokens are stored. Blocking: call inside Database::read/write.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/database.hpp"

namespace aop::auth {

struct RefreshToken {
  std::string id;
  std::string user_id;
  std::string family_id;
  std::string token_hash;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> revoked_at;
  std::string replaced_by;
};

void insert_refresh_token(store::Connection& c, const RefreshToken& t, const std::string& user_agent,
                          const std::string& ip, std::int64_t now_ms);
std::optional<RefreshToken> find_refresh_token(store::Connection& c, const std::string& token_hash);
// Marks the token used; false when it was already revoked (a concurrent or replayed use).
bool retire_refresh_token(store::Connection& c, const std::string& id, const std::string& replaced_by,
                          std::int64_t now_ms);
std::int64_t revoke_family(store::Connection& c, const std::string& family_id, std::int64_t now_ms);
std::int64_t revoke_user_sessions(store::Connection& c, const std::string& user_id, std::int64_t now_ms);

// Access tokens of the user issued at or before `at_ms` are refused (users.tokens_valid_after).
void void_tokens_before(store::Connection& c, const std::string& user_id, std::int64_t at_ms);

// What the authenticator must refuse, as recorded in the database since `since_ms`: ended
// session families and per-user token cut-offs. Polled so every node (and a restarted one)
// agrees.
struct Revocations {
  std::vector<std::pair<std::string, std::int64_t>> sessions;  // family id, revoked at
  std::vector<std::pair<std::string, std::int64_t>> users;     // user id, tokens valid after
};
Revocations load_revocations(store::Connection& c, std::int64_t since_ms);

}  // namespace aop::auth
