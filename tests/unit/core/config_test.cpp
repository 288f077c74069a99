#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/config.hpp"

using namespace aop::core;

namespace {
struct FakeEnv {
  std::map<std::string, std::string> vars;
  std::function<const char*(const char*)> fn() {
    return [this](const char* name) -> const char* {
      auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};

std::string write_yaml(const std::string& text) {
  auto path = std::filesystem::temp_directory_path() /
              ("aop-config-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()) + ".yaml");
  std::ofstream(path) << text;
  return path.string();
}
}  // namespace

TEST(Config, DefaultsMatchTheDocumentedValues) {
  FakeEnv env;
  auto c = load_config({std::nullopt, {}, env.fn()});
  EXPECT_EQ(c.port, 8080);
  EXPECT_EQ(c.host, "127.0.0.1");
  EXPECT_EQ(c.data_dir, "./data");
  EXPECT_EQ(c.effective_database_url(), "sqlite://./data/aop.db");
  EXPECT_EQ(c.max_body_bytes, 1024u * 1024u);
  EXPECT_EQ(c.max_header_bytes, 8u * 1024u);
}

TEST(Config, FlagsBeatEnvironmentBeatYamlBeatDefaults) {
  auto yaml = write_yaml("port: 7000\nhost: 0.0.0.0\nlog_level: debug\ndata_dir: /tmp/from-yaml\n");
  FakeEnv env;
  env.vars = {{"AOP_PORT", "7001"}, {"AOP_HOST", "::1"}};
  auto c = load_config({yaml, {{"port", "7002"}}, env.fn()});
  EXPECT_EQ(c.port, 7002) << "flag wins";
  EXPECT_EQ(c.host, "::1") << "environment beats yaml";
  EXPECT_EQ(c.log_level, "debug") << "yaml beats default";
  EXPECT_EQ(c.effective_database_url(), "sqlite:///tmp/from-yaml/aop.db") << "database follows data_dir";
  std::filesystem::remove(yaml);
}

TEST(Config, PostgresUrlSelectsPostgres) {
  FakeEnv env;
  env.vars = {{"AOP_DATABASE_URL", "postgres://u:p@db:5432/aop"}};
  auto c = load_config({std::nullopt, {}, env.fn()});
  EXPECT_EQ(c.effective_database_url(), "postgres://u:p@db:5432/aop");
}

TEST(Config, InvalidValuesNameTheSettingAndSource) {
  FakeEnv env;
  env.vars = {{"AOP_PORT", "eighty"}};
  try {
    load_config({std::nullopt, {}, env.fn()});
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "invalid configuration: AOP_PORT: must be an integer, got \"eighty\"");
  }
  env.vars = {{"AOP_LOG_FORMAT", "xml"}};
  EXPECT_THROW(load_config({std::nullopt, {}, env.fn()}), ConfigError);
  env.vars = {{"AOP_DATABASE_URL", "mysql://x"}};
  EXPECT_THROW(load_config({std::nullopt, {}, env.fn()}), ConfigError);
  // Rate limits stay within what the limiter accepts (above it every request was a 500).
  env.vars = {{"AOP_API_KEY_RATE_LIMIT", "2000000"}};
  EXPECT_THROW(load_config({std::nullopt, {}, env.fn()}), ConfigError);
  env.vars = {{"AOP_USER_RATE_LIMIT", "1000001"}};
  EXPECT_THROW(load_config({std::nullopt, {}, env.fn()}), ConfigError);
  env.vars.clear();
  try {
    load_config({std::nullopt, {{"port", "70000"}}, env.fn()});
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("--port"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("65535"), std::string::npos) << e.what();
  }
}

TEST(Config, YamlErrorsAreReported) {
  FakeEnv env;
  auto unknown = write_yaml("prot: 80\n");
  try {
    load_config({unknown, {}, env.fn()});
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown setting \"prot\""), std::string::npos) << e.what();
  }
  auto broken = write_yaml("port: [1, \n");
  EXPECT_THROW(load_config({broken, {}, env.fn()}), ConfigError);
  EXPECT_THROW(load_config({std::string("/nonexistent/aop.yaml"), {}, env.fn()}), ConfigError);
  std::filesystem::remove(unknown);
  std::filesystem::remove(broken);
}

TEST(Config, ListsAcceptCommaStringsAndYamlSequences) {
  FakeEnv env;
  auto yaml = write_yaml("cors_origins: [http://a.test, http://b.test]\n");
  auto c = load_config({yaml, {}, env.fn()});
  EXPECT_EQ(c.cors_origins, (std::vector<std::string>{"http://a.test", "http://b.test"}));
  env.vars = {{"AOP_CORS_ORIGINS", " http://c.test , http://d.test"}};
  c = load_config({yaml, {}, env.fn()});
  EXPECT_EQ(c.cors_origins, (std::vector<std::string>{"http://c.test", "http://d.test"}));
  std::filesystem::remove(yaml);
}
