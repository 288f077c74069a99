#include "crews/secret_store.hpp"

#include <algorithm>

#include "core/ids.hpp"

namespace aop::crews {

namespace {

constexpr const char* k_columns = "id, team_id, crew_id, name, kind, created_at, updated_at, nonce, ciphertext";

SecretRow read_row(const store::Row& r) {
  return SecretRow{r.text(0), r.text(1), r.opt_text(2).value_or(""), r.text(3), r.text(4), r.i64(5), r.i64(6)};
}

SealedSecret read_sealed(const store::Row& r) { return SealedSecret{r.text(7), r.text(8)}; }

SecretOwner owner_of(const SecretRow& row) { return SecretOwner{row.team_id, row.crew_id, row.name, row.kind}; }

// "crew_id IS NULL" cannot take a parameter, so the scope condition is chosen here.
std::string scope_condition(const std::string& crew_id) {
  return crew_id.empty() ? "team_id = ? AND crew_id IS NULL" : "team_id = ? AND crew_id = ?";
}

store::Params scope_params(const std::string& team_id, const std::string& crew_id) {
  store::Params p{team_id};
  if (!crew_id.empty()) p.emplace_back(crew_id);
  return p;
}

store::Params owner_params(const SecretOwner& o) {
  auto p = scope_params(o.team_id, o.crew_id);
  p.emplace_back(o.name);
  p.emplace_back(o.kind);
  return p;
}

store::Rows select_owned(store::Connection& c, const SecretOwner& o) {
  return c.query(std::string("SELECT ") + k_columns + " FROM secrets WHERE " + scope_condition(o.crew_id) +
                     " AND name = ? AND kind = ?",
                 owner_params(o));
}

std::string describe(const SecretOwner& o) {
  std::string where = o.crew_id.empty() ? "team " + o.team_id : "crew " + o.crew_id;
  return "the " + (o.kind == k_env_kind ? std::string("variable ") : o.kind + " ") + o.name + " of " + where;
}

std::string open_or_throw(const SecretBox& box, const SecretOwner& owner, const SealedSecret& sealed) {
  auto plain = box.open(owner, sealed);
  if (!plain)
    throw SecretUnreadable("cannot decrypt " + describe(owner) +
                           ": it was stored under another secret key (AOP_SECRET_KEY or <data_dir>/secret_key) "
                           "or altered in the database");
  return std::move(*plain);
}

}  // namespace

PutSecretResult put_secret(store::Connection& c, const SecretBox& box, const SecretOwner& owner, std::string_view value,
                           const std::string& created_by, std::int64_t now_ms) {
  auto sealed = box.seal(owner, value);
  store::Params params{sealed.nonce, sealed.ciphertext, now_ms};
  for (auto& p : owner_params(owner)) params.push_back(std::move(p));
  auto updated = c.query("UPDATE secrets SET nonce = ?, ciphertext = ?, updated_at = ? WHERE " +
                             scope_condition(owner.crew_id) + " AND name = ? AND kind = ? RETURNING id, created_at",
                         params);
  PutSecretResult result;
  result.row = SecretRow{"", owner.team_id, owner.crew_id, owner.name, owner.kind, now_ms, now_ms};
  if (!updated.empty()) {
    result.row.id = updated.front().text(0);
    result.row.created_at = updated.front().i64(1);
    return result;
  }
  result.row.id = core::new_id();
  result.created = true;
  c.execute(
      "INSERT INTO secrets (id, team_id, crew_id, name, kind, nonce, ciphertext, created_by, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {result.row.id, owner.team_id, owner.crew_id.empty() ? store::Value(nullptr) : store::Value(owner.crew_id),
       owner.name, owner.kind, sealed.nonce, sealed.ciphertext,
       created_by.empty() ? store::Value(nullptr) : store::Value(created_by), now_ms, now_ms});
  return result;
}

std::optional<SecretRow> find_secret(store::Connection& c, const SecretOwner& owner) {
  auto rows = select_owned(c, owner);
  if (rows.empty()) return std::nullopt;
  return read_row(rows.front());
}

std::vector<SecretRow> list_secrets(store::Connection& c, const std::string& team_id, const std::string& crew_id,
                                    std::string_view kind) {
  auto params = scope_params(team_id, crew_id);
  params.emplace_back(std::string(kind));
  std::vector<SecretRow> out;
  for (auto r :
       c.query(std::string("SELECT ") + k_columns + " FROM secrets WHERE " + scope_condition(crew_id) + " AND kind = ?",
               params))
    out.push_back(read_row(r));
  // Byte order on both databases (PostgreSQL's ORDER BY follows the database's locale).
  std::sort(out.begin(), out.end(), [](const SecretRow& a, const SecretRow& b) { return a.name < b.name; });
  return out;
}

std::optional<std::string> delete_secret(store::Connection& c, const SecretOwner& owner) {
  auto rows =
      c.query("DELETE FROM secrets WHERE " + scope_condition(owner.crew_id) + " AND name = ? AND kind = ? RETURNING id",
              owner_params(owner));
  if (rows.empty()) return std::nullopt;
  return rows.front().text(0);
}

std::optional<std::string> read_secret(store::Connection& c, const SecretBox& box, const SecretOwner& owner) {
  auto rows = select_owned(c, owner);
  if (rows.empty()) return std::nullopt;
  return open_or_throw(box, owner, read_sealed(rows.front()));
}

std::map<std::string, std::string> resolve_env(store::Connection& c, const SecretBox& box, const std::string& team_id,
                                               const std::string& crew_id) {
  // Team rows sort before crew rows (NULL crew_id first on both databases with this CASE),
  // so a crew's value, written later, overrides the team's.
  auto rows = c.query(std::string("SELECT ") + k_columns +
                          " FROM secrets WHERE team_id = ? AND kind = ? AND (crew_id IS NULL OR crew_id = ?) "
                          "ORDER BY CASE WHEN crew_id IS NULL THEN 0 ELSE 1 END, name",
                      {team_id, std::string(k_env_kind), crew_id});
  std::map<std::string, std::string> env;
  for (auto r : rows) {
    auto row = read_row(r);
    env[row.name] = open_or_throw(box, owner_of(row), read_sealed(r));
  }
  return env;
}

SecretCheck check_secrets(store::Connection& c, const SecretBox& box, std::optional<std::size_t> limit) {
  std::string sql = std::string("SELECT ") + k_columns + " FROM secrets ORDER BY updated_at DESC, id DESC";
  store::Params params;
  if (limit) {
    sql += " LIMIT ?";
    params.emplace_back(static_cast<std::int64_t>(*limit));
  }
  SecretCheck check;
  for (auto r : c.query(sql, params)) {
    ++check.checked;
    if (!box.open(owner_of(read_row(r)), read_sealed(r))) ++check.unreadable;
  }
  return check;
}

}  // namespace aop::crews
