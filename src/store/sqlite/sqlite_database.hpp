#pragma once
// SQLite driver: one writer connection behind a mutex (SQLite allows one writer at a time
// anyway) and a lazily grown pool of query-only reader connections, which WAL mode lets run
// alongside the writer. An in-memory database ("sqlite://:memory:") cannot be shared
// between connections without shared-cache locking, so there the single writer connection
// also serves reads.
#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "store/connection_pool.hpp"
#include "store/database.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace aop::store {

struct SqliteTarget {
  std::string path;  // file name, or ":memory:"
  bool memory = false;
};

// "sqlite:///abs/path", "sqlite://relative/path" or "sqlite://:memory:".
// Throws std::invalid_argument for anything else.
SqliteTarget parse_sqlite_url(std::string_view url);

class SqliteDatabase final : public Database {
 public:
  // Creates the file and its parent directories when missing.
  SqliteDatabase(const SqliteTarget& target, core::BlockingPool& pool,
                 const DatabaseOptions& options);
  ~SqliteDatabase() override;

  Dialect dialect() const override { return Dialect::sqlite; }
  PoolStats stats() const override;
  void with_reader(const std::function<void(Connection&)>& fn) override;
  void with_transaction(const std::function<void(Connection&)>& fn) override;

 private:
  // Locks the writer; throws instead of deadlocking when this thread already holds it.
  std::unique_lock<std::mutex> lock_writer(const char* caller);

  SqliteTarget target_;
  DatabaseOptions options_;
  std::mutex writer_mutex_;
  std::atomic<std::thread::id> writer_owner_{};
  std::unique_ptr<SqliteConnection> writer_;
  std::optional<ConnectionPool<SqliteConnection>> readers_;  // empty for :memory:
};

}  // namespace aop::store
