#pragma once
// One SQLite connection with its prepared-statement cache. Not thread-safe: the owning
// SqliteDatabase lends it to one thread at a time.
#include <string>
#include <unordered_map>

#include "store/database.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace aop::store {

class SqliteConnection final : public Connection {
 public:
  // `read_only` sets PRAGMA query_only so a reader connection cannot write by mistake.
  SqliteConnection(const std::string& filename, const DatabaseOptions& options, bool read_only);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Dialect dialect() const override { return Dialect::sqlite; }
  Rows query(std::string_view sql, const Params& params = {}) override;
  std::int64_t execute(std::string_view sql, const Params& params = {}) override;
  void execute_script(std::string_view sql) override;

  // True while a transaction is open (BEGIN without COMMIT/ROLLBACK yet).
  bool in_transaction() const;
  // The journal mode SQLite reports ("wal", or "memory" for in-memory databases).
  std::string journal_mode();

 private:
  sqlite3_stmt* prepare(std::string_view sql);
  void bind(sqlite3_stmt* stmt, const Params& params, std::string_view sql);
  [[noreturn]] void fail(int rc, std::string_view sql) const;

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace aop::store
