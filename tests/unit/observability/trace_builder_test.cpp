// The trace tree built from the events of real runs (scripted and simulated providers).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "crews/crew_parser.hpp"
#include "engine/crew_runner.hpp"
#include "../engine/engine_fakes.hpp"
#include "../engine/engine_test_support.hpp"
#include "observability/trace_builder.hpp"

namespace aop::test {
namespace {

using observability::Span;
using observability::TraceBuilder;

std::vector<Span> run_and_trace(FakeRun& f, const std::string& yaml, boost::json::object inputs = {}) {
  auto crew = *crews::parse_crew(yaml).spec;
  run_to_completion(run_crew(f.context, {crew, std::move(inputs), "crew-7"}));
  TraceBuilder builder;
  for (const auto& e : f.sink.events) builder.add(e);
  return builder.spans();
}

const Span& only(const std::vector<Span>& spans, const std::string& kind, const std::string& name) {
  const Span* found = nullptr;
  for (const auto& s : spans)
    if (s.kind == kind && s.name == name) {
      EXPECT_EQ(found, nullptr) << "two " << kind << " spans named " << name;
      found = &s;
    }
  if (!found) throw std::runtime_error("no " + kind + " span " + name);
  return *found;
}

TEST(TraceBuilder, SequentialRunIsCrewTaskAgentLlmAndTool) {
  FakeRun f;
  auto p = std::make_shared<ScriptedProvider>(true);
  f.providers.providers["openai"] = p;
  f.tools.tools["echo"] = std::make_shared<EchoTool>("echo");
  p->call("echo", R"({"text": "x"})");
  p->say("first done", {1000, 100, 0});
  p->say("second done", {500, 50, 0});
  auto spans = run_and_trace(f, R"(name: traced
llm: openai/gpt-4o-mini
agents:
  a: {role: R, goal: G, backstory: B, tools: [echo]}
tasks:
  one: {description: D1, expected_output: O, agent: a}
  two: {description: D2, expected_output: O, agent: a}
)");
  const auto& crew = only(spans, "crew", "traced");
  EXPECT_EQ(crew.parent_id, "");
  EXPECT_EQ(crew.status, "completed");
  EXPECT_EQ(crew.metadata.at("crew_id"), "crew-7");
  const auto& one = only(spans, "task", "one");
  EXPECT_EQ(one.parent_id, crew.id);
  EXPECT_EQ(one.status, "completed");
  EXPECT_EQ(one.outputs->as_string(), "first done");
  int agents = 0, llm_calls = 0, tools = 0;
  for (const auto& s : spans) {
    if (s.kind == "agent") {
      ++agents;
      EXPECT_EQ(s.model, "openai/gpt-4o-mini");
    }
    if (s.kind == "llm_call") {
      ++llm_calls;
      ASSERT_TRUE(s.input_tokens);
      ASSERT_TRUE(s.cost);
      EXPECT_TRUE(s.ended_at);
      EXPECT_GE(*s.duration_ms(), 0);
    }
    if (s.kind == "tool") {
      ++tools;
      EXPECT_EQ(s.name, "echo");
      EXPECT_EQ(s.inputs->at("text"), "x");
    }
    EXPECT_NE(s.status, "running") << s.kind << " " << s.name;
  }
  EXPECT_EQ(agents, 2);
  EXPECT_EQ(llm_calls, 3);
  EXPECT_EQ(tools, 1);
  // Every span's parent is in the tree.
  for (const auto& s : spans) {
    if (s.kind == "crew") continue;
    EXPECT_TRUE(std::any_of(spans.begin(), spans.end(), [&](const Span& o) { return o.id == s.parent_id; })) << s.id;
  }
  EXPECT_EQ(crew.input_tokens, 100 + 1000 + 500);  // the tool-call turn, then the two answers
}

TEST(TraceBuilder, DelegationSkippedTasksAndFailuresShowInTheTree) {
  FakeRun f;
  auto p = std::make_shared<ScriptedProvider>(true);
  f.providers.providers["openai"] = p;
  p->call("delegate_work_to_coworker", R"({"task": "t", "context": "c", "coworker": "Writer"})");
  p->say("draft");         // the writer
  p->say(R"({"ok": false})");  // the manager's answer to the first task
  auto spans = run_and_trace(f, R"(name: h
process: hierarchical
manager_llm: openai/gpt-4o
llm: openai/gpt-4o-mini
agents:
  writer: {role: Writer, goal: Write, backstory: B}
tasks:
  first: {description: D, expected_output: JSON}
  second: {description: D, expected_output: O, condition: "tasks.first.json.ok == true"}
)");
  const auto& delegation = only(spans, "delegation", "Delegate work to coworker");
  EXPECT_EQ(delegation.outputs->as_string(), "draft");
  const auto& writer = only(spans, "agent", "writer");
  EXPECT_EQ(writer.parent_id, delegation.id) << "the coworker's work hangs under the delegation";
  const auto& second = only(spans, "task", "second");
  EXPECT_EQ(second.status, "skipped");
  EXPECT_NE(second.metadata.at("reason").as_string().find("condition"), std::string::npos);

  // A failing run: the task and the crew are failed, with the error.
  FakeRun g;
  g.providers.providers["openai"] = p;  // the script is empty now: the LLM call fails
  auto failed = run_and_trace(g, R"(name: f
llm: openai/gpt-4o-mini
agents:
  a: {role: R, goal: G, backstory: B}
tasks:
  t: {description: D, expected_output: O, agent: a}
)");
  EXPECT_EQ(only(failed, "task", "t").status, "failed");
  EXPECT_TRUE(only(failed, "task", "t").error);
  EXPECT_EQ(only(failed, "crew", "f").status, "failed");
  EXPECT_EQ(only(failed, "agent", "a").status, "failed");
}

TEST(TraceBuilder, TreeNestsChildrenUnderTheirParents) {
  FakeRun f;
  f.providers.providers["simulated"] = std::make_shared<engine::llm::SimulatedProvider>();
  f.tools.tools["echo"] = std::make_shared<EchoTool>("echo");
  auto crew = *crews::parse_crew(R"(name: tree
llm: simulated/x
agents:
  a: {role: R, goal: G, backstory: B, tools: [echo]}
tasks:
  t: {description: D, expected_output: O, agent: a}
)").spec;
  run_to_completion(run_crew(f.context, {crew, {}, ""}));
  TraceBuilder builder;
  for (const auto& e : f.sink.events) builder.add(e);
  auto tree = builder.tree();
  EXPECT_EQ(tree.at("kind"), "crew");
  const auto& task = tree.at("children").at(0);
  EXPECT_EQ(task.at("kind"), "task");
  const auto& agent = task.at("children").at(0);
  EXPECT_EQ(agent.at("kind"), "agent");
  std::vector<std::string> kinds;
  for (const auto& c : agent.at("children").as_array()) kinds.emplace_back(c.at("kind").as_string());
  EXPECT_EQ(kinds, (std::vector<std::string>{"llm_call", "tool", "llm_call"}));
  EXPECT_EQ(agent.at("children").at(0).at("metadata").at("simulated"), true);
}

}  // namespace
}  // namespace aop::test
