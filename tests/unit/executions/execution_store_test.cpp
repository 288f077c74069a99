// The run queue on both databases: claims (oldest first, never twice, also concurrently),
// cancellation in each state, recovery of runs whose worker is gone, team-scoped listing.
#include "executions/execution_store.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "executions/event_rows.hpp"
#include "executions/recovery.hpp"
#include "unit/executions/execution_test_support.hpp"

namespace aop::executions {
namespace {

using store::Connection;
using store::Dialect;
using testing::ExecutionsDbTest;
using testing::k_other_team;
using testing::k_team;

class ExecutionStoreTest : public ExecutionsDbTest {};

TEST_P(ExecutionStoreTest, ClaimTakesTheOldestPendingRunOnce) {
  add("b", 200);
  add("a", 100);
  auto first = write([](Connection& c) { return claim_next(c, "w1", 5000); });
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, "a");
  EXPECT_EQ(first->status, "running");
  EXPECT_EQ(first->worker_id, "w1");
  EXPECT_EQ(first->started_at, 5000);
  EXPECT_EQ(first->heartbeat_at, 5000);
  EXPECT_EQ(first->inputs, R"({"topic":"x"})");
  auto second = write([](Connection& c) { return claim_next(c, "w2", 5001); });
  ASSERT_TRUE(second);
  EXPECT_EQ(second->id, "b");
  EXPECT_FALSE(write([](Connection& c) { return claim_next(c, "w1", 5002); }));
}

TEST_P(ExecutionStoreTest, ConcurrentClaimersNeverGetTheSameRun) {
  constexpr int k_runs = 40;
  for (int i = 0; i < k_runs; ++i) add("run-" + std::to_string(100 + i), 1000 + i);
  std::mutex mutex;
  std::multiset<std::string> claimed;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      while (true) {
        std::optional<ExecutionRecord> got;
        db().with_transaction([&](Connection& c) { got = claim_next(c, "w" + std::to_string(t), 9000); });
        if (!got) return;
        std::lock_guard lock(mutex);
        claimed.insert(got->id);
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(k_runs));
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), static_cast<std::size_t>(k_runs));
}

TEST_P(ExecutionStoreTest, CancelDependsOnTheState) {
  add("running", 100);
  write([](Connection& c) { return claim_next(c, "w1", 2); });
  add("queued", 200);
  add("theirs", 300, k_other_team);

  EXPECT_EQ(write([](Connection& c) { return request_cancel(c, k_team, "queued", 10); }), CancelResult::cancelled);
  auto queued = read([](Connection& c) { return find_execution(c, k_team, "queued"); });
  EXPECT_EQ(queued->status, "cancelled");
  EXPECT_EQ(queued->completed_at, 10);
  // The queue now holds only the other team's run: a cancelled run is never claimed.
  EXPECT_EQ(write([](Connection& c) { return claim_next(c, "w2", 11); })->id, "theirs");
  EXPECT_FALSE(write([](Connection& c) { return claim_next(c, "w2", 11); }));

  EXPECT_EQ(write([](Connection& c) { return request_cancel(c, k_team, "running", 12); }), CancelResult::requested);
  EXPECT_EQ(read([](Connection& c) { return cancel_requests(c, "w1"); }), std::vector<std::string>{"running"});
  EXPECT_TRUE(read([](Connection& c) { return cancel_requests(c, "someone-else"); }).empty());

  EXPECT_EQ(write([](Connection& c) { return request_cancel(c, k_team, "queued", 13); }),
            CancelResult::already_finished);
  EXPECT_EQ(write([](Connection& c) { return request_cancel(c, k_team, "theirs", 13); }), CancelResult::not_found);
  EXPECT_EQ(write([](Connection& c) { return request_cancel(c, k_team, "nope", 13); }), CancelResult::not_found);
}

TEST_P(ExecutionStoreTest, FinishWritesTheRunOnlyForItsWorker) {
  add("a", 100);
  write([](Connection& c) { return claim_next(c, "w1", 1000); });
  FinalOutcome o{"completed", R"({"t":"out"})", std::nullopt, 10, 20, 0.5, 1234};
  EXPECT_FALSE(write([&](Connection& c) { return finish_execution(c, "a", "w2", o, 3000); }));
  EXPECT_TRUE(write([&](Connection& c) { return finish_execution(c, "a", "w1", o, 3000); }));
  auto e = read([](Connection& c) { return find_execution(c, k_team, "a"); });
  EXPECT_EQ(e->status, "completed");
  EXPECT_EQ(e->outputs, R"({"t":"out"})");
  EXPECT_EQ(e->total_tokens, 30);
  EXPECT_EQ(e->total_cost, 0.5);
  EXPECT_EQ(e->duration_ms, 1234);
  EXPECT_EQ(e->completed_at, 3000);
  EXPECT_FALSE(write([&](Connection& c) { return finish_execution(c, "a", "w1", o, 3001); })) << "only once";
}

TEST_P(ExecutionStoreTest, RecoveryFailsOnlyRunsWithoutARecentHeartbeatAndEndsTheirLog) {
  add("dead", 100);
  add("alive", 200);
  write([](Connection& c) { return claim_next(c, "gone", 1000); });     // dead: heartbeat 1000
  write([](Connection& c) { return claim_next(c, "running", 1000); });  // alive: heartbeat refreshed below
  write([](Connection& c) { return heartbeat(c, "running", 9000); });
  engine::Event started;
  started.seq = 1;
  started.type = engine::EventType::execution_started;
  started.execution_id = "dead";
  started.trace_id = "root-trace";
  started.ts_ms = 1000;
  write([&](Connection& c) {
    insert_events(c, {started});
    return 0;
  });

  auto recovered = write([](Connection& c) { return recover_interrupted(c, 5000, 10000); });
  ASSERT_EQ(recovered.size(), 1u);
  EXPECT_EQ(recovered[0].execution.id, "dead");
  EXPECT_EQ(recovered[0].execution.status, "failed");
  EXPECT_EQ(recovered[0].execution.error_message, "interrupted");
  auto events = read([](Connection& c) { return read_events(c, "dead", 0, 100); });
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].seq, 2);
  EXPECT_EQ(events[1].type, engine::EventType::error);
  EXPECT_EQ(events[1].trace_id, "root-trace");
  EXPECT_EQ(events[2].seq, 3);
  EXPECT_EQ(events[2].type, engine::EventType::execution_completed);
  EXPECT_EQ(events[2].data.at("status").as_string(), "failed");
  EXPECT_EQ(read([](Connection& c) { return find_execution(c, k_team, "alive"); })->status, "running");
  EXPECT_TRUE(write([](Connection& c) { return recover_interrupted(c, 5000, 10001); }).empty()) << "only once";
}

TEST_P(ExecutionStoreTest, ListingIsTeamScopedFilteredAndPaged) {
  for (int i = 0; i < 5; ++i) add("e" + std::to_string(i), 100 * (i + 1));
  add("theirs", 50, k_other_team);
  write([](Connection& c) { return request_cancel(c, k_team, "e0", 1); });
  ExecutionFilter f;
  f.limit = 2;
  auto page1 = read([&](Connection& c) { return list_executions(c, k_team, f); });
  ASSERT_EQ(page1.size(), 2u);
  EXPECT_EQ(page1[0].id, "e4");
  EXPECT_EQ(page1[1].id, "e3");
  f.after = std::make_pair(page1[1].created_at, page1[1].id);
  auto page2 = read([&](Connection& c) { return list_executions(c, k_team, f); });
  ASSERT_EQ(page2.size(), 2u);
  EXPECT_EQ(page2[0].id, "e2");
  ExecutionFilter by_status;
  by_status.status = "cancelled";
  auto cancelled = read([&](Connection& c) { return list_executions(c, k_team, by_status); });
  ASSERT_EQ(cancelled.size(), 1u);
  EXPECT_EQ(cancelled[0].id, "e0");
  ExecutionFilter window;
  window.from_ms = 200;
  window.to_ms = 400;
  auto in_window = read([&](Connection& c) { return list_executions(c, k_team, window); });
  ASSERT_EQ(in_window.size(), 2u);
  EXPECT_EQ(in_window[0].id, "e2");
  EXPECT_EQ(in_window[1].id, "e1");
  EXPECT_FALSE(read([](Connection& c) { return find_execution(c, k_team, "theirs"); }));
}

INSTANTIATE_TEST_SUITE_P(Dialects, ExecutionStoreTest, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         store::testing::DialectName());

}  // namespace
}  // namespace aop::executions
