#include <gtest/gtest.h>

#include "http/sse.hpp"

using namespace aop::http;

TEST(SseFraming, FormatsIdEventAndData) {
  EXPECT_EQ(format_sse({"7", "log", "hello"}), "id: 7\nevent: log\ndata: hello\n\n");
  EXPECT_EQ(format_sse({std::nullopt, "", "x"}), "data: x\n\n");
}

TEST(SseFraming, SplitsMultiLineDataOnEveryLineEnding) {
  EXPECT_EQ(format_sse({std::nullopt, "", "a\nb\r\nc\rd"}), "data: a\ndata: b\ndata: c\ndata: d\n\n");
  EXPECT_EQ(format_sse({std::nullopt, "", "trailing\n"}), "data: trailing\ndata: \n\n");
  EXPECT_EQ(format_sse({std::nullopt, "", ""}), "data: \n\n");
}

TEST(SseFraming, IdAndEventCannotInjectFields) {
  EXPECT_EQ(format_sse({"1\ndata: evil", "a\r\nid: 2", "ok"}), "id: 1data: evil\nevent: aid: 2\ndata: ok\n\n");
}

TEST(SseFraming, CommentsArePings) { EXPECT_EQ(format_sse_comment("ping"), ": ping\n\n"); }

TEST(SseChannel, DeliversQueuedEventsThenFinalEventOnClose) {
  SseChannel ch(10);
  int wakes = 0;
  ch.set_waker([&] { ++wakes; });
  EXPECT_TRUE(ch.push({"1", "a", "x"}));
  EXPECT_TRUE(ch.push({"2", "b", "y"}));
  ch.close(SseEvent{std::nullopt, "end", "{}"});
  EXPECT_FALSE(ch.push({"3", "c", "z"})) << "closed channels refuse events";
  bool finished = false;
  auto out = ch.take(finished);
  EXPECT_TRUE(finished);
  EXPECT_EQ(out, "id: 1\nevent: a\ndata: x\n\nid: 2\nevent: b\ndata: y\n\nevent: end\ndata: {}\n\n");
  EXPECT_EQ(wakes, 2) << "the first push and the close wake the writer; the second push finds it woken";
}

TEST(SseChannel, ABurstWakesTheWriterOnceUntilItTakes) {
  SseChannel ch(100);
  int wakes = 0;
  ch.set_waker([&] { ++wakes; });
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(ch.push({std::to_string(i), "chunk", "x"}));
  EXPECT_EQ(wakes, 1);
  bool finished = false;
  auto out = ch.take(finished);
  EXPECT_NE(out.find("id: 19\n"), std::string::npos) << "the burst is taken in one piece";
  EXPECT_TRUE(ch.push({"20", "chunk", "x"}));
  EXPECT_EQ(wakes, 2) << "after a take, the next event wakes the writer again";
  EXPECT_EQ(ch.take(finished), "id: 20\nevent: chunk\ndata: x\n\n");
}

TEST(SseChannel, AHalfFullQueueWakesTheWriterAgain) {
  SseChannel ch(8);
  int wakes = 0;
  ch.set_waker([&] { ++wakes; });
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(ch.push({std::to_string(i), "chunk", "x"}));
  EXPECT_EQ(wakes, 1);
  EXPECT_FALSE(ch.filling());
  EXPECT_TRUE(ch.push({"3", "chunk", "x"}));
  EXPECT_EQ(wakes, 2) << "the fourth of eight: a writer pausing between writes must go now";
  EXPECT_TRUE(ch.filling());
  EXPECT_TRUE(ch.push({"4", "chunk", "x"}));
  EXPECT_EQ(wakes, 2);
}

TEST(SseChannel, OneFrameIsSharedByEveryChannelItIsPushedTo) {
  auto frame = make_sse_frame({"5", "log", "shared"});
  SseChannel a(4), b(4);
  EXPECT_TRUE(a.push_frame(frame));
  EXPECT_TRUE(b.push_frame(frame));
  EXPECT_EQ(frame.use_count(), 3) << "queued by pointer, not copied";
  bool finished = false;
  EXPECT_EQ(a.take(finished), "id: 5\nevent: log\ndata: shared\n\n");
  EXPECT_EQ(b.take(finished), "id: 5\nevent: log\ndata: shared\n\n");
}

TEST(SseChannel, SlowConsumerIsDroppedWithFinalEvent) {
  SseChannel ch(3);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(ch.push({std::to_string(i), "e", "d"}));
  EXPECT_FALSE(ch.push({"3", "e", "d"})) << "the fourth event overflows a buffer of three";
  EXPECT_TRUE(ch.overflowed());
  bool finished = false;
  auto out = ch.take(finished);
  EXPECT_TRUE(finished);
  EXPECT_EQ(out.find("id: 0"), std::string::npos) << "buffered events are discarded";
  EXPECT_NE(out.find("event: dropped"), std::string::npos);
  EXPECT_NE(out.find("slow_consumer"), std::string::npos);
}

TEST(SseChannel, OnEndRunsOnceAndDisconnectStopsProducers) {
  SseChannel ch(3);
  int ended = 0;
  ch.on_end([&] { ++ended; });
  ch.disconnect();
  EXPECT_FALSE(ch.push({"1", "e", "d"}));
  ch.notify_end();
  ch.notify_end();
  EXPECT_EQ(ended, 1);
}
