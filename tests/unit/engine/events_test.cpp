#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "engine/events.hpp"

using namespace aop::engine;

namespace {

TEST(Events, EveryTypeHasItsSchemaNameBothWays) {
  const std::vector<std::string> names = {"execution_started", "task_started",   "agent_started",   "llm_call",
                                          "llm_stream_chunk",  "tool_call",      "agent_completed", "task_completed",
                                          "task_skipped",      "log",            "error",           "execution_completed"};
  for (const auto& name : names) {
    auto type = parse_event_type(name);
    ASSERT_TRUE(type) << name;
    EXPECT_EQ(event_type_name(*type), name);
  }
  EXPECT_FALSE(parse_event_type("task_done"));
  EXPECT_FALSE(is_persisted(EventType::llm_stream_chunk));
  EXPECT_TRUE(is_persisted(EventType::llm_call));
}

TEST(Events, WireFormMatchesTheSchemaAndReadsBack) {
  Event e;
  e.seq = 7;
  e.type = EventType::task_completed;
  e.ts_ms = 1795305000123;
  e.execution_id = "exec-1";
  e.trace_id = "trace-task";
  e.parent_trace_id = "trace-crew";
  e.data = {{"task_name", "research"}, {"output", "ten bullets"}, {"duration", 1.25}};
  auto doc = to_json(e);
  EXPECT_EQ(boost::json::serialize(doc),
            R"({"seq":7,"type":"task_completed","ts":"2026-11-21T23:50:00.123Z","execution_id":"exec-1",)"
            R"("trace_id":"trace-task","parent_trace_id":"trace-crew","data":{"task_name":"research",)"
            R"("output":"ten bullets","duration":1.25E0}})");
  auto back = event_from_json(doc);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->seq, 7);
  EXPECT_EQ(back->type, EventType::task_completed);
  EXPECT_EQ(back->ts_ms, e.ts_ms);
  EXPECT_EQ(back->parent_trace_id, "trace-crew");
  EXPECT_EQ(back->data, e.data);
}

TEST(Events, RootEventHasNullParentAndBadDocumentsAreRefused) {
  Event e;
  e.type = EventType::execution_started;
  e.seq = 1;
  e.execution_id = "x";
  e.trace_id = "t";
  auto doc = to_json(e);
  EXPECT_TRUE(doc.at("parent_trace_id").is_null());
  EXPECT_EQ(event_from_json(doc)->parent_trace_id, "");
  auto broken = doc;
  broken["type"] = "nope";
  EXPECT_FALSE(event_from_json(broken));
  broken = doc;
  broken.erase("data");
  EXPECT_FALSE(event_from_json(broken));
  broken = doc;
  broken["ts"] = "yesterday";
  EXPECT_FALSE(event_from_json(broken));
}

}  // namespace
