#include "auth/user_store.hpp"

#include <algorithm>
#include <cctype>

namespace aop::auth {

namespace {
constexpr const char* k_columns =
    "id, email, name, password_hash, role, is_active, settings, last_login_at, created_at, updated_at";

User read_user(const store::Row& r) {
  User u;
  u.id = r.text(0);
  u.email = r.text(1);
  u.name = r.text(2);
  u.password_hash = r.text(3);
  u.role = r.text(4);
  u.is_active = r.boolean(5);
  u.settings = r.text(6);
  u.last_login_at = r.opt_i64(7);
  u.created_at = r.i64(8);
  u.updated_at = r.i64(9);
  return u;
}

std::optional<User> first(const store::Rows& rows) {
  if (rows.empty()) return std::nullopt;
  return read_user(rows.front());
}
}  // namespace

std::optional<User> find_user_by_id(store::Connection& c, const std::string& id) {
  return first(c.query(std::string("SELECT ") + k_columns + " FROM users WHERE id = ?", {id}));
}

std::optional<User> find_user_by_email(store::Connection& c, const std::string& email) {
  return first(c.query(std::string("SELECT ") + k_columns + " FROM users WHERE email = ?", {email}));
}

std::int64_t count_users(store::Connection& c) {
  return c.query("SELECT COUNT(*) FROM users").front().i64(0);
}

void insert_user(store::Connection& c, const User& u) {
  c.execute(
      "INSERT INTO users (id, email, name, password_hash, role, is_active, settings, last_login_at, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {u.id, u.email, u.name, u.password_hash, u.role, u.is_active, u.settings,
       u.last_login_at ? store::Value(*u.last_login_at) : store::Value(nullptr), u.created_at,
       u.updated_at});
}

void update_user(store::Connection& c, const User& u) {
  c.execute(
      "UPDATE users SET email = ?, name = ?, password_hash = ?, role = ?, is_active = ?, settings = ?, "
      "updated_at = ? WHERE id = ?",
      {u.email, u.name, u.password_hash, u.role, u.is_active, u.settings, u.updated_at, u.id});
}

void touch_last_login(store::Connection& c, const std::string& id, std::int64_t now_ms) {
  c.execute("UPDATE users SET last_login_at = ? WHERE id = ?", {now_ms, id});
}

std::vector<User> list_users(store::Connection& c, int limit,
                             std::optional<std::pair<std::int64_t, std::string>> after,
                             const std::string& query) {
  std::string sql = std::string("SELECT ") + k_columns + " FROM users WHERE 1 = 1";
  store::Params params;
  if (after) {
    sql += " AND (created_at < ? OR (created_at = ? AND id < ?))";
    params.insert(params.end(), {after->first, after->first, after->second});
  }
  if (!query.empty()) {
    sql += " AND (lower(email) LIKE ? OR lower(name) LIKE ?)";
    std::string pattern = "%";
    for (char ch : query) pattern.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
    pattern += "%";
    params.insert(params.end(), {pattern, pattern});
  }
  sql += " ORDER BY created_at DESC, id DESC LIMIT ?";
  params.push_back(static_cast<std::int64_t>(limit));
  std::vector<User> out;
  for (auto row : c.query(sql, params)) out.push_back(read_user(row));
  return out;
}

std::optional<std::string> normalize_email(std::string_view email) {
  auto b = email.find_first_not_of(" \t\r\n");
  auto e = email.find_last_not_of(" \t\r\n");
  if (b == std::string_view::npos) return std::nullopt;
  std::string out(email.substr(b, e - b + 1));
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  auto at = out.find('@');
  if (out.size() > 254 || at == std::string::npos || at == 0 || at != out.rfind('@') ||
      at + 1 >= out.size() || out.find('.', at + 2) == std::string::npos || out.back() == '.')
    return std::nullopt;
  if (std::any_of(out.begin(), out.end(), [](unsigned char ch) { return ch <= ' ' || ch == 0x7f; }))
    return std::nullopt;
  return out;
}

}  // namespace aop::auth
