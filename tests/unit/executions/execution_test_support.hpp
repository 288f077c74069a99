#pragma once
// A migrated database per test (both dialects) with one team, for the executions tests.
#include <gtest/gtest.h>

#include "executions/execution_store.hpp"
#include "store/migrator.hpp"
#include "unit/store/test_database.hpp"

namespace aop::executions::testing {

inline const std::string k_team = "team-1";
inline const std::string k_other_team = "team-2";

class ExecutionsDbTest : public ::testing::TestWithParam<store::Dialect> {
 protected:
  void SetUp() override {
    AOP_REQUIRE_TEST_DATABASE(GetParam());
    tdb_ = std::make_unique<store::testing::TestDatabase>(GetParam());
    store::migrate(db());
    db().with_transaction([](store::Connection& c) {
      for (const auto& team : {k_team, k_other_team})
        c.execute("INSERT INTO teams (id, name, slug, created_at, updated_at) VALUES (?, ?, ?, 1, 1)",
                  {team, team, team});
    });
  }
  store::Database& db() { return **tdb_; }

  // A pending execution created at `created_at`.
  ExecutionRecord add(const std::string& id, std::int64_t created_at, const std::string& team = k_team) {
    ExecutionRecord e;
    e.id = id;
    e.team_id = team;
    e.created_at = created_at;
    e.inputs = R"({"topic":"x"})";
    db().with_transaction([&](store::Connection& c) { insert_execution(c, e); });
    return e;
  }
  template <class F>
  auto write(F fn) {
    std::invoke_result_t<F, store::Connection&> out{};
    db().with_transaction([&](store::Connection& c) { out = fn(c); });
    return out;
  }
  template <class F>
  auto read(F fn) {
    std::invoke_result_t<F, store::Connection&> out{};
    db().with_reader([&](store::Connection& c) { out = fn(c); });
    return out;
  }

  std::unique_ptr<store::testing::TestDatabase> tdb_;
};

}  // namespace aop::executions::testing
