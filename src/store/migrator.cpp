#include "store/migrator.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "core/resources.hpp"

namespace aop::store {
namespace {

constexpr std::string_view k_migrations_root = "src/store/migrations/";
// Arbitrary, fixed key ("aop_mig") for the PostgreSQL advisory lock.
constexpr std::int64_t k_lock_key = 0x616f705f6d6967;

constexpr std::string_view k_create_schema_table =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at BIGINT NOT NULL)";

std::string_view dialect_dir(Dialect dialect) {
  return dialect == Dialect::sqlite ? "sqlite" : "postgres";
}

// Held until the transaction ends, so concurrent migrators take turns.
void lock_migrations(Connection& conn) {
  if (conn.dialect() == Dialect::postgres)
    conn.query("SELECT pg_advisory_xact_lock(?)", {k_lock_key});
}

bool has_schema_table(Connection& conn) {
  const char* sql = conn.dialect() == Dialect::sqlite
                        ? "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                          "AND name = 'schema_migrations'"
                        : "SELECT 1 FROM information_schema.tables "
                          "WHERE table_schema = current_schema() "
                          "AND table_name = 'schema_migrations'";
  return !conn.query(sql).empty();
}

std::set<int> applied_versions(Database& db) {
  std::set<int> versions;
  db.with_reader([&](Connection& conn) {
    if (!has_schema_table(conn)) return;
    for (auto row : conn.query("SELECT version FROM schema_migrations"))
      versions.insert(static_cast<int>(row.i64(0)));
  });
  return versions;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "0001_init.sql" -> {1, "init"}.
Migration parse_file_name(std::string_view path, std::string_view file, std::string_view sql) {
  const auto underscore = file.find('_');
  const bool ok = underscore != std::string_view::npos && underscore > 0 && file.size() > 4 &&
                  file.substr(file.size() - 4) == ".sql" &&
                  std::all_of(file.begin(), file.begin() + static_cast<long>(underscore),
                              [](char c) { return c >= '0' && c <= '9'; });
  if (!ok)
    throw DatabaseError("migration file \"" + std::string(path) + "\" is not named NNNN_name.sql");
  Migration m;
  m.version = std::stoi(std::string(file.substr(0, underscore)));
  m.name = std::string(file.substr(underscore + 1, file.size() - underscore - 5));
  m.sql = sql;
  return m;
}

}  // namespace

std::vector<Migration> embedded_migrations(Dialect dialect) {
  const std::string prefix =
      std::string(k_migrations_root) + std::string(dialect_dir(dialect)) + "/";
  std::vector<Migration> migrations;
  for (const auto& resource : resources::all()) {
    if (resource.path.substr(0, prefix.size()) != prefix) continue;
    migrations.push_back(
        parse_file_name(resource.path, resource.path.substr(prefix.size()), resource.data));
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < migrations.size(); ++i)
    if (migrations[i].version == migrations[i - 1].version)
      throw DatabaseError("two migrations share version " + std::to_string(migrations[i].version));
  return migrations;
}

MigrationResult migrate(Database& db) {
  const auto migrations = embedded_migrations(db.dialect());
  db.with_transaction([](Connection& conn) {
    lock_migrations(conn);
    conn.execute_script(k_create_schema_table);
  });

  MigrationResult result;
  const auto already = applied_versions(db);
  for (const auto& m : migrations) {
    if (already.count(m.version)) continue;
    bool ran = false;
    db.with_transaction([&](Connection& conn) {
      lock_migrations(conn);
      // Another process may have applied it while we waited for the lock.
      if (!conn.query("SELECT 1 FROM schema_migrations WHERE version = ?",
                      {std::int64_t{m.version}})
               .empty())
        return;
      try {
        conn.execute_script(m.sql);
      } catch (const DatabaseError& e) {
        throw DatabaseError("migration " + std::to_string(m.version) + "_" + m.name +
                            " failed: " + e.what());
      }
      conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                   {std::int64_t{m.version}, m.name, now_ms()});
      ran = true;
    });
    if (ran) {
      ++result.applied;
      spdlog::info("database: applied migration {}_{}", m.version, m.name);
    }
  }
  result.current_version = current_schema_version(db);
  return result;
}

int current_schema_version(Database& db) {
  int version = 0;
  db.with_reader([&](Connection& conn) {
    if (has_schema_table(conn))
      version = static_cast<int>(
          conn.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").front().i64(0));
  });
  return version;
}

std::vector<int> pending_migrations(Database& db) {
  const auto applied = applied_versions(db);
  std::vector<int> pending;
  for (const auto& m : embedded_migrations(db.dialect()))
    if (!applied.count(m.version)) pending.push_back(m.version);
  return pending;
}

}  // namespace aop::store
