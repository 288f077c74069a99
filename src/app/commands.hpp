#pragma once
// One function per subcommand. Each returns the process exit code.
#include "auth/authenticator.hpp"
#include "core/config.hpp"

#include <iosfwd>
#include <string>

namespace aop::app {

int serve_command(const core::Config& config);
int migrate_command(const core::Config& config);
int routes_command(const core::Config& config);
int secrets_check_command(const core::Config& config);

struct UserCommandOptions {
  std::string email;
  std::string name;
  std::string role = "developer";
  bool password_stdin = false;
};
int user_create_command(const core::Config& config, const UserCommandOptions& options, std::istream& in);
int user_reset_password_command(const core::Config& config, const UserCommandOptions& options, std::istream& in);

// Authentication settings from the configuration (creates the JWT secret file if needed).
auth::AuthSettings auth_settings(const core::Config& config);

}  // namespace aop::app
