#pragma once
// A fresh, isolated database per test, for either dialect.
//   SQLite:     a file in a new temp directory, removed afterwards.
//   PostgreSQL: CREATE DATABASE t_<random> on the server named by AOP_TEST_PG_URL, dropped
//               (WITH (FORCE)) afterwards. scripts/run-tests.sh starts such a server; by hand:
//                 url=$(scripts/pg-test-server.sh start /tmp/pgtest)
//                 AOP_TEST_PG_URL=$url build/release/aop_unit_tests
//                 scripts/pg-test-server.sh stop /tmp/pgtest
// Without AOP_TEST_PG_URL, PostgreSQL tests fail, unless AOP_TEST_SKIP_POSTGRES=1 skips them.
// Use AOP_REQUIRE_TEST_DATABASE(dialect) at the top of SetUp() or a test body.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>

#include "core/blocking_pool.hpp"
#include "store/database.hpp"

namespace aop::store::testing {

inline std::string dialect_name(Dialect d) { return d == Dialect::sqlite ? "sqlite" : "postgres"; }

// For INSTANTIATE_TEST_SUITE_P(..., ::testing::Values(...), DialectName()).
struct DialectName {
  std::string operator()(const ::testing::TestParamInfo<Dialect>& info) const {
    return dialect_name(info.param);
  }
};

inline const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

inline bool skip_postgres() {
  const char* v = env("AOP_TEST_SKIP_POSTGRES");
  return v && std::string(v) == "1";
}

inline constexpr const char* k_no_postgres_message =
    "PostgreSQL tests need a server: run them through scripts/run-tests.sh, or start one with "
    "`url=$(scripts/pg-test-server.sh start /tmp/pgtest)` and set AOP_TEST_PG_URL=$url "
    "(AOP_TEST_SKIP_POSTGRES=1 skips them instead)";

inline std::string random_suffix() {
  static constexpr char hex[] = "0123456789abcdef";
  std::random_device rd;
  std::string s;
  for (int i = 0; i < 16; ++i) s += hex[rd() % 16];
  return s;
}

// Replaces the database name (the URL path) of a postgres:// URL.
inline std::string with_database(const std::string& url, const std::string& name) {
  const auto authority = url.find("://");
  const auto start = url.find('/', authority == std::string::npos ? 0 : authority + 3);
  const auto query = url.find('?', authority == std::string::npos ? 0 : authority + 3);
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  std::string head = url.substr(0, std::min(start, query));
  return head + "/" + name + rest;
}

class TestDatabase {
 public:
  explicit TestDatabase(Dialect dialect, DatabaseOptions options = {})
      : dialect_(dialect), blocking_(4) {
    if (dialect == Dialect::sqlite) {
      dir_ = std::filesystem::temp_directory_path() / ("aop-test-" + random_suffix());
      std::filesystem::create_directories(dir_);
      url_ = "sqlite://" + (dir_ / "test.db").string();
    } else {
      const char* server = env("AOP_TEST_PG_URL");
      if (!server) throw std::runtime_error(k_no_postgres_message);
      admin_url_ = server;
      name_ = "t_" + random_suffix();
      admin([&](Connection& c) { c.execute_script("CREATE DATABASE " + name_); });
      url_ = with_database(admin_url_, name_);
    }
    db_ = open_database(url_, blocking_, options);
  }

  ~TestDatabase() {
    db_.reset();
    try {
      if (dialect_ == Dialect::sqlite) {
        std::filesystem::remove_all(dir_);
      } else {
        admin([&](Connection& c) {
          c.execute_script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        });
      }
    } catch (const std::exception& e) {
      ADD_FAILURE() << "cleaning up the test database: " << e.what();
    }
  }

  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  Database& db() { return *db_; }
  Database* operator->() { return db_.get(); }
  Database& operator*() { return *db_; }
  const std::string& url() const { return url_; }
  core::BlockingPool& blocking_pool() { return blocking_; }
  // A second, independent handle on the same database (as another process would have).
  std::unique_ptr<Database> open_again(DatabaseOptions options = {}) {
    return open_database(url_, blocking_, options);
  }

 private:
  template <class F>
  void admin(F fn) {
    DatabaseOptions options;
    options.pool_size = 1;
    auto server = open_database(admin_url_, blocking_, options);
    server->with_reader(fn);
  }

  Dialect dialect_;
  core::BlockingPool blocking_;
  std::filesystem::path dir_;
  std::string admin_url_;
  std::string name_;
  std::string url_;
  std::unique_ptr<Database> db_;
};

}  // namespace aop::store::testing

// Skips (AOP_TEST_SKIP_POSTGRES=1) or fails a PostgreSQL test when no server is configured.
#define AOP_REQUIRE_TEST_DATABASE(dialect)                                                    \
  do {                                                                                        \
    if ((dialect) == ::aop::store::Dialect::postgres &&                                       \
        !::aop::store::testing::env("AOP_TEST_PG_URL")) {                                     \
      if (::aop::store::testing::skip_postgres()) GTEST_SKIP() << "AOP_TEST_SKIP_POSTGRES=1"; \
      FAIL() << ::aop::store::testing::k_no_postgres_message;                                 \
    }                                                                                         \
  } while (0)
