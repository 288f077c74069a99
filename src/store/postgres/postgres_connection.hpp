#pragma once
// One libpq connection with its prepared-statement cache. Not thread-safe: the pool lends
// it to one thread at a time.
#include <string>
#include <unordered_map>

#include "store/database.hpp"

struct pg_conn;

namespace aop::store {

class PostgresConnection final : public Connection {
 public:
  // Connects (blocking) and sets statement_timeout. Throws DatabaseError on failure.
  PostgresConnection(const std::string& url, const DatabaseOptions& options);
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Dialect dialect() const override { return Dialect::postgres; }
  Rows query(std::string_view sql, const Params& params = {}) override;
  std::int64_t execute(std::string_view sql, const Params& params = {}) override;
  void execute_script(std::string_view sql) override;

  // The socket is up (libpq only notices a dead server on the next I/O).
  bool healthy() const;
  bool in_transaction() const;         // inside BEGIN, healthy or failed
  bool in_failed_transaction() const;  // an earlier statement failed; only ROLLBACK works
  int backend_pid() const;

 private:
  struct Prepared {
    std::string name;
    int param_count;
  };
  const Prepared& prepare(std::string_view sql);
  Rows run(std::string_view sql, const Params& params, std::int64_t* affected);

  pg_conn* conn_ = nullptr;
  std::unordered_map<std::string, Prepared> statements_;
  std::uint64_t next_statement_ = 0;
};

}  // namespace aop::store
