#include "auth/session_store.hpp"

namespace aop::auth {

void insert_refresh_token(store::Connection& c, const RefreshToken& t, const std::string& user_agent,
                          const std::string& ip, std::int64_t now_ms) {
  c.execute(
      "INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at, user_agent, ip, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {t.id, t.user_id, t.family_id, t.token_hash, t.expires_at, user_agent.substr(0, 256), ip, now_ms});
}

std::optional<RefreshToken> find_refresh_token(store::Connection& c, const std::string& token_hash) {
  auto rows = c.query(
      "SELECT id, user_id, family_id, token_hash, expires_at, revoked_at, replaced_by FROM refresh_tokens "
      "WHERE token_hash = ?",
      {token_hash});
  if (rows.empty()) return std::nullopt;
  auto r = rows.front();
  return RefreshToken{r.text(0), r.text(1), r.text(2), r.text(3), r.i64(4), r.opt_i64(5), r.opt_text(6).value_or("")};
}

bool retire_refresh_token(store::Connection& c, const std::string& id, const std::string& replaced_by,
                          std::int64_t now_ms) {
  return c.execute("UPDATE refresh_tokens SET revoked_at = ?, replaced_by = ? WHERE id = ? AND revoked_at IS NULL",
                   {now_ms, replaced_by, id}) == 1;
}

std::int64_t revoke_family(store::Connection& c, const std::string& family_id, std::int64_t now_ms) {
  return c.execute("UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
                   {now_ms, family_id});
}

std::int64_t revoke_user_sessions(store::Connection& c, const std::string& user_id, std::int64_t now_ms) {
  return c.execute("UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                   {now_ms, user_id});
}

void void_tokens_before(store::Connection& c, const std::string& user_id, std::int64_t at_ms) {
  c.execute("UPDATE users SET tokens_valid_after = ? WHERE id = ?", {at_ms, user_id});
}

Revocations load_revocations(store::Connection& c, std::int64_t since_ms) {
  Revocations r;
  // A family has ended when its newest token (never replaced) was revoked; rotated tokens
  // carry replaced_by and do not end their family.
  for (auto row : c.query("SELECT family_id, MAX(revoked_at) FROM refresh_tokens WHERE revoked_at >= ? "
                          "AND replaced_by IS NULL GROUP BY family_id",
                          {since_ms}))
    r.sessions.emplace_back(row.text(0), row.i64(1));
  for (auto row : c.query("SELECT id, tokens_valid_after FROM users WHERE tokens_valid_after >= ?", {since_ms}))
    r.users.emplace_back(row.text(0), row.i64(1));
  return r;
}

}  // namespace aop::auth
