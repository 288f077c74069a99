#include "engine/llm/provider_registry.hpp"

#include <cstdlib>
#include <stdexcept>

#include "engine/llm/anthropic_provider.hpp"
#include "engine/llm/openai_provider.hpp"

namespace aop::engine::llm {

namespace {

struct ProviderInfo {
  std::string_view name;
  Wire wire;
  std::string_view base_url;      // "" = none; the endpoint must name one
  std::string_view base_url_env;  // "" = none
  std::string_view api_key_env;   // "" = the server takes no key
};

constexpr ProviderInfo k_providers[] = {
    {"openai", Wire::openai, "https://api.openai.com/v1", "OPENAI_BASE_URL", "OPENAI_API_KEY"},
    {"openai_compatible", Wire::openai, "", "OPENAI_BASE_URL", "OPENAI_API_KEY"},
    {"anthropic", Wire::anthropic, "https://api.anthropic.com", "ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY"},
    {"ollama", Wire::openai, "http://localhost:11434/v1", "", ""},  // OLLAMA_HOST: see ollama_base_url
    {"groq", Wire::openai, "https://api.groq.com/openai/v1", "", "GROQ_API_KEY"},
    {"deepseek", Wire::openai, "https://api.deepseek.com/v1", "", "DEEPSEEK_API_KEY"},
    {"openrouter", Wire::openai, "https://openrouter.ai/api/v1", "", "OPENROUTER_API_KEY"},
    {"gemini", Wire::openai, "https://generativelanguage.googleapis.com/v1beta/openai", "", "GEMINI_API_KEY"},
    {"mistral", Wire::openai, "https://api.mistral.ai/v1", "", "MISTRAL_API_KEY"},
    {"lmstudio", Wire::openai, "http://localhost:1234/v1", "", ""},
    {"vllm", Wire::openai, "http://localhost:8000/v1", "", ""},
    {"simulated", Wire::simulated, "", "", ""},
};

const ProviderInfo* find_provider(std::string_view name) {
  for (const auto& p : k_providers)
    if (p.name == name) return &p;
  return nullptr;
}

// OLLAMA_HOST is what the Ollama CLI reads: "host", "host:port" or a URL, without /v1. As
// in Ollama, a bare host gets port 11434; a URL keeps its scheme's default port.
std::string ollama_base_url(std::string value) {
  while (value.ends_with('/')) value.pop_back();
  if (value.find("://") == std::string::npos) {
    auto bracket = value.rfind(']');
    auto colon = value.rfind(':');
    if (colon == std::string::npos || (bracket != std::string::npos && colon < bracket)) value += ":11434";
    value = "http://" + value;
  }
  if (!value.ends_with("/v1")) value += "/v1";
  return value;
}

std::string env_or_empty(const EnvLookup& env, std::string_view name) {
  if (name.empty() || !env) return {};
  auto v = env(name);
  return v ? *v : std::string();
}

}  // namespace

std::optional<ModelRef> split_model(std::string_view model_string) {
  auto slash = model_string.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == model_string.size()) return std::nullopt;
  return ModelRef{std::string(model_string.substr(0, slash)), std::string(model_string.substr(slash + 1))};
}

std::optional<Wire> wire_of(std::string_view provider) {
  auto info = find_provider(provider);
  return info ? std::optional<Wire>(info->wire) : std::nullopt;
}

EnvLookup process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (!v || !*v) return std::nullopt;
    return std::string(v);
  };
}

Endpoint default_endpoint(std::string_view provider, const EnvLookup& env) {
  if (provider == "azure")
    throw std::invalid_argument("provider \"azure\" is not supported yet; use its OpenAI-compatible endpoint as openai_compatible");
  auto info = find_provider(provider);
  if (!info) throw std::invalid_argument("unknown LLM provider \"" + std::string(provider) + "\"");
  Endpoint endpoint{std::string(provider), std::string(info->base_url), env_or_empty(env, info->api_key_env)};
  if (auto base = env_or_empty(env, info->base_url_env); !base.empty()) endpoint.base_url = base;
  if (provider == "ollama")
    if (auto host = env_or_empty(env, "OLLAMA_HOST"); !host.empty()) endpoint.base_url = ollama_base_url(host);
  if (endpoint.base_url.empty() && info->wire != Wire::simulated)
    throw std::invalid_argument("provider \"" + std::string(provider) + "\" needs a base URL: set " +
                                std::string(info->base_url_env) + " or configure the LLM connection");
  return endpoint;
}

std::unique_ptr<Provider> make_provider(const Endpoint& endpoint, const ProviderFactory& factory) {
  auto wire = wire_of(endpoint.provider);
  if (!wire) throw std::invalid_argument("unknown LLM provider \"" + endpoint.provider + "\"");
  auto http = factory.http ? factory.http : std::make_shared<HttpStreamClient>();
  switch (*wire) {
    case Wire::simulated:
      if (!factory.make_simulated) throw std::invalid_argument("the simulated provider is not available here");
      return factory.make_simulated(endpoint);
    case Wire::anthropic:
      return std::make_unique<AnthropicProvider>(AnthropicOptions{.base_url = endpoint.base_url, .api_key = endpoint.api_key},
                                                 std::move(http));
    case Wire::openai: {
      OpenAiOptions options;
      options.name = endpoint.provider;
      options.base_url = endpoint.base_url;
      options.api_key = endpoint.api_key;
      if (endpoint.provider == "openai") {
        options.wire.max_completion_tokens = true;
        // Early reasoning previews and the completion-only model take no tools.
        options.models_without_tools = {"o1-mini*", "o1-preview*", "gpt-3.5-turbo-instruct*"};
      }
      if (endpoint.provider == "mistral") options.wire.tool_message_name = true;
      return std::make_unique<OpenAiProvider>(std::move(options), std::move(http));
    }
  }
  throw std::invalid_argument("unknown LLM provider \"" + endpoint.provider + "\"");
}

}  // namespace aop::engine::llm
