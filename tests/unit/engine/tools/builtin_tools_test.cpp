#include "engine/tools/builtin_tools.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../engine_fakes.hpp"
#include "../engine_test_support.hpp"
#include "core/ids.hpp"
#include "crews/crew_validator.hpp"
#include "engine/agent_executor.hpp"

namespace aop::test {
namespace {

using engine::tools::BuiltinToolOptions;
using engine::tools::BuiltinTools;

TEST(BuiltinTools, OfferExactlyTheNamesCrewsMayUse) {
  BuiltinTools tools;
  auto names = BuiltinTools::names();
  std::set<std::string, std::less<>> as_set(names.begin(), names.end());
  EXPECT_EQ(as_set, crews::builtin_tool_names());
  for (const auto& name : names) {
    auto tool = tools.tool(name);
    ASSERT_NE(tool, nullptr) << name;
    EXPECT_EQ(tool->name(), name);
    EXPECT_EQ(tools.tool(name), tool) << "one shared instance per name";
    EXPECT_GT(tool->description().size(), 40u) << name;
    const auto& schema = tool->parameters();
    EXPECT_EQ(schema.at("type"), "object") << name;
    ASSERT_TRUE(schema.at("properties").is_object()) << name;
    for (const auto& required : schema.at("required").as_array())
      EXPECT_TRUE(schema.at("properties").as_object().contains(required.as_string())) << name;
  }
  EXPECT_EQ(tools.tool("shell"), nullptr);
  EXPECT_EQ(tools.tool("Calculator"), nullptr);
}

TEST(BuiltinTools, OptionsReachTheTools) {
  BuiltinTools no_key;
  auto r = run_to_completion(no_key.tool("web_search")->invoke({{"query", "x"}}, {}));
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(r.output.starts_with("web_search needs a search API key")) << r.output;

  BuiltinTools strict;  // private networks are refused by default
  engine::tools::ToolContext context;
  context.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  auto refused = run_to_completion(strict.tool("http_request")->invoke({{"url", "http://10.1.2.3/"}}, context));
  EXPECT_TRUE(refused.is_error);
  EXPECT_TRUE(refused.output.starts_with("refused: 10.1.2.3 is a private address")) << refused.output;
  auto page = run_to_completion(strict.tool("web_fetch")->invoke({{"url", "http://192.168.0.1/"}}, context));
  EXPECT_TRUE(page.output.starts_with("refused: 192.168.0.1 is a private address")) << page.output;
}

TEST(BuiltinTools, AnAgentUsesThemThroughTheExecutor) {
  auto workspace = std::filesystem::temp_directory_path() / ("aop-builtin-" + core::new_id());
  std::filesystem::create_directories(workspace);
  RecordingSink sink;
  MapProviders providers;
  BuiltinTools tools;
  RunSettings settings;
  settings.workspace_dir = workspace.string();
  RunContext run("exec-tools", sink, providers, tools, PriceTable::shipped(), std::make_shared<CancelToken>(),
                 settings);
  auto provider = std::make_shared<ScriptedProvider>(true);
  providers.providers["openai"] = provider;
  provider->call("calculator", R"({"expression": "12 * 7 + 0.5"})", "c1");
  provider->call("file_write", R"({"path": "out/result.txt", "content": "84.5"})", "c2");
  provider->say("The result is 84.5 and it is saved.");

  AgentAssignment a;
  a.agent_name = "analyst";
  a.persona = {"Analyst", "Compute", "Exact."};
  a.brief = {"Compute 12*7+0.5 and save it", "The number", "", std::nullopt};
  a.task_name = "compute";
  a.model = "openai/gpt-4o-mini";
  a.tools = {tools.tool("calculator"), tools.tool("file_write")};
  auto out = run_to_completion(run_agent(run, a));

  EXPECT_EQ(out.output, "The result is 84.5 and it is saved.");
  auto calls = sink.of(EventType::tool_call);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].data.at("tool_name"), "calculator");
  EXPECT_EQ(calls[0].data.at("outputs"), "84.5");
  EXPECT_EQ(calls[0].data.at("error"), false);
  EXPECT_EQ(calls[1].data.at("outputs"), "wrote 4 bytes to \"out/result.txt\"");
  std::ifstream saved(workspace / "out/result.txt");
  std::string content;
  std::getline(saved, content);
  EXPECT_EQ(content, "84.5");
  std::filesystem::remove_all(workspace);
}

}  // namespace
}  // namespace aop::test
