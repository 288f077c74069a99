// Durable event ingest: events appended to the EventLog (group commit) by many concurrent runs
// until every batch has committed, on a file-backed SQLite database (WAL, as `aop serve` uses).
// Reported as events per second of wall time (items_per_second).
#include <benchmark/benchmark.h>

#include <ctime>
#include <filesystem>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "core/blocking_pool.hpp"
#include "core/ids.hpp"
#include "executions/event_log.hpp"
#include "executions/execution_store.hpp"
#include "executions/live_hub.hpp"
#include "store/migrator.hpp"

namespace {

namespace asio = boost::asio;
using namespace aop;

void BM_EventIngestSqlite(benchmark::State& state) {
  const int runs = 200;
  const int per_run = static_cast<int>(state.range(0)) / runs;
  auto dir = std::filesystem::temp_directory_path() / ("aop-ingest-" + core::new_id());
  std::filesystem::create_directories(dir);
  core::BlockingPool pool{2};
  auto db = store::open_database("sqlite://" + (dir / "bench.db").string(), pool);
  store::migrate(*db);
  // Events reference their execution (foreign key): one team and `runs` executions.
  std::vector<std::string> ids;
  db->with_transaction([&](store::Connection& c) {
    c.execute("INSERT INTO teams (id, name, slug, created_at, updated_at) VALUES ('t', 'T', 't', 0, 0)");
    for (int i = 0; i < runs; ++i) {
      executions::ExecutionRecord e;
      e.id = core::new_id();
      e.team_id = "t";
      e.status = "running";
      executions::insert_execution(c, e);
      ids.push_back(e.id);
    }
  });

  std::int64_t seq = 0;
  double cpu_seconds = 0;  // of the whole process (the writer works on the blocking pool)
  for (auto _ : state) {
    auto cpu_start = std::clock();
    asio::io_context io;
    executions::LiveHub hub;
    executions::EventLog log(*db, hub, io.get_executor());
    log.start();
    std::thread loop([&] {
      auto guard = asio::make_work_guard(io);
      io.run();
    });
    const std::int64_t first = seq;
    // Interleaved like concurrent runs: each round appends one event of every run.
    for (int n = 0; n < per_run; ++n) {
      ++seq;
      for (const auto& id : ids) {
        engine::Event e{seq, engine::EventType::llm_call, 1'700'000'000'000 + seq, id, "trace-" + std::to_string(seq),
                        "parent", {{"model", "openai/gpt-4o-mini"}, {"input_tokens", 812}, {"output_tokens", 95},
                                   {"duration", 1.25}, {"cost", 0.000179}}};
        log.append(std::move(e));
      }
    }
    asio::co_spawn(io, log.stop(), asio::use_future).get();
    io.stop();
    loop.join();
    cpu_seconds += static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    state.counters["batches"] = static_cast<double>(log.batches_written());
    (void)first;
  }
  state.SetItemsProcessed(state.iterations() * runs * per_run);
  // Events per second of process CPU: the rate on an otherwise idle core, whatever the load.
  state.counters["events_per_cpu_s"] = static_cast<double>(state.iterations() * runs * per_run) / cpu_seconds;
  db.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_EventIngestSqlite)->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
