#include "crews/crew_store.hpp"

namespace aop::crews {

namespace {

using store::optional_value;

constexpr const char* k_crew_columns =
    "id, team_id, name, description, config, source_yaml, status, version, deployed_version, inputs, "
    "created_by, created_at, updated_at";

CrewRecord crew_from(const store::Row& r) {
  CrewRecord crew;
  crew.id = r.text(0);
  crew.team_id = r.text(1);
  crew.name = r.text(2);
  crew.description = r.text(3);
  crew.config = r.text(4);
  crew.source_yaml = r.opt_text(5);
  crew.status = r.text(6);
  crew.version = r.i64(7);
  crew.deployed_version = r.opt_i64(8);
  crew.inputs = r.text(9);
  crew.created_by = r.opt_text(10);
  crew.created_at = r.i64(11);
  crew.updated_at = r.i64(12);
  return crew;
}

CrewVersionRecord version_from(const store::Row& r) {
  CrewVersionRecord v;
  v.crew_id = r.text(0);
  v.version = r.i64(1);
  v.config = r.text(2);
  v.source_yaml = r.opt_text(3);
  v.message = r.opt_text(4).value_or("");
  v.author_id = r.opt_text(5);
  v.created_at = r.i64(6);
  return v;
}

DeploymentRecord deployment_from(const store::Row& r) {
  DeploymentRecord d;
  d.id = r.text(0);
  d.crew_id = r.text(1);
  d.team_id = r.text(2);
  d.version = r.i64(3);
  d.status = r.text(4);
  d.endpoint = r.opt_text(5).value_or("");
  d.deployed_by = r.opt_text(6);
  d.created_at = r.i64(7);
  d.stopped_at = r.opt_i64(8);
  return d;
}

// LIKE pattern matching `text` literally anywhere ('\' escapes the wildcards).
std::string contains_pattern(const std::string& text) {
  std::string out = "%";
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "%";
}

}  // namespace

std::optional<CrewRecord> find_crew(store::Connection& c, const std::string& team_id, const std::string& id,
                                    bool lock) {
  std::string sql =
      std::string("SELECT ") + k_crew_columns + " FROM crews WHERE id = ? AND team_id = ? AND deleted_at IS NULL";
  if (lock && c.dialect() == store::Dialect::postgres) sql += " FOR UPDATE";
  auto rows = c.query(sql, {id, team_id});
  if (rows.empty()) return std::nullopt;
  return crew_from(rows.front());
}

std::vector<CrewRecord> list_crews(store::Connection& c, const std::string& team_id, const CrewFilter& f) {
  std::string sql = std::string("SELECT ") + k_crew_columns + " FROM crews WHERE team_id = ? AND deleted_at IS NULL";
  store::Params p{team_id};
  if (!f.status.empty()) {
    sql += " AND status = ?";
    p.push_back(f.status);
  }
  if (!f.search.empty()) {
    sql += " AND (lower(name) LIKE lower(?) ESCAPE '\\' OR lower(description) LIKE lower(?) ESCAPE '\\')";
    auto pattern = contains_pattern(f.search);
    p.insert(p.end(), {pattern, pattern});
  }
  if (f.after) {
    sql += " AND (updated_at < ? OR (updated_at = ? AND id < ?))";
    p.insert(p.end(), {f.after->first, f.after->first, f.after->second});
  }
  sql += " ORDER BY updated_at DESC, id DESC LIMIT ?";
  p.push_back(static_cast<std::int64_t>(f.limit));
  std::vector<CrewRecord> out;
  for (auto r : c.query(sql, p)) out.push_back(crew_from(r));
  return out;
}

std::int64_t count_all_crews(store::Connection& c, const std::string& team_id) {
  return c.query("SELECT COUNT(*) FROM crews WHERE team_id = ?", {team_id}).front().i64(0);
}

void insert_crew(store::Connection& c, const CrewRecord& crew) {
  c.execute(std::string("INSERT INTO crews (") + k_crew_columns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {crew.id, crew.team_id, crew.name, crew.description, crew.config, optional_value(crew.source_yaml),
             crew.status, crew.version, optional_value(crew.deployed_version), crew.inputs,
             optional_value(crew.created_by), crew.created_at, crew.updated_at});
}

void update_crew(store::Connection& c, const CrewRecord& crew, std::int64_t read_version) {
  // The version condition makes a concurrent writer wait for the row and then find it moved
  // on, instead of overwriting a newer document with the one it read.
  auto changed = c.execute(
      "UPDATE crews SET name = ?, description = ?, config = ?, source_yaml = ?, status = ?, version = ?, "
      "deployed_version = ?, inputs = ?, updated_at = ? WHERE id = ? AND version = ? AND deleted_at IS NULL",
      {crew.name, crew.description, crew.config, optional_value(crew.source_yaml), crew.status, crew.version,
       optional_value(crew.deployed_version), crew.inputs, crew.updated_at, crew.id, read_version});
  if (changed == 0) throw CrewChanged();
}

void soft_delete_crew(store::Connection& c, const std::string& id, std::int64_t now_ms) {
  c.execute("UPDATE crews SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
            {now_ms, now_ms, id});
}

void insert_version(store::Connection& c, const CrewVersionRecord& v) {
  c.execute(
      "INSERT INTO crew_versions (crew_id, version, config, source_yaml, message, author_id, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {v.crew_id, v.version, v.config, optional_value(v.source_yaml),
       v.message.empty() ? store::Value(nullptr) : store::Value(v.message), optional_value(v.author_id),
       v.created_at});
}

std::vector<CrewVersionRecord> list_versions(store::Connection& c, const std::string& crew_id,
                                             std::optional<std::int64_t> before, int limit) {
  std::string sql =
      "SELECT crew_id, version, config, source_yaml, message, author_id, created_at FROM crew_versions "
      "WHERE crew_id = ?";
  store::Params p{crew_id};
  if (before) {
    sql += " AND version < ?";
    p.push_back(*before);
  }
  sql += " ORDER BY version DESC LIMIT ?";
  p.push_back(static_cast<std::int64_t>(limit));
  std::vector<CrewVersionRecord> out;
  for (auto r : c.query(sql, p)) out.push_back(version_from(r));
  return out;
}

std::optional<CrewVersionRecord> find_version(store::Connection& c, const std::string& crew_id,
                                              std::int64_t version) {
  auto rows = c.query(
      "SELECT crew_id, version, config, source_yaml, message, author_id, created_at FROM crew_versions "
      "WHERE crew_id = ? AND version = ?",
      {crew_id, version});
  if (rows.empty()) return std::nullopt;
  return version_from(rows.front());
}

std::optional<DeploymentRecord> active_deployment(store::Connection& c, const std::string& crew_id) {
  auto rows = c.query(
      "SELECT id, crew_id, team_id, version, status, endpoint, deployed_by, created_at, stopped_at "
      "FROM deployments WHERE crew_id = ? AND status = 'active' ORDER BY created_at DESC, id DESC LIMIT 1",
      {crew_id});
  if (rows.empty()) return std::nullopt;
  return deployment_from(rows.front());
}

void insert_deployment(store::Connection& c, const DeploymentRecord& d) {
  c.execute(
      "INSERT INTO deployments (id, crew_id, team_id, version, status, endpoint, deployed_by, created_at, stopped_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {d.id, d.crew_id, d.team_id, d.version, d.status, d.endpoint, optional_value(d.deployed_by), d.created_at,
       optional_value(d.stopped_at)});
}

std::int64_t stop_deployments(store::Connection& c, const std::string& crew_id, std::int64_t now_ms) {
  return c.execute("UPDATE deployments SET status = 'stopped', stopped_at = ? WHERE crew_id = ? AND status = 'active'",
                   {now_ms, crew_id});
}

}  // namespace aop::crews
