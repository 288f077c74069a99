#pragma once
// PostgreSQL driver: a pool of libpq connections, grown lazily to pool_size. Reads and
// transactions both borrow from it; a connection found broken is closed and replaced.
#include <string>

#include "store/connection_pool.hpp"
#include "store/database.hpp"
#include "store/postgres/postgres_connection.hpp"

namespace aop::store {

class PostgresDatabase final : public Database {
 public:
  // Connects once up front so a bad URL or a down server fails here, not on first use.
  PostgresDatabase(std::string url, core::BlockingPool& pool, const DatabaseOptions& options);

  Dialect dialect() const override { return Dialect::postgres; }
  PoolStats stats() const override { return connections_.stats(); }
  void with_reader(const std::function<void(Connection&)>& fn) override;
  void with_transaction(const std::function<void(Connection&)>& fn) override;

 private:
  std::string url_;
  DatabaseOptions options_;
  ConnectionPool<PostgresConnection> connections_;
};

}  // namespace aop::store
