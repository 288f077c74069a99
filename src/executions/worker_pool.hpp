#pragma once
// The workers of one process (`aop serve` or `aop worker`). Each worker is a coroutine on its
// own strand: it claims the oldest pending execution, loads the crew version the execution
// pinned, runs it with run_crew (a waiting run holds no thread), and commits the final row
// with execution_completed. Idle workers sleep: one of them re-checks the queue every
// `idle_poll` (runs queued by other processes), the others until woken. An execution queued by
// this process wakes one at once (notify()), and a worker that claims one wakes another.
//
// A monitor, also a coroutine, keeps the runs of this process alive in the database
// (heartbeat), picks up cancel requests made on other nodes (cancel_poll), and marks runs of
// dead workers failed "interrupted" (recovery.hpp).
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "crews/secret_box.hpp"
#include "engine/run_context.hpp"
#include "executions/execution_store.hpp"
#include "executions/team_providers.hpp"
#include "store/database.hpp"

namespace aop::executions {

class CancelRegistry;
class EventLog;
class LiveHub;

struct WorkerPoolSettings {
  int workers = 4;                                  // runs at once in this process
  std::chrono::milliseconds idle_poll{1000};        // executions queued by other processes
  std::chrono::milliseconds cancel_poll{250};       // cancel requests made on other nodes
  std::chrono::milliseconds worker_timeout{30000};  // no heartbeat for this long: interrupted
  engine::RunSettings run;                          // default model, timeouts, retries
  std::string workspace_root;                       // each run gets <root>/<execution id>
};

struct WorkerDeps {
  store::Database& db;
  const crews::SecretBox& secret_box;
  EventLog& events;
  LiveHub& hub;
  CancelRegistry& cancels;
  engine::ToolSource& tools;
  const ProviderSettings& providers;
  const core::Clock& clock;
};

class WorkerPool {
 public:
  WorkerPool(boost::asio::io_context& io, WorkerDeps deps, WorkerPoolSettings settings);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Starts the workers and the monitor (the monitor runs even with 0 workers: recovery).
  void start();
  // An execution was queued: wake an idle worker now rather than at its next poll.
  void notify();
  // Stops claiming; lets runs finish until `deadline`, then interrupts the rest (they end
  // failed "interrupted") and waits for their final rows.
  boost::asio::awaitable<void> stop(std::chrono::steady_clock::time_point deadline);

  // This process's name in executions.worker_id: host:pid:random.
  const std::string& worker_id() const { return worker_id_; }
  std::size_t running() const { return running_.load(std::memory_order_relaxed); }

 private:
  struct Slot;
  boost::asio::awaitable<void> worker_loop(Slot& slot);
  boost::asio::awaitable<void> idle(Slot& slot);
  boost::asio::awaitable<void> run_one(ExecutionRecord job);
  boost::asio::awaitable<void> monitor();
  boost::asio::awaitable<void> monitor_tick(std::int64_t& last_heartbeat, std::int64_t& last_sweep);

  boost::asio::io_context& io_;
  WorkerDeps deps_;
  WorkerPoolSettings settings_;
  std::string worker_id_;
  std::vector<std::unique_ptr<Slot>> slots_;
  boost::asio::strand<boost::asio::io_context::executor_type> monitor_strand_;
  boost::asio::steady_timer monitor_timer_;

  std::mutex mutex_;
  std::vector<Slot*> idle_;  // workers sleeping in idle()
  std::size_t wakeups_ = 0;  // notify() calls no idle worker took yet
  std::size_t pollers_ = 0;  // idle workers polling the queue on a timer (at most one)
  std::atomic<bool> stopping_{false};
  std::atomic<bool> interrupting_{false};
  std::atomic<bool> monitor_stop_{false};
  std::atomic<bool> monitor_ended_{false};
  std::atomic<std::size_t> running_{0};
  std::atomic<std::size_t> workers_alive_{0};
};

}  // namespace aop::executions
