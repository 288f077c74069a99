#include "app/standalone_engine.hpp"

#include "engine/llm/provider_registry.hpp"
#include "engine/llm/simulated_provider.hpp"

namespace aop::app {

StandaloneEngine::StandaloneEngine(const core::Config&) {}

std::shared_ptr<engine::llm::Provider> StandaloneEngine::Providers::provider(std::string_view name) {
  std::lock_guard lock(mutex_);
  if (auto it = made_.find(name); it != made_.end()) return it->second;
  std::shared_ptr<engine::llm::Provider> made;
  if (name == "simulated") {
    made = std::make_shared<engine::llm::SimulatedProvider>();
  } else {
    // Outside the server there are no team connections: the process environment decides
    // (OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_API_KEY, OLLAMA_HOST, ...).
    try {
      if (!http_) http_ = std::make_shared<engine::llm::HttpStreamClient>();
      auto endpoint = engine::llm::default_endpoint(name, engine::llm::process_environment());
      made = engine::llm::make_provider(endpoint, {http_, {}});
    } catch (const std::invalid_argument& e) {
      throw engine::EngineError("llm_provider", std::string("cannot use LLM provider \"") + std::string(name) +
                                                    "\": " + e.what());
    }
  }
  made_.emplace(std::string(name), made);
  return made;
}

std::shared_ptr<engine::tools::Tool> StandaloneEngine::Tools::tool(std::string_view) { return nullptr; }

}  // namespace aop::app
