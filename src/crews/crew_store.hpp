#pragma once
// Crews, their versions and deployments in the database. Blocking: call inside
// Database::read / Database::write. Only rows of the given team are ever visible, and
// soft-deleted crews are invisible.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace aop::crews {

struct CrewRecord {
  std::string id;
  std::string team_id;
  std::string name;
  std::string description;
  std::string config;  // the normalized crew document, JSON text
  std::optional<std::string> source_yaml;  // the YAML the document was written in, when it was
  std::string status = "draft";            // draft | deployed | stopped
  std::int64_t version = 1;
  std::optional<std::int64_t> deployed_version;
  std::string inputs = "[]";  // effective inputs (declared + implicit), JSON array text
  std::optional<std::string> created_by;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct CrewVersionRecord {
  std::string crew_id;
  std::int64_t version = 0;
  std::string config;
  std::optional<std::string> source_yaml;
  std::string message;
  std::optional<std::string> author_id;
  std::int64_t created_at = 0;
};

struct DeploymentRecord {
  std::string id;
  std::string crew_id;
  std::string team_id;
  std::int64_t version = 0;
  std::string status = "active";  // active | stopped | failed
  std::string endpoint;
  std::optional<std::string> deployed_by;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> stopped_at;
};

struct CrewFilter {
  std::string status;  // "" = any
  std::string search;  // case-insensitive substring of name or description; "" = any
  std::optional<std::pair<std::int64_t, std::string>> after;  // (updated_at, id) keyset cursor
  int limit = 50;
};

// `lock`: inside a write transaction, take the row's lock first on PostgreSQL (SQLite's writer
// is already exclusive), so concurrent changes of one crew queue instead of racing for the
// same next version number.
std::optional<CrewRecord> find_crew(store::Connection& c, const std::string& team_id, const std::string& id,
                                    bool lock = false);
// Newest change first.
std::vector<CrewRecord> list_crews(store::Connection& c, const std::string& team_id, const CrewFilter& filter);
std::int64_t count_all_crews(store::Connection& c, const std::string& team_id);  // deleted ones included

void insert_crew(store::Connection& c, const CrewRecord& crew);
// Another transaction changed the crew after this one read it (PostgreSQL runs writers
// concurrently). Thrown by update_crew, so the whole change rolls back; the API answers 409.
struct CrewChanged : std::runtime_error {
  CrewChanged() : std::runtime_error("the crew was changed by someone else at the same time") {}
};

// Writes the document fields, version, status and deployed_version of `crew`, provided the
// stored row is still at `read_version`; throws CrewChanged otherwise.
void update_crew(store::Connection& c, const CrewRecord& crew, std::int64_t read_version);
void soft_delete_crew(store::Connection& c, const std::string& id, std::int64_t now_ms);

void insert_version(store::Connection& c, const CrewVersionRecord& version);
// Newest first; `before` = only versions older than this one.
std::vector<CrewVersionRecord> list_versions(store::Connection& c, const std::string& crew_id,
                                             std::optional<std::int64_t> before, int limit);
std::optional<CrewVersionRecord> find_version(store::Connection& c, const std::string& crew_id,
                                              std::int64_t version);

std::optional<DeploymentRecord> active_deployment(store::Connection& c, const std::string& crew_id);
void insert_deployment(store::Connection& c, const DeploymentRecord& deployment);
// Marks every active deployment of the crew stopped; returns how many there were.
std::int64_t stop_deployments(store::Connection& c, const std::string& crew_id, std::int64_t now_ms);

}  // namespace aop::crews
