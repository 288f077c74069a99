#pragma once
// The engine's collaborators for runs outside the server (`aop run`): LLM providers from the
// process environment (OPENAI_API_KEY, ...) plus the simulated one, and the builtin tools.
#include <map>
#include <memory>
#include <mutex>

#include "core/config.hpp"
#include "engine/llm/http_stream_client.hpp"
#include "engine/run_context.hpp"

namespace aop::app {

class StandaloneEngine {
 public:
  explicit StandaloneEngine(const core::Config& config);
  engine::ProviderSource& providers() { return providers_; }
  engine::ToolSource& tools() { return tools_; }

 private:
  class Providers final : public engine::ProviderSource {
   public:
    std::shared_ptr<engine::llm::Provider> provider(std::string_view name) override;

   private:
    std::shared_ptr<engine::llm::HttpStreamClient> http_;  // one TLS context for every provider
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<engine::llm::Provider>, std::less<>> made_;
  };
  class Tools final : public engine::ToolSource {
   public:
    std::shared_ptr<engine::tools::Tool> tool(std::string_view name) override;
  };
  Providers providers_;
  Tools tools_;
};

}  // namespace aop::app
