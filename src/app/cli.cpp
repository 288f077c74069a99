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
  auto* worker = cli.add_subcommand("worker", "Run queued executions only (no HTTP), next to API-only servers");
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

  CrewImportOptions import_options;
  auto* import = cli.add_subcommand("import", "Import a crew document or a CrewAI project as a draft crew");
  import->add_option("path", import_options.path, "A crew YAML/JSON file, or a CrewAI project directory")->required();
  import->add_option("--team", import_options.team, "Team id, slug or name (default: the oldest team)");
  import->add_option("--name", import_options.name, "Name of the crew (default: the document's, or the file name)");
  CrewExportOptions export_options;
  auto* export_cmd = cli.add_subcommand("export", "Export a crew as YAML, JSON or a CrewAI project");
  export_cmd->add_option("crew", export_options.crew, "The crew's id or name")->required();
  export_cmd->add_option("--team", export_options.team, "Look the name up in this team (id, slug or name)");
  export_cmd->add_option("--format", export_options.format, "yaml, json or crewai")->default_val("yaml");
  export_cmd->add_option("--output", export_options.output,
                         "File to write (default: standard output); for crewai, the project directory");
  RunCommandOptions run_options;
  auto* run = cli.add_subcommand("run", "Run a crew here and show it live (no server needed)");
  run->add_option("path", run_options.path, "A crew YAML/JSON file, or a CrewAI project directory")->required();
  run->add_option("--input,-i", run_options.inputs, "An input as key=value (repeatable)");
  run->add_option("--model", run_options.model, "Use this model for every agent, e.g. simulated/default");
  run->add_flag("--json", run_options.json, "Print the events as JSON lines instead of the live view");
  auto* demo = cli.add_subcommand("demo", "Create the demo administrator and demo crews on a fresh installation");
  SeedCommandOptions seed_options;
  auto* seed = cli.add_subcommand("seed", "Fill the default team with synthetic crews and execution history");
  seed->add_option("--crews", seed_options.crews, "Crews the team should have (existing ones count)")->default_val(5);
  seed->add_option("--executions", seed_options.executions, "Finished executions to add")->default_val(1000);
  seed->add_option("--days", seed_options.days, "Spread them over this many days before now")->default_val(30);
  seed->add_option("--seed", seed_options.seed, "Random seed")->default_val(42);

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
  if (worker->parsed()) code = worker_command(config);
  if (migrate->parsed()) code = migrate_command(config);
  if (routes->parsed()) code = routes_command(config);
  if (secrets_check->parsed()) code = secrets_check_command(config);
  if (user_create->parsed()) code = user_create_command(config, user_options, std::cin);
  if (user_reset->parsed()) code = user_reset_password_command(config, user_options, std::cin);
  if (import->parsed()) code = crew_import_command(config, import_options);
  if (export_cmd->parsed()) code = crew_export_command(config, export_options);
  if (demo->parsed()) code = demo_command(config);
  if (seed->parsed()) code = seed_command(config, seed_options);
  if (run->parsed()) code = run_command(config, run_options);
  core::flush_logging();
  return code;
}

}  // namespace aop::app
