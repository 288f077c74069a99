#pragma once
// Opens the configured database, creating the data directory; logs one clear line and
// returns nullptr when that fails.
#include <functional>
#include <memory>

#include "core/blocking_pool.hpp"
#include "core/config.hpp"
#include "store/database.hpp"

namespace aop::app {

std::unique_ptr<store::Database> open_configured_database(const core::Config& config,
                                                          core::BlockingPool& pool);

// For CLI commands: opens and migrates the configured database, runs fn, and turns an
// exception into one "aop: ..." line and exit code 1. Returns fn's exit code otherwise.
int with_migrated_database(const core::Config& config, const std::function<int(store::Database&)>& fn);

// The database URL with any password replaced by "***", for logs.
std::string redact_url(const std::string& url);

}  // namespace aop::app
