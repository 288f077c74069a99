// Execution metrics from events: totals, by model / agent / task, unknown prices, delegated
// work counted for the manager's task, and latency percentiles.
#include "observability/execution_metrics.hpp"

#include <gtest/gtest.h>

#include "unit/observability/event_script.hpp"

namespace aop::test {
namespace {

using engine::EventType;
using observability::compute_metrics;
using observability::percentile;

// crew > t1 (agent a: two calls on m1 and one on m2 without a price, one tool) and t2
// (agent b: one call on m1), then a skipped t3.
EventScript two_task_run() {
  EventScript s;
  s.emit(EventType::execution_started, "root", "", {{"crew_name", "c"}});
  s.emit(EventType::task_started, "t1", "root", {{"task_name", "one"}, {"agent_name", "a"}});
  s.emit(EventType::agent_started, "a1", "t1", {{"agent_name", "a"}, {"task_name", "one"}, {"model", "m1"}});
  s.llm("l1", "a1", "m1", 100, 10, 0.5, 0.2, "a", "one");
  s.emit(EventType::tool_call, "tool1", "a1", {{"tool_name", "calc"}, {"duration", 0.01}});
  s.llm("l2", "a1", "m1", 200, 20, 0.25, 0.4, "a", "one");
  s.llm("l3", "a1", "m2", 50, 5, nullptr, 0.1, "a", "one");
  s.emit(EventType::agent_completed, "a1", "t1", {{"agent_name", "a"}, {"duration", 0.8}});
  s.emit(EventType::task_completed, "t1", "root", {{"task_name", "one"}, {"duration", 0.8}});
  s.emit(EventType::task_started, "t2", "root", {{"task_name", "two"}, {"agent_name", "b"}});
  s.emit(EventType::agent_started, "b1", "t2", {{"agent_name", "b"}, {"task_name", "two"}});
  s.llm("l4", "b1", "m1", 1000, 100, 1.0, 0.3, "b", "two");
  s.emit(EventType::agent_completed, "b1", "t2", {{"agent_name", "b"}, {"duration", 0.35}});
  s.emit(EventType::task_completed, "t2", "root", {{"task_name", "two"}, {"duration", 0.4}});
  s.emit(EventType::task_skipped, "t3", "root", {{"task_name", "three"}, {"reason", "condition is false"}});
  s.emit(EventType::execution_completed, "root", "", {{"status", "completed"}, {"total_duration", 2.0}});
  return s;
}

TEST(ExecutionMetrics, TotalsAndBreakdownsAddUpTheLlmCalls) {
  auto m = compute_metrics(two_task_run().events);
  EXPECT_EQ(m.totals.llm_calls, 4);
  EXPECT_EQ(m.totals.input_tokens, 1350);
  EXPECT_EQ(m.totals.output_tokens, 135);
  EXPECT_EQ(m.tool_calls, 1);
  EXPECT_FALSE(m.totals.total_cost()) << "one call's model has no price: the total is unknown";

  ASSERT_EQ(m.by_model.size(), 2u);
  EXPECT_EQ(m.by_model[0].model, "m1");
  EXPECT_EQ(m.by_model[0].usage.llm_calls, 3);
  EXPECT_EQ(m.by_model[0].usage.input_tokens, 1300);
  ASSERT_TRUE(m.by_model[0].usage.total_cost());
  EXPECT_DOUBLE_EQ(*m.by_model[0].usage.total_cost(), 1.75);
  EXPECT_EQ(m.by_model[1].model, "m2");
  EXPECT_FALSE(m.by_model[1].usage.total_cost());

  ASSERT_EQ(m.by_agent.size(), 2u);
  EXPECT_EQ(m.by_agent[0].agent_name, "a");
  EXPECT_EQ(m.by_agent[0].usage.llm_calls, 3);
  EXPECT_FALSE(m.by_agent[0].usage.total_cost());
  EXPECT_EQ(m.by_agent[1].agent_name, "b");
  ASSERT_TRUE(m.by_agent[1].usage.total_cost());
  EXPECT_DOUBLE_EQ(*m.by_agent[1].usage.total_cost(), 1.0);
  EXPECT_GT(m.by_agent[1].duration_ms, 0);

  ASSERT_EQ(m.by_task.size(), 3u);
  EXPECT_EQ(m.by_task[0].task_name, "one");
  EXPECT_EQ(m.by_task[0].agent_name, "a");
  EXPECT_EQ(m.by_task[0].status, "completed");
  EXPECT_EQ(m.by_task[0].usage.input_tokens, 350);
  EXPECT_EQ(m.by_task[1].task_name, "two");
  EXPECT_EQ(m.by_task[1].usage.output_tokens, 100);
  EXPECT_EQ(m.by_task[2].task_name, "three");
  EXPECT_EQ(m.by_task[2].status, "skipped");
  EXPECT_EQ(m.by_task[2].usage.llm_calls, 0);
  ASSERT_TRUE(m.by_task[2].usage.total_cost());
  EXPECT_EQ(*m.by_task[2].usage.total_cost(), 0.0) << "no calls cost nothing";

  // The three breakdowns each account for every call.
  std::int64_t by_model = 0, by_agent = 0, by_task = 0;
  for (const auto& x : m.by_model) by_model += x.usage.input_tokens;
  for (const auto& x : m.by_agent) by_agent += x.usage.input_tokens;
  for (const auto& x : m.by_task) by_task += x.usage.input_tokens;
  EXPECT_EQ(by_model, m.totals.input_tokens);
  EXPECT_EQ(by_agent, m.totals.input_tokens);
  EXPECT_EQ(by_task, m.totals.input_tokens);

  EXPECT_EQ(m.llm_latencies_ms, (std::vector<std::int64_t>{100, 200, 300, 400}));
  ASSERT_TRUE(m.duration_ms);
}

TEST(ExecutionMetrics, JsonHasTheDocumentedShapeWithNullForUnknownCosts) {
  auto doc = observability::metrics_json(compute_metrics(two_task_run().events));
  const auto& totals = doc.at("totals").as_object();
  EXPECT_EQ(totals.at("total_tokens").as_int64(), 1485);
  EXPECT_TRUE(totals.at("cost").is_null());
  EXPECT_EQ(totals.at("llm_calls").as_int64(), 4);
  EXPECT_EQ(totals.at("tool_calls").as_int64(), 1);
  EXPECT_EQ(doc.at("by_model").at(0).at("cost").as_double(), 1.75);
  EXPECT_TRUE(doc.at("by_model").at(1).at("cost").is_null());
  EXPECT_EQ(doc.at("by_task").at(2).at("status").as_string(), "skipped");
  const auto& calls = doc.at("llm_calls").as_object();
  EXPECT_EQ(calls.at("count").as_int64(), 4);
  EXPECT_EQ(calls.at("latency_ms_p50").as_int64(), 200);
  EXPECT_EQ(calls.at("latency_ms_p95").as_int64(), 400);
  EXPECT_EQ(calls.at("latency_ms_max").as_int64(), 400);
}

TEST(ExecutionMetrics, DelegatedWorkCountsForTheManagersTask) {
  EventScript s;
  s.emit(EventType::execution_started, "root", "", {{"crew_name", "h"}});
  s.emit(EventType::task_started, "t", "root", {{"task_name", "report"}, {"agent_name", "Crew Manager"}});
  s.emit(EventType::agent_started, "m", "t", {{"agent_name", "Crew Manager"}, {"task_name", "report"}});
  s.llm("l1", "m", "gpt", 10, 1, 0.1, 0.1, "Crew Manager", "report");
  // The coworker runs inside the delegation tool call, whose event comes when it returns.
  s.emit(EventType::agent_started, "w", "d", {{"agent_name", "writer"}, {"task_name", "delegated by the manager"}});
  s.llm("l2", "w", "gpt", 20, 2, 0.2, 0.1, "writer", "delegated by the manager");
  s.emit(EventType::agent_completed, "w", "d", {{"agent_name", "writer"}, {"duration", 0.1}});
  s.emit(EventType::tool_call, "d", "m", {{"tool_name", "Delegate work to coworker"}, {"duration", 0.2}});
  s.llm("l3", "m", "gpt", 30, 3, 0.3, 0.1, "Crew Manager", "report");
  s.emit(EventType::agent_completed, "m", "t", {{"agent_name", "Crew Manager"}, {"duration", 0.5}});
  s.emit(EventType::task_completed, "t", "root", {{"task_name", "report"}, {"duration", 0.5}});
  s.emit(EventType::execution_completed, "root", "", {{"status", "completed"}});
  auto m = compute_metrics(s.events);
  ASSERT_EQ(m.by_task.size(), 1u) << "the coworker's assignment is not a task of the crew";
  EXPECT_EQ(m.by_task[0].task_name, "report");
  EXPECT_EQ(m.by_task[0].usage.llm_calls, 3);
  EXPECT_EQ(m.by_task[0].usage.input_tokens, 60);
  ASSERT_EQ(m.by_agent.size(), 2u);
  EXPECT_EQ(m.by_agent[1].agent_name, "writer");
  EXPECT_EQ(m.by_agent[1].usage.input_tokens, 20);
  EXPECT_EQ(m.tool_calls, 1);
}

TEST(ExecutionMetrics, RunningExecutionShowsOpenTasksAndNoDuration) {
  EventScript s;
  s.emit(EventType::execution_started, "root", "", {{"crew_name", "c"}});
  s.emit(EventType::task_started, "t1", "root", {{"task_name", "one"}, {"agent_name", "a"}});
  s.emit(EventType::agent_started, "a1", "t1", {{"agent_name", "a"}});
  s.llm("l1", "a1", "m1", 7, 3, 0.0, 0.05, "a", "one");
  auto m = compute_metrics(s.events);
  EXPECT_FALSE(m.duration_ms);
  ASSERT_EQ(m.by_task.size(), 1u);
  EXPECT_EQ(m.by_task[0].status, "running");
  EXPECT_FALSE(m.by_task[0].duration_ms);
  EXPECT_EQ(m.totals.input_tokens, 7);
}

TEST(ExecutionMetrics, PercentileIsNearestRank) {
  EXPECT_FALSE(percentile({}, 50));
  EXPECT_EQ(percentile({5}, 50), 5);
  EXPECT_EQ(percentile({5}, 95), 5);
  std::vector<std::int64_t> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(i);
  EXPECT_EQ(percentile(hundred, 50), 50);
  EXPECT_EQ(percentile(hundred, 95), 95);
  EXPECT_EQ(percentile(hundred, 100), 100);
  EXPECT_EQ(percentile({1, 2, 3}, 50), 2);
}

}  // namespace
}  // namespace aop::test
