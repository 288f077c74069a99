#pragma once
// One function per subcommand. Each returns the process exit code.
#include "auth/authenticator.hpp"
#include "core/config.hpp"

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace aop::app {

int serve_command(const core::Config& config);
// The execution workers of `aop serve` without the HTTP server; stops on SIGINT/SIGTERM.
int worker_command(const core::Config& config);
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

struct CrewImportOptions {
  std::string path;  // a crew document (YAML or JSON) or a CrewAI project directory
  std::string team;  // id, slug or name; empty = the oldest team
  std::string name;  // overrides the document's name
};
int crew_import_command(const core::Config& config, const CrewImportOptions& options);

struct CrewExportOptions {
  std::string crew;  // id or exact name
  std::string team;  // restricts the name lookup to one team
  std::string format = "yaml";  // yaml | json | crewai
  std::string output;           // file (yaml, json) or project directory (crewai); empty = stdout
};
int crew_export_command(const core::Config& config, const CrewExportOptions& options);

struct RunCommandOptions {
  std::string path;                 // crew document or CrewAI project directory
  std::vector<std::string> inputs;  // key=value
  std::string model;                // replaces every model the crew names
  bool json = false;                // JSON lines of events on stdout
};
int run_command(const core::Config& config, const RunCommandOptions& options);

// Demo administrator and crews for a fresh installation (`make run`).
int demo_command(const core::Config& config);

struct SeedCommandOptions {
  int crews = 5;
  int executions = 1000;
  int days = 30;            // the history spans this many days before now
  std::uint64_t seed = 42;  // the same seed gives the same history (ids and times aside)
};
// Synthetic execution history for demos and benchmarks.
int seed_command(const core::Config& config, const SeedCommandOptions& options);

// Authentication settings from the configuration (creates the JWT secret file if needed).
auth::AuthSettings auth_settings(const core::Config& config);

}  // namespace aop::app
