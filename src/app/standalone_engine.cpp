#include "app/standalone_engine.hpp"

#include "engine/llm/simulated_provider.hpp"

namespace aop::app {

StandaloneEngine::StandaloneEngine(const core::Config&) {}

std::shared_ptr<engine::llm::Provider> StandaloneEngine::Providers::provider(std::string_view name) {
  std::lock_guard lock(mutex_);
  if (auto it = made_.find(name); it != made_.end()) return it->second;
  std::shared_ptr<engine::llm::Provider> made;
  if (name == "simulated") made = std::make_shared<engine::llm::SimulatedProvider>();
  if (!made)
    throw engine::EngineError("llm_provider", "the LLM provider \"" + std::string(name) +
                                                  "\" cannot be used here yet; try --model simulated/default");
  made_.emplace(std::string(name), made);
  return made;
}

std::shared_ptr<engine::tools::Tool> StandaloneEngine::Tools::tool(std::string_view) { return nullptr; }

}  // namespace aop::app
