#include "app/crew_source.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include "crews/source_document.hpp"

namespace aop::app {

namespace fs = std::filesystem;

namespace {

// What was read from the path: one document, or a CrewAI project's two files.
std::optional<std::string> read_small_file(const fs::path& path) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) return std::nullopt;
  if (size > crews::k_max_document_bytes)
    throw std::runtime_error(path.string() + " is larger than the 2 MiB a crew document may be");
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A CrewAI project keeps its crew in config/agents.yaml + config/tasks.yaml, either at the
// top or under src/<package>/ (the layout `crewai create` makes).
std::optional<fs::path> find_crewai_config(const fs::path& dir) {
  auto has_pair = [](const fs::path& d) { return fs::is_regular_file(d / "agents.yaml") && fs::is_regular_file(d / "tasks.yaml"); };
  if (has_pair(dir / "config")) return dir / "config";
  if (has_pair(dir)) return dir;
  std::error_code ec;
  if (fs::is_directory(dir / "src", ec)) {
    for (const auto& entry : fs::directory_iterator(dir / "src", ec))
      if (entry.is_directory() && has_pair(entry.path() / "config")) return entry.path() / "config";
  }
  return std::nullopt;
}

std::string project_name(const fs::path& dir) {
  auto abs = fs::weakly_canonical(dir);
  auto name = abs.filename().string();
  if (name == "config" || name.empty()) name = abs.parent_path().filename().string();
  return name.empty() ? "Imported crew" : name;
}

}  // namespace

ImportSource read_import_source(const fs::path& path) {
  ImportSource src;
  src.label = path.string();
  if (fs::is_directory(path)) {
    auto config = find_crewai_config(path);
    if (!config)
      throw std::runtime_error("no crew found in " + path.string() +
                               ": expected config/agents.yaml and config/tasks.yaml (a CrewAI project)");
    auto agents = read_small_file(*config / "agents.yaml");
    auto tasks = read_small_file(*config / "tasks.yaml");
    if (!agents || !tasks) throw std::runtime_error("cannot read the YAML files in " + config->string());
    src.name_guess = project_name(path);
    src.label = config->string();
    src.parsed = crews::parse_crewai_pair(*agents, *tasks, src.name_guess);
    return src;
  }
  auto text = read_small_file(path);
  if (!text) throw std::runtime_error("cannot read " + path.string());
  auto format = crews::detect_format(*text);
  src.parsed = crews::parse_crew(*text, format);
  if (format == crews::Format::yaml) src.source_yaml = std::move(*text);
  src.name_guess = path.stem().string();
  return src;
}

void print_findings(const std::string& label, const char* kind, const crews::Diagnostics& list) {
  for (const auto& d : list) std::cerr << label << ": " << kind << ": " << crews::to_string(d) << "\n";
}

}  // namespace aop::app
