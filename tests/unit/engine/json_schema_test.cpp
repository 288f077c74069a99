#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "engine/json_schema.hpp"

using aop::engine::check_against_schema;

namespace {

const auto k_schema = boost::json::parse(R"({
  "type": "object",
  "properties": {
    "sentiment": {"type": "string", "enum": ["positive", "neutral", "negative"]},
    "score": {"type": "integer", "minimum": 1, "maximum": 5},
    "issues": {"type": "array", "items": {"type": "string"}}
  },
  "required": ["sentiment", "score", "issues"]
})");

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& e : v) s += e + "\n";
  return s;
}

TEST(JsonSchema, AcceptsAMatchingValue) {
  auto r = check_against_schema(boost::json::parse(R"({"sentiment": "negative", "score": 2, "issues": ["late"]})"),
                                k_schema);
  EXPECT_TRUE(r.ok()) << joined(r.errors);
}

TEST(JsonSchema, NamesEachViolationWithItsPath) {
  auto r = check_against_schema(boost::json::parse(R"({"sentiment": "angry", "score": 9, "issues": ["a", 3]})"),
                                k_schema);
  ASSERT_FALSE(r.ok());
  auto text = joined(r.errors);
  EXPECT_NE(text.find("sentiment:"), std::string::npos) << text;
  EXPECT_NE(text.find("score:"), std::string::npos) << text;
  EXPECT_NE(text.find("issues[1]:"), std::string::npos) << text;
}

TEST(JsonSchema, ReportsMissingRequiredAndWrongTypes) {
  auto r = check_against_schema(boost::json::parse(R"({"score": "high"})"), k_schema);
  ASSERT_FALSE(r.ok());
  auto text = joined(r.errors);
  EXPECT_NE(text.find("sentiment"), std::string::npos) << text;
  EXPECT_FALSE(check_against_schema(boost::json::parse(R"([1, 2])"), k_schema).ok());
}

TEST(JsonSchema, AnUnusableSchemaIsAnErrorNotACrash) {
  auto r = check_against_schema(boost::json::parse("{}"), boost::json::parse(R"({"$ref": "http://example.com/x.json"})"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.errors[0].find("schema"), std::string::npos) << joined(r.errors);
  EXPECT_FALSE(check_against_schema(boost::json::parse("1"), boost::json::parse(R"({"type": 5})")).ok());
}

}  // namespace
