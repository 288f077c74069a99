// Crew hooks in a real run: webhooks against a local HTTP server, commands as real child
// processes, log actions, and every way a hook can fail without failing the run.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "crews/crew_parser.hpp"
#include "engine/crew_runner.hpp"
#include "engine_fakes.hpp"
#include "engine_test_support.hpp"
#include "fixtures/webhook_test_server.hpp"

namespace aop::test {
namespace {

namespace json = boost::json;
using SteadyClock = std::chrono::steady_clock;

// A run over the fakes, with hook settings of its own: loopback is allowed explicitly, as a
// server allows it with AOP_TOOLS_ALLOW_PRIVATE_NETWORKS.
struct HookRun {
  explicit HookRun(bool allow_loopback = true, bool allow_commands = true)
      : context("exec-h", sink, providers, tools, PriceTable::shipped(), std::make_shared<CancelToken>(),
                settings(allow_loopback, allow_commands)) {
    providers.providers["openai"] = provider;
    tools.tools["echo"] = echo;
  }
  static RunSettings settings(bool allow_loopback, bool allow_commands) {
    RunSettings s;
    s.llm_retry.max_attempts = 1;
    s.hooks.policy.allow_private_networks = allow_loopback;
    s.hooks.allow_commands = allow_commands;
    return s;
  }
  CrewRunResult run(const std::string& hooks_yaml) {
    std::string yaml = R"(name: hooked
llm: openai/gpt-4o-mini
agents:
  a: {role: Clerk, goal: File things, backstory: Careful, tools: [echo]}
tasks:
  t: {description: Original description, expected_output: Done, agent: a}
)" + hooks_yaml;
    auto parsed = crews::parse_crew(yaml);
    if (!parsed.ok()) throw std::runtime_error("test crew does not parse: " + crews::to_string(parsed.errors.front()));
    CrewRunRequest request{*parsed.spec, {}, "crew-h"};
    return run_to_completion(run_crew(context, request));
  }
  // The agent calls echo once, then answers.
  void script_tool_call() {
    provider->call("echo", R"({"text":"original"})");
    provider->say("all done");
  }
  std::vector<std::string> logs(const std::string& level) const {
    std::vector<std::string> out;
    for (const auto& e : sink.of(EventType::log))
      if (e.data.at("level") == level.c_str()) out.emplace_back(e.data.at("message").as_string());
    return out;
  }

  RecordingSink sink;
  MapProviders providers;
  MapTools tools;
  std::shared_ptr<ScriptedProvider> provider = std::make_shared<ScriptedProvider>(true);
  std::shared_ptr<EchoTool> echo = std::make_shared<EchoTool>();
  RunContext context;
};

bool any_contains(const std::vector<std::string>& lines, const std::string& part) {
  for (const auto& l : lines)
    if (l.find(part) != std::string::npos) return true;
  return false;
}

std::string dump(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "  " + l + "\n";
  return out;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Hooks, AfterHooksReceiveTheEventJson) {
  WebhookTestServer server;
  HookRun r;
  r.script_tool_call();
  auto result = r.run(R"(hooks:
  - name: tools-audit
    on: after_tool_call
    webhook: {url: ")" + server.url("/tools") + R"(", headers: {X-Token: secret-1}}
  - on: after_task
    match: {task: t}
    webhook: {url: ")" + server.url("/tasks") + R"("}
  - on: after_task
    match: {task: other}
    webhook: {url: ")" + server.url("/never") + R"("}
)");
  ASSERT_EQ(result.status, "completed") << result.error_message;
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);

  const auto& tool = requests[0];
  EXPECT_EQ(tool.method, "POST");
  EXPECT_EQ(tool.target, "/tools");
  EXPECT_EQ(tool.header("x-token"), "secret-1");
  EXPECT_EQ(tool.header("content-type"), "application/json");
  ASSERT_TRUE(tool.json.is_object()) << tool.body;
  const auto& t = tool.json.as_object();
  EXPECT_EQ(t.at("type"), "tool_call");
  EXPECT_EQ(t.at("execution_id"), "exec-h");
  EXPECT_TRUE(t.at("seq").is_null());
  EXPECT_EQ(t.at("hook").at("name"), "tools-audit");
  EXPECT_EQ(t.at("hook").at("on"), "after_tool_call");
  EXPECT_EQ(t.at("data").at("tool_name"), "echo");
  EXPECT_EQ(t.at("data").at("inputs").at("text"), "original");
  EXPECT_EQ(t.at("data").at("outputs"), "echo: {\"text\":\"original\"}");
  // The same event the run emitted: same trace node and parent.
  auto emitted = r.sink.of(EventType::tool_call).at(0);
  EXPECT_EQ(t.at("trace_id"), emitted.trace_id.c_str());
  EXPECT_EQ(t.at("parent_trace_id"), emitted.parent_trace_id.c_str());

  const auto& task = requests[1].json.as_object();
  EXPECT_EQ(requests[1].target, "/tasks");
  EXPECT_EQ(task.at("type"), "task_completed");
  EXPECT_EQ(task.at("data").at("task_name"), "t");
  EXPECT_EQ(task.at("data").at("output"), "all done");
  EXPECT_TRUE(r.logs("warning").empty()) << dump(r.logs("warning"));
}

TEST(Hooks, BeforeToolCallReplacesTheToolInput) {
  WebhookTestServer server;
  server.enqueue({200, R"({"action": "continue", "input": {"text": "rewritten"}})"});
  HookRun r;
  r.script_tool_call();
  auto result = r.run(R"(hooks:
  - on: before_tool_call
    match: {tool: echo}
    webhook: {url: ")" + server.url() + R"("}
)");
  ASSERT_EQ(result.status, "completed") << result.error_message;
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& sent = requests[0].json.as_object();
  EXPECT_EQ(sent.at("type"), "tool_call");
  EXPECT_EQ(sent.at("hook").at("on"), "before_tool_call");
  EXPECT_EQ(sent.at("data").at("input").at("text"), "original");
  // The tool ran with the hook's arguments, and the tool_call event says so.
  ASSERT_EQ(r.echo->calls.size(), 1u);
  EXPECT_EQ(r.echo->calls[0].at("text"), "rewritten");
  EXPECT_EQ(r.sink.of(EventType::tool_call).at(0).data.at("inputs").at("text"), "rewritten");
}

TEST(Hooks, BeforeTaskAbortFailsTheRunWithHookAborted) {
  WebhookTestServer server;
  server.enqueue({200, R"({"action": "abort", "reason": "budget exhausted"})"});
  HookRun r;
  r.provider->say("never used");
  auto result = r.run(R"(hooks:
  - name: gate
    on: before_task
    webhook: {url: ")" + server.url() + R"("}
)");
  EXPECT_EQ(result.status, "failed");
  EXPECT_EQ(result.error_type, "hook_aborted");
  EXPECT_NE(result.error_message.find("budget exhausted"), std::string::npos) << result.error_message;
  EXPECT_NE(result.error_message.find("\"gate\""), std::string::npos) << result.error_message;
  EXPECT_TRUE(r.provider->requests.empty()) << "no LLM call after the abort";
  auto errors = r.sink.of(EventType::error);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].data.at("error_type"), "hook_aborted");
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& sent = requests[0].json.as_object();
  EXPECT_EQ(sent.at("type"), "task_started");
  EXPECT_EQ(sent.at("data").at("input").at("description"), "Original description");
}

TEST(Hooks, BeforeTaskAndBeforeLlmCallRewriteWhatTheModelSees) {
  WebhookTestServer server;
  server.enqueue({200, R"({"action": "continue", "input": {"description": "Rewritten description"}})"});
  auto dir = std::filesystem::temp_directory_path() / ("aop-hooks-llm-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto seen = dir / "seen.json";
  HookRun r;
  r.provider->say("fine");
  auto result = r.run(R"(hooks:
  - on: before_task
    webhook: {url: ")" + server.url("/task") + R"("}
  - on: before_llm_call
    command:
      argv: [/bin/sh, -c, 'tee )" + seen.string() + R"( >/dev/null; echo "{\"action\":\"continue\",\"input\":{\"messages\":[\"sys\",\"redacted\"]}}"']
)");
  ASSERT_EQ(result.status, "completed") << result.error_message << dump(r.logs("warning"));
  // The LLM hook saw the prompt built from the task hook's description.
  auto before_llm = json::parse(read_file(seen));
  std::filesystem::remove_all(dir);
  EXPECT_EQ(before_llm.at("type"), "llm_call");
  EXPECT_EQ(before_llm.at("data").at("model"), "openai/gpt-4o-mini");
  const auto& sent = before_llm.at("data").at("input").at("messages").as_array();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1].at("role"), "user");
  EXPECT_NE(std::string(sent[1].at("content").as_string()).find("Rewritten description"), std::string::npos);
  ASSERT_EQ(r.provider->requests.size(), 1u);
  const auto& messages = r.provider->requests[0].messages;
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].content, "sys");
  EXPECT_EQ(messages[1].content, "redacted");
  EXPECT_EQ(messages[1].role, llm::Role::user);
}

TEST(Hooks, ATimeoutIsAWarningAndTheRunCompletes) {
  WebhookTestServer server;
  server.set_default({200, R"({"action": "abort"})", std::chrono::milliseconds(3000)});
  HookRun r;
  r.provider->say("finished anyway");
  auto started = SteadyClock::now();
  auto result = r.run(R"(hooks:
  - name: slow
    on: before_task
    webhook: {url: ")" + server.url() + R"(", timeout_ms: 150}
)");
  auto elapsed = SteadyClock::now() - started;
  ASSERT_EQ(result.status, "completed") << result.error_message;
  EXPECT_EQ(result.final_output, "finished anyway");
  EXPECT_LT(elapsed, std::chrono::milliseconds(2000));
  auto warnings = r.logs("warning");
  ASSERT_EQ(warnings.size(), 1u) << dump(warnings);
  EXPECT_NE(warnings[0].find("hook \"slow\" (before_task, webhook)"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("timed out"), std::string::npos) << warnings[0];
  EXPECT_EQ(r.sink.of(EventType::log).at(0).data.at("hook"), "slow");
}

TEST(Hooks, WebhookFailuresAreWarnings) {
  WebhookTestServer server;
  server.enqueue({500, "oops"});
  server.enqueue({200, "not json"});
  server.enqueue({200, R"({"action": "maybe"})"});
  HookRun r;
  r.provider->say("ok");
  auto result = r.run(R"(hooks:
  - {name: h500, on: before_task, webhook: {url: ")" + server.url() + R"("}}
  - {name: hjunk, on: before_task, webhook: {url: ")" + server.url() + R"("}}
  - {name: hmaybe, on: before_task, webhook: {url: ")" + server.url() + R"("}}
)");
  ASSERT_EQ(result.status, "completed") << result.error_message;
  auto warnings = r.logs("warning");
  ASSERT_EQ(warnings.size(), 3u) << dump(warnings);
  EXPECT_NE(warnings[0].find("\"h500\""), std::string::npos);
  EXPECT_NE(warnings[0].find("HTTP 500"), std::string::npos);
  EXPECT_NE(warnings[1].find("not JSON"), std::string::npos);
  EXPECT_NE(warnings[2].find("\"action\""), std::string::npos);
}

TEST(Hooks, WebhooksFollowTheToolsNetworkPolicy) {
  WebhookTestServer server;
  HookRun r(/*allow_loopback=*/false);
  r.provider->say("ok");
  auto result = r.run(R"(hooks:
  - on: after_task
    webhook: {url: ")" + server.url() + R"("}
)");
  ASSERT_EQ(result.status, "completed") << result.error_message;
  EXPECT_TRUE(server.requests().empty());
  auto warnings = r.logs("warning");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("loopback"), std::string::npos) << warnings[0];
}

TEST(Hooks, ACommandGetsTheEventOnStdinAndItsAnswerCounts) {
  auto dir = std::filesystem::temp_directory_path() / ("aop-hooks-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto seen = dir / "seen.json";
  HookRun r;
  r.script_tool_call();
  auto result = r.run(R"(hooks:
  - on: before_tool_call
    command: {argv: [/bin/sh, -c, 'tee )" + seen.string() + R"( >/dev/null; echo "{\"action\":\"continue\",\"input\":{\"text\":\"from sh\"}}"']}
  - on: after_tool_call
    command: {argv: [/bin/cat]}
)");
  ASSERT_EQ(result.status, "completed") << result.error_message << dump(r.logs("warning"));
  ASSERT_EQ(r.echo->calls.size(), 1u);
  EXPECT_EQ(r.echo->calls[0].at("text"), "from sh");
  auto stdin_json = json::parse(read_file(seen));
  EXPECT_EQ(stdin_json.at("type"), "tool_call");
  EXPECT_EQ(stdin_json.at("hook").at("on"), "before_tool_call");
  EXPECT_EQ(stdin_json.at("data").at("input").at("text"), "original");
  // /bin/cat answers with the event itself: not an action, but an after hook's answer is ignored.
  EXPECT_TRUE(r.logs("warning").empty()) << dump(r.logs("warning"));
  std::filesystem::remove_all(dir);
}

TEST(Hooks, FailingCommandsAreLoggedNotFatal) {
  HookRun r;
  r.provider->say("still here");
  auto started = SteadyClock::now();
  auto result = r.run(R"(hooks:
  - {name: exits, on: before_task, command: {argv: [/bin/sh, -c, "echo boom >&2; exit 3"]}}
  - {name: missing, on: before_task, command: {argv: [/no/such/program]}}
  - {name: sleeper, on: before_task, command: {argv: [/bin/sh, -c, "sleep 10; echo late"], timeout_ms: 200}}
)");
  auto elapsed = SteadyClock::now() - started;
  ASSERT_EQ(result.status, "completed") << result.error_message;
  EXPECT_EQ(result.final_output, "still here");
  EXPECT_LT(elapsed, std::chrono::milliseconds(3000)) << "the sleeping command (and its child) was killed";
  auto warnings = r.logs("warning");
  ASSERT_EQ(warnings.size(), 3u) << dump(warnings);
  EXPECT_TRUE(any_contains(warnings, "exited with status 3 (boom)")) << dump(warnings);
  EXPECT_TRUE(any_contains(warnings, "cannot start /no/such/program")) << dump(warnings);
  EXPECT_TRUE(any_contains(warnings, "\"sleeper\" (before_task, command): /bin/sh timed out after 200 ms")) << dump(warnings);
}

TEST(Hooks, CommandsCanBeTurnedOff) {
  HookRun r(true, /*allow_commands=*/false);
  r.provider->say("ok");
  auto result = r.run(R"(hooks:
  - {on: before_task, command: {argv: [/bin/sh, -c, "echo '{\"action\":\"abort\"}'"]}}
)");
  ASSERT_EQ(result.status, "completed") << result.error_message;
  EXPECT_TRUE(any_contains(r.logs("warning"), "command hooks are turned off")) << dump(r.logs("warning"));
}

TEST(Hooks, LogActionsWriteInfoLogsWithEventFields) {
  HookRun r;
  r.script_tool_call();
  auto result = r.run(R"(hooks:
  - {on: before_tool_call, match: {tool: echo}, log: "calling {tool_name} for {agent_name} {unknown}"}
  - {on: before_tool_call, match: {tool: other}, log: "never"}
  - {on: after_execution, log: "run ended: {status}"}
)");
  ASSERT_EQ(result.status, "completed") << result.error_message;
  auto infos = r.logs("info");
  ASSERT_EQ(infos.size(), 2u) << dump(infos);
  EXPECT_EQ(infos[0], "calling echo for a {unknown}");
  EXPECT_EQ(infos[1], "run ended: completed");
  // after_execution runs before the final event, which stays last.
  EXPECT_EQ(r.sink.types().back(), "execution_completed");
}

TEST(Hooks, InvalidHooksFailTheRunBeforeAnyCall) {
  HookRun r;
  r.provider->say("never");
  auto result = r.run(R"(hooks:
  - {on: before_lunch, log: x}
)");
  EXPECT_EQ(result.status, "failed");
  EXPECT_EQ(result.error_type, "invalid_hooks");
  EXPECT_NE(result.error_message.find("hooks[0].on"), std::string::npos) << result.error_message;
  EXPECT_TRUE(r.provider->requests.empty());
}

}  // namespace
}  // namespace aop::test
