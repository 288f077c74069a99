#pragma once
// Schema migrations: numbered SQL files per dialect, embedded in the binary
// (src/store/migrations/<sqlite|postgres>/NNNN_name.sql). Each one runs in its own
// transaction together with its schema_migrations row, so a failed migration leaves
// nothing behind (so no CREATE INDEX CONCURRENTLY or VACUUM in them). All calls block:
// run them from the CLI or on the blocking pool.
#include <string>
#include <string_view>
#include <vector>

#include "store/database.hpp"

namespace aop::store {

struct Migration {
  int version = 0;       // NNNN from the file name
  std::string name;      // the rest of the file name, without ".sql"
  std::string_view sql;  // points into the embedded resources
};

struct MigrationResult {
  int applied = 0;          // migrations run by this call
  int current_version = 0;  // highest applied version afterwards
};

// The embedded migrations for a dialect, ordered by version. Throws DatabaseError on a
// malformed file name or a duplicate version (a build mistake, so fail loudly).
std::vector<Migration> embedded_migrations(Dialect dialect);

// Applies every embedded migration not yet recorded. Safe when several processes start
// at once: PostgreSQL serialises them with an advisory lock, SQLite with BEGIN IMMEDIATE.
MigrationResult migrate(Database& db);

// Highest applied version; 0 for an empty database.
int current_schema_version(Database& db);

// Versions embedded in the binary but not applied yet, ascending.
std::vector<int> pending_migrations(Database& db);

}  // namespace aop::store
