// Migrations on both databases: from scratch, idempotent, concurrent, and the resulting
// schema behaves the same on SQLite and PostgreSQL.
#include "store/migrator.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "unit/store/test_database.hpp"

namespace aop::store {
namespace {

using testing::TestDatabase;

// Every table of DESIGN.md section 8.
const std::vector<std::string> k_tables = {
    "users", "teams", "team_members", "crews", "agent_templates", "tools", "deployments",
    "executions", "traces", "logs", "metrics", "api_keys", "webhooks", "alerts",
    "execution_events", "crew_versions", "secrets", "refresh_tokens", "audit_log",
    "llm_providers", "webhook_deliveries", "alert_events", "budgets", "tool_versions",
    "schema_migrations"};

std::set<std::string> table_names(Database& db) {
  std::set<std::string> names;
  db.with_reader([&](Connection& c) {
    const char* sql = c.dialect() == Dialect::sqlite
                          ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                          : "SELECT table_name FROM information_schema.tables "
                            "WHERE table_schema = current_schema()";
    for (auto row : c.query(sql)) names.insert(row.text(0));
  });
  return names;
}

std::vector<std::string> column_names(Database& db, const std::string& table) {
  std::vector<std::string> names;
  db.with_reader([&](Connection& c) {
    const char* sql = c.dialect() == Dialect::sqlite
                          ? "SELECT name FROM pragma_table_info(?) ORDER BY cid"
                          : "SELECT column_name FROM information_schema.columns "
                            "WHERE table_schema = current_schema() AND table_name = ? "
                            "ORDER BY ordinal_position";
    for (auto row : c.query(sql, {table})) names.push_back(row.text(0));
  });
  return names;
}

TEST(StoreMigratorEmbeddedTest, BothDialectsHaveTheSameMigrations) {
  auto sqlite = embedded_migrations(Dialect::sqlite);
  auto postgres = embedded_migrations(Dialect::postgres);
  ASSERT_FALSE(sqlite.empty());
  ASSERT_EQ(sqlite.size(), postgres.size());
  for (std::size_t i = 0; i < sqlite.size(); ++i) {
    EXPECT_EQ(sqlite[i].version, postgres[i].version);
    EXPECT_EQ(sqlite[i].name, postgres[i].name);
    EXPECT_FALSE(sqlite[i].sql.empty());
    if (i > 0) {
      EXPECT_GT(sqlite[i].version, sqlite[i - 1].version);
    }
  }
  EXPECT_EQ(sqlite.front().version, 1);
  EXPECT_EQ(sqlite.front().name, "init");
}

class StoreMigratorTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    AOP_REQUIRE_TEST_DATABASE(GetParam());
    tdb_ = std::make_unique<TestDatabase>(GetParam());
  }
  Database& db() { return **tdb_; }
  std::unique_ptr<TestDatabase> tdb_;
};

TEST_P(StoreMigratorTest, AppliesEverythingFromScratchOnce) {
  const auto all = embedded_migrations(GetParam());
  EXPECT_EQ(current_schema_version(db()), 0);
  EXPECT_EQ(pending_migrations(db()).size(), all.size());

  auto first = migrate(db());
  EXPECT_EQ(first.applied, static_cast<int>(all.size()));
  EXPECT_EQ(first.current_version, all.back().version);
  EXPECT_EQ(current_schema_version(db()), all.back().version);
  EXPECT_TRUE(pending_migrations(db()).empty());

  auto second = migrate(db());
  EXPECT_EQ(second.applied, 0);
  EXPECT_EQ(second.current_version, all.back().version);

  db().with_reader([&](Connection& c) {
    auto rows = c.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
    ASSERT_EQ(rows.size(), all.size());
    EXPECT_EQ(rows.front().i64(0), 1);
    EXPECT_EQ(rows.front().text(1), "init");
    EXPECT_GT(rows.front().i64(2), 1'600'000'000'000);  // epoch milliseconds
  });
}

TEST_P(StoreMigratorTest, CreatesEveryTable) {
  migrate(db());
  auto names = table_names(db());
  for (const auto& table : k_tables) {
    EXPECT_TRUE(names.count(table)) << "missing table " << table;
    db().with_reader([&](Connection& c) {
      EXPECT_NO_THROW(c.query("SELECT * FROM " + table + " WHERE 1 = 0")) << table;
    });
  }
}

TEST_P(StoreMigratorTest, ConcurrentMigratorsApplyEachMigrationOnce) {
  auto other = tdb_->open_again();
  MigrationResult a, b;
  std::exception_ptr error_a, error_b;
  std::thread ta([&] {
    try {
      a = migrate(db());
    } catch (...) {
      error_a = std::current_exception();
    }
  });
  std::thread tb([&] {
    try {
      b = migrate(*other);
    } catch (...) {
      error_b = std::current_exception();
    }
  });
  ta.join();
  tb.join();
  if (error_a) std::rethrow_exception(error_a);
  if (error_b) std::rethrow_exception(error_b);
  const auto all = embedded_migrations(GetParam());
  EXPECT_EQ(a.applied + b.applied, static_cast<int>(all.size()));
  EXPECT_EQ(a.current_version, all.back().version);
  EXPECT_EQ(b.current_version, all.back().version);
}

// The same statements work on both databases against the migrated schema.
class StoreSchemaTest : public StoreMigratorTest {
 protected:
  void SetUp() override {
    StoreMigratorTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    migrate(db());
    write([](Connection& c) {
      c.execute(
          "INSERT INTO users (id, email, name, password_hash, role, created_at, updated_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)",
          {"u1", "ada@example.com", "Ada", "hash", "admin", k_now, k_now});
      c.execute("INSERT INTO teams (id, name, slug, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                {"t1", "Team", "team", k_now, k_now});
      c.execute("INSERT INTO team_members (team_id, user_id, role, created_at) VALUES (?, ?, ?, ?)",
                {"t1", "u1", "owner", k_now});
      c.execute(
          "INSERT INTO crews (id, team_id, name, config, created_by, created_at, updated_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)",
          {"c1", "t1", "research", "{}", "u1", k_now, k_now});
      c.execute(
          "INSERT INTO executions (id, team_id, crew_id, inputs, created_at) "
          "VALUES (?, ?, ?, ?, ?)",
          {"e1", "t1", "c1", "{}", k_now});
    });
  }
  void write(const std::function<void(Connection&)>& fn) { db().with_transaction(fn); }
  Rows read(std::string_view sql, const Params& params = {}) {
    Rows rows;
    db().with_reader([&](Connection& c) { rows = c.query(sql, params); });
    return rows;
  }
  bool violates(std::string_view sql, const Params& params) {
    try {
      write([&](Connection& c) { c.execute(sql, params); });
    } catch (const DatabaseError& e) {
      if (e.is_constraint_violation()) return true;
      ADD_FAILURE() << "not a constraint violation: " << e.what();
    }
    return false;
  }
  static constexpr std::int64_t k_now = 1'700'000'000'000;
};

TEST_P(StoreSchemaTest, DefaultsAndBooleansReadTheSame) {
  // Rows owns the data; a Row is a view into it, so keep the Rows alive.
  auto users =
      read("SELECT is_active, settings, role, last_login_at FROM users WHERE id = ?", {"u1"});
  auto r = users.front();
  EXPECT_TRUE(r.boolean(0));
  EXPECT_EQ(r.text(1), "{}");
  EXPECT_EQ(r.text(2), "admin");
  EXPECT_FALSE(r.opt_i64(3));
  EXPECT_EQ(read("SELECT id FROM users WHERE is_active").size(), 1u);
  EXPECT_EQ(read("SELECT id FROM users WHERE is_active = ?", {true}).size(), 1u);
  EXPECT_EQ(read("SELECT id FROM users WHERE is_active = TRUE").size(), 1u);

  auto executions = read(
      "SELECT status, is_test, total_tokens, total_cost, cancel_requested "
      "FROM executions WHERE id = ?",
      {"e1"});
  auto e = executions.front();
  EXPECT_EQ(e.text(0), "pending");
  EXPECT_FALSE(e.boolean(1));
  EXPECT_EQ(e.i64(2), 0);
  EXPECT_FALSE(e.opt_f64(3));
  EXPECT_FALSE(e.boolean(4));
}

TEST_P(StoreSchemaTest, ChecksAndForeignKeysHold) {
  EXPECT_TRUE(
      violates("INSERT INTO users (id, email, password_hash, created_at, updated_at) "
               "VALUES (?, ?, ?, ?, ?)",
               {"u2", "ada@example.com", "h", k_now, k_now}));
  EXPECT_TRUE(violates("UPDATE users SET role = ? WHERE id = ?", {"superuser", "u1"}));
  EXPECT_TRUE(violates("UPDATE executions SET status = ? WHERE id = ?", {"sleeping", "e1"}));
  EXPECT_TRUE(
      violates("INSERT INTO crews (id, team_id, name, config, created_at, updated_at) "
               "VALUES (?, ?, ?, ?, ?, ?)",
               {"c9", "no-team", "x", "{}", k_now, k_now}));
  EXPECT_TRUE(
      violates("INSERT INTO teams (id, name, slug, created_at, updated_at) "
               "VALUES (?, ?, ?, ?, ?)",
               {"t2", "Other", "team", k_now, k_now}));
  // Crew names may repeat within a team.
  write([](Connection& c) {
    c.execute(
        "INSERT INTO crews (id, team_id, name, config, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {"c2", "t1", "research", "{}", k_now, k_now});
  });
}

TEST_P(StoreSchemaTest, ExecutionEventsAreUniquePerSequence) {
  const char* insert =
      "INSERT INTO execution_events (execution_id, seq, type, ts, data) VALUES (?, ?, ?, ?, ?)";
  write([&](Connection& c) {
    c.execute(insert, {"e1", std::int64_t{1}, "execution_started", k_now, "{}"});
    c.execute(insert, {"e1", std::int64_t{2}, "task_started", k_now, "{}"});
  });
  EXPECT_TRUE(violates(insert, {"e1", std::int64_t{2}, "log", k_now, "{}"}));
  EXPECT_EQ(read("SELECT seq FROM execution_events WHERE execution_id = ? AND seq > ? ORDER BY seq",
                 {"e1", std::int64_t{1}})
                .size(),
            1u);
}

TEST_P(StoreSchemaTest, SecretNamesAreUniquePerScope) {
  const char* insert =
      "INSERT INTO secrets (id, team_id, crew_id, name, nonce, ciphertext, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, 'n', 'c', ?, ?)";
  write([&](Connection& c) {
    c.execute(insert, {"s1", "t1", nullptr, "OPENAI_API_KEY", k_now, k_now});
    c.execute(insert, {"s2", "t1", "c1", "OPENAI_API_KEY", k_now, k_now});  // crew override
  });
  EXPECT_TRUE(violates(insert, {"s3", "t1", nullptr, "OPENAI_API_KEY", k_now, k_now}));
  EXPECT_TRUE(violates(insert, {"s4", "t1", "c1", "OPENAI_API_KEY", k_now, k_now}));
}

TEST_P(StoreSchemaTest, LogIdsAreGenerated) {
  std::vector<std::int64_t> ids;
  write([&](Connection& c) {
    for (int i = 0; i < 3; ++i)
      ids.push_back(c.query("INSERT INTO logs (execution_id, level, message, ts) "
                            "VALUES (?, ?, ?, ?) RETURNING id",
                            {"e1", "info", "hello", k_now})
                        .front()
                        .i64(0));
  });
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_LT(ids[0], ids[1]);
  EXPECT_LT(ids[1], ids[2]);
}

TEST_P(StoreSchemaTest, DeletingAnExecutionCascades) {
  write([](Connection& c) {
    c.execute(
        "INSERT INTO execution_events (execution_id, seq, type, ts) VALUES ('e1', 1, 'x', 1)");
    c.execute(
        "INSERT INTO traces (id, execution_id, kind, name, started_at) "
        "VALUES ('tr1', 'e1', 'crew', 'research', 1)");
    c.execute("INSERT INTO logs (execution_id, level, message, ts) VALUES ('e1', 'info', 'm', 1)");
    c.execute("INSERT INTO metrics (execution_id, name, value, ts) VALUES ('e1', 'tokens', 3, 1)");
    c.execute("DELETE FROM executions WHERE id = 'e1'");
  });
  for (const char* table : {"execution_events", "traces", "logs", "metrics"})
    EXPECT_TRUE(read(std::string("SELECT * FROM ") + table).empty()) << table;
}

INSTANTIATE_TEST_SUITE_P(Dialects, StoreMigratorTest,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         testing::DialectName());
INSTANTIATE_TEST_SUITE_P(Dialects, StoreSchemaTest,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         testing::DialectName());

// Both dialects must define the same columns, in the same order, for every table.
TEST(StoreMigratorParityTest, DialectsHaveIdenticalColumns) {
  AOP_REQUIRE_TEST_DATABASE(Dialect::postgres);
  TestDatabase sqlite(Dialect::sqlite), postgres(Dialect::postgres);
  migrate(*sqlite);
  migrate(*postgres);
  EXPECT_EQ(table_names(*sqlite).size(), table_names(*postgres).size() + 1)  // + sqlite_sequence
      << "table sets differ";
  for (const auto& table : table_names(*postgres))
    EXPECT_EQ(column_names(*sqlite, table), column_names(*postgres, table)) << table;
}

}  // namespace
}  // namespace aop::store
