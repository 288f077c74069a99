#include "store/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

#include <utility>

namespace aop::store {
namespace {

// A cache this large means SQL is being built with literals; start over rather than grow.
constexpr std::size_t k_max_cached_statements = 512;

std::string excerpt(std::string_view sql) {
  constexpr std::size_t max = 160;
  std::string s(sql.substr(0, max));
  for (char& c : s)
    if (c == '\n' || c == '\t') c = ' ';
  return sql.size() > max ? s + "..." : s;
}

bool only_blanks(const char* p) {
  for (; *p; ++p)
    if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r' && *p != ';') return false;
  return true;
}

// Resets a statement when a call ends, even by exception, so it holds no read snapshot
// (which would block WAL checkpoints) and keeps no pointers to the caller's parameters.
class StatementGuard {
 public:
  explicit StatementGuard(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~StatementGuard() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  StatementGuard(const StatementGuard&) = delete;
  StatementGuard& operator=(const StatementGuard&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

Value read_column(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return static_cast<std::int64_t>(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, i);
    case SQLITE_TEXT: {
      auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
    }
    case SQLITE_BLOB: {
      auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
      auto n = static_cast<std::size_t>(sqlite3_column_bytes(stmt, i));
      return p ? std::string(p, n) : std::string();
    }
    default:
      return nullptr;
  }
}

}  // namespace

SqliteConnection::SqliteConnection(const std::string& filename, const DatabaseOptions& options,
                                   bool read_only) {
  // NOMUTEX: each connection is used by one thread at a time, guarded by SqliteDatabase.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(filename.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    throw DatabaseError("sqlite: cannot open \"" + filename + "\": " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, options.busy_timeout_ms);
  try {
    execute_script("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;");
    if (read_only) {
      execute_script("PRAGMA query_only = ON;");
    } else {
      // WAL lets readers run alongside the writer; the mode is stored in the file.
      execute_script("PRAGMA journal_mode = WAL;");
    }
  } catch (...) {
    sqlite3_close_v2(db_);
    throw;
  }
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

void SqliteConnection::fail(int rc, std::string_view sql) const {
  const bool constraint = (rc & 0xff) == SQLITE_CONSTRAINT;
  std::string message = "sqlite: ";
  message += sqlite3_errmsg(db_);
  if (!sql.empty()) message += " (in: " + excerpt(sql) + ")";
  throw DatabaseError(message, constraint);
}

sqlite3_stmt* SqliteConnection::prepare(std::string_view sql) {
  std::string key(sql);
  if (auto it = statements_.find(key); it != statements_.end()) return it->second;
  if (statements_.size() >= k_max_cached_statements) {
    for (auto& [text, stmt] : statements_) sqlite3_finalize(stmt);
    statements_.clear();
  }
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) fail(rc, sql);
  if (!stmt) throw DatabaseError("sqlite: empty statement");
  if (tail && !only_blanks(tail)) {
    sqlite3_finalize(stmt);
    throw DatabaseError(
        "sqlite: query() takes one statement; use execute_script (in: " + excerpt(sql) + ")");
  }
  statements_.emplace(std::move(key), stmt);
  return stmt;
}

void SqliteConnection::bind(sqlite3_stmt* stmt, const Params& params, std::string_view sql) {
  const int expected = sqlite3_bind_parameter_count(stmt);
  if (expected != static_cast<int>(params.size()))
    throw DatabaseError("sqlite: statement takes " + std::to_string(expected) +
                        " parameters, got " + std::to_string(params.size()) +
                        " (in: " + excerpt(sql) + ")");
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int n = static_cast<int>(i) + 1;
    // SQLITE_STATIC: parameters outlive the call and the guard clears bindings afterwards.
    int rc = std::visit(
        [&](const auto& v) -> int {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::nullptr_t>) {
            return sqlite3_bind_null(stmt, n);
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            return sqlite3_bind_int64(stmt, n, v);
          } else if constexpr (std::is_same_v<T, double>) {
            return sqlite3_bind_double(stmt, n, v);
          } else if constexpr (std::is_same_v<T, bool>) {
            return sqlite3_bind_int(stmt, n, v ? 1 : 0);
          } else {
            return sqlite3_bind_text64(stmt, n, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
          }
        },
        params[i]);
    if (rc != SQLITE_OK) fail(rc, sql);
  }
}

Rows SqliteConnection::query(std::string_view sql, const Params& params) {
  sqlite3_stmt* stmt = prepare(sql);
  StatementGuard guard(stmt);
  bind(stmt, params, sql);

  const int ncols = sqlite3_column_count(stmt);
  std::vector<std::string> columns;
  columns.reserve(static_cast<std::size_t>(ncols));
  for (int i = 0; i < ncols; ++i) columns.emplace_back(sqlite3_column_name(stmt, i));

  std::vector<Value> cells;
  for (;;) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) fail(rc, sql);
    for (int i = 0; i < ncols; ++i) cells.push_back(read_column(stmt, i));
  }
  return Rows(std::move(columns), std::move(cells));
}

std::int64_t SqliteConnection::execute(std::string_view sql, const Params& params) {
  sqlite3_stmt* stmt = prepare(sql);
  StatementGuard guard(stmt);
  bind(stmt, params, sql);
  // sqlite3_changes() keeps the count of the last INSERT/UPDATE/DELETE, so compare totals
  // to report 0 for statements that change nothing (DDL, SELECT).
  const auto before = sqlite3_total_changes64(db_);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) fail(rc, sql);
  return sqlite3_total_changes64(db_) == before ? 0 : sqlite3_changes64(db_);
}

void SqliteConnection::execute_script(std::string_view sql) {
  std::string text(sql);
  char* error = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = "sqlite: " + std::string(error ? error : sqlite3_errstr(rc));
    sqlite3_free(error);
    throw DatabaseError(message, (rc & 0xff) == SQLITE_CONSTRAINT);
  }
}

bool SqliteConnection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

std::string SqliteConnection::journal_mode() {
  return query("PRAGMA journal_mode").front().text(0);
}

}  // namespace aop::store
