#include <spdlog/spdlog.h>

#include <iostream>

#include "app/commands.hpp"
#include "app/database_setup.hpp"
#include "store/migrator.hpp"

namespace aop::app {

int migrate_command(const core::Config& config) {
  core::BlockingPool pool(1);
  auto db = open_configured_database(config, pool);
  if (!db) return 1;
  try {
    auto result = store::migrate(*db);
    std::cout << "applied " << result.applied << " migration(s); schema version "
              << result.current_version << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "aop: migration failed: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace aop::app
