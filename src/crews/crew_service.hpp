#pragma once
// Changes to crews that span several rows: a new version with every document change,
// deployments pinned to a version. Blocking: call inside Database::write, so each change
// and its version / deployment rows commit together. Callers check permissions and the
// expected version first.
#include <cstdint>
#include <optional>
#include <string>

#include "crews/crew_spec.hpp"
#include "crews/crew_store.hpp"

namespace aop::crews {

// Who made a change and why (crew_versions.message).
struct ChangeNote {
  std::optional<std::string> author_id;
  std::string message;
};

// A new draft crew at version 1. `source_yaml`: the YAML `spec` was parsed from, if any.
CrewRecord create_crew(store::Connection& c, const std::string& team_id, const CrewSpec& spec,
                       std::optional<std::string> source_yaml, const ChangeNote& note, std::int64_t now_ms);

struct SaveOutcome {
  CrewRecord crew;
  bool changed = false;  // false: the document was identical, no version was made
};

// Makes `spec` the crew's current document as version current.version + 1, unless it is the
// same document (then nothing is written). The deployment, if any, stays pinned.
SaveOutcome save_crew_version(store::Connection& c, CrewRecord current, const CrewSpec& spec,
                              std::optional<std::string> source_yaml, const ChangeNote& note, std::int64_t now_ms);

struct DeployOutcome {
  CrewRecord crew;
  DeploymentRecord deployment;
  bool created = false;  // false: the current version was already the active deployment
};

// Pins the crew's current version in a new active deployment (stopping the previous one).
// The caller has checked that the document is valid.
DeployOutcome deploy_crew(store::Connection& c, CrewRecord current, const std::optional<std::string>& deployed_by,
                          std::int64_t now_ms);

// Stops the active deployment; returns nullopt when the crew is not deployed.
std::optional<CrewRecord> stop_crew(store::Connection& c, CrewRecord current, std::int64_t now_ms);

// Removes the crew from every listing and stops its deployment.
void delete_crew(store::Connection& c, const CrewRecord& current, std::int64_t now_ms);

// The URL path a deployed crew is run through.
std::string run_endpoint(const std::string& crew_id);

}  // namespace aop::crews
