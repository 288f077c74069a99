#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "engine/interpolation.hpp"

using aop::engine::interpolate;

namespace {

boost::json::object inputs() {
  return boost::json::parse(R"({"topic": "AI agents", "year": 2025, "ratio": 0.5, "flag": true, "none": null,
                               "tags": ["a", "b"], "my-input": "dash", "_x": "under"})")
      .as_object();
}

TEST(Interpolation, ReplacesEachPlaceholderWithItsInput) {
  auto r = interpolate("{topic} Senior Data Researcher in {year}, {topic} again", inputs());
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.text, "AI agents Senior Data Researcher in 2025, AI agents again");
}

TEST(Interpolation, RendersNonStringValues) {
  auto r = interpolate("{ratio}|{flag}|{none}|{tags}|{my-input}|{_x}", inputs());
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.text, "0.5|true||[\"a\",\"b\"]|dash|under");
}

TEST(Interpolation, LeavesOtherBracesAlone) {
  std::string text = R"(Answer as {"score": 1} or { topic } or {1abc} or {} or {topic)";
  auto r = interpolate(text, inputs());
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.text, text);
  EXPECT_EQ(interpolate("{{topic}}", inputs()).text, "{AI agents}");
}

TEST(Interpolation, ReportsMissingInputsOnceEach) {
  auto r = interpolate("{audience} and {topic} and {audience} and {year_}", inputs());
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.missing, (std::vector<std::string>{"audience", "year_"}));
  EXPECT_EQ(r.text, "{audience} and AI agents and {audience} and {year_}");
}

TEST(Interpolation, HandlesEmptyAndPlainText) {
  EXPECT_EQ(interpolate("", inputs()).text, "");
  EXPECT_EQ(interpolate("no placeholders here", {}).text, "no placeholders here");
}

}  // namespace
