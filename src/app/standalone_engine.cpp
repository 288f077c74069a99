#include "app/standalone_engine.hpp"

#include <cctype>
#include <cstdlib>
#include <stdexcept>

#include "engine/llm/provider_registry.hpp"
#include "engine/llm/simulated_provider.hpp"
#include "engine/tools/http_fetch.hpp"

namespace aop::app {

namespace {

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

bool flag(const EnvLookup& env, const std::string& name) {
  auto value = env(name);
  if (!value) return false;
  std::string v = trimmed(*value);
  for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v.empty() || v == "false" || v == "0" || v == "no" || v == "off") return false;
  throw std::invalid_argument(name + " must be true or false, not \"" + *value + "\"");
}

std::string text(const EnvLookup& env, const std::string& name) { return trimmed(env(name).value_or("")); }

}  // namespace

engine::tools::BuiltinToolOptions tool_options_from_environment(const EnvLookup& env) {
  engine::tools::BuiltinToolOptions options;
  options.search_api_key = text(env, "AOP_SEARCH_API_KEY");
  if (options.search_api_key.empty()) options.search_api_key = text(env, "BRAVE_API_KEY");
  options.search_url = text(env, "AOP_SEARCH_URL");
  options.allow_private_networks = flag(env, "AOP_TOOLS_ALLOW_PRIVATE_NETWORKS");
  std::string hosts = text(env, "AOP_TOOLS_ALLOWED_HOSTS");
  for (std::size_t start = 0; start <= hosts.size();) {
    auto end = std::min(hosts.find(',', start), hosts.size());
    if (auto host = trimmed(std::string_view(hosts).substr(start, end - start)); !host.empty())
      options.allowed_hosts.push_back(host);
    start = end + 1;
  }
  options.extra_ca_file = text(env, "AOP_TOOLS_CA_FILE");
  return options;
}

engine::HookSettings hook_settings_from_environment(const EnvLookup& env, bool commands_by_default) {
  auto tools = tool_options_from_environment(env);
  engine::HookSettings hooks;
  hooks.policy.allow_private_networks = tools.allow_private_networks;
  hooks.policy.allowed_hosts = tools.allowed_hosts;
  hooks.allow_commands = env("AOP_HOOKS_ALLOW_COMMANDS") ? flag(env, "AOP_HOOKS_ALLOW_COMMANDS") : commands_by_default;
  hooks.http = std::make_shared<engine::tools::HttpFetcher>(tools.extra_ca_file);
  return hooks;
}

StandaloneEngine::StandaloneEngine(const core::Config&, const EnvLookup& env)
    : providers_(env), tools_(tool_options_from_environment(env)) {}

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
      auto endpoint = engine::llm::default_endpoint(name, env_);
      made = engine::llm::make_provider(endpoint, {http_, {}});
    } catch (const std::invalid_argument& e) {
      throw engine::EngineError("llm_provider", std::string("cannot use LLM provider \"") + std::string(name) +
                                                    "\": " + e.what());
    }
  }
  made_.emplace(std::string(name), made);
  return made;
}

}  // namespace aop::app
