#pragma once
// API key rows. Only the prefix and a SHA-256 hash of the full key are stored.
// Blocking: call inside Database::read/write.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace aop::auth {

struct ApiKeyRecord {
  std::string id;
  std::string team_id;
  std::string user_id;
  std::string name;
  std::string prefix;
  std::string key_hash;
  std::vector<std::string> permissions;
  std::optional<std::int64_t> rate_limit;
  std::optional<std::int64_t> expires_at;
  bool is_active = true;
  std::optional<std::int64_t> last_used_at;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> revoked_at;
};

void insert_api_key(store::Connection& c, const ApiKeyRecord& key);
std::optional<ApiKeyRecord> find_api_key_by_prefix(store::Connection& c, const std::string& prefix);
std::optional<ApiKeyRecord> find_api_key(store::Connection& c, const std::string& team_id, const std::string& id);
std::vector<ApiKeyRecord> list_api_keys(store::Connection& c, const std::string& team_id);
bool revoke_api_key(store::Connection& c, const std::string& id, std::int64_t now_ms);
void replace_api_key_secret(store::Connection& c, const std::string& id, const std::string& prefix,
                            const std::string& key_hash);
void set_api_key_last_used(store::Connection& c, const std::string& id, std::int64_t at_ms);

}  // namespace aop::auth
