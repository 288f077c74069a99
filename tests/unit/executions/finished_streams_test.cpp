// Finished streams in memory: slices by Last-Event-ID, least recently used out first, and a
// byte budget that one huge stream cannot take over.
#include "executions/finished_streams.hpp"

#include <gtest/gtest.h>

namespace aop::executions {
namespace {

std::shared_ptr<const FinishedStream> stream_of(int events, std::size_t frame_bytes = 10) {
  auto s = std::make_shared<FinishedStream>();
  s->team_id = "team";
  for (int seq = 1; seq <= events; ++seq) {
    auto frame = "id: " + std::to_string(seq) + "\n";
    frame.resize(frame_bytes, '.');
    s->frames += frame;
    s->ends.emplace_back(seq, s->frames.size());
  }
  s->ends_with_completion = true;
  return s;
}

TEST(FinishedStreams, AReaderGetsTheEventsAfterItsLastOne) {
  auto s = stream_of(3);
  EXPECT_EQ(s->frames_after(s, 0).get(), &s->frames) << "the whole stream is shared, not copied";
  EXPECT_EQ(*s->frames_after(s, 1), s->frames.substr(10));
  EXPECT_EQ(*s->frames_after(s, 2), s->frames.substr(20));
  EXPECT_TRUE(s->frames_after(s, 3)->empty());
  EXPECT_TRUE(s->frames_after(s, 99)->empty());
}

TEST(FinishedStreams, TheLeastRecentlyReadGoFirstWhenTheBudgetIsExceeded) {
  FinishedStreams cache(7 * 1024);  // room for five streams of ~1.3 KB
  cache.insert("a", stream_of(10, 100));  // 1,000 bytes of frames and ~270 of bookkeeping
  cache.insert("b", stream_of(10, 100));
  cache.insert("c", stream_of(10, 100));
  ASSERT_NE(cache.find("a"), nullptr);  // a is now the most recent of the three
  cache.insert("x0", stream_of(10, 100));
  cache.insert("x1", stream_of(10, 100));
  ASSERT_EQ(cache.size(), 5u);
  cache.insert("x2", stream_of(10, 100));  // the sixth: one has to go
  EXPECT_EQ(cache.size(), 5u);
  EXPECT_EQ(cache.find("b"), nullptr) << "the least recently used went";
  EXPECT_NE(cache.find("a"), nullptr);
  EXPECT_NE(cache.find("c"), nullptr);
  EXPECT_LE(cache.bytes(), 7u * 1024);
}

TEST(FinishedStreams, OneStreamNeverTakesMoreThanAQuarterOfTheBudget) {
  FinishedStreams cache(4000);
  cache.insert("small", stream_of(5, 100));
  cache.insert("huge", stream_of(100, 100));
  EXPECT_EQ(cache.find("huge"), nullptr);
  EXPECT_NE(cache.find("small"), nullptr) << "and nothing was evicted for it";
}

}  // namespace
}  // namespace aop::executions
