#include "auth/api_key_store.hpp"

#include <boost/json.hpp>

namespace aop::auth {

namespace {
constexpr const char* k_columns =
    "id, team_id, user_id, name, prefix, key_hash, permissions, rate_limit, expires_at, is_active, "
    "last_used_at, created_at, revoked_at";

ApiKeyRecord read_key(const store::Row& r) {
  ApiKeyRecord k;
  k.id = r.text(0);
  k.team_id = r.text(1);
  k.user_id = r.opt_text(2).value_or("");
  k.name = r.text(3);
  k.prefix = r.text(4);
  k.key_hash = r.text(5);
  boost::system::error_code ec;
  auto perms = boost::json::parse(r.text(6), ec);
  if (!ec && perms.is_array())
    for (const auto& p : perms.as_array())
      if (p.is_string()) k.permissions.emplace_back(p.as_string());
  k.rate_limit = r.opt_i64(7);
  k.expires_at = r.opt_i64(8);
  k.is_active = r.boolean(9);
  k.last_used_at = r.opt_i64(10);
  k.created_at = r.i64(11);
  k.revoked_at = r.opt_i64(12);
  return k;
}

store::Value opt(const std::optional<std::int64_t>& v) { return v ? store::Value(*v) : store::Value(nullptr); }
}  // namespace

void insert_api_key(store::Connection& c, const ApiKeyRecord& k) {
  boost::json::array perms;
  for (const auto& p : k.permissions) perms.emplace_back(p);
  c.execute(
      "INSERT INTO api_keys (id, team_id, user_id, name, prefix, key_hash, permissions, rate_limit, expires_at, "
      "is_active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {k.id, k.team_id, k.user_id.empty() ? store::Value(nullptr) : store::Value(k.user_id), k.name, k.prefix,
       k.key_hash, boost::json::serialize(perms), opt(k.rate_limit), opt(k.expires_at), k.is_active, k.created_at});
}

std::optional<ApiKeyRecord> find_api_key_by_prefix(store::Connection& c, const std::string& prefix) {
  auto rows = c.query(std::string("SELECT ") + k_columns + " FROM api_keys WHERE prefix = ?", {prefix});
  if (rows.empty()) return std::nullopt;
  return read_key(rows.front());
}

std::optional<ApiKeyRecord> find_api_key(store::Connection& c, const std::string& team_id, const std::string& id) {
  auto rows = c.query(std::string("SELECT ") + k_columns + " FROM api_keys WHERE id = ? AND team_id = ?",
                      {id, team_id});
  if (rows.empty()) return std::nullopt;
  return read_key(rows.front());
}

std::vector<ApiKeyRecord> list_api_keys(store::Connection& c, const std::string& team_id) {
  std::vector<ApiKeyRecord> out;
  for (auto r : c.query(std::string("SELECT ") + k_columns +
                            " FROM api_keys WHERE team_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, id DESC",
                        {team_id}))
    out.push_back(read_key(r));
  return out;
}

bool revoke_api_key(store::Connection& c, const std::string& id, std::int64_t now_ms) {
  return c.execute("UPDATE api_keys SET is_active = ?, revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                   {false, now_ms, id}) == 1;
}

void replace_api_key_secret(store::Connection& c, const std::string& id, const std::string& prefix,
                            const std::string& key_hash) {
  c.execute("UPDATE api_keys SET prefix = ?, key_hash = ? WHERE id = ?", {prefix, key_hash, id});
}

void set_api_key_last_used(store::Connection& c, const std::string& id, std::int64_t at_ms) {
  c.execute("UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
            {at_ms, id, at_ms});
}

}  // namespace aop::auth
