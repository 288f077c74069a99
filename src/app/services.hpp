#pragma once
// The long-lived objects the API handlers use, built once by the composition root.
#include <functional>

#include "core/config.hpp"

namespace aop::store {
class Database;
}
namespace aop::core {
class Clock;
class BlockingPool;
}  // namespace aop::core
namespace aop::auth {
class Authenticator;
}
namespace aop::crews {
class SecretBox;
}
namespace aop::engine {
class ToolSource;
}
namespace aop::executions {
class LiveHub;
class CancelRegistry;
class LogFollower;
class FinishedStreams;
}  // namespace aop::executions
namespace aop::http {
class Metrics;
class Router;
class StaticFiles;
}  // namespace aop::http

namespace aop::app {

struct Services {
  const core::Config& config;
  store::Database& db;
  http::Metrics& metrics;
  const http::StaticFiles& swagger_assets;
  auth::Authenticator& auth;
  const core::Clock& clock;
  core::BlockingPool& blocking;  // CPU-heavy work (password hashing)
  const crews::SecretBox& secret_box;  // seals secrets at rest under the master key
  executions::LiveHub& live_hub;        // live subscribers of execution streams
  executions::CancelRegistry& cancels;  // cancel tokens of the runs in this process
  executions::LogFollower& log_follower;  // events of runs in other processes, for streams
  executions::FinishedStreams& finished_streams;  // replays of finished executions, in memory
  std::function<void()> wake_workers;   // an execution was queued (no-op without local workers)
  engine::ToolSource& tools;            // the tools crews may use
};

// Every product route. `aop serve` and `aop routes` both call this, so the route list that
// the OpenAPI coverage test checks is the one the server runs.
void register_product_routes(http::Router& router, Services& services);

}  // namespace aop::app
