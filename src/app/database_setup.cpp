#include "app/database_setup.hpp"

#include "store/migrator.hpp"

#include <filesystem>
#include <iostream>

namespace aop::app {

std::string redact_url(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  auto at = url.find('@', scheme + 3);
  if (at == std::string::npos) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::unique_ptr<store::Database> open_configured_database(const core::Config& config,
                                                          core::BlockingPool& pool) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    std::cerr << "aop: cannot create data_dir \"" << config.data_dir << "\": " << ec.message() << "\n";
    return nullptr;
  }
  auto url = config.effective_database_url();
  try {
    store::DatabaseOptions options;
    options.pool_size = static_cast<std::size_t>(config.db_pool_size);
    return store::open_database(url, pool, options);
  } catch (const std::exception& e) {
    std::cerr << "aop: cannot open database " << redact_url(url) << ": " << e.what() << "\n";
    return nullptr;
  }
}

}  // namespace aop::app

namespace aop::app {

int with_migrated_database(const core::Config& config, const std::function<int(store::Database&)>& fn) {
  core::BlockingPool pool(1);
  auto db = open_configured_database(config, pool);
  if (!db) return 1;
  try {
    store::migrate(*db);
    return fn(*db);
  } catch (const std::exception& e) {
    std::cerr << "aop: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace aop::app
