// `aop run <crew.yaml | crewai-project-dir> --input key=value ... [--model m] [--json]`:
// runs a crew in this process, showing it live (or as JSON lines), without a server or a
// database. Exit code 0 when the run completes, 1 when it fails, 2 for a crew that cannot
// run as written, 130 when interrupted.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/json.hpp>

#include <filesystem>
#include <iomanip>
#include <iostream>

#include "app/commands.hpp"
#include "app/crew_source.hpp"
#include "app/standalone_engine.hpp"
#include "app/terminal_view.hpp"
#include "core/ids.hpp"
#include "crews/crew_validator.hpp"
#include "engine/crew_runner.hpp"

namespace aop::app {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// --model replaces every model the crew names, e.g. to try a crew offline on simulated/default.
void override_models(crews::CrewSpec& crew, const std::string& model) {
  crew.llm = model;
  if (crew.manager_llm || crew.process == crews::Process::hierarchical) crew.manager_llm = model;
  for (auto& a : crew.agents) a.llm = model;
  if (crew.manager_agent)
    if (auto* inline_manager = std::get_if<crews::AgentSpec>(&*crew.manager_agent)) inline_manager->llm = model;
}

// key=value; the value is read as JSON when the input is declared with a non-string type
// (--input year=2025 for an integer input), as text otherwise.
bool parse_inputs(const crews::CrewSpec& crew, const std::vector<std::string>& pairs, json::object& out) {
  for (const auto& pair : pairs) {
    auto eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "aop: --input takes key=value, got \"" << pair << "\"\n";
      return false;
    }
    std::string key = pair.substr(0, eq), value = pair.substr(eq + 1);
    const auto* declared = crews::find_input(crew, key);
    if (declared && declared->type != "string") {
      boost::system::error_code ec;
      auto parsed = json::parse(value, ec);
      if (!ec) {
        out[key] = std::move(parsed);
        continue;
      }
    }
    out[key] = value;
  }
  return true;
}

void print_summary(const engine::CrewRunResult& result) {
  auto& out = std::cerr;
  out << "\n" << std::left << std::setw(28) << "task" << std::setw(18) << "agent" << std::setw(11) << "status"
      << std::right << std::setw(10) << "tokens" << std::setw(12) << "cost" << std::setw(10) << "time" << "\n";
  for (const auto& t : result.tasks) {
    std::ostringstream time;
    time << std::fixed << std::setprecision(2) << t.duration << "s";
    out << std::left << std::setw(28) << t.name.substr(0, 27) << std::setw(18) << t.agent.substr(0, 17)
        << std::setw(11) << t.status << std::right << std::setw(10) << (t.usage.input_tokens + t.usage.output_tokens)
        << std::setw(12) << format_usd(t.cost) << std::setw(10) << time.str() << "\n";
  }
  std::ostringstream time;
  time << std::fixed << std::setprecision(2) << result.total_duration << "s";
  out << std::left << std::setw(57) << "total (delegated work included)" << std::right << std::setw(10)
      << (result.usage.input_tokens + result.usage.output_tokens) << std::setw(12) << format_usd(result.total_cost)
      << std::setw(10) << time.str() << "\n";
}

asio::awaitable<void> run_and_keep(engine::RunContext& run, const engine::CrewRunRequest& request,
                                   engine::CrewRunResult& result) {
  result = co_await engine::run_crew(run, request);
}

}  // namespace

int run_command(const core::Config& config, const RunCommandOptions& options) {
  ImportSource source;
  try {
    source = read_import_source(options.path);
  } catch (const std::exception& e) {
    std::cerr << "aop: " << e.what() << "\n";
    return 2;
  }
  if (!source.parsed.ok()) {
    print_findings(source.label, "error", source.parsed.errors);
    return 2;
  }
  auto crew = std::move(*source.parsed.spec);
  if (crew.name.empty()) crew.name = source.name_guess;
  if (!options.model.empty()) override_models(crew, options.model);
  auto checked = crews::validate(crew);
  print_findings(source.label, "warning", checked.warnings);
  if (!checked.errors.empty()) {
    print_findings(source.label, "error", checked.errors);
    std::cerr << "aop: the crew cannot run as written\n";
    return 2;
  }
  json::object inputs;
  if (!parse_inputs(crew, options.inputs, inputs)) return 2;

  std::unique_ptr<engine::EventSink> view;
  if (options.json) view = std::make_unique<JsonLinesView>(std::cout);
  else view = std::make_unique<TerminalView>(std::cout);

  asio::io_context io;
  std::unique_ptr<StandaloneEngine> engine;
  try {
    engine = std::make_unique<StandaloneEngine>(config);
  } catch (const std::invalid_argument& e) {
    std::cerr << "aop: " << e.what() << "\n";
    return 2;
  }
  auto cancel = std::make_shared<engine::CancelToken>();
  engine::RunSettings settings;
  if (!options.model.empty()) settings.default_model = options.model;
  try {
    settings.hooks = hook_settings_from_environment(process_environment(), true);
  } catch (const std::invalid_argument& e) {
    std::cerr << "aop: " << e.what() << "\n";
    return 2;
  }
  auto execution_id = core::new_id();
  settings.workspace_dir = (std::filesystem::temp_directory_path() / ("aop-run-" + execution_id)).string();
  std::filesystem::create_directories(settings.workspace_dir);
  engine::RunContext run(execution_id, *view, engine->providers(), engine->tools(), engine::PriceTable::shipped(), cancel,
                         settings);

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    std::cerr << "\naop: stopping the run...\n";
    cancel->cancel();
  });
  engine::CrewRunRequest request{std::move(crew), std::move(inputs), ""};
  engine::CrewRunResult result;
  asio::co_spawn(
      io, run_and_keep(run, request, result),
      [&](std::exception_ptr error) {
        signals.cancel();
        if (error) {
          try {
            std::rethrow_exception(error);
          } catch (const std::exception& e) {
            result.status = "failed";
            result.error_message = e.what();
          }
        }
      });
  io.run();

  if (!options.json) print_summary(result);
  std::error_code ec;
  if (std::filesystem::is_empty(settings.workspace_dir, ec)) std::filesystem::remove(settings.workspace_dir, ec);
  else std::cerr << "Files the crew wrote are in " << settings.workspace_dir << "\n";
  if (result.status == "completed") return 0;
  if (result.status == "cancelled") return 130;
  if (options.json) std::cerr << "aop: the run " << result.status << ": " << result.error_message << "\n";
  return 1;
}

}  // namespace aop::app
