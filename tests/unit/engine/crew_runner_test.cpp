// Crew-level scenarios: context, inputs, hierarchical delegation, conditions, async tasks,
// cancellation, and the shipped demo crews on the simulated provider.
#include <gtest/gtest.h>

#include <thread>

#include "crews/crew_parser.hpp"
#include "crews/demo_crews.hpp"
#include "engine/crew_runner.hpp"
#include "engine_fakes.hpp"
#include "engine_test_support.hpp"

namespace aop::test {
namespace {

crews::CrewSpec crew_from(const std::string& yaml) {
  auto parsed = crews::parse_crew(yaml);
  if (!parsed.ok()) throw std::runtime_error("test crew does not parse: " + crews::to_string(parsed.errors.front()));
  return *parsed.spec;
}

CrewRunResult run(FakeRun& f, const std::string& yaml, boost::json::object inputs = {}) {
  CrewRunRequest request{crew_from(yaml), std::move(inputs), "crew-1"};
  return run_to_completion(run_crew(f.context, request));
}

const std::string k_three_tasks = R"(name: three
llm: openai/gpt-4o-mini
agents:
  a: {role: "{topic} Analyst", goal: "Analyse {topic}", backstory: B}
tasks:
  one: {description: "First about {topic}", expected_output: O1, agent: a}
  two: {description: Second, expected_output: O2, agent: a}
  three: {description: Third, expected_output: O3, agent: a}
  four: {description: Fourth, expected_output: O4, agent: a, context: [one]}
)";

TEST(CrewRunner, SequentialContextIsAllPriorOutputsOrTheListedOnes) {
  FakeRun f;
  auto p = std::make_shared<ScriptedProvider>(true);
  f.providers.providers["openai"] = p;
  p->say("out-1");
  p->say("out-2");
  p->say("out-3");
  p->say("out-4");
  auto result = run(f, k_three_tasks, {{"topic", "bees"}});
  ASSERT_EQ(result.status, "completed") << result.error_message;
  EXPECT_EQ(result.final_output, "out-4");
  ASSERT_EQ(p->requests.size(), 4u);
  // Inputs are interpolated into the persona and the task.
  EXPECT_NE(p->requests[0].messages[0].content.find("You are bees Analyst."), std::string::npos);
  EXPECT_NE(p->requests[0].messages[1].content.find("First about bees"), std::string::npos);
  // Task three sees one and two, joined by CrewAI's separator; task four only what it lists.
  EXPECT_NE(p->requests[2].messages[1].content.find("out-1\n\n----------\n\nout-2"), std::string::npos);
  EXPECT_NE(p->requests[3].messages[1].content.find("out-1"), std::string::npos);
  EXPECT_EQ(p->requests[3].messages[1].content.find("out-3"), std::string::npos);
  EXPECT_EQ(f.sink.types().front(), "execution_started");
  EXPECT_EQ(f.sink.types().back(), "execution_completed");
  auto done = f.sink.of(EventType::execution_completed).at(0);
  EXPECT_EQ(done.data.at("status"), "completed");
  EXPECT_EQ(done.data.at("outputs").at("two"), "out-2");
  EXPECT_EQ(result.usage.input_tokens, 400);
  ASSERT_TRUE(result.total_cost);
  // Tasks hang under the execution's root trace.
  auto root = f.sink.of(EventType::execution_started).at(0).trace_id;
  for (const auto& e : f.sink.of(EventType::task_started)) EXPECT_EQ(e.parent_trace_id, root);
}

TEST(CrewRunner, MissingOrMistypedInputsFailBeforeAnyCall) {
  FakeRun f;
  auto p = std::make_shared<ScriptedProvider>(true);
  f.providers.providers["openai"] = p;
  auto result = run(f, k_three_tasks);
  EXPECT_EQ(result.status, "failed");
  EXPECT_EQ(result.error_type, "invalid_inputs");
  EXPECT_NE(result.error_message.find("\"topic\" is required"), std::string::npos) << result.error_message;
  EXPECT_TRUE(p->requests.empty());
  EXPECT_EQ(f.sink.of(EventType::error).size(), 1u);
  EXPECT_EQ(f.sink.of(EventType::execution_completed).at(0).data.at("status"), "failed");

  FakeRun g;
  g.providers.providers["openai"] = p;
  const std::string typed = "name: t\ninputs:\n  n: {type: integer}\nagents:\n  a: {role: R, goal: G, backstory: B}\n"
                            "tasks:\n  t: {description: \"count {n}\", expected_output: O, agent: a}\nllm: openai/x\n";
  auto mistyped = run(g, typed, {{"n", "three"}});
  EXPECT_EQ(mistyped.error_type, "invalid_inputs");
  EXPECT_NE(mistyped.error_message.find("type integer"), std::string::npos) << mistyped.error_message;
}

TEST(CrewRunner, HierarchicalManagerDelegatesAndAnUnknownCoworkerIsExplained) {
  FakeRun f;
  auto p = std::make_shared<ScriptedProvider>(true);
  f.providers.providers["openai"] = p;
  const std::string yaml = R"(name: h
process: hierarchical
manager_llm: openai/gpt-4o
llm: openai/gpt-4o-mini
agents:
  writer: {role: Senior Writer, goal: Write, backstory: Writes well}
  researcher: {role: Researcher, goal: Research, backstory: Reads a lot}
tasks:
  article: {description: Write an article, expected_output: An article}
)";
  p->call("delegate_work_to_coworker", R"({"task": "Draft it", "context": "about bees", "coworker": "Editor"})", "c1");
  p->call("delegate_work_to_coworker", R"({"task": "Draft it", "context": "about bees", "coworker": "  senior   WRITER "})",
          "c2");
  p->say("a draft about bees");  // the writer
  p->say("Final article");       // the manager
  auto result = run(f, yaml);
  ASSERT_EQ(result.status, "completed") << result.error_message;
  EXPECT_EQ(result.final_output, "Final article");
  ASSERT_EQ(p->requests.size(), 4u);
  EXPECT_EQ(p->requests[0].model, "gpt-4o") << "the manager uses manager_llm";
  EXPECT_EQ(p->requests[2].model, "gpt-4o-mini");
  EXPECT_NE(p->requests[2].messages[0].content.find("You are Senior Writer."), std::string::npos);
  EXPECT_NE(p->requests[2].messages[1].content.find("about bees"), std::string::npos);
  // The manager saw why its first delegation failed.
  auto tools = f.sink.of(EventType::tool_call);
  ASSERT_EQ(tools.size(), 2u);
  EXPECT_NE(std::string(tools[0].data.at("outputs").as_string()).find("no coworker \"Editor\""), std::string::npos);
  EXPECT_NE(std::string(tools[0].data.at("outputs").as_string()).find("- Researcher"), std::string::npos);
  EXPECT_EQ(tools[1].data.at("outputs"), "a draft about bees");
  // The coworker's work hangs under the delegating tool call in the trace tree.
  auto agents = f.sink.of(EventType::agent_started);
  ASSERT_EQ(agents.size(), 2u);
  EXPECT_EQ(agents[0].data.at("agent_name"), "manager");
  EXPECT_EQ(agents[1].data.at("agent_name"), "writer");
  EXPECT_EQ(agents[1].parent_trace_id, tools[1].trace_id);
}

TEST(CrewRunner, AFalseConditionSkipsTheTask) {
  FakeRun f;
  auto p = std::make_shared<ScriptedProvider>(true);
  f.providers.providers["openai"] = p;
  const std::string yaml = R"(name: c
llm: openai/gpt-4o-mini
agents:
  a: {role: R, goal: G, backstory: B}
tasks:
  score: {description: Score it, expected_output: JSON, agent: a}
  escalate: {description: Escalate, expected_output: Note, agent: a, condition: "tasks.score.json.score <= 2"}
  answer: {description: Answer, expected_output: Text, agent: a}
)";
  p->say(R"({"score": 4})");
  p->say("public answer");
  auto result = run(f, yaml);
  ASSERT_EQ(result.status, "completed") << result.error_message;
  ASSERT_EQ(result.tasks.size(), 3u);
  EXPECT_EQ(result.tasks[1].status, "skipped");
  EXPECT_EQ(result.tasks[2].status, "completed");
  auto skipped = f.sink.of(EventType::task_skipped);
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].data.at("task_name"), "escalate");
  EXPECT_NE(std::string(skipped[0].data.at("reason").as_string()).find("<= 2"), std::string::npos);
  EXPECT_FALSE(f.sink.of(EventType::execution_completed).at(0).data.at("outputs").as_object().contains("escalate"));
  EXPECT_EQ(p->requests.size(), 2u);
}

TEST(CrewRunner, AsyncTasksRunTogetherAndAreJoinedByTheTaskThatNeedsThem) {
  FakeRun f;
  f.providers.providers["simulated"] =
      std::make_shared<llm::SimulatedProvider>(llm::SimulatedOptions{std::chrono::milliseconds(200), {}, true});
  const std::string yaml = R"(name: a
llm: simulated/x
agents:
  a: {role: R, goal: G, backstory: B}
tasks:
  left: {description: Left side, expected_output: L, agent: a, async_execution: true}
  right: {description: Right side, expected_output: R, agent: a, async_execution: true}
  join: {description: Combine, expected_output: Both, agent: a, context: [left, right]}
)";
  auto started = std::chrono::steady_clock::now();
  auto result = run(f, yaml);
  auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(result.status, "completed") << result.error_message;
  EXPECT_LT(elapsed, std::chrono::milliseconds(590)) << "left and right must overlap (3 × 200 ms if serial)";
  EXPECT_GE(elapsed, std::chrono::milliseconds(400));
  auto types = f.sink.types();
  // Both async tasks start before either finishes.
  auto first_completed = std::find(types.begin(), types.end(), "task_completed") - types.begin();
  EXPECT_EQ(std::count(types.begin(), types.begin() + first_completed, "task_started"), 2);
  EXPECT_NE(result.tasks[2].status, "pending");
}

TEST(CrewRunner, CancellationMidRunEndsItAsCancelledQuickly) {
  FakeRun f;
  f.providers.providers["simulated"] = std::make_shared<llm::SimulatedProvider>(
      llm::SimulatedOptions{std::chrono::milliseconds(20), std::chrono::milliseconds(20), true});
  const std::string yaml = R"(name: slow
llm: simulated/x
agents:
  a: {role: R, goal: G, backstory: B}
tasks:
  t1: {description: One, expected_output: O, agent: a}
  t2: {description: Two, expected_output: O, agent: a}
  t3: {description: Three, expected_output: O, agent: a}
)";
  auto cancel = f.context.cancel();
  std::chrono::steady_clock::time_point cancelled_at;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    cancelled_at = std::chrono::steady_clock::now();
    cancel->cancel();
  });
  auto result = run(f, yaml);
  auto ended = std::chrono::steady_clock::now();
  canceller.join();
  EXPECT_EQ(result.status, "cancelled");
  EXPECT_LT(ended - cancelled_at, std::chrono::milliseconds(100));
  EXPECT_EQ(f.sink.of(EventType::execution_completed).at(0).data.at("status"), "cancelled");
  EXPECT_EQ(result.tasks.back().status, "cancelled");
}

TEST(CrewRunner, TheDemoCrewsRunEndToEndOnTheSimulatedProvider) {
  for (auto text : crews::demo_crew_documents()) {
    FakeRun f;
    f.providers.providers["simulated"] = std::make_shared<llm::SimulatedProvider>();
    for (const char* name : {"web_search", "web_fetch", "calculator", "http_request"})
      f.tools.tools[name] = std::make_shared<EchoTool>(name);
    auto crew = crew_from(std::string(text));
    boost::json::object inputs{{"topic", "solar power"}, {"ticket", "I was charged twice"},
                               {"review", "Broke after a day"}, {"product", "Kettle"}};
    auto result = run_to_completion(run_crew(f.context, {crew, inputs, "demo"}));
    EXPECT_EQ(result.status, "completed") << crew.name << ": " << result.error_message;
    EXPECT_FALSE(result.final_output.empty()) << crew.name;
    EXPECT_FALSE(f.sink.of(EventType::llm_call).empty());
    for (const auto& e : f.sink.of(EventType::llm_call)) EXPECT_EQ(e.data.at("simulated"), true);
    EXPECT_EQ(result.total_cost, 0.0) << "simulated calls cost nothing, and say so";
  }
}

}  // namespace
}  // namespace aop::test

namespace aop::test {
namespace {

TEST(CrewRunner, MaxExecutionTimeEndsTheWorkWithAClearError) {
  for (const char* where : {"agent", "crew"}) {
    FakeRun f;
    f.providers.providers["simulated"] =
        std::make_shared<llm::SimulatedProvider>(llm::SimulatedOptions{std::chrono::seconds(5), {}, true});
    std::string yaml = std::string("name: bounded\nllm: simulated/slow\n") +
                       (std::string(where) == "crew" ? "max_execution_time: 1\n" : "") +
                       "agents:\n  a: {role: R, goal: G, backstory: B" +
                       (std::string(where) == "agent" ? ", max_execution_time: 1" : "") +
                       "}\ntasks:\n  t: {description: D, expected_output: O, agent: a}\n";
    auto started = std::chrono::steady_clock::now();
    auto result = run(f, yaml);
    auto elapsed = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(result.status, "failed") << where;
    EXPECT_EQ(result.error_type, "max_execution_time") << where << ": " << result.error_message;
    EXPECT_GE(elapsed, std::chrono::milliseconds(900)) << where;
    EXPECT_LT(elapsed, std::chrono::milliseconds(2500)) << where << ": the 5 s call must be cut at the limit";
  }
}

}  // namespace
}  // namespace aop::test
