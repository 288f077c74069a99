#include "app/execution_runtime.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>

#include "app/standalone_engine.hpp"
#include "core/clock.hpp"
#include "executions/recovery.hpp"
#include "http/metrics.hpp"

namespace aop::app {

ExecutionRuntime::ExecutionRuntime(const core::Config& config, boost::asio::io_context& io, store::Database& db,
                                   const crews::SecretBox& secret_box, engine::ToolSource& tools)
    : config_(config), db_(db), log_(db, hub_, io.get_executor()), follower_(db, hub_, cancels_) {
  providers_.http = std::make_shared<engine::llm::HttpStreamClient>();
  providers_.simulated.first_token_latency = std::chrono::milliseconds(config.simulated_latency_ms);
  executions::WorkerPoolSettings settings;
  settings.workers = config.workers;
  settings.worker_timeout = std::chrono::milliseconds(config.worker_timeout_ms);
  settings.workspace_root = (std::filesystem::path(config.data_dir) / "workspaces").string();
  try {
    settings.run.hooks = hook_settings_from_environment(process_environment(), false);
  } catch (const std::invalid_argument& e) {
    spdlog::error("{}; command hooks stay off", e.what());
  }
  pool_ = std::make_unique<executions::WorkerPool>(
      io, executions::WorkerDeps{db, secret_box, log_, hub_, cancels_, tools, providers_, core::system_clock()},
      std::move(settings));
}

std::size_t ExecutionRuntime::recover() {
  auto now = core::system_clock().now_ms();
  std::vector<executions::Recovered> recovered;
  db_.with_transaction([&](store::Connection& c) {
    recovered = executions::recover_interrupted(c, now - config_.worker_timeout_ms, now);
  });
  for (const auto& r : recovered) spdlog::warn("execution {} was interrupted; marked failed", r.execution.id);
  return recovered.size();
}

void ExecutionRuntime::start() {
  log_.start();
  pool_->start();
}

boost::asio::awaitable<void> ExecutionRuntime::stop(std::chrono::steady_clock::time_point deadline) {
  co_await pool_->stop(deadline);
  co_await log_.stop();
}

void ExecutionRuntime::add_metrics(http::Metrics& metrics) {
  metrics.add_gauge("aop_sse_subscribers", "Live subscribers of execution event streams",
                    [this] { return static_cast<double>(hub_.subscriber_count()); });
  metrics.add_gauge("aop_executions_followed", "Executions in other processes whose events this process follows",
                    [this] { return static_cast<double>(follower_.following()); });
  metrics.add_gauge("aop_executions_running", "Executions running in this process",
                    [this] { return static_cast<double>(pool_->running()); });
  metrics.add_gauge("aop_event_log_queued", "Execution events waiting to be written",
                    [this] { return static_cast<double>(log_.queued()); });
  metrics.add_gauge("aop_event_log_batches", "Event batches written since start",
                    [this] { return static_cast<double>(log_.batches_written()); });
}

}  // namespace aop::app

namespace aop::app {

int prepare_executions(const core::Config& config, boost::asio::io_context& io, store::Database& db,
                       const crews::SecretBox& secret_box, std::unique_ptr<engine::tools::BuiltinTools>& tools,
                       std::optional<ExecutionRuntime>& runtime) {
  try {
    tools = std::make_unique<engine::tools::BuiltinTools>(tool_options_from_environment(process_environment()));
  } catch (const std::invalid_argument& e) {
    std::cerr << "aop: " << e.what() << "\n";
    return 2;
  }
  runtime.emplace(config, io, db, secret_box, *tools);
  try {
    runtime->recover();
  } catch (const std::exception& e) {
    std::cerr << "aop: could not recover interrupted executions: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace aop::app
