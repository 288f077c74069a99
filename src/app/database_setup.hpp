#pragma once
// Opens the configured database, creating the data directory; logs one clear line and
// returns nullptr when that fails.
#include <memory>

#include "core/blocking_pool.hpp"
#include "core/config.hpp"
#include "store/database.hpp"

namespace aop::app {

std::unique_ptr<store::Database> open_configured_database(const core::Config& config,
                                                          core::BlockingPool& pool);

// The database URL with any password replaced by "***", for logs.
std::string redact_url(const std::string& url);

}  // namespace aop::app
