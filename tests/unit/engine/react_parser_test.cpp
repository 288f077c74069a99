#include <gtest/gtest.h>

#include "engine/react_parser.hpp"

using namespace aop::engine;

namespace {

TEST(ReactParser, ReadsAnAction) {
  auto s = parse_react("Thought: I should compute it\nAction: calculator\nAction Input: {\"expression\": \"2*(3+4)\"}");
  ASSERT_EQ(s.kind, ReactStep::Kind::action) << s.problem;
  EXPECT_EQ(s.thought, "I should compute it");
  EXPECT_EQ(s.tool, "calculator");
  EXPECT_EQ(s.tool_input, "{\"expression\": \"2*(3+4)\"}");
}

TEST(ReactParser, ToleratesFencesBoldLabelsAndTrailingText) {
  auto s = parse_react("**Thought:** look it up\n**Action:** Delegate work to coworker\n**Action Input:**\n```json\n"
                       "{\"task\": \"a {b}\", \"coworker\": \"Writer\"}\n```\nI will wait.\nObservation: (made up)");
  ASSERT_EQ(s.kind, ReactStep::Kind::action) << s.problem;
  EXPECT_EQ(s.tool, "Delegate work to coworker");
  EXPECT_EQ(s.tool_input, "{\"task\": \"a {b}\", \"coworker\": \"Writer\"}");
  auto plain = parse_react("action: web_fetch\naction input: {\"url\": \"https://x\"} because I need it");
  ASSERT_EQ(plain.kind, ReactStep::Kind::action);
  EXPECT_EQ(plain.tool_input, "{\"url\": \"https://x\"}");
}

TEST(ReactParser, ReadsAMultiLineFinalAnswer) {
  auto s = parse_react("Thought: I now know the final answer\nFinal Answer: Line one\n\n- bullet: two\n");
  ASSERT_EQ(s.kind, ReactStep::Kind::final_answer);
  EXPECT_EQ(s.answer, "Line one\n\n- bullet: two");
}

TEST(ReactParser, ExplainsWhatIsMalformed) {
  EXPECT_EQ(parse_react("I think the answer is 42.").kind, ReactStep::Kind::malformed);
  EXPECT_NE(parse_react("I think the answer is 42.").problem.find("neither"), std::string::npos);
  auto both = parse_react("Action: calculator\nAction Input: {}\nFinal Answer: 3");
  EXPECT_EQ(both.kind, ReactStep::Kind::malformed);
  EXPECT_NE(both.problem.find("both"), std::string::npos);
  EXPECT_EQ(parse_react("Action: calculator\n").kind, ReactStep::Kind::malformed);
  EXPECT_EQ(parse_react("Final Answer:   ").kind, ReactStep::Kind::malformed);
  // "Action:" inside a word or mid-line is not a label.
  EXPECT_EQ(parse_react("My Action: none. Final thoughts").kind, ReactStep::Kind::malformed);
}

TEST(ReactParser, ExtractsJsonFromProse) {
  EXPECT_EQ(extract_json_text("Here it is: {\"a\": [1, {\"b\": \"}\"}]} done"), "{\"a\": [1, {\"b\": \"}\"}]}");
  EXPECT_EQ(extract_json_text("```json\n{\"x\": 1}\n```"), "{\"x\": 1}");
  EXPECT_EQ(extract_json_text("  [1,2]  "), "[1,2]");
  EXPECT_EQ(extract_json_text("no json"), "no json");
}

}  // namespace
