#pragma once
// LLM providers for a run in the server: the model string's provider part is resolved
// against the team's enabled LLM connections (keys decrypted), the run's environment (team
// values overridden by the crew's) and the server's environment, as crews/llm_connection_resolver
// decides. `simulated` is always available.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "crews/llm_connection_resolver.hpp"
#include "crews/secret_box.hpp"
#include "engine/llm/http_stream_client.hpp"
#include "engine/llm/simulated_provider.hpp"
#include "engine/run_context.hpp"
#include "store/database.hpp"

namespace aop::executions {

// What the server shares between runs.
struct ProviderSettings {
  std::shared_ptr<engine::llm::HttpStreamClient> http;  // one TLS context for every call
  engine::llm::SimulatedOptions simulated;              // latency for demos and tests
  crews::ProcessEnv process_env = ::getenv;
};

// A team's LLM configuration, loaded once per run.
struct TeamLlmConfig {
  std::vector<crews::LlmConnectionCandidate> connections;
  std::map<std::string, std::string> env;
  // The connections' price overrides as "<connection name>/<model>" -> price (PriceTable shape).
  boost::json::object price_overrides;
};
// Blocking (inside Database::read). Throws crews::SecretUnreadable when a value does not
// decrypt with the configured key.
TeamLlmConfig load_team_llm_config(store::Connection& c, const crews::SecretBox& box, const std::string& team_id,
                                   const std::string& crew_id);

class TeamProviders final : public engine::ProviderSource {
 public:
  TeamProviders(TeamLlmConfig config, const ProviderSettings& settings)
      : config_(std::move(config)), settings_(settings) {}
  // Throws EngineError("llm_provider") naming what is missing (never a key's value).
  std::shared_ptr<engine::llm::Provider> provider(std::string_view name) override;

 private:
  TeamLlmConfig config_;
  const ProviderSettings& settings_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<engine::llm::Provider>, std::less<>> made_;
};

}  // namespace aop::executions
