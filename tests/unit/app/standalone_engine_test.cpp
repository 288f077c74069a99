#include "app/standalone_engine.hpp"

#include <gtest/gtest.h>

#include <map>

namespace aop::test {
namespace {

app::EnvLookup fake_env(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(std::string(name));
    return it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

TEST(StandaloneEngine, ToolOptionsComeFromTheEnvironment) {
  auto defaults = app::tool_options_from_environment(fake_env({}));
  EXPECT_FALSE(defaults.allow_private_networks);
  EXPECT_TRUE(defaults.search_api_key.empty());
  EXPECT_TRUE(defaults.search_url.empty());
  EXPECT_TRUE(defaults.allowed_hosts.empty());

  auto set = app::tool_options_from_environment(fake_env({{"AOP_SEARCH_API_KEY", " key-1 "},
                                                          {"BRAVE_API_KEY", "key-2"},
                                                          {"AOP_SEARCH_URL", "https://search.internal/api"},
                                                          {"AOP_TOOLS_ALLOW_PRIVATE_NETWORKS", "TRUE"},
                                                          {"AOP_TOOLS_ALLOWED_HOSTS", "wiki.internal, 10.0.0.5,,"},
                                                          {"AOP_TOOLS_CA_FILE", "/etc/aop/ca.pem"}}));
  EXPECT_EQ(set.search_api_key, "key-1");  // AOP_SEARCH_API_KEY wins over BRAVE_API_KEY
  EXPECT_EQ(set.search_url, "https://search.internal/api");
  EXPECT_TRUE(set.allow_private_networks);
  EXPECT_EQ(set.allowed_hosts, (std::vector<std::string>{"wiki.internal", "10.0.0.5"}));
  EXPECT_EQ(set.extra_ca_file, "/etc/aop/ca.pem");

  EXPECT_EQ(app::tool_options_from_environment(fake_env({{"BRAVE_API_KEY", "key-2"}})).search_api_key, "key-2");
  EXPECT_FALSE(
      app::tool_options_from_environment(fake_env({{"AOP_TOOLS_ALLOW_PRIVATE_NETWORKS", "0"}})).allow_private_networks);
  EXPECT_THROW(app::tool_options_from_environment(fake_env({{"AOP_TOOLS_ALLOW_PRIVATE_NETWORKS", "maybe"}})),
               std::invalid_argument);
}

TEST(StandaloneEngine, ProvidesTheBuiltinTools) {
  app::StandaloneEngine engine(core::Config{}, fake_env({{"AOP_SEARCH_API_KEY", "k"}}));
  for (const char* name : {"http_request", "web_fetch", "file_read", "file_write", "calculator", "web_search"})
    EXPECT_NE(engine.tools().tool(name), nullptr) << name;
  EXPECT_EQ(engine.tools().tool("nope"), nullptr);
}

TEST(StandaloneEngine, LlmEndpointsComeFromTheEnvironmentItWasGiven) {
  // openai_compatible has no default base URL: only the given environment can supply it.
  app::StandaloneEngine without(core::Config{}, fake_env({}));
  EXPECT_THROW(without.providers().provider("openai_compatible"), engine::EngineError);
  app::StandaloneEngine with(core::Config{}, fake_env({{"OPENAI_BASE_URL", "http://127.0.0.1:9/v1"}}));
  EXPECT_NE(with.providers().provider("openai_compatible"), nullptr);
}

}  // namespace
}  // namespace aop::test
