#include <iostream>

#include "app/commands.hpp"
#include "app/execution_runtime.hpp"
#include "app/services.hpp"
#include "auth/authenticator.hpp"
#include "crews/secret_box.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"
#include "store/database.hpp"

namespace aop::app {

// Prints "METHOD PATTERN" for every product route (used by the OpenAPI coverage test).
int routes_command(const core::Config& config) {
  core::BlockingPool pool(1);
  auto db = store::open_database("sqlite://:memory:", pool);
  http::Metrics metrics;
  http::StaticFiles swagger;
  auth::AuthSettings settings;
  settings.jwt_secret = std::string(32, 'x');  // routes are only listed, never served
  auth::Authenticator authenticator(*db, settings, core::system_clock());
  crews::SecretBox secret_box(std::string(32, 'k'));  // nothing is sealed: routes are only listed
  executions::LiveHub hub;
  executions::CancelRegistry cancels;
  executions::LogFollower follower(*db, hub, cancels);
  executions::FinishedStreams finished_streams(0);
  NoTools tools;
  Services services{config,  *db,      metrics,          swagger, authenticator, core::system_clock(), pool, secret_box,
                    hub,     cancels,  follower,         finished_streams,        [] {},                 tools};
  http::Router router;
  register_product_routes(router, services);
  for (const auto& route : router.routes()) std::cout << route.method << " " << route.pattern << "\n";
  return 0;
}

}  // namespace aop::app
