#include "crews/llm_provider_store.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "crews/secret_store.hpp"

namespace aop::crews {

namespace {

constexpr const char* k_columns =
    "id, team_id, name, provider, base_url, api_key_secret_id, default_model, models, is_enabled, created_at, "
    "updated_at, pricing";

LlmProvider read_provider(const store::Row& r) {
  LlmProvider p;
  p.id = r.text(0);
  p.team_id = r.text(1);
  p.name = r.text(2);
  p.provider = r.text(3);
  p.base_url = r.opt_text(4);
  p.api_key_secret_id = r.opt_text(5);
  p.default_model = r.opt_text(6);
  boost::system::error_code ec;
  auto models = boost::json::parse(r.text(7), ec);
  if (!ec && models.is_array())
    for (const auto& m : models.as_array())
      if (m.is_string()) p.models.emplace_back(m.as_string());
  p.is_enabled = r.boolean(8);
  p.created_at = r.i64(9);
  p.updated_at = r.i64(10);
  auto pricing = boost::json::parse(r.text(11), ec);
  if (!ec && pricing.is_object()) p.pricing = std::move(pricing.as_object());
  return p;
}

store::Value opt(const std::optional<std::string>& v) { return v ? store::Value(*v) : store::Value(nullptr); }

std::string models_json(const std::vector<std::string>& models) {
  boost::json::array out;
  for (const auto& m : models) out.emplace_back(m);
  return boost::json::serialize(out);
}

}  // namespace

SecretOwner llm_api_key_owner(const std::string& team_id, const std::string& provider_id) {
  // ':' is not allowed in environment variable names, so this never meets an `env` row.
  return SecretOwner{team_id, "", "llm_provider:" + provider_id, std::string(k_llm_api_key_kind)};
}

void insert_llm_provider(store::Connection& c, const LlmProvider& p) {
  c.execute(
      "INSERT INTO llm_providers (id, team_id, name, provider, base_url, api_key_secret_id, default_model, models, "
      "is_enabled, created_at, updated_at, pricing) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {p.id, p.team_id, p.name, p.provider, opt(p.base_url), opt(p.api_key_secret_id), opt(p.default_model),
       models_json(p.models), p.is_enabled, p.created_at, p.updated_at, boost::json::serialize(p.pricing)});
}

bool update_llm_provider(store::Connection& c, const LlmProvider& p) {
  return c.execute(
      "UPDATE llm_providers SET name = ?, provider = ?, base_url = ?, api_key_secret_id = ?, default_model = ?, "
      "models = ?, is_enabled = ?, updated_at = ?, pricing = ? WHERE id = ? AND team_id = ?",
      {p.name, p.provider, opt(p.base_url), opt(p.api_key_secret_id), opt(p.default_model), models_json(p.models),
       p.is_enabled, p.updated_at, boost::json::serialize(p.pricing), p.id, p.team_id}) > 0;
}

std::optional<LlmProvider> find_llm_provider(store::Connection& c, const std::string& team_id, const std::string& id) {
  auto rows =
      c.query(std::string("SELECT ") + k_columns + " FROM llm_providers WHERE id = ? AND team_id = ?", {id, team_id});
  if (rows.empty()) return std::nullopt;
  return read_provider(rows.front());
}

std::optional<LlmProvider> lock_llm_provider(store::Connection& c, const std::string& team_id, const std::string& id) {
  std::string sql = std::string("SELECT ") + k_columns + " FROM llm_providers WHERE id = ? AND team_id = ?";
  if (c.dialect() == store::Dialect::postgres) sql += " FOR UPDATE";
  auto rows = c.query(sql, {id, team_id});
  if (rows.empty()) return std::nullopt;
  return read_provider(rows.front());
}

bool llm_provider_name_taken(store::Connection& c, const std::string& team_id, const std::string& name,
                             const std::string& except_id) {
  return !c.query("SELECT 1 FROM llm_providers WHERE team_id = ? AND name = ? AND id <> ?", {team_id, name, except_id})
              .empty();
}

std::vector<LlmProvider> list_llm_providers(store::Connection& c, const std::string& team_id) {
  std::vector<LlmProvider> out;
  for (auto r : c.query(std::string("SELECT ") + k_columns + " FROM llm_providers WHERE team_id = ?", {team_id}))
    out.push_back(read_provider(r));
  // Byte order on both databases (PostgreSQL's ORDER BY follows the database's locale).
  std::sort(out.begin(), out.end(), [](const LlmProvider& a, const LlmProvider& b) { return a.name < b.name; });
  return out;
}

std::vector<std::string> llm_provider_names(store::Connection& c, const std::string& team_id) {
  std::vector<std::string> out;
  for (auto r : c.query("SELECT name FROM llm_providers WHERE team_id = ?", {team_id})) out.push_back(r.text(0));
  return out;
}

bool delete_llm_provider(store::Connection& c, const std::string& team_id, const std::string& id) {
  return c.execute("DELETE FROM llm_providers WHERE id = ? AND team_id = ?", {id, team_id}) > 0;
}

}  // namespace aop::crews
