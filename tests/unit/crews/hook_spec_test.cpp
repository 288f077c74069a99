// The `hooks:` list: reading every action, the problems reported with their paths and
// positions, and round trips through the writers.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "crews/crew_check.hpp"
#include "crews/crew_writer.hpp"
#include "crews/hook_spec.hpp"
#include "crew_test_support.hpp"

using namespace aop::crews;
using aop::crews::test::has;

namespace {

const std::string k_head = R"(name: hooked
agents:
  a: {role: R, goal: G, backstory: B, tools: [calculator]}
tasks:
  t: {description: D, expected_output: O, agent: a}
)";

CrewCheck check(const std::string& hooks_yaml) { return check_crew(k_head + hooks_yaml); }

}  // namespace

TEST(HookSpec, ReadsEveryActionAndItsSettings) {
  auto c = check(R"(hooks:
  - on: before_tool_call
    match: {tool: calculator, agent: a}
    log: "calling {tool_name}"
  - name: audit
    on: after_task
    webhook:
      url: https://hooks.example.com/aop
      timeout_ms: 2000
      headers: {X-Token: abc}
  - on: before_llm_call
    match: {model: openai/gpt-4o}
    command: {argv: [/usr/bin/jq, .]}
)");
  ASSERT_TRUE(c.ok()) << test::dump(c.errors);
  EXPECT_TRUE(c.warnings.empty()) << test::dump(c.warnings);
  auto read = read_hooks(*c.spec->hooks);
  ASSERT_TRUE(read.errors.empty()) << test::dump(read.errors);
  ASSERT_EQ(read.hooks.size(), 3u);

  const auto& log = read.hooks[0];
  EXPECT_EQ(log.name, "hooks[0]");
  EXPECT_EQ(log.phase, HookPhase::before);
  EXPECT_EQ(log.target, HookTarget::tool_call);
  EXPECT_EQ(log.match.tool, "calculator");
  EXPECT_EQ(log.match.agent, "a");
  EXPECT_FALSE(log.match.task);
  EXPECT_EQ(std::get<LogAction>(log.action).message, "calling {tool_name}");

  const auto& web = read.hooks[1];
  EXPECT_EQ(web.name, "audit");
  EXPECT_EQ(hook_point_name(web.phase, web.target), "after_task");
  const auto& w = std::get<WebhookAction>(web.action);
  EXPECT_EQ(w.url, "https://hooks.example.com/aop");
  EXPECT_EQ(w.timeout_ms, 2000);
  ASSERT_EQ(w.headers.size(), 1u);
  EXPECT_EQ(w.headers[0], (std::pair<std::string, std::string>{"X-Token", "abc"}));

  const auto& cmd = std::get<CommandAction>(read.hooks[2].action);
  EXPECT_EQ(cmd.argv, (std::vector<std::string>{"/usr/bin/jq", "."}));
  EXPECT_EQ(cmd.timeout_ms, k_default_hook_timeout_ms);
  EXPECT_EQ(read.hooks[2].match.model, "openai/gpt-4o");
}

TEST(HookSpec, EveryHookPointParses) {
  for (auto phase : {"before_", "after_"})
    for (auto target : {"execution", "task", "agent", "llm_call", "tool_call"}) {
      std::string name = std::string(phase) + target;
      auto point = parse_hook_point(name);
      ASSERT_TRUE(point) << name;
      EXPECT_EQ(hook_point_name(point->first, point->second), name);
    }
  EXPECT_FALSE(parse_hook_point("before_tools"));
  EXPECT_FALSE(parse_hook_point("during_task"));
  EXPECT_FALSE(parse_hook_point("before_"));
}

TEST(HookSpec, ProblemsCarryTheirPathsAndPositions) {
  auto c = check(R"(hooks:
  - on: before_tol_call
    log: x
  - on: after_task
    log: hello
    webhook: {url: https://example.com}
  - on: before_task
  - on: after_task
    webhook: {url: "ftp://example.com/x", timeout_ms: 0}
  - on: after_task
    webhook: {timeout_ms: 70000, headers: {Content-Length: "1", "bad name": x, X-Ok: "a\nb"}}
  - on: before_execution
    command: {timeout_ms: 1.5}
  - on: after_agent
    command: {argv: []}
  - on: before_task
    match: {tool: calculator, colour: red}
    log: x
  - on: before_execution
    match: {task: t}
    log: x
  - oon: before_task
    log: x
  - "before_task"
)");
  ASSERT_TRUE(c.spec);
  const auto& e = c.errors;
  EXPECT_TRUE(has(e, "hooks[0].on", "unknown hook point \"before_tol_call\""));
  EXPECT_TRUE(has(e, "hooks[1].webhook", "exactly one action"));
  EXPECT_TRUE(has(e, "hooks[2]", "needs one action: log, webhook or command"));
  EXPECT_TRUE(has(e, "hooks[3].webhook.url", "http:// or https://"));
  EXPECT_TRUE(has(e, "hooks[3].webhook.timeout_ms", "between 1 and 60000"));
  EXPECT_TRUE(has(e, "hooks[4].webhook.url", "required"));
  EXPECT_TRUE(has(e, "hooks[4].webhook.timeout_ms", "between 1 and 60000"));
  EXPECT_TRUE(has(e, "hooks[4].webhook.headers.Content-Length", "set by AOP"));
  EXPECT_TRUE(has(e, "hooks[4].webhook.headers.bad name", "invalid header name"));
  EXPECT_TRUE(has(e, "hooks[4].webhook.headers.X-Ok", "one line"));
  EXPECT_TRUE(has(e, "hooks[5].command.argv", "required"));
  EXPECT_TRUE(has(e, "hooks[5].command.timeout_ms", "whole number"));
  EXPECT_TRUE(has(e, "hooks[6].command.argv", "must name the program"));
  EXPECT_TRUE(has(e, "hooks[7].match.tool", "only tool_call hooks"));
  EXPECT_TRUE(has(e, "hooks[7].match.colour", "unknown key \"colour\""));
  EXPECT_TRUE(has(e, "hooks[8].match.task", "cannot be filtered"));
  EXPECT_TRUE(has(e, "hooks[9].oon", "did you mean \"on\""));
  EXPECT_TRUE(has(e, "hooks[9].on", "required"));
  EXPECT_TRUE(has(e, "hooks[10]", "expected a hook"));

  // Positions point at the offending key in the text (line 14 holds hooks[3].webhook).
  const auto* url = test::find_path(e, "hooks[3].webhook.url");
  ASSERT_TRUE(url && url->location);
  EXPECT_EQ(url->location->line, 14);
  const auto* point = test::find_path(e, "hooks[0].on");
  ASSERT_TRUE(point && point->location);
  EXPECT_EQ(point->location->line, 7);
  EXPECT_EQ(point->location->column, 5);
}

TEST(HookSpec, HooksMustBeAList) {
  auto c = check("hooks: {before_task: [{log: x}]}\n");
  EXPECT_TRUE(has(c.errors, "hooks", "expected a list of hooks"));
}

TEST(HookSpec, FiltersThatCanNeverMatchAreWarnings) {
  auto c = check(R"(hooks:
  - on: before_task
    match: {task: nope}
    log: x
  - on: after_tool_call
    match: {tool: web_fetch, agent: ghost}
    log: x
  - on: after_tool_call
    match: {tool: Delegate work to coworker}
    log: x
)");
  EXPECT_TRUE(c.ok()) << test::dump(c.errors);
  EXPECT_TRUE(has(c.warnings, "hooks[0].match.task", "no task is named \"nope\""));
  EXPECT_TRUE(has(c.warnings, "hooks[1].match.tool", "web_fetch"));
  EXPECT_TRUE(has(c.warnings, "hooks[1].match.agent", "ghost"));
  EXPECT_FALSE(test::find_path(c.warnings, "hooks[2].match.tool"));
}

TEST(HookSpec, RoundTripsThroughYamlAndJsonAndIsLeftOutOfTheCrewAiExport) {
  auto c = check(R"(hooks:
  - name: guard
    on: before_tool_call
    match: {tool: calculator}
    command: {argv: [/bin/sh, -c, "echo '{}'"], timeout_ms: 1500}
  - on: after_execution
    webhook: {url: "http://127.0.0.1:9/x", headers: {Authorization: Bearer t}}
)");
  ASSERT_TRUE(c.ok()) << test::dump(c.errors);
  const auto& spec = *c.spec;
  auto from_yaml = check_crew(to_yaml(spec));
  ASSERT_TRUE(from_yaml.ok()) << test::dump(from_yaml.errors);
  EXPECT_EQ(*from_yaml.spec, spec);
  auto from_json = check_crew(boost::json::serialize(to_json(spec)));
  ASSERT_TRUE(from_json.ok()) << test::dump(from_json.errors);
  EXPECT_EQ(*from_json.spec, spec);
  EXPECT_EQ(read_hooks(*from_json.spec->hooks).hooks, read_hooks(*spec.hooks).hooks);

  auto crewai = to_crewai(spec);
  EXPECT_NE(std::find(crewai.not_exported.begin(), crewai.not_exported.end(), "hooks"), crewai.not_exported.end());
  EXPECT_EQ(crewai.agents_yaml.find("hooks"), std::string::npos);
  EXPECT_EQ(crewai.tasks_yaml.find("hooks"), std::string::npos);
}
