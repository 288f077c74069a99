#include <gtest/gtest.h>

#include <boost/json/value.hpp>

#include "crews/crew_inputs.hpp"
#include "crews/crew_parser.hpp"
#include "crews/crew_validator.hpp"

using namespace aop::crews;

TEST(CrewInputs, PlaceholderPatternFollowsCrewAi) {
  std::vector<std::string> names;
  collect_placeholders("{topic} and {current_year} and {a-b} and {_x1}", names);
  EXPECT_EQ(names, (std::vector<std::string>{"topic", "current_year", "a-b", "_x1"}));
  names.clear();
  collect_placeholders(R"(JSON like {"key": 1}, { spaced }, {1st}, {}, {a.b}, {{double}}, {unclosed, {topic})", names);
  EXPECT_EQ(names, (std::vector<std::string>{"double", "topic"})) << "other braces are left alone";
  collect_placeholders("{topic} again and {new}", names);
  EXPECT_EQ(names, (std::vector<std::string>{"double", "topic", "new"})) << "appends, without repeats";
}

TEST(CrewInputs, ReferencedInputsInFirstUseOrder) {
  auto r = parse_crew(R"(name: c
manager_agent: {role: "Manager for {audience}", goal: g, backstory: b}
agents:
  a: {role: "{topic} researcher", goal: "Study {topic} for {year}", backstory: "Knows {field}"}
tasks:
  t: {description: "Research {topic} in {region}", expected_output: "{count} bullet points", agent: a,
      condition: "inputs.flag", output_json: {description: "{not_interpolated}"}}
)");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(referenced_inputs(*r.spec),
            (std::vector<std::string>{"topic", "year", "field", "audience", "region", "count"}));
}

TEST(CrewInputs, ImplicitInputsAreAddedAfterDeclaredOnes) {
  auto r = parse_crew(R"(name: c
inputs:
  region: {type: string, default: EU}
agents:
  a: {role: "{topic} researcher", goal: g, backstory: b}
tasks:
  t: {description: "Research {topic} in {region}", expected_output: "{count} points", agent: a}
)");
  ASSERT_TRUE(r.ok());
  CrewSpec c = *r.spec;
  add_implicit_inputs(c);
  ASSERT_EQ(c.inputs.size(), 3u);
  EXPECT_EQ(c.inputs[0].name, "region");
  EXPECT_FALSE(c.inputs[0].required) << "declared inputs are untouched";
  EXPECT_EQ(c.inputs[0].default_value, boost::json::value("EU"));
  EXPECT_EQ(c.inputs[1].name, "topic");
  EXPECT_EQ(c.inputs[1].type, "string");
  EXPECT_TRUE(c.inputs[1].required);
  EXPECT_FALSE(c.inputs[1].default_value);
  EXPECT_EQ(c.inputs[2].name, "count");
  EXPECT_TRUE(validate(c).ok());

  add_implicit_inputs(c);
  EXPECT_EQ(c.inputs.size(), 3u) << "idempotent";
}
