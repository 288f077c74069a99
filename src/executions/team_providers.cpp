#include "executions/team_providers.hpp"

#include "crews/llm_provider_store.hpp"
#include "crews/secret_store.hpp"
#include "engine/llm/provider_registry.hpp"

namespace aop::executions {

TeamLlmConfig load_team_llm_config(store::Connection& c, const crews::SecretBox& box, const std::string& team_id,
                                   const std::string& crew_id) {
  TeamLlmConfig out;
  for (const auto& p : crews::list_llm_providers(c, team_id)) {
    if (!p.is_enabled) continue;
    crews::LlmConnectionCandidate candidate;
    candidate.name = p.name;
    candidate.provider = p.provider;
    candidate.base_url = p.base_url;
    candidate.default_model = p.default_model;
    candidate.is_enabled = p.is_enabled;
    if (p.api_key_secret_id) candidate.api_key = crews::read_secret(c, box, crews::llm_api_key_owner(team_id, p.id));
    out.connections.push_back(std::move(candidate));
    for (const auto& [model, price] : p.pricing) out.price_overrides[p.name + "/" + std::string(model)] = price;
  }
  out.env = crews::resolve_env(c, box, team_id, crew_id);
  return out;
}

std::shared_ptr<engine::llm::Provider> TeamProviders::provider(std::string_view name) {
  std::lock_guard lock(mutex_);
  if (auto it = made_.find(name); it != made_.end()) return it->second;
  std::shared_ptr<engine::llm::Provider> made;
  if (name == "simulated") {
    made = std::make_shared<engine::llm::SimulatedProvider>(settings_.simulated);
  } else {
    auto resolved = crews::resolve_llm_connection(name, config_.connections, config_.env, settings_.process_env);
    if (!resolved.endpoint)
      throw engine::EngineError("llm_provider",
                                "cannot use LLM provider \"" + std::string(name) + "\": " + resolved.error);
    const auto& e = *resolved.endpoint;
    try {
      made = engine::llm::make_provider(engine::llm::Endpoint{e.provider, e.base_url, e.api_key},
                                        engine::llm::ProviderFactory{settings_.http, {}});
    } catch (const std::invalid_argument& error) {
      throw engine::EngineError("llm_provider",
                                "cannot use LLM provider \"" + std::string(name) + "\": " + error.what());
    }
  }
  made_.emplace(std::string(name), made);
  return made;
}

}  // namespace aop::executions
