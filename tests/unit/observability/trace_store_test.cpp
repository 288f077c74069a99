// Trace rows on both databases: stored spans read back equal to the spans built from the log,
// a run that never started still has its crew span, and a run recovered as interrupted gets a
// closed trace.
#include "observability/trace_store.hpp"

#include <gtest/gtest.h>

#include <set>

#include "crews/crew_parser.hpp"
#include "engine/crew_runner.hpp"
#include "engine/llm/simulated_provider.hpp"
#include "executions/event_rows.hpp"
#include "executions/recovery.hpp"
#include "executions/run_events.hpp"
#include "unit/engine/engine_fakes.hpp"
#include "unit/engine/engine_test_support.hpp"
#include "unit/executions/execution_test_support.hpp"
#include "unit/observability/event_script.hpp"

namespace aop::test {
namespace {

using engine::EventType;
using observability::Span;
using store::Dialect;

class TraceStoreTest : public executions::testing::ExecutionsDbTest {
 protected:
  // A simulated two-task run of execution `id`, its events stored as the event log holds them.
  std::vector<engine::Event> simulated_run(const std::string& id) {
    FakeRun f;
    f.providers.providers["simulated"] = std::make_shared<engine::llm::SimulatedProvider>();
    f.tools.tools["echo"] = std::make_shared<EchoTool>("echo");
    auto crew = *crews::parse_crew(R"(name: stored
llm: simulated/x
agents:
  a: {role: R, goal: G, backstory: B, tools: [echo]}
  b: {role: S, goal: G, backstory: B}
tasks:
  one: {description: D1, expected_output: O, agent: a}
  two: {description: D2, expected_output: O, agent: b}
)").spec;
    run_to_completion(run_crew(f.context, {crew, boost::json::object{}, "crew-1"}));
    std::vector<engine::Event> stored;
    for (auto e : f.sink.events) {
      if (!engine::is_persisted(e.type)) continue;
      e.execution_id = id;
      e.seq = static_cast<std::int64_t>(stored.size()) + 1;
      stored.push_back(std::move(e));
    }
    write([&](store::Connection& c) {
      executions::insert_events(c, stored);
      return 0;
    });
    return stored;
  }
};

void expect_same(const std::vector<Span>& a, const std::vector<Span>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(observability::span_json(a[i]), observability::span_json(b[i])) << "span " << i;
  }
}

TEST_P(TraceStoreTest, StoredRowsReadBackAsTheSpansOfTheLog) {
  add("e1", 100);
  auto events = simulated_run("e1");
  auto built = observability::spans_from_events(events);
  ASSERT_GE(built.size(), 7u);  // crew, 2 tasks, 2 agents, >= 2 llm calls
  auto stored = write([](store::Connection& c) { return observability::store_traces(c, "e1"); });
  EXPECT_EQ(stored, built.size());
  auto loaded = read([](store::Connection& c) { return observability::load_traces(c, "e1"); });
  expect_same(loaded, built);
  EXPECT_EQ(loaded.front().kind, "crew");
  EXPECT_EQ(loaded.front().metadata.at("crew_id"), "crew-1");
  // Storing again replaces the rows rather than adding to them.
  write([](store::Connection& c) { return observability::store_traces(c, "e1"); });
  EXPECT_EQ(read([](store::Connection& c) { return observability::load_traces(c, "e1"); }).size(), built.size());
  // A finished run shows its rows; without rows it is built from the log all the same.
  expect_same(read([](store::Connection& c) { return observability::execution_spans(c, "e1", true); }), built);
  write([](store::Connection& c) { return c.execute("DELETE FROM traces WHERE execution_id = 'e1'"); });
  expect_same(read([](store::Connection& c) { return observability::execution_spans(c, "e1", true); }), built);
}

TEST_P(TraceStoreTest, ParentsComeBeforeTheirChildren) {
  add("e1", 100);
  simulated_run("e1");
  write([](store::Connection& c) { return observability::store_traces(c, "e1"); });
  auto spans = read([](store::Connection& c) { return observability::load_traces(c, "e1"); });
  std::set<std::string> seen;
  for (const auto& s : spans) {
    if (!s.parent_id.empty()) {
      EXPECT_TRUE(seen.count(s.parent_id)) << s.kind << " " << s.name << " before its parent";
    }
    seen.insert(s.id);
  }
}

TEST_P(TraceStoreTest, RunThatNeverStartedHasItsCrewSpanWithTheError) {
  add("e1", 100);
  auto err = executions::error_event("e1", 1, 5000, "tr", "crew_not_found", "version 3 of the crew no longer exists");
  auto done = executions::completed_event("e1", 2, 5000, "tr", {"failed", "crew_not_found", "gone", 0.25});
  write([&](store::Connection& c) {
    executions::insert_events(c, {err, done});
    return observability::store_traces(c, "e1");
  });
  auto spans = read([](store::Connection& c) { return observability::load_traces(c, "e1"); });
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].kind, "crew");
  EXPECT_EQ(spans[0].status, "failed");
  EXPECT_EQ(spans[0].error, "gone");
  EXPECT_EQ(spans[0].metadata.at("error_type"), "crew_not_found");
  EXPECT_EQ(spans[0].duration_ms(), 250);
}

TEST_P(TraceStoreTest, RecoveryClosesTheTraceOfAnInterruptedRun) {
  add("e1", 100);
  EventScript s;
  s.execution_id = "e1";
  s.emit(EventType::execution_started, "root", "", {{"crew_name", "c"}});
  s.emit(EventType::task_started, "t1", "root", {{"task_name", "one"}, {"agent_name", "a"}});
  s.emit(EventType::agent_started, "a1", "t1", {{"agent_name", "a"}});
  s.llm("l1", "a1", "m", 5, 5, 0.0, 0.1, "a", "one");
  write([&](store::Connection& c) {
    auto claimed = executions::claim_next(c, "dead-worker", 1000);
    executions::insert_events(c, s.events);
    return claimed.has_value();
  });
  auto recovered = write([](store::Connection& c) { return executions::recover_interrupted(c, 2000, 3000); });
  ASSERT_EQ(recovered.size(), 1u);
  auto spans = read([](store::Connection& c) { return observability::load_traces(c, "e1"); });
  ASSERT_EQ(spans.size(), 4u) << "recovery stores the trace in its transaction";
  for (const auto& span : spans) {
    EXPECT_EQ(span.status, span.kind == "llm_call" ? "completed" : "failed") << span.kind;
    EXPECT_TRUE(span.ended_at) << span.kind;
  }
  EXPECT_EQ(spans[0].kind, "crew");
  EXPECT_EQ(spans[0].metadata.at("error_type"), "interrupted");
  ASSERT_TRUE(spans[0].error);
  EXPECT_NE(spans[0].error->find("stopped before it finished"), std::string::npos);
  EXPECT_EQ(spans[0].metadata.at("error_context").at("raised_by"), "platform");
}

TEST_P(TraceStoreTest, RunningExecutionIsTracedFromItsEventsSoFar) {
  add("e1", 100);
  EventScript s;
  s.execution_id = "e1";
  s.emit(EventType::execution_started, "root", "", {{"crew_name", "c"}});
  s.emit(EventType::task_started, "t1", "root", {{"task_name", "one"}, {"agent_name", "a"}});
  write([&](store::Connection& c) {
    executions::insert_events(c, s.events);
    return 0;
  });
  auto spans = read([](store::Connection& c) { return observability::execution_spans(c, "e1", false); });
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[1].status, "running");
  EXPECT_FALSE(spans[1].ended_at);
  EXPECT_TRUE(observability::span_json(spans[1]).at("duration_ms").is_null());
}

INSTANTIATE_TEST_SUITE_P(Dialects, TraceStoreTest, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         store::testing::DialectName());

}  // namespace
}  // namespace aop::test
