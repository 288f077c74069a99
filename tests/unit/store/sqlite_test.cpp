// SQLite-only behaviour: URLs, pragmas, WAL concurrency, the in-memory database.
#include <gtest/gtest.h>

#include <chrono>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "store/sqlite/sqlite_database.hpp"
#include "unit/store/test_database.hpp"

namespace aop::store {
namespace {

namespace fs = std::filesystem;
using testing::TestDatabase;

// A temp directory removed at the end of the test.
struct TempDir {
  fs::path path = fs::temp_directory_path() / ("aop-sqlite-" + testing::random_suffix());
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

TEST(StoreSqliteTest, ParsesUrls) {
  EXPECT_EQ(parse_sqlite_url("sqlite:///var/lib/aop/aop.db").path, "/var/lib/aop/aop.db");
  EXPECT_FALSE(parse_sqlite_url("sqlite:///var/lib/aop/aop.db").memory);
  EXPECT_EQ(parse_sqlite_url("sqlite://data/aop.db").path, "data/aop.db");
  EXPECT_TRUE(parse_sqlite_url("sqlite://:memory:").memory);
  EXPECT_THROW(parse_sqlite_url("sqlite://"), std::invalid_argument);
  EXPECT_THROW(parse_sqlite_url("postgres://x/y"), std::invalid_argument);
}

TEST(StoreSqliteTest, CreatesParentDirectoriesForAbsolutePaths) {
  TempDir dir;
  core::BlockingPool pool(1);
  auto file = dir.path / "a" / "b" / "aop.db";
  auto db = open_database("sqlite://" + file.string(), pool);
  EXPECT_EQ(db->dialect(), Dialect::sqlite);
  EXPECT_TRUE(fs::exists(file));
}

TEST(StoreSqliteTest, AcceptsRelativePaths) {
  TempDir dir;
  core::BlockingPool pool(1);
  // Relative to the working directory, which we leave alone: reach the temp dir from it.
  auto relative = fs::relative(dir.path / "rel" / "aop.db", fs::current_path());
  ASSERT_TRUE(relative.is_relative());
  auto db = open_database("sqlite://" + relative.string(), pool);
  db->with_transaction([](Connection& c) { c.execute_script("CREATE TABLE t (x INTEGER)"); });
  EXPECT_TRUE(fs::exists(dir.path / "rel" / "aop.db"));
}

TEST(StoreSqliteTest, ConnectionsAreConfigured) {
  TestDatabase tdb(Dialect::sqlite);
  tdb->with_transaction([](Connection& c) {
    EXPECT_EQ(c.query("PRAGMA journal_mode").front().text(0), "wal");
    EXPECT_EQ(c.query("PRAGMA foreign_keys").front().i64(0), 1);
    EXPECT_EQ(c.query("PRAGMA synchronous").front().i64(0), 1);  // NORMAL
    EXPECT_EQ(c.query("PRAGMA busy_timeout").front().i64(0), 5000);
  });
  tdb->with_reader([](Connection& c) {
    EXPECT_EQ(c.query("PRAGMA foreign_keys").front().i64(0), 1);
    EXPECT_EQ(c.query("PRAGMA query_only").front().i64(0), 1);
  });
}

TEST(StoreSqliteTest, ReadersCannotWrite) {
  TestDatabase tdb(Dialect::sqlite);
  tdb->with_transaction([](Connection& c) { c.execute_script("CREATE TABLE t (x INTEGER)"); });
  EXPECT_THROW(tdb->with_reader([](Connection& c) { c.execute("INSERT INTO t VALUES (1)"); }),
               DatabaseError);
}

TEST(StoreSqliteTest, ReadersDoNotWaitForAnOpenWriteTransaction) {
  TestDatabase tdb(Dialect::sqlite);
  Database& db = *tdb;
  db.with_transaction([](Connection& c) {
    c.execute_script("CREATE TABLE t (x INTEGER)");
    c.execute("INSERT INTO t VALUES (1)");
  });
  auto count = [&] {
    std::int64_t n = -1;
    db.with_reader([&](Connection& c) { n = c.query("SELECT COUNT(*) FROM t").front().i64(0); });
    return n;
  };

  std::mutex m;
  std::condition_variable cv;
  bool written = false, may_commit = false;
  std::thread writer([&] {
    db.with_transaction([&](Connection& c) {
      c.execute("INSERT INTO t VALUES (2)");
      std::unique_lock lock(m);
      written = true;
      cv.notify_all();
      cv.wait(lock, [&] { return may_commit; });
    });
  });
  {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return written; });
  }
  EXPECT_EQ(count(), 1);  // the snapshot before the open transaction, without blocking
  {
    std::lock_guard lock(m);
    may_commit = true;
  }
  cv.notify_all();
  writer.join();
  EXPECT_EQ(count(), 2);
}

TEST(StoreSqliteTest, ConcurrentReadersWhileTheWriterCommits) {
  TestDatabase tdb(Dialect::sqlite);
  Database& db = *tdb;
  db.with_transaction([](Connection& c) {
    c.execute_script("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
  });
  constexpr int k_writes = 200;
  std::atomic<bool> done{false};
  std::atomic<int> errors{0}, reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r)
    readers.emplace_back([&] {
      std::int64_t last = 0;
      while (!done.load()) {
        try {
          db.with_reader([&](Connection& c) {
            auto rows = c.query("SELECT COUNT(*), COALESCE(SUM(v), 0) FROM t");
            auto row = rows.front();
            // Each commit adds one row with v = 1: a torn read would break the equality.
            if (row.i64(0) != row.i64(1) || row.i64(0) < last) ++errors;
            last = row.i64(0);
          });
          ++reads;
        } catch (const std::exception&) {
          ++errors;
        }
      }
    });
  // Under load the readers may not be scheduled yet: start writing once they are reading.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (reads.load() < 4 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  for (int i = 0; i < k_writes; ++i)
    db.with_transaction([&](Connection& c) {
      c.execute("INSERT INTO t (id, v) VALUES (?, 1)", {std::int64_t{i}});
    });
  int reads_during_writes_floor = reads.load();
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_GE(reads_during_writes_floor, 4) << "the readers never ran";
  db.with_reader([&](Connection& c) {
    EXPECT_EQ(c.query("SELECT COUNT(*) FROM t").front().i64(0), k_writes);
  });
}

TEST(StoreSqliteTest, SecondHandleOnTheSameFileSeesCommits) {
  TestDatabase tdb(Dialect::sqlite);
  auto other = tdb.open_again();
  tdb->with_transaction([](Connection& c) {
    c.execute_script("CREATE TABLE t (x INTEGER)");
    c.execute("INSERT INTO t VALUES (42)");
  });
  other->with_reader(
      [](Connection& c) { EXPECT_EQ(c.query("SELECT x FROM t").front().i64(0), 42); });
}

TEST(StoreSqliteTest, InMemoryDatabaseSharesOneConnection) {
  core::BlockingPool pool(1);
  auto db = open_database("sqlite://:memory:", pool);
  db->with_transaction([](Connection& c) {
    c.execute_script("CREATE TABLE t (x INTEGER)");
    c.execute("INSERT INTO t VALUES (7)");
  });
  db->with_reader([](Connection& c) { EXPECT_EQ(c.query("SELECT x FROM t").front().i64(0), 7); });
  EXPECT_EQ(db->stats().size, 1u);
  // Two in-memory databases are independent.
  auto other = open_database("sqlite://:memory:", pool);
  EXPECT_THROW(other->with_reader([](Connection& c) { c.query("SELECT x FROM t"); }),
               DatabaseError);
}

TEST(StoreSqliteTest, NestedCallsOnTheWriterFailInsteadOfDeadlocking) {
  core::BlockingPool pool(1);
  auto db = open_database("sqlite://:memory:", pool);
  EXPECT_THROW(db->with_transaction([&](Connection&) { db->with_reader([](Connection&) {}); }),
               DatabaseError);
  TestDatabase tdb(Dialect::sqlite);
  EXPECT_THROW(
      tdb->with_transaction([&](Connection&) { tdb->with_transaction([](Connection&) {}); }),
      DatabaseError);
  // Reading inside a write transaction uses a reader connection on a file database.
  tdb->with_transaction(
      [&](Connection&) { tdb->with_reader([](Connection& c) { c.query("SELECT 1"); }); });
}

TEST(StoreSqliteTest, BlobsReadAsBytes) {
  TestDatabase tdb(Dialect::sqlite);
  tdb->with_reader([](Connection& c) {
    auto rows = c.query("SELECT x'00ff41', CAST('abc' AS BLOB)");
    EXPECT_EQ(rows.front().text(0), std::string("\x00\xff"
                                                "A",
                                                3));
    EXPECT_EQ(rows.front().text(1), "abc");
  });
}

TEST(StoreSqliteTest, UnopenableFileIsADatabaseError) {
  TempDir dir;
  core::BlockingPool pool(1);
  fs::create_directories(dir.path / "is_a_dir.db");
  EXPECT_THROW(open_database("sqlite://" + (dir.path / "is_a_dir.db").string(), pool),
               DatabaseError);
}

}  // namespace
}  // namespace aop::store
