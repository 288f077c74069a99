// The event log on both databases: group commit, stored events published only after their
// commit and in emission order with the chunks, the final commit with the run's row, and one
// run's bad row not costing the others their events.
#include "executions/event_log.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <thread>

#include "executions/event_rows.hpp"
#include "executions/live_hub.hpp"
#include "http/sse.hpp"
#include "unit/executions/execution_test_support.hpp"

namespace aop::executions {
namespace {

namespace asio = boost::asio;
using engine::Event;
using engine::EventType;
using store::Connection;
using store::Dialect;

Event event(const std::string& execution, std::int64_t seq, EventType type = EventType::log) {
  Event e;
  e.execution_id = execution;
  e.seq = seq;
  e.type = type;
  e.ts_ms = 1000 + seq;
  e.trace_id = "trace";
  e.data = type == EventType::llm_stream_chunk ? boost::json::object{{"text", "tok"}} : boost::json::object{{"n", seq}};
  return e;
}

class EventLogTest : public testing::ExecutionsDbTest {
 protected:
  void SetUp() override {
    ExecutionsDbTest::SetUp();
    if (IsSkipped()) return;
    add("e1", 100);
    add("e2", 200);
    thread_ = std::thread([this] { io_.run(); });
    log_ =
        std::make_unique<EventLog>(db(), hub_, io_.get_executor(), EventLogOptions{std::chrono::milliseconds(5), 500});
    log_->start();
  }
  void TearDown() override {
    if (log_) asio::co_spawn(io_, log_->stop(), asio::use_future).get();
    work_.reset();
    if (thread_.joinable()) thread_.join();
  }
  // Events the subscriber received, as "seq:type".
  std::vector<std::string> received(http::SseChannel& channel, bool& finished) {
    std::vector<std::string> out;
    auto text = channel.take(finished);
    for (std::size_t pos = 0; (pos = text.find("data: ", pos)) != std::string::npos; pos += 6) {
      auto doc = boost::json::parse(text.substr(pos + 6, text.find('\n', pos) - pos - 6)).as_object();
      out.push_back(std::to_string(doc.at("seq").as_int64()) + ":" + std::string(doc.at("type").as_string()));
    }
    return out;
  }
  std::vector<std::int64_t> stored(const std::string& execution) {
    auto events = read([&](Connection& c) { return read_events(c, execution, 0, 100); });
    std::vector<std::int64_t> seqs;
    for (const auto& e : events) seqs.push_back(e.seq);
    return seqs;
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::thread thread_;
  LiveHub hub_;
  std::unique_ptr<EventLog> log_;
};

TEST_P(EventLogTest, PublishesAfterCommitInEmissionOrderAndCommitsTheFinalRowWithTheLastEvent) {
  auto channel = std::make_shared<http::SseChannel>(100);
  auto sub = hub_.subscribe("e1", 0, channel);
  hub_.start(*sub, {}, false);

  // A chunk with nothing of its run in flight goes out at once.
  log_->append(event("e1", 0, EventType::llm_stream_chunk));
  bool finished = false;
  EXPECT_EQ(received(*channel, finished), std::vector<std::string>{"0:llm_stream_chunk"});

  log_->append(event("e1", 1, EventType::execution_started));
  log_->append(event("e1", 1, EventType::llm_stream_chunk));  // waits behind event 1
  log_->append(event("e1", 2));
  log_->append(event("e2", 1));
  auto final_event = event("e1", 3, EventType::execution_completed);
  asio::co_spawn(io_,
                 log_->commit(final_event,
                              [](Connection& c) {
                                c.execute("UPDATE executions SET status = 'completed' WHERE id = ?",
                                          {std::string("e1")});
                              }),
                 asio::use_future)
      .get();

  // Committed together: the final row and every event before it.
  EXPECT_EQ(stored("e1"), (std::vector<std::int64_t>{1, 2, 3})) << "chunks are never stored";
  EXPECT_EQ(read([](Connection& c) { return find_execution(c, testing::k_team, "e1"); })->status, "completed");
  EXPECT_EQ(received(*channel, finished),
            (std::vector<std::string>{"1:execution_started", "1:llm_stream_chunk", "2:log", "3:execution_completed"}));
  EXPECT_TRUE(finished);
  EXPECT_GE(log_->batches_written(), 1u);
  asio::co_spawn(io_, log_->stop(), asio::use_future).get();
  EXPECT_EQ(stored("e2"), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(log_->queued(), 0u);
}

TEST_P(EventLogTest, ManyEventsGoInFewBatches) {
  for (int i = 1; i <= 2000; ++i) log_->append(event(i % 2 ? "e1" : "e2", (i + 1) / 2));
  asio::co_spawn(io_, log_->stop(), asio::use_future).get();
  EXPECT_EQ(stored("e1").size(), 100u);  // read_events pages at 100 here
  EXPECT_EQ(read([](Connection& c) { return last_seq(c, "e1"); }), 1000);
  EXPECT_EQ(read([](Connection& c) { return last_seq(c, "e2"); }), 1000);
  EXPECT_LE(log_->batches_written(), 40u) << "2000 events should not need a commit each";
}

TEST_P(EventLogTest, OneRunsBadRowDoesNotCostTheOthersTheirEvents) {
  log_->append(event("e1", 1));
  log_->append(event("ghost", 1));  // no such execution: the foreign key refuses it
  log_->append(event("e2", 1));
  std::exception_ptr error;
  try {
    asio::co_spawn(io_, log_->commit(event("ghost", 2), nullptr), asio::use_future).get();
  } catch (...) {
    error = std::current_exception();
  }
  EXPECT_TRUE(error) << "the failed write is reported to whoever waits for it";
  asio::co_spawn(io_, log_->stop(), asio::use_future).get();
  EXPECT_EQ(stored("e1"), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(stored("e2"), (std::vector<std::int64_t>{1}));
}

INSTANTIATE_TEST_SUITE_P(Dialects, EventLogTest, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         store::testing::DialectName());

}  // namespace
}  // namespace aop::executions
