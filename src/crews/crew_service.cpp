#include "crews/crew_service.hpp"

#include "core/ids.hpp"
#include "crews/crew_document.hpp"

namespace aop::crews {

namespace {

void apply_document(CrewRecord& crew, const CrewSpec& spec, std::optional<std::string> source_yaml) {
  auto stored = to_stored(spec, std::move(source_yaml));
  crew.name = spec.name;
  crew.description = spec.description;
  crew.config = std::move(stored.config_json);
  crew.source_yaml = std::move(stored.source_yaml);
  crew.inputs = std::move(stored.inputs_json);
}

void record_version(store::Connection& c, const CrewRecord& crew, const ChangeNote& note, std::int64_t now_ms) {
  CrewVersionRecord v;
  v.crew_id = crew.id;
  v.version = crew.version;
  v.config = crew.config;
  v.source_yaml = crew.source_yaml;
  v.message = note.message;
  v.author_id = note.author_id;
  v.created_at = now_ms;
  insert_version(c, v);
}

}  // namespace

std::string run_endpoint(const std::string& crew_id) { return "/api/crews/" + crew_id + "/run"; }

CrewRecord create_crew(store::Connection& c, const std::string& team_id, const CrewSpec& spec,
                       std::optional<std::string> source_yaml, const ChangeNote& note, std::int64_t now_ms) {
  CrewRecord crew;
  crew.id = core::new_id();
  crew.team_id = team_id;
  apply_document(crew, spec, std::move(source_yaml));
  crew.created_by = note.author_id;
  crew.created_at = crew.updated_at = now_ms;
  insert_crew(c, crew);
  record_version(c, crew, note, now_ms);
  return crew;
}

SaveOutcome save_crew_version(store::Connection& c, CrewRecord current, const CrewSpec& spec,
                              std::optional<std::string> source_yaml, const ChangeNote& note, std::int64_t now_ms) {
  CrewRecord next = current;
  apply_document(next, spec, std::move(source_yaml));
  // Same document and same source text: nothing to record. (A reformatted YAML source with
  // the same meaning is a change the author wants kept, so it makes a version.)
  if (next.config == current.config && next.source_yaml == current.source_yaml) return {std::move(current), false};
  next.version = current.version + 1;
  next.updated_at = now_ms;
  update_crew(c, next, current.version);
  record_version(c, next, note, now_ms);
  return {std::move(next), true};
}

DeployOutcome deploy_crew(store::Connection& c, CrewRecord current, const std::optional<std::string>& deployed_by,
                          std::int64_t now_ms) {
  if (auto active = active_deployment(c, current.id); active && active->version == current.version) {
    if (current.status != "deployed" || current.deployed_version != current.version) {
      current.status = "deployed";
      current.deployed_version = current.version;
      update_crew(c, current, current.version);
    }
    return {std::move(current), std::move(*active), false};
  }
  stop_deployments(c, current.id, now_ms);
  DeploymentRecord d;
  d.id = core::new_id();
  d.crew_id = current.id;
  d.team_id = current.team_id;
  d.version = current.version;
  d.endpoint = run_endpoint(current.id);
  d.deployed_by = deployed_by;
  d.created_at = now_ms;
  insert_deployment(c, d);
  current.status = "deployed";
  current.deployed_version = current.version;
  current.updated_at = now_ms;
  update_crew(c, current, current.version);
  return {std::move(current), std::move(d), true};
}

std::optional<CrewRecord> stop_crew(store::Connection& c, CrewRecord current, std::int64_t now_ms) {
  if (current.status != "deployed") return std::nullopt;
  stop_deployments(c, current.id, now_ms);
  current.status = "stopped";
  current.updated_at = now_ms;
  update_crew(c, current, current.version);
  return current;
}

void delete_crew(store::Connection& c, const CrewRecord& current, std::int64_t now_ms) {
  stop_deployments(c, current.id, now_ms);
  soft_delete_crew(c, current.id, now_ms);
}

}  // namespace aop::crews
