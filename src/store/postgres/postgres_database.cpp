#include "store/postgres/postgres_database.hpp"

namespace aop::store {
namespace {

// A connection comes back clean or not at all: roll back whatever a reader left open.
bool recycle(PostgresConnection& conn) {
  if (!conn.healthy()) return false;
  if (conn.in_transaction()) conn.execute_script("ROLLBACK");
  return conn.healthy() && !conn.in_transaction();
}

}  // namespace

PostgresDatabase::PostgresDatabase(std::string url, core::BlockingPool& pool,
                                   const DatabaseOptions& options)
    : Database(pool),
      url_(std::move(url)),
      options_(options),
      connections_(
          options_.pool_size,
          [this] { return std::make_unique<PostgresConnection>(url_, options_); },
          [](PostgresConnection& c) { return c.healthy(); }, recycle) {
  connections_.acquire();
}

void PostgresDatabase::with_reader(const std::function<void(Connection&)>& fn) {
  auto conn = connections_.acquire();
  fn(*conn);
}

void PostgresDatabase::with_transaction(const std::function<void(Connection&)>& fn) {
  auto conn = connections_.acquire();
  try {
    conn->execute_script("BEGIN");
  } catch (const DatabaseError&) {
    // An idle connection can die unnoticed (server restart); nothing ran yet, so retry
    // once on a fresh one.
    if (conn->healthy()) throw;
    conn = {};  // give the broken one back first: with pool_size 1 it holds the only slot
    conn = connections_.acquire();
    conn->execute_script("BEGIN");
  }
  try {
    fn(*conn);
    // COMMIT of a failed transaction "succeeds" as a ROLLBACK: refuse to hide that.
    if (conn->in_failed_transaction())
      throw DatabaseError(
          "postgres: transaction rolled back: a statement inside it failed and the error "
          "was caught without rethrowing");
    conn->execute_script("COMMIT");
  } catch (...) {
    if (conn->healthy() && conn->in_transaction()) {
      try {
        conn->execute_script("ROLLBACK");
      } catch (...) {
      }
    }
    throw;
  }
}

}  // namespace aop::store
