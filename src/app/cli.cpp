#include "app/cli.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

#include "app/commands.hpp"
#include "core/config.hpp"
#include "core/logging.hpp"

namespace aop::app {

int run_cli(int argc, char** argv) {
  CLI::App cli{"AOP — Agent Operations Platform: define, run and observe agent crews."};
  cli.require_subcommand(1);
  cli.fallthrough();

  // Every configuration setting is also a flag (--port, --data-dir, ...).
  std::map<std::string, std::string> flag_values;
  std::optional<std::string> config_path;
  cli.add_option_function<std::string>("--config", [&](const std::string& v) { config_path = v; },
                                       "Path of an aop.yaml configuration file");
  for (const auto& setting : core::settings()) {
    std::string flag = setting.key;
    std::replace(flag.begin(), flag.end(), '_', '-');
    cli.add_option_function<std::string>(
           "--" + flag, [&flag_values, key = setting.key](const std::string& v) { flag_values[key] = v; },
           setting.help + " [env " + setting.env + "]")
        ->group("Configuration");
  }

  auto* serve = cli.add_subcommand("serve", "Start the HTTP API, web UI and workers");
  auto* migrate = cli.add_subcommand("migrate", "Apply pending database migrations and exit");
  auto* version = cli.add_subcommand("version", "Print the version and exit");
  auto* routes = cli.add_subcommand("routes", "List every HTTP route (METHOD PATTERN)");
  auto* secrets = cli.add_subcommand("secrets", "Inspect the encrypted secrets store");
  secrets->require_subcommand(1);
  auto* secrets_check =
      secrets->add_subcommand("check", "Check that every stored secret decrypts with the configured key");
  auto* user = cli.add_subcommand("user", "Manage user accounts");
  user->require_subcommand(1);
  UserCommandOptions user_options;
  auto* user_create = user->add_subcommand("create", "Create a user (password read from standard input)");
  user_create->add_option("--email", user_options.email, "Email address")->required();
  user_create->add_option("--name", user_options.name, "Display name");
  user_create->add_option("--role", user_options.role, "admin, developer or viewer")->default_val("developer");
  user_create->add_flag("--password-stdin", user_options.password_stdin, "Read the password from standard input");
  auto* user_reset = user->add_subcommand("reset-password", "Set a new password (read from standard input)");
  user_reset->add_option("--email", user_options.email, "Email address")->required();
  user_reset->add_flag("--password-stdin", user_options.password_stdin, "Read the password from standard input");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  if (version->parsed()) {
    std::cout << "aop " << AOP_VERSION << "\n";
    return 0;
  }

  core::Config config;
  try {
    config = core::load_config(core::ConfigSources{config_path, flag_values});
  } catch (const core::ConfigError& e) {
    std::cerr << "aop: " << e.what() << "\n";
    return 2;
  }
  core::init_logging(config.log_format, config.log_level);

  int code = 0;
  if (serve->parsed()) code = serve_command(config);
  if (migrate->parsed()) code = migrate_command(config);
  if (routes->parsed()) code = routes_command(config);
  if (secrets_check->parsed()) code = secrets_check_command(config);
  if (user_create->parsed()) code = user_create_command(config, user_options, std::cin);
  if (user_reset->parsed()) code = user_reset_password_command(config, user_options, std::cin);
  core::flush_logging();
  return code;
}

}  // namespace aop::app
