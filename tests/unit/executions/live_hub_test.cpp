// The live hub: replay then live with no gap and no duplicate, chunks, the end of a run, and
// subscriptions that leave nothing behind.
#include "executions/live_hub.hpp"

#include <gtest/gtest.h>

#include "http/sse.hpp"

#include <boost/json/serialize.hpp>

namespace aop::executions {
namespace {

using engine::Event;
using engine::EventType;

Event event(std::int64_t seq, EventType type = EventType::log, const std::string& execution = "e1") {
  Event e;
  e.seq = seq;
  e.type = type;
  e.execution_id = execution;
  e.trace_id = "t";
  e.data = {{"n", seq}};
  return e;
}
Event chunk(std::int64_t after_seq, const std::string& text) {
  auto e = event(after_seq, EventType::llm_stream_chunk);
  e.data = {{"text", text}};
  return e;
}

std::vector<ReplayedEvent> replayed(std::initializer_list<Event> events) {
  std::vector<ReplayedEvent> out;
  for (const auto& e : events) out.push_back(replayed_event(e));
  return out;
}

// What the client would receive: "id:type" per event ("-" for no id), and whether it ended.
std::vector<std::string> drain(http::SseChannel& channel, bool& finished) {
  auto text = channel.take(finished);
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (true) {
    auto end = text.find("\n\n", pos);
    if (end == std::string::npos) break;
    auto block = text.substr(pos, end - pos);
    std::string id = "-", type;
    if (block.starts_with("id: ")) id = block.substr(4, block.find('\n') - 4);
    auto ev = block.find("event: ");
    type = block.substr(ev + 7, block.find('\n', ev) - ev - 7);
    out.push_back(id + ":" + type);
    pos = end + 2;
  }
  return out;
}

TEST(LiveHub, ReplayThenBufferedThenLiveWithoutGapOrDuplicate) {
  LiveHub hub;
  auto channel = std::make_shared<http::SseChannel>(100);
  auto sub = hub.subscribe("e1", 0, channel);
  EXPECT_EQ(hub.subscriber_count(), 1u);
  // Published while the replay is being read: 2 was also read from the log, 3 was not.
  hub.publish(event(2));
  hub.publish(event(3));
  hub.publish(event(1, EventType::log, "other"));  // another execution: not ours
  bool finished = false;
  EXPECT_TRUE(drain(*channel, finished).empty()) << "nothing goes out before the replay";
  hub.start(*sub, replayed({event(1), event(2)}), false);
  hub.publish(event(3));  // a late duplicate
  hub.publish(event(4));
  EXPECT_EQ(drain(*channel, finished), (std::vector<std::string>{"1:log", "2:log", "3:log", "4:log"}));
  EXPECT_FALSE(finished);
}

TEST(LiveHub, ResumesAfterLastEventIdAndPlacesChunksByTheirSeq) {
  LiveHub hub;
  auto channel = std::make_shared<http::SseChannel>(100);
  auto sub = hub.subscribe("e1", 2, channel);
  hub.publish(chunk(1, "stale"));  // belongs before event 2, which the client has
  hub.publish(chunk(3, "fresh"));  // follows event 3
  hub.start(*sub, replayed({event(3)}), false);
  hub.publish(event(2));  // already seen by the client
  hub.publish(chunk(3, "live"));
  bool finished = false;
  EXPECT_EQ(drain(*channel, finished), (std::vector<std::string>{"3:log", "-:llm_stream_chunk", "-:llm_stream_chunk"}));
}

TEST(LiveHub, TheFinalEventEndsTheStreamAndAFinishedRunOnlyReplays) {
  LiveHub hub;
  auto live = std::make_shared<http::SseChannel>(100);
  auto live_sub = hub.subscribe("e1", 0, live);
  hub.start(*live_sub, {}, false);
  hub.publish(event(1));
  hub.publish(event(2, EventType::execution_completed));
  hub.publish(event(3));  // nothing follows the end
  bool finished = false;
  EXPECT_EQ(drain(*live, finished), (std::vector<std::string>{"1:log", "2:execution_completed"}));
  EXPECT_TRUE(finished);

  auto replay = std::make_shared<http::SseChannel>(100);
  auto replay_sub = hub.subscribe("e2", 0, replay);
  hub.start(*replay_sub, replayed({event(1, EventType::log, "e2")}), true);
  EXPECT_EQ(drain(*replay, finished), (std::vector<std::string>{"1:log"}));
  EXPECT_TRUE(finished);
  EXPECT_EQ(hub.subscriber_count(), 1u) << "the finished run's subscriber is gone at once";
}

TEST(LiveHub, SubscriptionsLeaveNothingBehind) {
  LiveHub hub;
  {
    auto channel = std::make_shared<http::SseChannel>(100);
    auto sub = hub.subscribe("e1", 0, channel);
    hub.start(*sub, {}, false);
    // As the API does: the channel owns the subscription; ending the stream drops it.
    channel->on_end([sub] {});
    sub.reset();
    EXPECT_EQ(hub.subscriber_count(), 1u);
    channel->notify_end();
    EXPECT_EQ(hub.subscriber_count(), 0u);
  }
  {
    // A handler that fails between subscribe and reply drops both.
    auto channel = std::make_shared<http::SseChannel>(100);
    auto sub = hub.subscribe("e1", 0, channel);
    EXPECT_EQ(hub.subscriber_count(), 1u);
  }
  EXPECT_EQ(hub.subscriber_count(), 0u);
  hub.publish(event(1));  // nobody left: nothing to do, nothing to crash
}

TEST(LiveHub, EndingAllSubscriptionsOfARunClosesTheirStreams) {
  LiveHub hub;
  auto a = std::make_shared<http::SseChannel>(100);
  auto b = std::make_shared<http::SseChannel>(100);
  auto sub_a = hub.subscribe("e1", 0, a);
  auto sub_b = hub.subscribe("e1", 0, b);
  auto c = std::make_shared<http::SseChannel>(100);
  auto other = hub.subscribe("e2", 0, c);
  hub.start(*sub_a, replayed({event(1)}), false);
  EXPECT_TRUE(hub.has_subscribers("e1"));
  hub.end_all("e1");
  EXPECT_FALSE(hub.has_subscribers("e1"));
  EXPECT_TRUE(hub.has_subscribers("e2"));
  bool finished = false;
  EXPECT_EQ(drain(*a, finished), std::vector<std::string>{"1:log"});
  EXPECT_TRUE(finished);
  drain(*b, finished);
  EXPECT_TRUE(finished);
  EXPECT_EQ(hub.subscriber_count(), 1u);
}

TEST(LiveHub, ASlowSubscriberIsDroppedWithoutAffectingOthers) {
  LiveHub hub;
  auto slow = std::make_shared<http::SseChannel>(2);
  auto fast = std::make_shared<http::SseChannel>(100);
  auto slow_sub = hub.subscribe("e1", 0, slow);
  auto fast_sub = hub.subscribe("e1", 0, fast);
  hub.start(*slow_sub, {}, false);
  hub.start(*fast_sub, {}, false);
  for (int i = 1; i <= 5; ++i) hub.publish(event(i));
  bool finished = false;
  auto got = drain(*slow, finished);
  EXPECT_TRUE(finished);
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got.back(), "-:dropped");
  EXPECT_EQ(drain(*fast, finished).size(), 5u);
  EXPECT_FALSE(finished);
}

TEST(LiveHub, AReplayLongerThanTheBufferIsNotADrop) {
  LiveHub hub;
  auto channel = std::make_shared<http::SseChannel>(4);
  auto sub = hub.subscribe("e1", 0, channel);
  std::vector<ReplayedEvent> replay;
  for (int i = 1; i <= 50; ++i) replay.push_back(replayed_event(event(i)));
  hub.start(*sub, replay, false);
  bool finished = false;
  EXPECT_EQ(drain(*channel, finished).size(), 50u);
  EXPECT_FALSE(finished);
}

TEST(LiveHub, AReplayInOneFrameIsFollowedByTheBufferedEventsItDoesNotHold) {
  LiveHub hub;
  auto channel = std::make_shared<http::SseChannel>(100);
  auto sub = hub.subscribe("e1", 0, channel);
  hub.publish(event(3));  // committed while the log was read: also in the replay
  hub.publish(event(4));  // committed after the read
  std::string frames;
  for (int seq = 1; seq <= 3; ++seq) {
    auto e = event(seq);
    StoredEvent stored{e.seq, e.type, e.ts_ms, e.trace_id, e.parent_trace_id, boost::json::serialize(e.data)};
    append_stored_event_frame(frames, "e1", stored);
  }
  hub.start(*sub, {ReplayedEvent{3, false, std::make_shared<const std::string>(frames)}}, false);
  bool finished = false;
  EXPECT_EQ(drain(*channel, finished), (std::vector<std::string>{"1:log", "2:log", "3:log", "4:log"}));
  hub.publish(event(5, EventType::execution_completed));
  EXPECT_EQ(drain(*channel, finished), (std::vector<std::string>{"5:execution_completed"}));
  EXPECT_TRUE(finished);
}

TEST(LiveHub, AStoredEventIsFramedByteForByteAsTheLiveEvent) {
  // The replay splices the stored data text; a client must not be able to tell the difference.
  Event e = event(7, EventType::llm_call);
  e.ts_ms = 1'790'000'000'123;
  e.trace_id = "trace \"quoted\"\n";
  e.parent_trace_id = "parent";
  e.data = {{"text", "line 1\nline 2 \xea\xb0\x80"}, {"tokens", 12}, {"cost", 0.0125}, {"nested", {{"a", nullptr}}}};
  StoredEvent stored{e.seq, e.type, e.ts_ms, e.trace_id, e.parent_trace_id, boost::json::serialize(e.data)};
  auto spliced = replayed_event("e1", stored);
  EXPECT_EQ(*spliced.frame, http::format_sse(sse_event(e)));
  EXPECT_EQ(spliced.seq, 7);
  EXPECT_FALSE(spliced.final);

  e.parent_trace_id.clear();  // the root: parent_trace_id is null
  e.type = EventType::execution_completed;
  stored.parent_trace_id.clear();
  stored.type = e.type;
  spliced = replayed_event("e1", stored);
  EXPECT_EQ(*spliced.frame, http::format_sse(sse_event(e)));
  EXPECT_TRUE(spliced.final);
}

}  // namespace
}  // namespace aop::executions
