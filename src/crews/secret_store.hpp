#pragma once
// Rows of the `secrets` table: environment values of a team or a crew (kind `env`) and
// credentials owned by other objects (kind `llm_api_key`). Values are sealed by a SecretBox
// before they reach the database and are never part of SecretRow, so listing code cannot
// leak them. Blocking: call inside Database::read/write.
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "crews/secret_box.hpp"
#include "store/database.hpp"

namespace aop::crews {

inline constexpr std::string_view k_env_kind = "env";
inline constexpr std::string_view k_llm_api_key_kind = "llm_api_key";

// A secret's metadata; the value stays in the database.
struct SecretRow {
  std::string id;
  std::string team_id;
  std::string crew_id;  // empty for team-level values
  std::string name;
  std::string kind;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// A stored value that does not open with the configured key (another AOP_SECRET_KEY, or a
// row altered in the database). what() names the secret, never its value.
class SecretUnreadable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PutSecretResult {
  SecretRow row;
  bool created = false;  // false: an existing value was replaced
};

// Sets the value of `owner` (insert or replace). Run it in a write transaction: on SQLite that
// serializes writers; on PostgreSQL two first inserts of one name can race, and the loser
// gets a constraint-violation DatabaseError — retry the whole transaction once, when the
// row exists and the retry replaces it.
PutSecretResult put_secret(store::Connection& c, const SecretBox& box, const SecretOwner& owner, std::string_view value,
                           const std::string& created_by, std::int64_t now_ms);

std::optional<SecretRow> find_secret(store::Connection& c, const SecretOwner& owner);
// The secrets of one scope and kind (crew_id empty: the team's own), ordered by name.
std::vector<SecretRow> list_secrets(store::Connection& c, const std::string& team_id, const std::string& crew_id,
                                    std::string_view kind);
// The deleted row's id; nullopt when there was nothing to delete.
std::optional<std::string> delete_secret(store::Connection& c, const SecretOwner& owner);

// The plain value, nullopt when absent; throws SecretUnreadable when it does not decrypt.
std::optional<std::string> read_secret(store::Connection& c, const SecretBox& box, const SecretOwner& owner);

// The environment a run of the crew sees: the team's values, overridden by the crew's
// (crew_id empty: the team's alone). Throws SecretUnreadable naming the first value that does
// not decrypt.
std::map<std::string, std::string> resolve_env(store::Connection& c, const SecretBox& box, const std::string& team_id,
                                               const std::string& crew_id);

struct SecretCheck {
  std::size_t checked = 0;
  std::size_t unreadable = 0;
};
// Tries to decrypt the `limit` most recently updated secrets (all when nullopt), for the
// start-up warning and `aop secrets check`.
SecretCheck check_secrets(store::Connection& c, const SecretBox& box, std::optional<std::size_t> limit);

}  // namespace aop::crews
