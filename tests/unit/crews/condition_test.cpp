#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "crews/condition.hpp"

using namespace aop::crews;

namespace {

ConditionContext sample_context() {
  ConditionContext c;
  c.inputs = boost::json::parse(R"({"topic": "AI", "year": 2025, "flag": true, "empty": "",
      "tags": ["alpha", "beta"], "my-input": 3, "config": {"level": {"deep": [1, 2.5, null]}}})")
                 .as_object();
  c.tasks["research"] = {"Found 10 items about AI", boost::json::parse(R"({"score": 8, "items": ["x", "y"], "ok": true})")};
  c.tasks["draft"] = {"TODO: finish the Intro", std::nullopt};
  return c;
}

// Evaluates `text`, failing the test on a parse or evaluation error.
bool eval(std::string_view text) {
  auto parsed = parse_condition(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.error.message << " at " << parsed.error.offset;
  if (!parsed.ok()) return false;
  auto result = evaluate(*parsed.condition, sample_context());
  EXPECT_TRUE(result.ok()) << text << ": " << (result.error ? result.error->message : "");
  return result.value;
}

ConditionError parse_error(std::string_view text) {
  auto parsed = parse_condition(text);
  EXPECT_FALSE(parsed.ok()) << text << " should not parse";
  return parsed.error;
}

ConditionError eval_error(std::string_view text) {
  auto parsed = parse_condition(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.error.message;
  if (!parsed.ok()) return {};
  auto result = evaluate(*parsed.condition, sample_context());
  EXPECT_FALSE(result.ok()) << text << " should fail to evaluate";
  return result.error.value_or(ConditionError{});
}

}  // namespace

TEST(Condition, Literals) {
  EXPECT_TRUE(eval("true"));
  EXPECT_FALSE(eval("false"));
  EXPECT_FALSE(eval("null"));
  EXPECT_TRUE(eval("1"));
  EXPECT_FALSE(eval("0"));
  EXPECT_FALSE(eval("0.0"));
  EXPECT_TRUE(eval("-2.5e3"));
  EXPECT_TRUE(eval("'text'"));
  EXPECT_TRUE(eval("\"text\""));
  EXPECT_FALSE(eval("''"));
  EXPECT_TRUE(eval(R"('it\'s' == "it's")"));
  EXPECT_TRUE(eval(R"("a\nb" != "a\\nb")"));
}

TEST(Condition, InputsAndTaskReferences) {
  EXPECT_TRUE(eval("inputs.topic == 'AI'"));
  EXPECT_TRUE(eval("inputs.year >= 2025 && inputs.year < 2026"));
  EXPECT_TRUE(eval("inputs.flag"));
  EXPECT_FALSE(eval("inputs.empty"));
  EXPECT_TRUE(eval("inputs.my-input == 3")) << "input names may contain '-'";
  EXPECT_TRUE(eval("inputs.config.level.deep[1] == 2.5"));
  EXPECT_TRUE(eval("inputs.config[\"level\"].deep[2] == null"));
  EXPECT_TRUE(eval("inputs.missing == null")) << "absent inputs read as null";
  EXPECT_TRUE(eval("tasks.research.output == 'Found 10 items about AI'"));
  EXPECT_TRUE(eval("tasks.research.json.score == 8"));
  EXPECT_TRUE(eval("tasks.research.json.items[1] == 'y'"));
  EXPECT_TRUE(eval("tasks.research.json.ok"));
  EXPECT_TRUE(eval("tasks.research.json.items[5] == null")) << "out of range reads as null";
  EXPECT_TRUE(eval("tasks.draft.json == null")) << "a task without JSON output";
  EXPECT_TRUE(eval("tasks.later.output == null")) << "a task that has not run";
  EXPECT_TRUE(eval("tasks.research.json.score.deeper == null"));
}

TEST(Condition, OperatorsAndPrecedence) {
  EXPECT_TRUE(eval("1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 3 && 1 != 2"));
  EXPECT_TRUE(eval("false || true && true"));
  EXPECT_FALSE(eval("(false || true) && false"));
  EXPECT_TRUE(eval("!false"));
  EXPECT_TRUE(eval("!!true"));
  EXPECT_TRUE(eval("!(1 > 2)"));
  EXPECT_TRUE(eval("'abc' < 'abd'"));
  EXPECT_TRUE(eval("1 == 1.0")) << "numbers compare by value";
  EXPECT_TRUE(eval("inputs.tags == inputs.tags"));
}

TEST(Condition, ShortCircuitSkipsErrorsOnTheOtherSide) {
  EXPECT_FALSE(eval("false && 'a' < 1"));
  EXPECT_TRUE(eval("true || 'a' < 1"));
}

TEST(Condition, MixedTypesAreUnequalAndCannotBeOrdered) {
  EXPECT_FALSE(eval("1 == '1'"));
  EXPECT_TRUE(eval("1 != '1'"));
  EXPECT_FALSE(eval("true == 1"));
  EXPECT_FALSE(eval("null == 0"));
  auto e = eval_error("inputs.topic < 3");
  EXPECT_EQ(e.message, "cannot compare text with a number using '<'");
  EXPECT_EQ(e.offset, 13u) << "points at the operator";
  EXPECT_EQ(eval_error("inputs.missing >= 1").message, "cannot compare null with a number using '>='");
  EXPECT_EQ(eval_error("true > false").message, "cannot compare true/false with true/false using '>'");
}

TEST(Condition, Functions) {
  EXPECT_TRUE(eval("contains(tasks.research.output, 'items')"));
  EXPECT_FALSE(eval("contains(tasks.research.output, 'ITEMS')"));
  EXPECT_TRUE(eval("contains(lower(tasks.draft.output), 'intro')"));
  EXPECT_TRUE(eval("contains(inputs.tags, 'beta')"));
  EXPECT_FALSE(eval("contains(inputs.tags, 'gamma')"));
  EXPECT_TRUE(eval("contains(tasks.research.json, 'score')")) << "mapping: has key";
  EXPECT_FALSE(eval("contains(inputs.missing, 'x')")) << "null contains nothing";
  EXPECT_TRUE(eval("len(inputs.tags) == 2"));
  EXPECT_TRUE(eval("len('héllo') == 5")) << "characters, not bytes";
  EXPECT_TRUE(eval("len(tasks.research.json) == 3"));
  EXPECT_TRUE(eval("len(inputs.missing) == 0"));
  EXPECT_TRUE(eval("lower('MiXeD') == 'mixed'"));
  EXPECT_TRUE(eval("lower(inputs.missing) == null"));
  EXPECT_TRUE(eval("starts_with(tasks.draft.output, 'TODO')"));
  EXPECT_FALSE(eval("starts_with(inputs.missing, 'x')"));
}

TEST(Condition, FunctionTypeErrors) {
  EXPECT_EQ(eval_error("len(5)").message, "len() needs text, a list or a mapping, got a number");
  EXPECT_EQ(eval_error("lower(inputs.tags)").message, "lower() needs text, got a list");
  EXPECT_EQ(eval_error("contains('abc', 1)").message, "contains() on text needs text to look for, got a number");
  EXPECT_EQ(eval_error("contains(3, 1)").message, "contains() needs text, a list or a mapping, got a number");
  EXPECT_EQ(eval_error("starts_with('a', 1)").message, "starts_with() needs text and text, got text and a number");
  auto e = eval_error("true && len(inputs.year) > 1");
  EXPECT_EQ(e.offset, 8u) << "points at the call";
}

TEST(Condition, ParseErrorsCarryPositions) {
  auto e = parse_error("inputs.x == ");
  EXPECT_EQ(e.message, "expected a value, found end of condition");
  EXPECT_EQ(e.offset, 12u);
  e = parse_error("(inputs.x == 1");
  EXPECT_EQ(e.message, "expected ')', found end of condition");
  e = parse_error("inputs.x = 1");
  EXPECT_EQ(e.message, "use '==' to compare");
  EXPECT_EQ(e.offset, 9u);
  e = parse_error("inputs.x == 'open");
  EXPECT_EQ(e.message, "unterminated string");
  EXPECT_EQ(e.offset, 12u) << "at the opening quote";
  e = parse_error("a & b");
  EXPECT_EQ(e.message, "use '&&' for 'and'");
  EXPECT_EQ(parse_error("x | y").message, "use '||' for 'or'");
  e = parse_error("topic == 'AI'");
  EXPECT_EQ(e.offset, 0u);
  EXPECT_NE(e.message.find("unknown name 'topic'; use inputs.topic"), std::string::npos) << e.message;
  e = parse_error("tasks.review.text");
  EXPECT_EQ(e.message, "expected 'output' or 'json' after tasks.review, found 'text'");
  EXPECT_EQ(e.offset, 13u);
  EXPECT_EQ(parse_error("tasks.review").message, "expected '.output' or '.json' after the task name, found end of condition");
  EXPECT_EQ(parse_error("tasks.review.output.x").message,
            "tasks.review.output is text; use tasks.review.json to read fields");
  EXPECT_EQ(parse_error("1 < 2 < 3").message, "comparisons cannot be chained; combine them with &&");
  EXPECT_EQ(parse_error("upper('x')").message, "unknown function 'upper'; available: contains, len, lower, starts_with");
  EXPECT_EQ(parse_error("len('a', 'b')").message, "len() takes 1 argument, got 2");
  EXPECT_EQ(parse_error("contains('a')").message, "contains() takes 2 arguments, got 1");
  EXPECT_EQ(parse_error("'a' 'b'").message, "expected an operator (&&, ||, ==, <, ...), found a string");
  EXPECT_EQ(parse_error("1 == 2)").message, "unmatched ')'");
  EXPECT_EQ(parse_error("'\\q'").message, "unknown escape '\\q'");
  EXPECT_EQ(parse_error("inputs.x[-1]").message, "expected a list index or a quoted key inside [ ]");
  EXPECT_EQ(parse_error("12abc").message, "malformed number");
  EXPECT_EQ(parse_error("1e999").message, "number out of range");
  EXPECT_EQ(parse_error("#").message, "unexpected character '#'");
  EXPECT_EQ(parse_error("").message, "expected a value, found end of condition");
}

TEST(Condition, DepthAndLengthLimits) {
  std::string nested(64, '(');
  nested += "true";
  nested += std::string(64, ')');
  EXPECT_TRUE(eval(nested)) << "64 levels are allowed";

  std::string too_deep(65, '(');
  too_deep += "true" + std::string(65, ')');
  auto e = parse_error(too_deep);
  EXPECT_EQ(e.message, "nested more than 64 levels deep");
  EXPECT_EQ(e.offset, 64u);

  EXPECT_EQ(parse_error(std::string(100, '!') + "true").message, "nested more than 64 levels deep");
  std::string calls;
  for (int i = 0; i < 70; ++i) calls += "lower(";
  calls += "'x'" + std::string(70, ')');
  EXPECT_EQ(parse_error(calls).message, "nested more than 64 levels deep");

  // Long flat chains are fine (they do not nest) up to the length limit.
  std::string chain = "true";
  while (chain.size() < k_max_condition_length - 10) chain += " && true";
  EXPECT_TRUE(eval(chain));
  std::string too_long(k_max_condition_length + 1, ' ');
  EXPECT_EQ(parse_error(too_long).message, "condition is longer than 4096 characters");
}

TEST(Condition, ReferencedTasksAndInputsInFirstMentionOrder) {
  auto parsed = parse_condition(
      "tasks.b.json.x > 1 && contains(tasks.a.output, inputs.q) || tasks.b.output == inputs.p && inputs.q");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(referenced_tasks(*parsed.condition), (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(referenced_inputs(*parsed.condition), (std::vector<std::string>{"q", "p"}));
}

TEST(Condition, AstShape) {
  auto parsed = parse_condition("inputs.a || !inputs.b && 1 < 2");
  ASSERT_TRUE(parsed.ok());
  const auto& root = parsed.condition->root;
  ASSERT_EQ(root.kind, ConditionNode::Kind::any_of);
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[0].kind, ConditionNode::Kind::input);
  const auto& rhs = root.children[1];
  ASSERT_EQ(rhs.kind, ConditionNode::Kind::all_of) << "&& binds tighter than ||";
  EXPECT_EQ(rhs.children[0].kind, ConditionNode::Kind::negate);
  EXPECT_EQ(rhs.children[1].kind, ConditionNode::Kind::compare);
  EXPECT_EQ(rhs.children[1].op, CompareOp::lt);
}
