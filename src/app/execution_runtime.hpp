#pragma once
// What runs executions in a process, shared by `aop serve` and `aop worker`: the live hub, the
// event log writer, the cancel registry and the worker pool, built from the configuration.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "core/config.hpp"
#include "crews/secret_box.hpp"
#include "engine/run_context.hpp"
#include "engine/tools/builtin_tools.hpp"
#include "executions/cancel_registry.hpp"
#include "executions/event_log.hpp"
#include "executions/finished_streams.hpp"
#include "executions/live_hub.hpp"
#include "executions/log_follower.hpp"
#include "executions/team_providers.hpp"
#include "executions/worker_pool.hpp"
#include "store/database.hpp"

namespace aop::http {
class Metrics;
}

namespace aop::app {

// No tools at all: for `aop routes`, which lists routes and runs nothing.
class NoTools final : public engine::ToolSource {
 public:
  std::shared_ptr<engine::tools::Tool> tool(std::string_view) override { return nullptr; }
};

class ExecutionRuntime {
 public:
  ExecutionRuntime(const core::Config& config, boost::asio::io_context& io, store::Database& db,
                   const crews::SecretBox& secret_box, engine::ToolSource& tools);

  // Blocking, at start-up: runs left `running` by a worker that is gone become failed
  // "interrupted". Returns how many.
  std::size_t recover();
  void start();
  // Lets runs finish until `deadline` (then interrupts them) and writes the last events.
  boost::asio::awaitable<void> stop(std::chrono::steady_clock::time_point deadline);
  void add_metrics(http::Metrics& metrics);

  executions::LiveHub& hub() { return hub_; }
  executions::CancelRegistry& cancels() { return cancels_; }
  executions::LogFollower& log_follower() { return follower_; }
  executions::FinishedStreams& finished_streams() { return finished_streams_; }
  executions::WorkerPool& pool() { return *pool_; }

 private:
  const core::Config& config_;
  store::Database& db_;
  executions::LiveHub hub_;
  executions::CancelRegistry cancels_;
  executions::EventLog log_;
  executions::LogFollower follower_;
  // 64 MiB holds the replays of ~600 finished runs of 200 events (≈ 100 KB each).
  executions::FinishedStreams finished_streams_{64 * 1024 * 1024};
  executions::ProviderSettings providers_;
  std::unique_ptr<executions::WorkerPool> pool_;
};

// What `aop serve` and `aop worker` both set up before starting: the builtin tools (options
// from the environment) and the runtime, with the runs of dead workers recovered. On failure
// it prints why and returns the process exit code (0 = ready).
int prepare_executions(const core::Config& config, boost::asio::io_context& io, store::Database& db,
                       const crews::SecretBox& secret_box, std::unique_ptr<engine::tools::BuiltinTools>& tools,
                       std::optional<ExecutionRuntime>& runtime);

}  // namespace aop::app
