// Behaviour every driver must share, run against SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <limits>
#include <thread>

#include "unit/store/test_database.hpp"

namespace aop::store {
namespace {

using testing::TestDatabase;

class StoreDatabaseTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    AOP_REQUIRE_TEST_DATABASE(GetParam());
    tdb_ = std::make_unique<TestDatabase>(GetParam());
    db().with_transaction([](Connection& c) {
      c.execute_script(
          "CREATE TABLE vals (id INTEGER PRIMARY KEY, i BIGINT, d DOUBLE PRECISION, s TEXT, "
          "b BOOLEAN);"
          "CREATE TABLE parents (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
          "n INTEGER NOT NULL CHECK (n >= 0));"
          "CREATE TABLE children (id TEXT PRIMARY KEY, "
          "parent_id TEXT NOT NULL REFERENCES parents (id));");
    });
  }
  Database& db() { return **tdb_; }

  Rows read(std::string_view sql, const Params& params = {}) {
    Rows rows;
    db().with_reader([&](Connection& c) { rows = c.query(sql, params); });
    return rows;
  }
  std::int64_t count(std::string_view table) {
    return read("SELECT COUNT(*) FROM " + std::string(table)).front().i64(0);
  }

  std::unique_ptr<TestDatabase> tdb_;
};

TEST_P(StoreDatabaseTest, ReportsItsDialect) {
  EXPECT_EQ(db().dialect(), GetParam());
  db().with_reader([&](Connection& c) { EXPECT_EQ(c.dialect(), GetParam()); });
}

TEST_P(StoreDatabaseTest, ValuesRoundTrip) {
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  const std::int64_t small = std::numeric_limits<std::int64_t>::min();
  const std::string unicode = "héllo wörld — 日本語 🚀 'quoted' \"double\" ? $1 \\ ";
  db().with_transaction([&](Connection& c) {
    const char* insert = "INSERT INTO vals (id, i, d, s, b) VALUES (?, ?, ?, ?, ?)";
    c.execute(insert, {std::int64_t{1}, big, 0.1, unicode, true});
    c.execute(insert, {std::int64_t{2}, small, -1.5e300, std::string(), false});
    c.execute(insert, {std::int64_t{3}, std::int64_t{-1}, 3.141592653589793, "?", true});
    c.execute(insert, {std::int64_t{4}, nullptr, nullptr, nullptr, nullptr});
    c.execute(insert,
              {std::int64_t{5}, std::int64_t{0}, 4.9e-324, "'; DROP TABLE vals; --", false});
  });

  auto rows = read("SELECT id, i, d, s, b FROM vals ORDER BY id");
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows.columns(), (std::vector<std::string>{"id", "i", "d", "s", "b"}));

  EXPECT_EQ(rows[0].i64(1), big);
  EXPECT_EQ(rows[0].f64(2), 0.1);
  EXPECT_EQ(rows[0].text(3), unicode);
  EXPECT_TRUE(rows[0].boolean(4));

  EXPECT_EQ(rows[1].i64(1), small);
  EXPECT_EQ(rows[1].f64(2), -1.5e300);
  EXPECT_EQ(rows[1].text(3), "");
  EXPECT_FALSE(rows[1].is_null(3));
  EXPECT_FALSE(rows[1].boolean(4));

  EXPECT_EQ(rows[2].i64(1), -1);
  EXPECT_EQ(rows[2].f64(2), 3.141592653589793);
  EXPECT_EQ(rows[2].text(3), "?");

  for (std::size_t col = 1; col <= 4; ++col) EXPECT_TRUE(rows[3].is_null(col)) << col;
  EXPECT_FALSE(rows[3].opt_i64(1));
  EXPECT_FALSE(rows[3].opt_f64(2));
  EXPECT_FALSE(rows[3].opt_text(3));
  EXPECT_THROW(rows[3].i64(1), DatabaseError);

  EXPECT_EQ(rows[4].f64(2), 4.9e-324);
  EXPECT_EQ(rows[4].text(3), "'; DROP TABLE vals; --");

  // Typed columns come back as the natural variant alternative.
  EXPECT_TRUE(std::holds_alternative<std::int64_t>(rows[0].value(1)));
  EXPECT_TRUE(std::holds_alternative<double>(rows[0].value(2)));
  EXPECT_TRUE(std::holds_alternative<std::string>(rows[0].value(3)));
}

TEST_P(StoreDatabaseTest, ParametersFilterRows) {
  db().with_transaction([](Connection& c) {
    for (std::int64_t i = 1; i <= 5; ++i)
      c.execute("INSERT INTO vals (id, i, s, b) VALUES (?, ?, ?, ?)",
                {i, i * 10, "row" + std::to_string(i), i % 2 == 0});
  });
  EXPECT_EQ(read("SELECT id FROM vals WHERE i > ? AND s <> ? ORDER BY id",
                 {std::int64_t{20}, std::string("row5")})
                .size(),
            2u);
  EXPECT_EQ(read("SELECT id FROM vals WHERE b = ?", {true}).size(), 2u);
  EXPECT_EQ(read("SELECT id FROM vals WHERE b = ?", {false}).size(), 3u);
  // Booleans read the same on both: WHERE b works without comparing to a literal.
  EXPECT_EQ(read("SELECT id FROM vals WHERE b").size(), 2u);
  EXPECT_TRUE(read("SELECT id FROM vals WHERE s = ?", {std::string("nope")}).empty());
}

TEST_P(StoreDatabaseTest, QuestionMarksInLiteralsAndCommentsAreNotParameters) {
  auto rows = read(
      "SELECT 'what?' AS q, ? AS p /* is this ? a param */ -- no?\n"
      ", \"s\" AS ident FROM (SELECT 'x?' AS \"s\") AS sub",
      {std::string("yes")});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows.front().text(rows.front().col("q")), "what?");
  EXPECT_EQ(rows.front().text(rows.front().col("p")), "yes");
  EXPECT_EQ(rows.front().text(rows.front().col("ident")), "x?");
}

TEST_P(StoreDatabaseTest, ExecuteReturnsChangedRows) {
  db().with_transaction([](Connection& c) {
    EXPECT_EQ(c.execute("INSERT INTO vals (id, i) VALUES (1, 1), (2, 2), (3, 3)"), 3);
    EXPECT_EQ(c.execute("UPDATE vals SET i = i + 1 WHERE id >= ?", {std::int64_t{2}}), 2);
    EXPECT_EQ(c.execute("UPDATE vals SET i = 0 WHERE id = ?", {std::int64_t{99}}), 0);
    EXPECT_EQ(c.execute("DELETE FROM vals WHERE id = ?", {std::int64_t{1}}), 1);
    EXPECT_EQ(c.execute("CREATE TABLE other (x INTEGER)"), 0);
  });
  EXPECT_EQ(count("vals"), 2);
}

TEST_P(StoreDatabaseTest, ReturningGivesRows) {
  Rows rows;
  db().with_transaction([&](Connection& c) {
    rows = c.query("INSERT INTO vals (id, s) VALUES (?, ?) RETURNING id, s",
                   {std::int64_t{7}, std::string("seven")});
  });
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows.front().i64(0), 7);
  EXPECT_EQ(rows.front().text(1), "seven");
}

TEST_P(StoreDatabaseTest, EmptyResultKeepsColumnNames) {
  auto rows = read("SELECT id, s FROM vals WHERE id = ?", {std::int64_t{1}});
  EXPECT_TRUE(rows.empty());
  EXPECT_EQ(rows.columns(), (std::vector<std::string>{"id", "s"}));
}

TEST_P(StoreDatabaseTest, ConstraintViolationsAreFlagged) {
  db().with_transaction([](Connection& c) {
    c.execute("INSERT INTO parents (id, name, n) VALUES ('p1', 'one', 1)");
  });
  auto expect_constraint = [&](std::string_view sql, const Params& params, const char* what) {
    try {
      db().with_transaction([&](Connection& c) { c.execute(sql, params); });
      ADD_FAILURE() << what << ": no error";
    } catch (const DatabaseError& e) {
      EXPECT_TRUE(e.is_constraint_violation()) << what << ": " << e.what();
    }
  };
  expect_constraint("INSERT INTO parents (id, name, n) VALUES (?, ?, 1)", {"p1", "other"},
                    "primary key");
  expect_constraint("INSERT INTO parents (id, name, n) VALUES (?, ?, 1)", {"p2", "one"}, "unique");
  expect_constraint("INSERT INTO parents (id, name, n) VALUES (?, ?, ?)",
                    {"p3", "three", std::int64_t{-1}}, "check");
  expect_constraint("INSERT INTO parents (id, name, n) VALUES (?, ?, 1)", {"p4", nullptr},
                    "not null");
  expect_constraint("INSERT INTO children (id, parent_id) VALUES (?, ?)", {"c1", "nobody"},
                    "foreign key");
  EXPECT_EQ(count("parents"), 1);
  EXPECT_EQ(count("children"), 0);
}

TEST_P(StoreDatabaseTest, OtherErrorsAreNotConstraintViolations) {
  try {
    read("SELECT * FROM no_such_table");
    ADD_FAILURE() << "no error";
  } catch (const DatabaseError& e) {
    EXPECT_FALSE(e.is_constraint_violation());
    EXPECT_NE(std::string(e.what()).find("no_such_table"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read("SELEKT 1"), DatabaseError);
}

TEST_P(StoreDatabaseTest, WrongParameterCountIsAnError) {
  EXPECT_THROW(read("SELECT id FROM vals WHERE id = ?"), DatabaseError);
  EXPECT_THROW(read("SELECT id FROM vals WHERE id = ?", {std::int64_t{1}, std::int64_t{2}}),
               DatabaseError);
  // The connection stays usable afterwards.
  EXPECT_TRUE(read("SELECT id FROM vals WHERE id = ?", {std::int64_t{1}}).empty());
}

TEST_P(StoreDatabaseTest, TransactionCommitsOnReturn) {
  db().with_transaction([](Connection& c) {
    c.execute("INSERT INTO vals (id) VALUES (1)");
    c.execute("INSERT INTO vals (id) VALUES (2)");
  });
  EXPECT_EQ(count("vals"), 2);
}

TEST_P(StoreDatabaseTest, TransactionRollsBackOnException) {
  EXPECT_THROW(db().with_transaction([](Connection& c) {
    c.execute("INSERT INTO vals (id) VALUES (1)");
    EXPECT_EQ(c.query("SELECT COUNT(*) FROM vals").front().i64(0), 1);  // visible inside
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(count("vals"), 0);

  // A failing statement rolls back the statements before it too.
  EXPECT_THROW(db().with_transaction([](Connection& c) {
    c.execute("INSERT INTO parents (id, name, n) VALUES ('a', 'x', 1)");
    c.execute("INSERT INTO parents (id, name, n) VALUES ('b', 'x', 1)");
  }),
               DatabaseError);
  EXPECT_EQ(count("parents"), 0);

  // And the database is fine afterwards.
  db().with_transaction([](Connection& c) { c.execute("INSERT INTO vals (id) VALUES (3)"); });
  EXPECT_EQ(count("vals"), 1);
}

TEST_P(StoreDatabaseTest, ExecuteScriptRunsSeveralStatements) {
  db().with_transaction([](Connection& c) {
    c.execute_script(
        "INSERT INTO vals (id, s) VALUES (1, 'a?');\n"
        "-- a comment; with a semicolon\n"
        "INSERT INTO vals (id, s) VALUES (2, 'b;c');\n");
  });
  EXPECT_EQ(count("vals"), 2);
  EXPECT_EQ(read("SELECT s FROM vals WHERE id = 2").front().text(0), "b;c");
  EXPECT_THROW(db().with_transaction([](Connection& c) { c.execute_script("NOT SQL;"); }),
               DatabaseError);
}

TEST_P(StoreDatabaseTest, QueryTakesOneStatement) {
  EXPECT_THROW(read("SELECT 1; SELECT 2"), DatabaseError);
  EXPECT_EQ(read("SELECT 1;").size(), 1u);  // a trailing semicolon is fine
}

TEST_P(StoreDatabaseTest, StatsReflectBorrowedConnections) {
  EXPECT_EQ(db().stats().in_use, 0u);
  EXPECT_GE(db().stats().size, 1u);
  db().with_reader([&](Connection&) {
    auto s = db().stats();
    EXPECT_EQ(s.in_use, 1u);
    EXPECT_GE(s.size, 1u);
  });
  db().with_transaction([&](Connection&) { EXPECT_EQ(db().stats().in_use, 1u); });
  EXPECT_EQ(db().stats().in_use, 0u);
}

TEST_P(StoreDatabaseTest, ExceptionsInReadersReturnTheConnection) {
  for (int i = 0; i < 20; ++i)
    EXPECT_THROW(db().with_reader([](Connection&) { throw std::logic_error("x"); }),
                 std::logic_error);
  EXPECT_EQ(db().stats().in_use, 0u);
  EXPECT_EQ(read("SELECT 1").size(), 1u);
}

TEST_P(StoreDatabaseTest, PoolGrowsOnlyToItsSize) {
  DatabaseOptions options;
  options.pool_size = 2;
  auto small = tdb_->open_again(options);
  std::atomic<int> inside{0}, max_inside{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i)
        small->with_reader([&](Connection& c) {
          int now = ++inside;
          int seen = max_inside.load();
          while (now > seen && !max_inside.compare_exchange_weak(seen, now)) {
          }
          c.query("SELECT 1");
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
          --inside;
        });
    });
  for (auto& t : threads) t.join();
  EXPECT_LE(max_inside.load(), 2);
  EXPECT_LE(small->stats().size, 3u);  // SQLite counts its writer too
  EXPECT_EQ(small->stats().in_use, 0u);
}

INSTANTIATE_TEST_SUITE_P(Dialects, StoreDatabaseTest,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         testing::DialectName());

}  // namespace
}  // namespace aop::store
