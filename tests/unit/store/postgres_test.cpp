// PostgreSQL-only behaviour: type mapping, timeouts, broken connections, aborted
// transactions.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "unit/store/test_database.hpp"

namespace aop::store {
namespace {

using testing::TestDatabase;

class StorePostgresTest : public ::testing::Test {
 protected:
  void SetUp() override { AOP_REQUIRE_TEST_DATABASE(Dialect::postgres); }

  static std::unique_ptr<TestDatabase> make(std::size_t pool_size = 8, int timeout_ms = 30000) {
    DatabaseOptions options;
    options.pool_size = pool_size;
    options.statement_timeout_ms = timeout_ms;
    return std::make_unique<TestDatabase>(Dialect::postgres, options);
  }

  static int backend_pid(Database& db) {
    int pid = 0;
    db.with_reader([&](Connection& c) {
      pid = static_cast<int>(c.query("SELECT pg_backend_pid()").front().i64(0));
    });
    return pid;
  }

  // Kills a server process from a separate connection, as a server restart would.
  static void terminate(TestDatabase& tdb, int pid) {
    auto killer = tdb.open_again();
    killer->with_reader(
        [&](Connection& c) { c.query("SELECT pg_terminate_backend(?)", {std::int64_t{pid}}); });
  }
};

TEST_F(StorePostgresTest, ColumnsConvertByType) {
  auto tdb = make();
  tdb->db().with_reader([](Connection& c) {
    auto rows = c.query(
        "SELECT 1::int2 AS a, 2::int4 AS b, 3::int8 AS c, 1.5::float4 AS d, 2.5::float8 AS e, "
        "3.25::numeric AS f, true AS g, false AS h, 'x'::text AS i, NULL::int AS j, "
        "'{\"k\": 1}'::json AS k, '2024-01-02'::date AS l, "
        "'Infinity'::float8 AS m, 'NaN'::float8 AS n");
    auto r = rows.front();
    EXPECT_EQ(std::get<std::int64_t>(r.value(0)), 1);
    EXPECT_EQ(std::get<std::int64_t>(r.value(1)), 2);
    EXPECT_EQ(std::get<std::int64_t>(r.value(2)), 3);
    EXPECT_EQ(std::get<double>(r.value(3)), 1.5);
    EXPECT_EQ(std::get<double>(r.value(4)), 2.5);
    EXPECT_EQ(std::get<double>(r.value(5)), 3.25);
    EXPECT_EQ(std::get<bool>(r.value(6)), true);
    EXPECT_EQ(std::get<bool>(r.value(7)), false);
    EXPECT_EQ(std::get<std::string>(r.value(8)), "x");
    EXPECT_TRUE(r.is_null(9));
    EXPECT_EQ(std::get<std::string>(r.value(10)), "{\"k\": 1}");
    EXPECT_EQ(std::get<std::string>(r.value(11)), "2024-01-02");
    EXPECT_TRUE(std::isinf(std::get<double>(r.value(12))));
    EXPECT_TRUE(std::isnan(std::get<double>(r.value(13))));
  });
}

TEST_F(StorePostgresTest, AggregatesReadAsIntegers) {
  auto tdb = make();
  tdb->db().with_reader([](Connection& c) {
    // SUM(bigint) is numeric: it arrives as a double and reads back as an integer.
    auto rows = c.query("SELECT SUM(x), COUNT(*) FROM (VALUES (1::bigint), (2::bigint)) v(x)");
    auto r = rows.front();
    EXPECT_TRUE(std::holds_alternative<double>(r.value(0)));
    EXPECT_EQ(r.i64(0), 3);
    EXPECT_EQ(r.i64(1), 2);
  });
}

TEST_F(StorePostgresTest, NonFiniteDoublesRoundTrip) {
  auto tdb = make();
  tdb->db().with_reader([](Connection& c) {
    auto rows =
        c.query("SELECT ?::float8, ?::float8", {std::numeric_limits<double>::infinity(), -0.0});
    auto r = rows.front();
    EXPECT_TRUE(std::isinf(r.f64(0)));
    EXPECT_EQ(r.f64(1), 0.0);
  });
}

TEST_F(StorePostgresTest, StatementTimeoutIsSetPerConnection) {
  auto tdb = make(2, 150);
  tdb->db().with_reader([](Connection& c) {
    EXPECT_EQ(c.query("SHOW statement_timeout").front().text(0), "150ms");
    try {
      c.query("SELECT pg_sleep(2)");
      ADD_FAILURE() << "no timeout";
    } catch (const DatabaseError& e) {
      EXPECT_NE(std::string(e.what()).find("57014"), std::string::npos) << e.what();
    }
  });
}

TEST_F(StorePostgresTest, BrokenConnectionsAreReplaced) {
  auto tdb = make(1);
  const int first = backend_pid(**tdb);
  terminate(*tdb, first);
  // The pool cannot know the server closed an idle connection until it is used...
  try {
    backend_pid(**tdb);
  } catch (const DatabaseError&) {
  }
  // ...but then drops it, and the next borrower gets a fresh one.
  const int second = backend_pid(**tdb);
  EXPECT_NE(second, first);
  EXPECT_EQ(tdb->db().stats().size, 1u);
  EXPECT_EQ(tdb->db().stats().in_use, 0u);
}

TEST_F(StorePostgresTest, TransactionsRetryADeadIdleConnection) {
  auto tdb = make(1);
  terminate(*tdb, backend_pid(**tdb));
  // Nothing ran yet when BEGIN fails, so the transaction moves to a new connection.
  tdb->db().with_transaction([](Connection& c) { c.execute_script("CREATE TABLE t (x INTEGER)"); });
  tdb->db().with_reader([](Connection& c) { EXPECT_TRUE(c.query("SELECT * FROM t").empty()); });
}

TEST_F(StorePostgresTest, SwallowedErrorStillFailsTheTransaction) {
  auto tdb = make();
  tdb->db().with_transaction(
      [](Connection& c) { c.execute_script("CREATE TABLE t (x INTEGER PRIMARY KEY)"); });
  EXPECT_THROW(tdb->db().with_transaction([](Connection& c) {
    c.execute("INSERT INTO t VALUES (1)");
    try {
      c.execute("INSERT INTO t VALUES (1)");
    } catch (const DatabaseError&) {
      // ignored on purpose: PostgreSQL has aborted the transaction regardless
    }
  }),
               DatabaseError);
  tdb->db().with_reader([](Connection& c) { EXPECT_TRUE(c.query("SELECT * FROM t").empty()); });
}

TEST_F(StorePostgresTest, ReaderLeftInATransactionIsCleanedUp) {
  auto tdb = make(1);
  tdb->db().with_transaction([](Connection& c) { c.execute_script("CREATE TABLE t (x INTEGER)"); });
  tdb->db().with_reader([](Connection& c) {
    c.execute_script("BEGIN");
    c.execute("INSERT INTO t VALUES (1)");
  });
  tdb->db().with_reader([](Connection& c) {
    EXPECT_TRUE(c.query("SELECT * FROM t").empty());
    EXPECT_EQ(c.query("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = pg_backend_pid() "
                      "AND xact_start IS NOT NULL AND state = 'idle in transaction'")
                  .front()
                  .i64(0),
              0);
  });
}

TEST_F(StorePostgresTest, CachedPlansSurviveSchemaChanges) {
  auto tdb = make(1);
  tdb->db().with_transaction([](Connection& c) {
    c.execute_script("CREATE TABLE t (a INTEGER)");
    c.execute("INSERT INTO t VALUES (1)");
  });
  auto select_all = [&] {
    Rows rows;
    tdb->db().with_reader([&](Connection& c) { rows = c.query("SELECT * FROM t"); });
    return rows;
  };
  EXPECT_EQ(select_all().columns().size(), 1u);
  tdb->db().with_transaction(
      [](Connection& c) { c.execute_script("ALTER TABLE t ADD COLUMN b TEXT"); });
  EXPECT_EQ(select_all().columns().size(), 2u);
}

TEST_F(StorePostgresTest, AcceptsPostgresqlScheme) {
  auto tdb = make();
  std::string url = tdb->url();
  ASSERT_EQ(url.rfind("postgres://", 0), 0u) << url;
  url.replace(0, std::string("postgres://").size(), "postgresql://");
  core::BlockingPool pool(1);
  auto db = open_database(url, pool);
  EXPECT_EQ(db->dialect(), Dialect::postgres);
  db->with_reader([](Connection& c) { EXPECT_EQ(c.query("SELECT 1").front().i64(0), 1); });
}

}  // namespace
}  // namespace aop::store
