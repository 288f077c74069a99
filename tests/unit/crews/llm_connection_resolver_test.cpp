// Which base URL and key a run uses for a provider: team connection > the run's environment
// secrets > the server's environment > defaults, with CrewAI's variable names.
#include "crews/llm_connection_resolver.hpp"

#include <gtest/gtest.h>

#include <map>

using namespace aop::crews;

namespace {

struct FakeProcessEnv {
  std::map<std::string, std::string> vars;
  ProcessEnv fn() const {
    return [this](const char* name) -> const char* {
      auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};

LlmConnectionCandidate connection(std::string name, std::string provider, std::optional<std::string> base_url = {},
                                  std::optional<std::string> api_key = {}, bool enabled = true) {
  LlmConnectionCandidate c;
  c.name = std::move(name);
  c.provider = std::move(provider);
  c.base_url = std::move(base_url);
  c.api_key = std::move(api_key);
  c.is_enabled = enabled;
  return c;
}

const LlmEndpoint& endpoint_of(const LlmResolution& r) {
  if (!r.endpoint) throw std::runtime_error("no endpoint: " + r.error);
  return *r.endpoint;
}

}  // namespace

TEST(LlmConnectionResolver, ProcessEnvironmentAloneWorksLikeCrewAI) {
  FakeProcessEnv process{{{"OPENAI_API_KEY", "sk-process"}, {"ANTHROPIC_API_KEY", "ant-process"}}};
  auto openai = endpoint_of(resolve_llm_connection("openai", {}, {}, process.fn()));
  EXPECT_EQ(openai.provider, "openai");
  EXPECT_EQ(openai.base_url, "https://api.openai.com/v1");
  EXPECT_EQ(openai.api_key, "sk-process");
  EXPECT_EQ(openai.api_key_source, "environment");
  EXPECT_EQ(openai.base_url_source, "default");
  EXPECT_TRUE(openai.connection.empty());

  auto anthropic = endpoint_of(resolve_llm_connection("anthropic", {}, {}, process.fn()));
  EXPECT_EQ(anthropic.base_url, "https://api.anthropic.com");
  EXPECT_EQ(anthropic.api_key, "ant-process");

  process.vars["OPENAI_BASE_URL"] = "https://proxy.internal/v1/";
  auto proxied = endpoint_of(resolve_llm_connection("openai", {}, {}, process.fn()));
  EXPECT_EQ(proxied.base_url, "https://proxy.internal/v1") << "trailing '/' removed";
  EXPECT_EQ(proxied.base_url_source, "environment");
  EXPECT_EQ(proxied.api_key, "sk-process") << "server key with server base URL";
}

TEST(LlmConnectionResolver, RunSecretsBeatTheProcessEnvironment) {
  FakeProcessEnv process{{{"OPENAI_API_KEY", "sk-process"}, {"OPENAI_BASE_URL", "https://process.example/v1"}}};
  std::map<std::string, std::string> run_env{{"OPENAI_API_KEY", "sk-crew"}};
  auto e = endpoint_of(resolve_llm_connection("openai", {}, run_env, process.fn()));
  EXPECT_EQ(e.api_key, "sk-crew");
  EXPECT_EQ(e.api_key_source, "secret");
  EXPECT_EQ(e.base_url, "https://process.example/v1");
  run_env["OPENAI_BASE_URL"] = "https://team.example/v1";
  e = endpoint_of(resolve_llm_connection("openai", {}, run_env, process.fn()));
  EXPECT_EQ(e.base_url, "https://team.example/v1");
  EXPECT_EQ(e.base_url_source, "secret");
  // An empty value counts as unset.
  run_env["OPENAI_API_KEY"] = "";
  process.vars.erase("OPENAI_BASE_URL");
  run_env.erase("OPENAI_BASE_URL");
  e = endpoint_of(resolve_llm_connection("openai", {}, run_env, process.fn()));
  EXPECT_EQ(e.api_key, "sk-process");
}

TEST(LlmConnectionResolver, AnEnabledConnectionBeatsEverythingElse) {
  FakeProcessEnv process{{{"OPENAI_API_KEY", "sk-process"}, {"OPENAI_BASE_URL", "https://process.example/v1"}}};
  std::map<std::string, std::string> run_env{{"OPENAI_API_KEY", "sk-crew"},
                                             {"OPENAI_BASE_URL", "https://crew.example"}};
  std::vector<LlmConnectionCandidate> connections = {
      connection("disabled", "openai", "https://disabled.example/v1", "sk-disabled", false),
      connection("main", "openai", "https://azure.example/openai", "sk-connection")};
  connections[1].default_model = "gpt-4o-mini";
  auto e = endpoint_of(resolve_llm_connection("openai", connections, run_env, process.fn()));
  EXPECT_EQ(e.connection, "main");
  EXPECT_EQ(e.api_key, "sk-connection");
  EXPECT_EQ(e.api_key_source, "connection");
  EXPECT_EQ(e.base_url, "https://azure.example/openai");
  EXPECT_EQ(e.base_url_source, "connection");
  EXPECT_EQ(e.default_model, "gpt-4o-mini");

  // Fields the connection leaves out fall back field by field.
  connections[1].api_key.reset();
  connections[1].base_url.reset();
  e = endpoint_of(resolve_llm_connection("openai", connections, run_env, process.fn()));
  EXPECT_EQ(e.connection, "main");
  EXPECT_EQ(e.api_key, "sk-crew");
  EXPECT_EQ(e.base_url, "https://crew.example");

  // Only disabled connections: as if there were none.
  connections.pop_back();
  e = endpoint_of(resolve_llm_connection("openai", connections, run_env, process.fn()));
  EXPECT_TRUE(e.connection.empty());
  EXPECT_EQ(e.api_key, "sk-crew");
}

TEST(LlmConnectionResolver, AConnectionNameSelectsItWhateverItsProvider) {
  std::vector<LlmConnectionCandidate> connections = {
      connection("groq", "openai_compatible", "https://api.groq.com/openai/v1", "gsk-connection"),
      connection("openai", "openai_compatible", "https://gateway.example/v1", "gw-key")};
  auto groq = endpoint_of(resolve_llm_connection("groq", connections, {}, FakeProcessEnv{}.fn()));
  EXPECT_EQ(groq.provider, "openai_compatible");
  EXPECT_EQ(groq.base_url, "https://api.groq.com/openai/v1");
  EXPECT_EQ(groq.api_key, "gsk-connection");
  // A connection named "openai" routes openai/... models through it.
  auto named = endpoint_of(resolve_llm_connection("openai", connections, {}, FakeProcessEnv{}.fn()));
  EXPECT_EQ(named.connection, "openai");
  EXPECT_EQ(named.base_url, "https://gateway.example/v1");
}

TEST(LlmConnectionResolver, OpenAICompatibleConnectionsNeverBorrowOpenAIKeys) {
  FakeProcessEnv process{{{"OPENAI_API_KEY", "sk-process"}}};
  std::map<std::string, std::string> run_env{{"OPENAI_API_KEY", "sk-crew"}};
  std::vector<LlmConnectionCandidate> connections = {
      connection("local-vllm", "openai_compatible", "http://gpu:8000/v1")};
  auto e = endpoint_of(resolve_llm_connection("local-vllm", connections, run_env, process.fn()));
  EXPECT_EQ(e.api_key, "") << "a local server without a key; no OpenAI key is sent to it";
  EXPECT_EQ(e.api_key_source, "none");
}

TEST(LlmConnectionResolver, TheServersKeyIsNeverSentToATeamChosenBaseUrl) {
  FakeProcessEnv process{{{"OPENAI_API_KEY", "sk-process"}, {"ANTHROPIC_API_KEY", "ant-process"}}};
  std::map<std::string, std::string> run_env{{"OPENAI_BASE_URL", "https://collector.example/v1"}};
  auto r = resolve_llm_connection("openai", {}, run_env, process.fn());
  EXPECT_FALSE(r.endpoint);
  EXPECT_NE(r.error.find("OPENAI_API_KEY"), std::string::npos) << r.error;
  EXPECT_EQ(r.error.find("sk-process"), std::string::npos) << r.error;

  std::vector<LlmConnectionCandidate> connections = {connection("team", "anthropic", "https://collector.example")};
  r = resolve_llm_connection("anthropic", connections, {}, process.fn());
  EXPECT_FALSE(r.endpoint) << "a team connection's base URL does not get the server's key either";

  // With the team's own key it works.
  run_env["OPENAI_API_KEY"] = "sk-team";
  auto e = endpoint_of(resolve_llm_connection("openai", {}, run_env, process.fn()));
  EXPECT_EQ(e.api_key, "sk-team");
  EXPECT_EQ(e.base_url, "https://collector.example/v1");
}

TEST(LlmConnectionResolver, MissingKeysAndUnknownProvidersAreExplained) {
  auto r = resolve_llm_connection("openai", {}, {}, FakeProcessEnv{}.fn());
  ASSERT_FALSE(r.endpoint);
  EXPECT_NE(r.error.find("OPENAI_API_KEY"), std::string::npos) << r.error;
  r = resolve_llm_connection("anthropic", {}, {}, FakeProcessEnv{}.fn());
  ASSERT_FALSE(r.endpoint);
  EXPECT_NE(r.error.find("ANTHROPIC_API_KEY"), std::string::npos) << r.error;
  r = resolve_llm_connection("mistral", {}, {}, FakeProcessEnv{}.fn());
  ASSERT_FALSE(r.endpoint);
  EXPECT_NE(r.error.find("unknown LLM provider \"mistral\""), std::string::npos) << r.error;
  std::vector<LlmConnectionCandidate> disabled = {
      connection("mistral", "openai_compatible", "https://m.example", "k", false)};
  EXPECT_FALSE(resolve_llm_connection("mistral", disabled, {}, FakeProcessEnv{}.fn()).endpoint);
}

TEST(LlmConnectionResolver, OllamaNeedsNoKeyAndAcceptsOllamaHostForms) {
  auto e = endpoint_of(resolve_llm_connection("ollama", {}, {}, FakeProcessEnv{}.fn()));
  EXPECT_EQ(e.base_url, "http://localhost:11434/v1");
  EXPECT_EQ(e.api_key, "");
  EXPECT_EQ(e.api_key_source, "none");
  const std::vector<std::pair<std::string, std::string>> forms = {
      {"gpu-box", "http://gpu-box:11434/v1"},
      {"0.0.0.0:11435", "http://0.0.0.0:11435/v1"},
      {"http://gpu-box:11434", "http://gpu-box:11434/v1"},
      {"https://ollama.example/", "https://ollama.example/v1"},
      {"https://ollama.example/custom/v1", "https://ollama.example/custom/v1"},
      {"[::1]", "http://[::1]:11434/v1"},
      {"[::1]:9000", "http://[::1]:9000/v1"},
  };
  for (const auto& [host, expected] : forms) {
    FakeProcessEnv process{{{"OLLAMA_HOST", host}}};
    EXPECT_EQ(endpoint_of(resolve_llm_connection("ollama", {}, {}, process.fn())).base_url, expected) << host;
  }
  // From the crew's environment, and from a connection.
  auto crew =
      endpoint_of(resolve_llm_connection("ollama", {}, {{"OLLAMA_HOST", "crew-gpu:11434"}}, FakeProcessEnv{}.fn()));
  EXPECT_EQ(crew.base_url, "http://crew-gpu:11434/v1");
  EXPECT_EQ(crew.base_url_source, "secret");
  std::vector<LlmConnectionCandidate> connections = {connection("local", "ollama", "http://team-gpu:11434")};
  EXPECT_EQ(endpoint_of(resolve_llm_connection("ollama", connections, {}, FakeProcessEnv{}.fn())).base_url,
            "http://team-gpu:11434/v1");
}
