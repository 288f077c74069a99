// `aop import <dir-or-file>` and `aop export <crew>`: crews in and out from the shell,
// straight against the configured database (no server needed).
#include <boost/json/serialize.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/commands.hpp"
#include "app/crew_source.hpp"
#include "app/database_setup.hpp"
#include "auth/audit.hpp"
#include "core/clock.hpp"
#include "crews/crew_document.hpp"
#include "crews/crew_parser.hpp"
#include "crews/crew_service.hpp"
#include "crews/crew_store.hpp"
#include "crews/crew_validator.hpp"
#include "crews/crew_writer.hpp"
#include "crews/source_document.hpp"
#include "teams/team_store.hpp"

namespace aop::app {

namespace fs = std::filesystem;

namespace {

// The team named by id, slug or name; the oldest team when `wanted` is empty.
teams::Team pick_team(store::Connection& c, const std::string& wanted) {
  auto all = teams::list_all_teams(c);
  if (all.empty()) throw std::runtime_error("there is no team yet: create a user first (aop user create)");
  if (wanted.empty()) return all.front();
  for (const auto& t : all)
    if (t.id == wanted || t.slug == wanted || t.name == wanted) return t;
  throw std::runtime_error("no team \"" + wanted + "\" (give its id, slug or name)");
}

// The crew named by id or exact name, in one team when `team` is given.
crews::CrewRecord pick_crew(store::Connection& c, const std::string& wanted, const std::string& team) {
  std::string sql = "SELECT id, team_id FROM crews WHERE deleted_at IS NULL AND (id = ? OR name = ?)";
  store::Params p{wanted, wanted};
  if (!team.empty()) {
    sql += " AND team_id = ?";
    p.push_back(pick_team(c, team).id);
  }
  auto rows = c.query(sql + " ORDER BY created_at", p);
  if (rows.empty()) throw std::runtime_error("no crew \"" + wanted + "\"");
  if (rows.size() > 1) {
    std::string ids;
    for (auto r : rows) ids += " " + r.text(0);
    throw std::runtime_error(std::to_string(rows.size()) + " crews are called \"" + wanted + "\"; name one by id:" + ids);
  }
  return *crews::find_crew(c, rows.front().text(1), rows.front().text(0));
}

void write_file(const fs::path& path, const std::string& text) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

int crew_import_command(const core::Config& config, const CrewImportOptions& options) {
  ImportSource src;
  try {
    src = read_import_source(options.path);
  } catch (const std::exception& e) {
    std::cerr << "aop: " << e.what() << "\n";
    return 1;
  }
  if (!src.parsed.ok()) {
    print_findings(src.label, "error", src.parsed.errors);
    std::cerr << "aop: " << src.label << " cannot be read as a crew; nothing was imported\n";
    return 1;
  }
  auto& spec = *src.parsed.spec;
  if (!options.name.empty()) spec.name = options.name;
  if (spec.name.empty()) spec.name = src.name_guess;
  auto checked = crews::validate(spec);
  checked.warnings.insert(checked.warnings.begin(), src.parsed.warnings.begin(), src.parsed.warnings.end());
  print_findings(src.label, "error", checked.errors);
  print_findings(src.label, "warning", checked.warnings);

  return with_migrated_database(config, [&](store::Database& db) {
    auto now = core::system_clock().now_ms();
    crews::CrewRecord crew;
    teams::Team team;
    db.with_transaction([&](store::Connection& c) {
      team = pick_team(c, options.team);
      crew = crews::create_crew(c, team.id, spec, src.source_yaml, {std::nullopt, "Imported from " + src.label}, now);
      auto audit = auth::audit_by(nullptr, "crew.import", "cli");
      audit.team_id = team.id;
      audit.target_type = "crew";
      audit.target_id = crew.id;
      audit.details = {{"name", crew.name}, {"version", crew.version}, {"via", "cli"}};
      auth::record_audit(c, audit, now);
    });
    std::cout << "imported \"" << crew.name << "\" as crew " << crew.id << " into team \"" << team.name
              << "\" (draft, " << checked.errors.size() << " error(s), " << checked.warnings.size()
              << " warning(s))\n";
    return 0;
  });
}

int crew_export_command(const core::Config& config, const CrewExportOptions& options) {
  if (options.format != "yaml" && options.format != "json" && options.format != "crewai") {
    std::cerr << "aop: --format must be yaml, json or crewai\n";
    return 2;
  }
  if (options.format == "crewai" && options.output.empty()) {
    std::cerr << "aop: --format crewai writes config/agents.yaml and config/tasks.yaml: give the project "
                 "directory with --output\n";
    return 2;
  }
  return with_migrated_database(config, [&](store::Database& db) {
    crews::CrewRecord crew;
    db.with_reader([&](store::Connection& c) { crew = pick_crew(c, options.crew, options.team); });
    auto spec = crews::load_stored(crew.config);
    if (options.format == "crewai") {
      auto pair = crews::to_crewai(spec);
      fs::path dir = fs::path(options.output) / "config";
      write_file(dir / "agents.yaml", pair.agents_yaml);
      write_file(dir / "tasks.yaml", pair.tasks_yaml);
      for (const auto& path : pair.not_exported)
        std::cerr << "note: " << path << " has no place in CrewAI's YAML (set it in crew.py)\n";
      std::cout << "wrote " << (dir / "agents.yaml").string() << " and " << (dir / "tasks.yaml").string() << "\n";
      return 0;
    }
    std::string text = options.format == "json" ? boost::json::serialize(crews::to_json(spec)) + "\n"
                                                : (crew.source_yaml ? *crew.source_yaml : crews::to_yaml(spec));
    if (options.output.empty()) std::cout << text;
    else write_file(options.output, text);
    return 0;
  });
}

}  // namespace aop::app
