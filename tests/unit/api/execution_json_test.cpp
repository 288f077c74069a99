// The execution document is written as text with the stored inputs/outputs spliced in: it
// must be valid JSON with exactly the documented keys and values.
#include "api/execution_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace aop::api {
namespace {

executions::ExecutionRecord finished_run() {
  executions::ExecutionRecord e;
  e.id = "01a2-run";
  e.team_id = "team";
  e.crew_id = "crew-1";
  e.crew_version = 3;
  e.status = "failed";
  e.inputs = R"({"topic":"heat \"pumps\"","n":2})";
  e.outputs = R"({"task":"## Title\nline"})";
  e.error_message = "tool \"search\" failed:\n\ttimeout";
  e.triggered_by_key = "key-1";
  e.input_tokens = 1000;
  e.output_tokens = 200;
  e.total_tokens = 1200;
  e.total_cost = 0.004;
  e.duration_ms = 1500;
  e.created_at = 1'790'000'000'000;
  e.started_at = 1'790'000'000'250;
  e.completed_at = 1'790'000'001'750;
  return e;
}

TEST(ExecutionJson, AFinishedRunReadsBackWithEveryDocumentedField) {
  std::string text;
  append_execution_json(text, finished_run());
  auto doc = boost::json::parse(text).as_object();
  EXPECT_EQ(doc.size(), 18u);
  EXPECT_EQ(doc.at("id"), "01a2-run");
  EXPECT_EQ(doc.at("crew_id"), "crew-1");
  EXPECT_EQ(doc.at("crew_version"), 3);
  EXPECT_EQ(doc.at("status"), "failed");
  EXPECT_EQ(doc.at("is_test"), false);
  EXPECT_EQ(doc.at("inputs").at("topic"), "heat \"pumps\"");
  EXPECT_EQ(doc.at("outputs").at("task"), "## Title\nline");
  EXPECT_EQ(doc.at("error_message"), "tool \"search\" failed:\n\ttimeout");
  EXPECT_TRUE(doc.at("triggered_by").at("user_id").is_null());
  EXPECT_EQ(doc.at("triggered_by").at("api_key_id"), "key-1");
  EXPECT_EQ(doc.at("total_tokens"), 1200);
  EXPECT_DOUBLE_EQ(doc.at("total_cost").to_number<double>(), 0.004);
  EXPECT_EQ(doc.at("duration_ms"), 1500);
  EXPECT_EQ(doc.at("cancel_requested"), false);
  EXPECT_EQ(doc.at("created_at"), "2026-09-21T14:13:20.000Z");
  EXPECT_EQ(doc.at("completed_at"), "2026-09-21T14:13:21.750Z");
}

TEST(ExecutionJson, APendingRunHasNullsWhereNothingIsKnownYet) {
  executions::ExecutionRecord e;
  e.id = "pending-run";
  e.outputs = "";  // never written: still null, not broken JSON
  std::string text;
  append_execution_json(text, e);
  auto doc = boost::json::parse(text).as_object();
  EXPECT_EQ(doc.at("inputs"), boost::json::object{});
  for (const char* key : {"crew_id", "crew_version", "outputs", "error_message", "total_cost", "duration_ms",
                          "started_at", "completed_at"})
    EXPECT_TRUE(doc.at(key).is_null()) << key;
}

}  // namespace
}  // namespace aop::api
