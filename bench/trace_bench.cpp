// Traces of a large execution: 100 tasks, each with an agent making 9 LLM calls and 9 tool
// calls (2,001 spans from 4,004 events).
//   BM_BuildTrace2000   TraceBuilder over the events + parents-first ordering (what
//                       GET .../traces does for a running execution, minus the read).
//   BM_StoreTrace2000   store_traces on SQLite: read the 4,004 events, build, replace the
//                       2,001 rows in one transaction (what the worker does when a run ends).
//   BM_Metrics2000      compute_metrics over the same events (GET .../metrics minus the read).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "core/blocking_pool.hpp"
#include "executions/event_rows.hpp"
#include "executions/execution_store.hpp"
#include "observability/execution_metrics.hpp"
#include "observability/trace_store.hpp"
#include "store/migrator.hpp"

namespace {

using aop::engine::Event;
using aop::engine::EventType;
namespace json = boost::json;

std::vector<Event> big_run(const std::string& execution_id) {
  std::vector<Event> events;
  std::int64_t ts = 1'700'000'000'000;
  auto emit = [&](EventType type, std::string trace, std::string parent, json::object data) {
    Event e;
    e.seq = static_cast<std::int64_t>(events.size()) + 1;
    e.type = type;
    e.ts_ms = ts += 3;
    e.execution_id = execution_id;
    e.trace_id = std::move(trace);
    e.parent_trace_id = std::move(parent);
    e.data = std::move(data);
    events.push_back(std::move(e));
  };
  emit(EventType::execution_started, "root", "", {{"crew_name", "big"}, {"crew_id", "c"}});
  for (int t = 0; t < 100; ++t) {
    auto task = "task-" + std::to_string(t), agent = "agent-" + std::to_string(t);
    emit(EventType::task_started, task, "root", {{"task_name", task}, {"agent_name", "a"}});
    emit(EventType::agent_started, agent, task, {{"agent_name", "a"}, {"task_name", task}, {"model", "openai/gpt-4o"}});
    for (int i = 0; i < 9; ++i) {
      auto n = task + "-" + std::to_string(i);
      emit(EventType::llm_call, "llm-" + n, agent,
           {{"model", "openai/gpt-4o"}, {"input_tokens", 1200}, {"output_tokens", 80}, {"cached_input_tokens", 0},
            {"duration", 0.8}, {"cost", 0.0038}, {"agent_name", "a"}, {"task_name", task}});
      emit(EventType::tool_call, "tool-" + n, agent,
           {{"tool_name", "web_fetch"}, {"inputs", {{"url", "https://example.com/" + n}}},
            {"outputs", std::string(300, 'x')}, {"duration", 0.2}, {"error", false}, {"agent_name", "a"}});
    }
    emit(EventType::agent_completed, agent, task, {{"agent_name", "a"}, {"output", std::string(500, 'y')}});
    emit(EventType::task_completed, task, "root", {{"task_name", task}, {"output", std::string(500, 'y')}});
  }
  emit(EventType::execution_completed, "root", "", {{"status", "completed"}, {"total_cost", 3.42}});
  return events;
}

void BM_BuildTrace2000(benchmark::State& state) {
  auto events = big_run("e1");
  for (auto _ : state) {
    auto spans = aop::observability::spans_from_events(events);
    benchmark::DoNotOptimize(spans.data());
  }
  state.counters["spans"] = static_cast<double>(aop::observability::spans_from_events(events).size());
}
BENCHMARK(BM_BuildTrace2000)->Unit(benchmark::kMillisecond);

void BM_Metrics2000(benchmark::State& state) {
  auto events = big_run("e1");
  for (auto _ : state) {
    auto m = aop::observability::compute_metrics(events);
    benchmark::DoNotOptimize(m.totals.input_tokens);
  }
}
BENCHMARK(BM_Metrics2000)->Unit(benchmark::kMillisecond);

void BM_StoreTrace2000(benchmark::State& state) {
  auto dir = std::filesystem::temp_directory_path() / ("aop-trace-bench-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  {
    aop::core::BlockingPool pool(1);
    auto db = aop::store::open_database("sqlite://" + (dir / "bench.db").string(), pool);
    aop::store::migrate(*db);
    db->with_transaction([](aop::store::Connection& c) {
      c.execute("INSERT INTO teams (id, name, slug, created_at, updated_at) VALUES ('t', 't', 't', 1, 1)");
      aop::executions::ExecutionRecord e;
      e.id = "e1";
      e.team_id = "t";
      e.created_at = 1;
      aop::executions::insert_execution(c, e);
      aop::executions::insert_events(c, big_run("e1"));
    });
    std::size_t spans = 0;
    for (auto _ : state)
      db->with_transaction([&](aop::store::Connection& c) { spans = aop::observability::store_traces(c, "e1"); });
    state.counters["spans"] = static_cast<double>(spans);
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_StoreTrace2000)->Unit(benchmark::kMillisecond);

}  // namespace
