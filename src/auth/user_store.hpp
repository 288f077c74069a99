#pragma once
// Users table access. Blocking: call inside Database::read/write.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace aop::auth {

struct User {
  std::string id;
  std::string email;
  std::string name;
  std::string password_hash;
  std::string role;
  bool is_active = true;
  std::string settings = "{}";  // JSON object: theme, language
  std::optional<std::int64_t> last_login_at;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

std::optional<User> find_user_by_id(store::Connection& c, const std::string& id);
std::optional<User> find_user_by_email(store::Connection& c, const std::string& email);
std::int64_t count_users(store::Connection& c);
void insert_user(store::Connection& c, const User& user);
void update_user(store::Connection& c, const User& user);  // every mutable column
void touch_last_login(store::Connection& c, const std::string& id, std::int64_t now_ms);

// Admin listing, newest first, keyset-paginated on (created_at, id).
std::vector<User> list_users(store::Connection& c, int limit,
                             std::optional<std::pair<std::int64_t, std::string>> after,
                             const std::string& query);

// Normalises an email (trim, lower-case); nullopt when it is not a plausible address.
std::optional<std::string> normalize_email(std::string_view email);

}  // namespace aop::auth
