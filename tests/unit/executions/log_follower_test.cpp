// Following runs of other processes through the event log: one follower per execution, new
// events reach every subscriber, turns are skipped while the run executes here, the stream
// ends with the run, and the follower ends when nobody listens.
#include "executions/log_follower.hpp"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <thread>

#include "executions/cancel_registry.hpp"
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

Event event(std::int64_t seq, EventType type = EventType::log) {
  Event e;
  e.execution_id = "e1";
  e.seq = seq;
  e.type = type;
  e.ts_ms = 1000 + seq;
  e.trace_id = "trace";
  e.data = {{"n", seq}};
  return e;
}

class LogFollowerTest : public testing::ExecutionsDbTest {
 protected:
  void SetUp() override {
    ExecutionsDbTest::SetUp();
    if (IsSkipped()) return;
    add("e1", 100);
    store_events({event(1), event(2)});
    follower_ = std::make_unique<LogFollower>(db(), hub_, local_runs_, std::chrono::milliseconds(20));
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }
  void store_events(const std::vector<Event>& events) {
    db().with_transaction([&](Connection& c) { insert_events(c, events); });
  }
  // A subscriber as the stream endpoint makes one: subscribe, replay, start, follow.
  std::shared_ptr<LiveHub::Subscription> subscribe(const std::shared_ptr<http::SseChannel>& channel) {
    auto sub = hub_.subscribe("e1", 0, channel);
    auto stored = read([](Connection& c) { return read_stored_events(c, "e1", 0, 100); });
    std::vector<ReplayedEvent> replay;
    for (const auto& e : stored) replay.push_back(replayed_event("e1", e));
    hub_.start(*sub, replay, false);
    follower_->follow("e1", replay.back().seq, io_.get_executor());
    return sub;
  }
  // Waits until the channel has received `n` more events (as their seqs).
  std::vector<std::int64_t> receive(http::SseChannel& channel, std::size_t n, bool& finished) {
    std::vector<std::int64_t> seqs;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (seqs.size() < n && std::chrono::steady_clock::now() < deadline) {
      auto text = channel.take(finished);
      for (std::size_t pos = 0; (pos = text.find("id: ", pos)) != std::string::npos; pos += 4)
        seqs.push_back(std::stoll(text.substr(pos + 4)));
      if (seqs.size() < n) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return seqs;
  }
  bool eventually(const std::function<bool()>& condition) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!condition()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::thread thread_;
  LiveHub hub_;
  CancelRegistry local_runs_;
  std::unique_ptr<LogFollower> follower_;
};

TEST_P(LogFollowerTest, OneFollowerBringsNewEventsToEverySubscriberUntilTheRunEnds) {
  auto a = std::make_shared<http::SseChannel>(100);
  auto b = std::make_shared<http::SseChannel>(100);
  auto sub_a = subscribe(a);
  auto sub_b = subscribe(b);
  EXPECT_EQ(follower_->following(), 1u) << "one reader per execution, not per subscriber";
  bool finished = false;
  EXPECT_EQ(receive(*a, 2, finished), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(receive(*b, 2, finished), (std::vector<std::int64_t>{1, 2}));

  store_events({event(3), event(4)});
  EXPECT_EQ(receive(*a, 2, finished), (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(receive(*b, 2, finished), (std::vector<std::int64_t>{3, 4}));

  // While the run executes in this process its events come straight to the hub.
  auto token = std::make_shared<engine::CancelToken>();
  auto here = local_runs_.add("e1", token);
  store_events({event(5)});
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_TRUE(receive(*a, 0, finished).empty());
  here.reset();
  EXPECT_EQ(receive(*a, 1, finished), (std::vector<std::int64_t>{5}));

  db().with_transaction([](Connection& c) {
    c.execute("UPDATE executions SET status = 'completed' WHERE id = 'e1'");
    insert_events(c, {event(6, EventType::execution_completed)});
  });
  EXPECT_EQ(receive(*b, 2, finished), (std::vector<std::int64_t>{5, 6}));
  EXPECT_TRUE(finished);
  EXPECT_TRUE(eventually([&] { return follower_->following() == 0; }));
}

TEST_P(LogFollowerTest, TheFollowerEndsWhenNobodyListensAndRestartsForANewSubscriber) {
  {
    auto channel = std::make_shared<http::SseChannel>(100);
    auto sub = subscribe(channel);
    EXPECT_EQ(follower_->following(), 1u);
  }  // the client went away
  EXPECT_TRUE(eventually([&] { return follower_->following() == 0; }));
  auto channel = std::make_shared<http::SseChannel>(100);
  auto sub = subscribe(channel);
  EXPECT_EQ(follower_->following(), 1u);
  bool finished = false;
  EXPECT_EQ(receive(*channel, 2, finished), (std::vector<std::int64_t>{1, 2}));
  store_events({event(3)});
  EXPECT_EQ(receive(*channel, 1, finished), (std::vector<std::int64_t>{3}));
}

INSTANTIATE_TEST_SUITE_P(Dialects, LogFollowerTest, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         store::testing::DialectName());

}  // namespace
}  // namespace aop::executions
