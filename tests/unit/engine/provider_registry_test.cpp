#include <gtest/gtest.h>

#include <map>
#include <stdexcept>

#include "engine/llm/provider_registry.hpp"

using namespace aop::engine::llm;

namespace {

EnvLookup env_of(std::map<std::string, std::string, std::less<>> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(SplitModel, SplitsAtTheFirstSlashOnly) {
  EXPECT_EQ(split_model("openai/gpt-4o-mini"), (ModelRef{"openai", "gpt-4o-mini"}));
  EXPECT_EQ(split_model("openrouter/meta-llama/llama-3-70b"), (ModelRef{"openrouter", "meta-llama/llama-3-70b"}));
  EXPECT_EQ(split_model("ollama/llama3.1:8b"), (ModelRef{"ollama", "llama3.1:8b"}));
  EXPECT_EQ(split_model("gpt-4o"), std::nullopt);
  EXPECT_EQ(split_model("/gpt-4o"), std::nullopt);
  EXPECT_EQ(split_model("openai/"), std::nullopt);
  EXPECT_EQ(split_model(""), std::nullopt);
}

TEST(DefaultEndpoint, PublicDefaultsPerProvider) {
  auto none = env_of({});
  const std::pair<const char*, const char*> expected[] = {
      {"openai", "https://api.openai.com/v1"},
      {"anthropic", "https://api.anthropic.com"},
      {"ollama", "http://localhost:11434/v1"},
      {"groq", "https://api.groq.com/openai/v1"},
      {"deepseek", "https://api.deepseek.com/v1"},
      {"openrouter", "https://openrouter.ai/api/v1"},
      {"gemini", "https://generativelanguage.googleapis.com/v1beta/openai"},
      {"mistral", "https://api.mistral.ai/v1"},
      {"lmstudio", "http://localhost:1234/v1"},
      {"vllm", "http://localhost:8000/v1"},
  };
  for (auto [provider, url] : expected) {
    auto endpoint = default_endpoint(provider, none);
    EXPECT_EQ(endpoint.provider, provider);
    EXPECT_EQ(endpoint.base_url, url) << provider;
    EXPECT_EQ(endpoint.api_key, "") << provider;
  }
}

TEST(DefaultEndpoint, EnvironmentFallbacks) {
  auto env = env_of({{"OPENAI_API_KEY", "sk-openai"},
                     {"OPENAI_BASE_URL", "http://gateway.internal:4000/v1"},
                     {"ANTHROPIC_API_KEY", "sk-ant"},
                     {"GROQ_API_KEY", "gsk"},
                     {"OLLAMA_HOST", "gpu-box:11500"}});
  auto openai = default_endpoint("openai", env);
  EXPECT_EQ(openai.base_url, "http://gateway.internal:4000/v1");
  EXPECT_EQ(openai.api_key, "sk-openai");
  auto compatible = default_endpoint("openai_compatible", env);
  EXPECT_EQ(compatible.base_url, "http://gateway.internal:4000/v1");
  EXPECT_EQ(compatible.api_key, "sk-openai");
  auto anthropic = default_endpoint("anthropic", env);
  EXPECT_EQ(anthropic.base_url, "https://api.anthropic.com");
  EXPECT_EQ(anthropic.api_key, "sk-ant");
  EXPECT_EQ(default_endpoint("groq", env).api_key, "gsk");
  EXPECT_EQ(default_endpoint("groq", env).base_url, "https://api.groq.com/openai/v1") << "OPENAI_BASE_URL is OpenAI's only";
  auto ollama = default_endpoint("ollama", env);
  EXPECT_EQ(ollama.base_url, "http://gpu-box:11500/v1");
  EXPECT_EQ(ollama.api_key, "");
}

TEST(DefaultEndpoint, OllamaHostForms) {
  auto base = [](const char* host) { return default_endpoint("ollama", env_of({{"OLLAMA_HOST", host}})).base_url; };
  EXPECT_EQ(base("127.0.0.1"), "http://127.0.0.1:11434/v1");
  EXPECT_EQ(base("0.0.0.0:11434"), "http://0.0.0.0:11434/v1");
  EXPECT_EQ(base("[::1]"), "http://[::1]:11434/v1");
  EXPECT_EQ(base("http://ollama:11434/"), "http://ollama:11434/v1");
  EXPECT_EQ(base("https://ollama.example.com"), "https://ollama.example.com/v1") << "a URL keeps its scheme's port";
  EXPECT_EQ(base("http://[::1]:9000/v1"), "http://[::1]:9000/v1");
}

TEST(DefaultEndpoint, UnusableProvidersAreRefusedClearly) {
  auto none = env_of({});
  EXPECT_THROW(default_endpoint("nosuch", none), std::invalid_argument);
  EXPECT_THROW(default_endpoint("azure", none), std::invalid_argument);
  try {
    default_endpoint("openai_compatible", none);
    FAIL() << "openai_compatible without a base URL";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("OPENAI_BASE_URL"), std::string::npos) << e.what();
  }
}

TEST(MakeProvider, WireByProviderAndTheSimulatedHook) {
  EXPECT_EQ(wire_of("anthropic"), Wire::anthropic);
  EXPECT_EQ(wire_of("deepseek"), Wire::openai);
  EXPECT_EQ(wire_of("simulated"), Wire::simulated);
  EXPECT_EQ(wire_of("azure"), std::nullopt);

  auto none = env_of({});
  auto groq = make_provider(default_endpoint("groq", none));
  EXPECT_EQ(groq->name(), "groq");
  EXPECT_TRUE(groq->supports_native_tools("llama-3.3-70b-versatile"));
  EXPECT_EQ(make_provider(default_endpoint("anthropic", none))->name(), "anthropic");
  auto openai = make_provider(default_endpoint("openai", none));
  EXPECT_EQ(openai->name(), "openai");
  EXPECT_FALSE(openai->supports_native_tools("o1-mini"));

  EXPECT_THROW(make_provider(Endpoint{"simulated", "", ""}), std::invalid_argument);
  int made = 0;
  ProviderFactory factory;
  factory.make_simulated = [&](const Endpoint&) -> std::unique_ptr<Provider> {
    ++made;
    return make_provider(Endpoint{"ollama", "http://localhost:1/v1", ""});  // any stand-in
  };
  EXPECT_NE(make_provider(Endpoint{"simulated", "", ""}, factory), nullptr);
  EXPECT_EQ(made, 1);
  EXPECT_THROW(make_provider(Endpoint{"nosuch", "http://x", ""}), std::invalid_argument);
}

}  // namespace
