#pragma once
// One function per subcommand. Each returns the process exit code.
#include "auth/authenticator.hpp"
#include "core/config.hpp"

namespace aop::app {

int serve_command(const core::Config& config);
int migrate_command(const core::Config& config);
int routes_command(const core::Config& config);

// Authentication settings from the configuration (creates the JWT secret file if needed).
auth::AuthSettings auth_settings(const core::Config& config);

}  // namespace aop::app
