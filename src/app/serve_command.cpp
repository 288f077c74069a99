#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "app/commands.hpp"
#include "app/database_setup.hpp"
#include "app/execution_runtime.hpp"
#include "app/standalone_engine.hpp"
#include "app/master_key.hpp"
#include "app/secret_files.hpp"
#include "app/services.hpp"
#include "auth/authenticator.hpp"
#include "app/web_ui.hpp"
#include "core/ids.hpp"
#include "crews/secret_box.hpp"
#include "http/metrics.hpp"
#include "http/middleware.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "store/migrator.hpp"

namespace aop::app {

namespace {
http::ServerOptions server_options(const core::Config& c) {
  http::ServerOptions o;
  o.host = c.host;
  o.port = static_cast<unsigned short>(c.port);
  o.io_threads = c.io_threads;
  o.max_body_bytes = c.max_body_bytes;
  o.max_header_bytes = c.max_header_bytes;
  o.max_connections = c.max_connections;
  o.header_timeout = std::chrono::milliseconds(c.header_timeout_ms);
  o.body_timeout = std::chrono::milliseconds(c.body_timeout_ms);
  o.idle_timeout = std::chrono::milliseconds(c.idle_timeout_ms);
  o.shutdown_timeout = std::chrono::milliseconds(c.shutdown_timeout_ms);
  o.sse_ping_interval = std::chrono::milliseconds(c.sse_ping_interval_ms);
  o.sse_send_buffer_bytes = c.sse_send_buffer_bytes;
  return o;
}
// Background upkeep of the authenticator on the blocking pool: every 2 s it syncs session
// revocations from the database (other nodes' logouts take effect within that time), and
// every 10 s it writes API key last_used_at in one batch.
class AuthMaintenance {
 public:
  AuthMaintenance(boost::asio::io_context& io, core::BlockingPool& pool, auth::Authenticator& auth)
      : timer_(io), pool_(pool), auth_(auth) {
    schedule();
  }
  void stop() { timer_.cancel(); }

 private:
  void schedule() {
    timer_.expires_after(std::chrono::seconds(2));
    timer_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      bool flush = ++ticks_ % 5 == 0;
      boost::asio::post(pool_.executor(), [this, flush] {
        try {
          auth_.sync_revocations();
        } catch (const std::exception& e) {
          spdlog::warn("could not sync session revocations: {}", e.what());
        }
        if (flush) auth_.flush_key_usage();
      });
      schedule();
    });
  }
  unsigned ticks_ = 0;
  boost::asio::steady_timer timer_;
  core::BlockingPool& pool_;
  auth::Authenticator& auth_;
};

}  // namespace

auth::AuthSettings auth_settings(const core::Config& config) {
  auth::AuthSettings s;
  s.jwt_secret = config.jwt_secret.empty() ? load_or_create_secret(config.data_dir, "jwt_secret", 48) : config.jwt_secret;
  s.allow_signup = config.allow_signup;
  s.user_rate_limit_per_minute = config.user_rate_limit;
  s.api_key_rate_limit_per_minute = config.api_key_rate_limit;
  return s;
}

int serve_command(const core::Config& config) {
  auto started = std::chrono::steady_clock::now();
  core::init_crypto();
  core::BlockingPool blocking(static_cast<std::size_t>(config.blocking_threads));
  auto db = open_configured_database(config, blocking);
  if (!db) return 1;
  try {
    auto result = store::migrate(*db);
    if (result.applied > 0)
      spdlog::info("applied {} migration(s); schema version {}", result.applied, result.current_version);
  } catch (const std::exception& e) {
    std::cerr << "aop: migration failed: " << e.what() << "\n";
    return 1;
  }

  http::Metrics metrics;
  metrics.add_gauge("aop_db_pool_connections", "Open database connections",
                    [&db] { return static_cast<double>(db->stats().size); });
  metrics.add_gauge("aop_db_pool_in_use", "Database connections in use",
                    [&db] { return static_cast<double>(db->stats().in_use); });
  metrics.add_gauge("aop_blocking_pool_busy", "Blocking-pool threads running work",
                    [&blocking] { return static_cast<double>(blocking.busy()); });

  auto web = http::StaticFiles::load(config.web_dir);
  auto swagger = http::StaticFiles::load(config.swagger_dir);
  if (web.empty()) spdlog::warn("web UI not found in {}; serving the API only", config.web_dir);

  std::unique_ptr<auth::Authenticator> authenticator;
  try {
    authenticator = std::make_unique<auth::Authenticator>(*db, auth_settings(config), core::system_clock());
    authenticator->sync_revocations();  // logouts and role changes survive a restart
  } catch (const std::exception& e) {
    std::cerr << "aop: " << e.what() << "\n";
    return 1;
  }

  std::unique_ptr<crews::SecretBox> secret_box;
  try {
    secret_box = std::make_unique<crews::SecretBox>(master_secret_key(config, true));
  } catch (const std::exception& e) {
    std::cerr << "aop: " << e.what() << "\n";
    return 1;
  }
  warn_about_unreadable_secrets(*db, *secret_box);

  boost::asio::io_context io(config.io_threads);
  std::unique_ptr<engine::tools::BuiltinTools> tools;
  std::optional<ExecutionRuntime> runtime;
  if (int code = prepare_executions(config, io, *db, *secret_box, tools, runtime)) return code;
  auto& executions = *runtime;
  executions.add_metrics(metrics);

  http::Router router;
  Services services{config,
                    *db,
                    metrics,
                    swagger,
                    *authenticator,
                    core::system_clock(),
                    blocking,
                    *secret_box,
                    executions.hub(),
                    executions.cancels(),
                    executions.log_follower(),
                    executions.finished_streams(),
                    [&executions] { executions.pool().notify(); },
                    *tools};
  register_product_routes(router, services);

  auto pipeline = http::standard_pipeline(router, metrics, config.cors_origins, web_ui_handler(web),
                                          authenticator->guard());
  http::Server server(io, server_options(config), router, pipeline, metrics);
  AuthMaintenance maintenance(io, blocking, *authenticator);
  server.on_shutdown([&maintenance] { maintenance.stop(); });
  // Running executions finish (or are interrupted at the deadline) before the loop stops.
  server.on_drain([&executions](std::chrono::steady_clock::time_point deadline) { return executions.stop(deadline); });
  unsigned short port;
  try {
    port = server.listen();
  } catch (const std::exception& e) {
    std::cerr << "aop: cannot listen on " << config.host << ":" << config.port << ": " << e.what() << "\n";
    return 1;
  }
  if (!config.port_file.empty()) {
    std::ofstream(config.port_file) << port << "\n";
  }
  auto startup_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  spdlog::info("AOP {} listening on http://{}:{} (database {}, {} worker(s), started in {:.1f} ms)", AOP_VERSION,
               config.host, port, redact_url(config.effective_database_url()), config.workers, startup_ms);
  executions.start();
  server.run();
  authenticator->flush_key_usage();
  blocking.join();
  spdlog::info("stopped");
  return 0;
}

}  // namespace aop::app
