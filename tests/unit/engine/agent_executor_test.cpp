#include <gtest/gtest.h>

#include <thread>

#include "engine/agent_executor.hpp"
#include "engine_fakes.hpp"
#include "engine_test_support.hpp"

namespace aop::test {
namespace {

AgentAssignment assignment(std::string model, std::vector<std::shared_ptr<tools::Tool>> tools = {}) {
  AgentAssignment a;
  a.agent_name = "researcher";
  a.persona = {"Senior Researcher", "Find facts", "Careful and quick."};
  a.brief = {"Research the topic", "Five facts", "", std::nullopt};
  a.task_name = "research";
  a.model = std::move(model);
  a.tools = std::move(tools);
  a.parent_trace_id = "task-trace";
  return a;
}

TEST(AgentExecutor, NativeToolCallThenAnswerEmitsTheEventsInOrder) {
  FakeRun run;
  auto provider = std::make_shared<ScriptedProvider>(true);
  run.providers.providers["openai"] = provider;
  auto echo = std::make_shared<EchoTool>("Echo Tool");
  provider->call("echo_tool", R"({"text": "hi"})", "call_9");
  provider->say("Five facts: 1 2 3 4 5", {1000, 200, 400});

  auto out = run_to_completion(run_agent(run.context, assignment("openai/gpt-4o-mini", {echo})));
  EXPECT_EQ(out.output, "Five facts: 1 2 3 4 5");
  EXPECT_EQ(out.llm_calls, 2);
  EXPECT_EQ(out.tool_calls, 1);
  ASSERT_EQ(echo->calls.size(), 1u);
  EXPECT_EQ(echo->calls[0].at("text"), "hi");
  EXPECT_EQ(run.sink.types(), (std::vector<std::string>{"agent_started", "llm_call", "tool_call", "llm_call",
                                                         "agent_completed"}));
  // The tool was offered natively under a function-safe name, and its result went back with the call id.
  ASSERT_EQ(provider->requests.size(), 2u);
  ASSERT_EQ(provider->requests[0].tools.size(), 1u);
  EXPECT_EQ(provider->requests[0].tools[0].name, "echo_tool");
  const auto& second = provider->requests[1].messages;
  ASSERT_GE(second.size(), 4u);
  EXPECT_EQ(second[2].tool_calls.at(0).id, "call_9");
  EXPECT_EQ(second[3].role, llm::Role::tool);
  EXPECT_EQ(second[3].tool_call_id, "call_9");
  EXPECT_NE(second[3].content.find("echo: "), std::string::npos);
  // Usage and cost: gpt-4o-mini has a price; cached input is billed at its own rate.
  EXPECT_EQ(out.usage.input_tokens, 1100);
  EXPECT_EQ(out.usage.cached_input_tokens, 400);
  ASSERT_TRUE(out.cost);
  EXPECT_NEAR(*out.cost, (700 * 0.15 + 400 * 0.075 + 210 * 0.60) / 1e6, 1e-12);
  // Every event hangs in the trace tree under the agent, which hangs under the task.
  auto started = run.sink.of(EventType::agent_started).at(0);
  EXPECT_EQ(started.parent_trace_id, "task-trace");
  for (const auto& e : run.sink.of(EventType::llm_call)) EXPECT_EQ(e.parent_trace_id, started.trace_id);
  EXPECT_EQ(run.sink.of(EventType::tool_call).at(0).parent_trace_id, started.trace_id);
  std::int64_t seq = 0;
  for (const auto& e : run.sink.events) EXPECT_EQ(e.seq, ++seq);
}

TEST(AgentExecutor, ReactProtocolWithAMalformedFirstAnswer) {
  FakeRun run;
  auto provider = std::make_shared<ScriptedProvider>(false);
  run.providers.providers["ollama"] = provider;
  auto echo = std::make_shared<EchoTool>("echo");
  provider->say("I think I should look this up.");  // neither form
  provider->say("Thought: use the tool\nAction: Echo\nAction Input: {\"text\": \"abc\"}");
  provider->say("Thought: I now know the final answer\nFinal Answer: The answer is abc.");

  auto out = run_to_completion(run_agent(run.context, assignment("ollama/llama3.1", {echo})));
  EXPECT_EQ(out.output, "The answer is abc.");
  EXPECT_TRUE(out.cost.has_value()) << "local models cost 0, not null";
  ASSERT_EQ(provider->requests.size(), 3u);
  const auto& first = provider->requests[0];
  EXPECT_TRUE(first.tools.empty()) << "ReAct: tools go in the prompt";
  EXPECT_EQ(first.stop, std::vector<std::string>{"\nObservation:"});
  EXPECT_NE(first.messages[0].content.find("Action Input:"), std::string::npos);
  EXPECT_NE(first.messages[0].content.find("- echo: Repeats"), std::string::npos);
  EXPECT_NE(provider->requests[1].messages.back().content.find("could not be understood"), std::string::npos);
  EXPECT_TRUE(provider->requests[2].messages.back().content.starts_with("Observation: echo: "));
  ASSERT_EQ(echo->calls.size(), 1u);
}

TEST(AgentExecutor, UnknownToolsAndBadArgumentsBecomeObservations) {
  FakeRun run;
  auto provider = std::make_shared<ScriptedProvider>(true);
  run.providers.providers["openai"] = provider;
  auto echo = std::make_shared<EchoTool>();
  provider->call("teleport", "{}");
  provider->call("echo", "{not json");
  provider->call("echo", R"({"fail": true})");
  provider->say("done");
  auto out = run_to_completion(run_agent(run.context, assignment("openai/gpt-4o", {echo})));
  EXPECT_EQ(out.output, "done");
  auto tool_events = run.sink.of(EventType::tool_call);
  ASSERT_EQ(tool_events.size(), 3u);
  EXPECT_NE(std::string(tool_events[0].data.at("outputs").as_string()).find("no tool named \"teleport\""), std::string::npos);
  EXPECT_NE(std::string(tool_events[1].data.at("outputs").as_string()).find("JSON object"), std::string::npos);
  EXPECT_EQ(tool_events[2].data.at("outputs"), "Error: it failed on purpose");
  for (const auto& e : tool_events) EXPECT_EQ(e.data.at("error"), true);
}

TEST(AgentExecutor, MaxIterEndsWithAForcedFinalAnswer) {
  FakeRun run;
  auto provider = std::make_shared<ScriptedProvider>(true);
  run.providers.providers["openai"] = provider;
  auto echo = std::make_shared<EchoTool>();
  provider->call("echo", R"({"text": "1"})");
  provider->call("echo", R"({"text": "2"})");
  provider->say("best effort answer");
  auto a = assignment("openai/gpt-4o", {echo});
  a.max_iter = 2;
  auto out = run_to_completion(run_agent(run.context, a));
  EXPECT_TRUE(out.forced_final);
  EXPECT_EQ(out.output, "best effort answer");
  ASSERT_EQ(provider->requests.size(), 3u);
  EXPECT_TRUE(provider->requests[2].forbid_tool_calls);
  EXPECT_NE(provider->requests[2].messages.back().content.find("used all 2 steps"), std::string::npos);
}

TEST(AgentExecutor, OutputJsonIsRetriedWithTheErrorsThenAccepted) {
  FakeRun run;
  auto provider = std::make_shared<ScriptedProvider>(true);
  run.providers.providers["anthropic"] = provider;
  auto a = assignment("anthropic/claude-3-5-haiku-20241022");
  a.brief.output_schema = boost::json::parse(
      R"({"type":"object","properties":{"score":{"type":"integer"}},"required":["score"]})");
  provider->say("Here you go: {\"score\": \"high\"}");
  provider->say("```json\n{\"score\": 4}\n```");
  auto out = run_to_completion(run_agent(run.context, a));
  ASSERT_TRUE(out.json);
  EXPECT_EQ(out.json->at("score"), 4);
  EXPECT_EQ(out.output, R"({"score":4})");
  ASSERT_EQ(provider->requests.size(), 2u);
  EXPECT_NE(provider->requests[0].messages[1].content.find("JSON Schema"), std::string::npos);
  EXPECT_NE(provider->requests[1].messages.back().content.find("score:"), std::string::npos)
      << provider->requests[1].messages.back().content;
}

TEST(AgentExecutor, OutputJsonGivesUpAfterTheRetryLimit) {
  FakeRun run;
  auto provider = std::make_shared<ScriptedProvider>(true);
  run.providers.providers["openai"] = provider;
  auto a = assignment("openai/gpt-4o");
  a.brief.output_schema = boost::json::parse(R"({"type":"object","required":["score"]})");
  a.max_retry_limit = 1;
  provider->say("no json at all");
  provider->say("{\"other\": 1}");
  try {
    run_to_completion(run_agent(run.context, a));
    FAIL() << "no error";
  } catch (const EngineError& e) {
    EXPECT_EQ(e.type(), "output_validation");
    EXPECT_NE(std::string(e.what()).find("2 attempt(s)"), std::string::npos) << e.what();
  }
}

TEST(AgentExecutor, UnknownModelCostsNullAndLlmErrorsAreReported) {
  FakeRun run;
  auto provider = std::make_shared<ScriptedProvider>(true);
  run.providers.providers["openai"] = provider;
  provider->say("ok");
  auto out = run_to_completion(run_agent(run.context, assignment("openai/some-private-finetune")));
  EXPECT_FALSE(out.cost);
  EXPECT_TRUE(run.sink.of(EventType::llm_call).at(0).data.at("cost").is_null());
  try {
    run_to_completion(run_agent(run.context, assignment("openai/gpt-4o")));  // script is empty now
    FAIL() << "no error";
  } catch (const EngineError& e) {
    EXPECT_EQ(e.type(), "llm_server");
  }
}

TEST(AgentExecutor, CancellationStopsAWaitingCall) {
  FakeRun run;
  run.providers.providers["simulated"] =
      std::make_shared<llm::SimulatedProvider>(llm::SimulatedOptions{std::chrono::seconds(30), {}, true});
  auto cancel = run.context.cancel();
  std::thread canceller([cancel] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    cancel->cancel();
  });
  auto started = std::chrono::steady_clock::now();
  EXPECT_THROW(run_to_completion(run_agent(run.context, assignment("simulated/slow"))), Cancelled);
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1000));
}

TEST(AgentExecutor, NativeToolNamesAreFunctionSafe) {
  EXPECT_EQ(native_tool_name("Delegate work to coworker"), "delegate_work_to_coworker");
  EXPECT_EQ(native_tool_name("web_fetch"), "web_fetch");
  EXPECT_EQ(native_tool_name("Ask question to coworker!"), "ask_question_to_coworker");
}

}  // namespace
}  // namespace aop::test
