#pragma once
// The engine's collaborators for runs outside the server (`aop run`): LLM providers from the
// process environment (OPENAI_API_KEY, ...) plus the simulated one, and the builtin tools.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/config.hpp"
#include "engine/llm/http_stream_client.hpp"
#include "engine/llm/provider_registry.hpp"
#include "engine/run_context.hpp"
#include "engine/tools/builtin_tools.hpp"

namespace aop::app {

// Reads an environment variable (nullopt when unset or empty): the engine's own lookup, so the
// tools, hooks and LLM endpoints of `aop run` all read the same environment.
using engine::llm::EnvLookup;
using engine::llm::process_environment;

// The builtin tools' settings from the environment: AOP_SEARCH_API_KEY (or BRAVE_API_KEY),
// AOP_SEARCH_URL, AOP_TOOLS_ALLOW_PRIVATE_NETWORKS (true/false), AOP_TOOLS_ALLOWED_HOSTS
// (comma-separated), AOP_TOOLS_CA_FILE. Throws std::invalid_argument for a value that
// cannot be read.
engine::tools::BuiltinToolOptions tool_options_from_environment(const EnvLookup& env);

// What crews' hooks may do: webhooks reach what the tools reach (the same variables), over one
// shared client trusting AOP_TOOLS_CA_FILE too; command hooks run when AOP_HOOKS_ALLOW_COMMANDS
// says so, else `commands_by_default` (true for `aop run`, false for a server). Throws
// std::invalid_argument for a value that cannot be read.
engine::HookSettings hook_settings_from_environment(const EnvLookup& env, bool commands_by_default);

class StandaloneEngine {
 public:
  explicit StandaloneEngine(const core::Config& config, const EnvLookup& env = process_environment());
  engine::ProviderSource& providers() { return providers_; }
  engine::ToolSource& tools() { return tools_; }

 private:
  class Providers final : public engine::ProviderSource {
   public:
    explicit Providers(EnvLookup env) : env_(std::move(env)) {}
    std::shared_ptr<engine::llm::Provider> provider(std::string_view name) override;

   private:
    EnvLookup env_;  // no team connections here: the environment names keys and base URLs
    std::shared_ptr<engine::llm::HttpStreamClient> http_;  // one TLS context for every provider
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<engine::llm::Provider>, std::less<>> made_;
  };
  Providers providers_;
  engine::tools::BuiltinTools tools_;
};

}  // namespace aop::app
