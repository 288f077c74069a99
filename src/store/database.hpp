#pragma once
// The storage interface every module uses. Two drivers implement it: SQLite (embedded default)
// and PostgreSQL. SQL is written once with `?` placeholders; the PostgreSQL driver rewrites
// them to $1..$n. Calls on Connection block, so they run on the BlockingPool: use
// Database::read / Database::write from coroutines.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/blocking_pool.hpp"

namespace aop::store {

enum class Dialect { sqlite, postgres };

using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string, bool>;
using Params = std::vector<Value>;

// NULL for an empty optional, the value otherwise.
template <class T>
Value optional_value(const std::optional<T>& v) {
  return v ? Value(*v) : Value(nullptr);
}

// Thrown for database failures. `constraint` is true for unique/foreign-key/check violations,
// so callers can map them to 409 instead of 500.
class DatabaseError : public std::runtime_error {
 public:
  DatabaseError(const std::string& message, bool constraint = false)
      : std::runtime_error(message), constraint_(constraint) {}
  bool is_constraint_violation() const { return constraint_; }

 private:
  bool constraint_;
};

class Rows;

// One row of a result set. Accessors coerce between types where that is lossless
// (e.g. an integer stored as text); a NULL read with a non-optional accessor throws.
// A Row is a view into its Rows: `c.query(...).front().i64(0)` is fine, but
// `auto r = c.query(...).front();` dangles. Keep the Rows in a variable.
class Row {
 public:
  Row(const Rows& rows, std::size_t index) : rows_(&rows), index_(index) {}
  bool is_null(std::size_t col) const;
  std::int64_t i64(std::size_t col) const;
  double f64(std::size_t col) const;
  std::string text(std::size_t col) const;
  bool boolean(std::size_t col) const;
  std::optional<std::int64_t> opt_i64(std::size_t col) const;
  std::optional<double> opt_f64(std::size_t col) const;
  std::optional<std::string> opt_text(std::size_t col) const;
  const Value& value(std::size_t col) const;
  // Column index by name; throws std::out_of_range when absent.
  std::size_t col(std::string_view name) const;

 private:
  const Rows* rows_;
  std::size_t index_;
};

// A fully materialised result set.
class Rows {
 public:
  Rows() = default;
  Rows(std::vector<std::string> columns, std::vector<Value> cells)
      : columns_(std::move(columns)), cells_(std::move(cells)) {}
  std::size_t size() const { return columns_.empty() ? 0 : cells_.size() / columns_.size(); }
  bool empty() const { return size() == 0; }
  const std::vector<std::string>& columns() const { return columns_; }
  Row operator[](std::size_t i) const { return Row(*this, i); }
  Row front() const { return Row(*this, 0); }
  const Value& cell(std::size_t row, std::size_t col) const {
    return cells_[row * columns_.size() + col];
  }

  struct Iterator {
    const Rows* rows;
    std::size_t i;
    Row operator*() const { return Row(*rows, i); }
    Iterator& operator++() { ++i; return *this; }
    bool operator!=(const Iterator& o) const { return i != o.i; }
  };
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, size()}; }

 private:
  std::vector<std::string> columns_;
  std::vector<Value> cells_;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // Runs one statement and returns its rows (empty for statements without RETURNING).
  virtual Rows query(std::string_view sql, const Params& params = {}) = 0;
  // Runs one statement; returns the number of rows changed.
  virtual std::int64_t execute(std::string_view sql, const Params& params = {}) = 0;
  // Runs several ;-separated statements without parameters (migrations).
  virtual void execute_script(std::string_view sql) = 0;
};

struct PoolStats {
  std::size_t size = 0;    // connections open
  std::size_t in_use = 0;  // connections borrowed right now
};

struct DatabaseOptions {
  std::size_t pool_size = 8;               // reader connections (SQLite) / pool size (PostgreSQL)
  int busy_timeout_ms = 5000;              // SQLite busy_timeout
  int statement_timeout_ms = 30000;        // PostgreSQL statement_timeout
};

class Database {
 public:
  explicit Database(core::BlockingPool& pool) : pool_(pool) {}
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  virtual PoolStats stats() const = 0;

  // Blocking: lend a connection to fn. Call only from a blocking-pool thread (or CLI code).
  virtual void with_reader(const std::function<void(Connection&)>& fn) = 0;
  // Blocking: run fn inside a transaction on a writer connection; commit on return,
  // roll back if fn throws (and rethrow).
  virtual void with_transaction(const std::function<void(Connection&)>& fn) = 0;

  // Async: run fn(Connection&) on the blocking pool and return its result. Plain functions
  // returning awaitables (not coroutines), see BlockingPool::run.
  template <class F>
  auto read(F fn) -> boost::asio::awaitable<std::invoke_result_t<F, Connection&>> {
    using R = std::invoke_result_t<F, Connection&>;
    if constexpr (std::is_void_v<R>) {
      return pool_.run([this, fn = std::move(fn)]() mutable { with_reader(fn); });
    } else {
      return pool_.run([this, fn = std::move(fn)]() mutable {
        R result{};
        with_reader([&](Connection& c) { result = fn(c); });
        return result;
      });
    }
  }
  template <class F>
  auto write(F fn) -> boost::asio::awaitable<std::invoke_result_t<F, Connection&>> {
    using R = std::invoke_result_t<F, Connection&>;
    if constexpr (std::is_void_v<R>) {
      return pool_.run([this, fn = std::move(fn)]() mutable { with_transaction(fn); });
    } else {
      return pool_.run([this, fn = std::move(fn)]() mutable {
        R result{};
        with_transaction([&](Connection& c) { result = fn(c); });
        return result;
      });
    }
  }

  core::BlockingPool& blocking_pool() { return pool_; }

 private:
  core::BlockingPool& pool_;
};

// Opens a database from a URL: "sqlite://<path>" (created if missing; "sqlite://:memory:" for
// tests) or "postgres://user:pass@host:port/db" / "postgresql://...". Throws
// std::invalid_argument for an unsupported URL and DatabaseError when it cannot connect.
std::unique_ptr<Database> open_database(const std::string& url, core::BlockingPool& pool,
                                        const DatabaseOptions& options = {});

}  // namespace aop::store
