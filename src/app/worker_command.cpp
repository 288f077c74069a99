// `aop worker`: the worker pool of `aop serve` without HTTP, for scaling out on PostgreSQL
// (several workers next to `aop serve --workers 0` API nodes). SIGINT/SIGTERM stop claiming,
// let running executions finish until shutdown_timeout_ms, then interrupt the rest.
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <iostream>
#include <thread>

#include "app/commands.hpp"
#include "app/database_setup.hpp"
#include "app/execution_runtime.hpp"
#include "app/standalone_engine.hpp"
#include "app/master_key.hpp"
#include "core/ids.hpp"
#include "store/migrator.hpp"

namespace aop::app {

namespace asio = boost::asio;

namespace {
asio::awaitable<void> stop_worker(ExecutionRuntime& runtime, asio::io_context& io,
                                  std::chrono::steady_clock::time_point deadline) {
  co_await runtime.stop(deadline);
  io.stop();
}
}  // namespace

int worker_command(const core::Config& config) {
  if (config.workers < 1) {
    std::cerr << "aop: aop worker needs at least one worker (--workers / AOP_WORKERS)\n";
    return 2;
  }
  core::init_crypto();
  core::BlockingPool blocking(static_cast<std::size_t>(config.blocking_threads));
  auto db = open_configured_database(config, blocking);
  if (!db) return 1;
  std::unique_ptr<crews::SecretBox> secret_box;
  try {
    store::migrate(*db);
    secret_box = std::make_unique<crews::SecretBox>(master_secret_key(config, true));
  } catch (const std::exception& e) {
    std::cerr << "aop: " << e.what() << "\n";
    return 1;
  }

  asio::io_context io(config.io_threads);
  std::unique_ptr<engine::tools::BuiltinTools> tools;
  std::optional<ExecutionRuntime> runtime;
  if (int code = prepare_executions(config, io, *db, *secret_box, tools, runtime)) return code;
  auto& executions = *runtime;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("received signal {}, stopping the workers", signal);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(config.shutdown_timeout_ms);
    asio::co_spawn(io, stop_worker(executions, io, deadline), asio::detached);
  });
  executions.start();
  spdlog::info("AOP {} worker {} running {} worker(s) (database {})", AOP_VERSION, executions.pool().worker_id(),
               config.workers, redact_url(config.effective_database_url()));
  std::vector<std::thread> threads;
  for (int i = 1; i < config.io_threads; ++i) threads.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : threads) t.join();
  blocking.join();
  spdlog::info("stopped");
  return 0;
}

}  // namespace aop::app
