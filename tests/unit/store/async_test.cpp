// Database::read / write from coroutines: the work runs on the blocking pool and the
// coroutine resumes on its own io_context thread.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <thread>

#include "unit/store/test_database.hpp"

namespace aop::store {
namespace {

using testing::TestDatabase;

class StoreAsyncTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    AOP_REQUIRE_TEST_DATABASE(GetParam());
    tdb_ = std::make_unique<TestDatabase>(GetParam());
  }
  // Runs a coroutine to completion on an io_context driven by this thread.
  void run(std::function<boost::asio::awaitable<void>()> body) {
    boost::asio::io_context io;
    auto done = boost::asio::co_spawn(io, body(), boost::asio::use_future);
    io.run();
    done.get();  // rethrows failures from the coroutine
  }
  std::unique_ptr<TestDatabase> tdb_;
};

TEST_P(StoreAsyncTest, ReadAndWriteResumeOnTheIoThread) {
  Database& db = **tdb_;
  const auto io_thread = std::this_thread::get_id();
  run([&]() -> boost::asio::awaitable<void> {
    std::thread::id worker;
    co_await db.write([&](Connection& c) {
      worker = std::this_thread::get_id();
      c.execute_script("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
    });
    EXPECT_NE(worker, io_thread) << "the blocking call must run on a pool thread";
    EXPECT_EQ(std::this_thread::get_id(), io_thread);

    auto inserted = co_await db.write([](Connection& c) {
      return c.execute("INSERT INTO notes (id, body) VALUES (?, ?), (?, ?)",
                       {std::int64_t{1}, "a", std::int64_t{2}, "b"});
    });
    EXPECT_EQ(inserted, 2);
    EXPECT_EQ(std::this_thread::get_id(), io_thread);

    auto bodies = co_await db.read([&](Connection& c) {
      EXPECT_NE(std::this_thread::get_id(), io_thread);
      std::vector<std::string> out;
      for (auto row : c.query("SELECT body FROM notes ORDER BY id")) out.push_back(row.text(0));
      return out;
    });
    EXPECT_EQ(bodies, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(std::this_thread::get_id(), io_thread);
  });
}

TEST_P(StoreAsyncTest, ErrorsAreRethrownInTheCoroutine) {
  Database& db = **tdb_;
  const auto io_thread = std::this_thread::get_id();
  run([&]() -> boost::asio::awaitable<void> {
    co_await db.write([](Connection& c) {
      c.execute_script("CREATE TABLE keys (k TEXT PRIMARY KEY)");
      c.execute("INSERT INTO keys (k) VALUES ('a')");
    });
    bool constraint = false;
    try {
      co_await db.write([](Connection& c) { c.execute("INSERT INTO keys (k) VALUES ('a')"); });
    } catch (const DatabaseError& e) {
      constraint = e.is_constraint_violation();
    }
    EXPECT_TRUE(constraint);
    EXPECT_EQ(std::this_thread::get_id(), io_thread);

    bool failed = false;
    try {
      co_await db.read([](Connection& c) { return c.query("SELECT * FROM missing").size(); });
    } catch (const DatabaseError&) {
      failed = true;
    }
    EXPECT_TRUE(failed);
    EXPECT_EQ(std::this_thread::get_id(), io_thread);
  });
  EXPECT_EQ(db.stats().in_use, 0u);
}

TEST_P(StoreAsyncTest, ManyConcurrentCoroutines) {
  Database& db = **tdb_;
  db.with_transaction([](Connection& c) {
    c.execute_script("CREATE TABLE counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)");
    c.execute("INSERT INTO counter (id, n) VALUES (1, 0)");
  });
  boost::asio::io_context io;
  const auto io_thread = std::this_thread::get_id();
  int finished = 0;
  for (int i = 0; i < 50; ++i) {
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
          co_await db.write(
              [](Connection& c) { c.execute("UPDATE counter SET n = n + 1 WHERE id = 1"); });
          auto n = co_await db.read(
              [](Connection& c) { return c.query("SELECT n FROM counter").front().i64(0); });
          EXPECT_GE(n, 1);
          EXPECT_EQ(std::this_thread::get_id(), io_thread);
          ++finished;  // only the io thread touches it
        },
        [](std::exception_ptr e) {
          if (e) std::rethrow_exception(e);
        });
  }
  io.run();
  EXPECT_EQ(finished, 50);
  db.with_reader(
      [](Connection& c) { EXPECT_EQ(c.query("SELECT n FROM counter").front().i64(0), 50); });
}

INSTANTIATE_TEST_SUITE_P(Dialects, StoreAsyncTest,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         testing::DialectName());

}  // namespace
}  // namespace aop::store
