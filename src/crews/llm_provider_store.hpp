#pragma once
// Rows of `llm_providers`: a team's LLM connections. The API key is not here: it is a
// `secrets` row of kind llm_api_key (see llm_api_key_owner), referenced by api_key_secret_id.
// Blocking: call inside Database::read/write.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "crews/secret_box.hpp"
#include "store/database.hpp"

namespace aop::crews {

struct LlmProvider {
  std::string id;
  std::string team_id;
  std::string name;
  std::string provider;  // openai | anthropic | ollama | openai_compatible
  std::optional<std::string> base_url;
  std::optional<std::string> api_key_secret_id;
  std::optional<std::string> default_model;
  std::vector<std::string> models;
  // Price overrides for this team: model name (the part after "<name>/") -> {input, output,
  // cached_input?} in USD per million tokens.
  boost::json::object pricing;
  bool is_enabled = true;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// The secrets row that holds a connection's API key.
SecretOwner llm_api_key_owner(const std::string& team_id, const std::string& provider_id);

void insert_llm_provider(store::Connection& c, const LlmProvider& p);
// Writes every column but id, team_id and created_at; false when the row is gone.
bool update_llm_provider(store::Connection& c, const LlmProvider& p);
std::optional<LlmProvider> find_llm_provider(store::Connection& c, const std::string& team_id, const std::string& id);
// The same inside a write transaction, taking the row's lock first on PostgreSQL (SQLite's
// writer is already exclusive). Every change to a connection and its key starts here, so
// concurrent changes and deletions queue on the connection instead of deadlocking on the key.
std::optional<LlmProvider> lock_llm_provider(store::Connection& c, const std::string& team_id, const std::string& id);
// True when another connection of the team already has `name`.
bool llm_provider_name_taken(store::Connection& c, const std::string& team_id, const std::string& name,
                             const std::string& except_id = {});
// Ordered by name.
std::vector<LlmProvider> list_llm_providers(store::Connection& c, const std::string& team_id);
// The names of the team's connections (enabled or not): the providers its crews may name.
std::vector<std::string> llm_provider_names(store::Connection& c, const std::string& team_id);
bool delete_llm_provider(store::Connection& c, const std::string& team_id, const std::string& id);

}  // namespace aop::crews
