#pragma once
// From a model string to a Provider: "provider/model" split, each provider's default
// endpoint with its environment fallbacks, and the wire each provider speaks. Team LLM
// connections and stored secrets are merged on top of default_endpoint() by the resolver
// (elsewhere); everything here is a pure function of its arguments.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/llm/http_stream_client.hpp"
#include "engine/llm/provider.hpp"

namespace aop::engine::llm {

struct ModelRef {
  std::string provider;  // "openrouter"
  std::string model;     // "meta-llama/llama-3-70b": everything after the first '/'
  bool operator==(const ModelRef&) const = default;
};

// Splits at the first '/'. Nullopt when there is none or either side is empty.
std::optional<ModelRef> split_model(std::string_view model_string);

enum class Wire { openai, anthropic, simulated };

// The wire `provider` speaks, or nullopt when AOP cannot call it.
std::optional<Wire> wire_of(std::string_view provider);

// An environment lookup, injected so the logic stays testable; process_environment() is
// the real one (std::getenv), for the composition root.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
EnvLookup process_environment();

// Where `provider` is reached when nothing else is configured: the base URL (a variable
// such as OPENAI_BASE_URL or OLLAMA_HOST wins over the public default) and the API key from
// the provider's variable (OPENAI_API_KEY, ANTHROPIC_API_KEY, GROQ_API_KEY, ...).
// Throws std::invalid_argument for an unknown provider, for azure (not supported yet) and
// for openai_compatible without OPENAI_BASE_URL.
Endpoint default_endpoint(std::string_view provider, const EnvLookup& env);

struct ProviderFactory {
  std::shared_ptr<HttpStreamClient> http;  // shared by the providers made; one is created when null
  // The simulated provider lives elsewhere; make_provider calls this for "simulated".
  std::function<std::unique_ptr<Provider>(const Endpoint&)> make_simulated;
};

// The Provider for a resolved endpoint. Throws std::invalid_argument when the provider is
// unknown, or "simulated" without a make_simulated hook.
std::unique_ptr<Provider> make_provider(const Endpoint& endpoint, const ProviderFactory& factory = {});

}  // namespace aop::engine::llm
