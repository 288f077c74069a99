#include "engine/tools/calculator.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "../engine_test_support.hpp"

namespace aop::test {
namespace {

using engine::tools::CalculatorTool;
using engine::tools::evaluate_expression;
using engine::tools::format_number;

// The formatted result, or "error: <message>".
std::string calc(std::string_view expression) {
  auto r = evaluate_expression(expression);
  return r.error.empty() ? format_number(r.value) : "error: " + r.error;
}

TEST(Calculator, PrecedenceAndAssociativity) {
  EXPECT_EQ(calc("1 + 2 * 3"), "7");
  EXPECT_EQ(calc("(1 + 2) * 3"), "9");
  EXPECT_EQ(calc("10 - 4 - 3"), "3");     // left-associative
  EXPECT_EQ(calc("100 / 10 / 5"), "2");   // left-associative
  EXPECT_EQ(calc("2 ^ 3 ^ 2"), "512");    // right-associative
  EXPECT_EQ(calc("2 ** 3 ** 2"), "512");  // ** is ^
  EXPECT_EQ(calc("2 * 3 ^ 2"), "18");     // power binds tighter than *
  EXPECT_EQ(calc("17 % 5 * 2"), "4");     // % is at the level of * and /
  EXPECT_EQ(calc("7.5 % 2"), "1.5");
  EXPECT_EQ(calc("-7 % 3"), "-1");  // sign of the dividend, like fmod
  EXPECT_EQ(calc("1 + 2 * (3 - 1) ^ 2 / 4"), "3");
}

TEST(Calculator, UnarySigns) {
  EXPECT_EQ(calc("-3"), "-3");
  EXPECT_EQ(calc("--3"), "3");
  EXPECT_EQ(calc("+3"), "3");
  EXPECT_EQ(calc("-2 ^ 2"), "-4");  // as in mathematics: -(2^2)
  EXPECT_EQ(calc("(-2) ^ 2"), "4");
  EXPECT_EQ(calc("2 ^ -1"), "0.5");
  EXPECT_EQ(calc("3 * -2"), "-6");
  EXPECT_EQ(calc("3 - -2"), "5");
  EXPECT_EQ(calc("-0"), "0");  // no negative zero
  EXPECT_EQ(calc("0 * -1"), "0");
}

TEST(Calculator, NumberLiterals) {
  EXPECT_EQ(calc("0.25"), "0.25");
  EXPECT_EQ(calc(".5 + 1."), "1.5");
  EXPECT_EQ(calc("1.5e3"), "1500");
  EXPECT_EQ(calc("2E-3"), "0.002");
  EXPECT_EQ(calc("1e+2"), "100");
  EXPECT_EQ(calc("1e-400"), "0");  // underflow is harmless
  EXPECT_EQ(calc("007"), "7");
  EXPECT_EQ(calc("  \t 42 \n"), "42");
}

TEST(Calculator, Formatting) {
  EXPECT_EQ(format_number(3), "3");  // integers without ".0"
  EXPECT_EQ(format_number(1000000), "1000000");
  EXPECT_EQ(format_number(123456789012345), "123456789012345");
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(0.1 + 0.2), "0.30000000000000004");  // shortest form that reads back exactly
  EXPECT_EQ(format_number(-2.5), "-2.5");
  EXPECT_EQ(format_number(1e21), "1e+21");
  EXPECT_EQ(format_number(1.5e-7), "1.5e-07");
  EXPECT_EQ(format_number(-0.0), "0");
  for (double v : {1.0 / 3, 2.0 / 7 * 1e10, 6.02214076e23, 1e-300, 123.456})
    EXPECT_EQ(std::stod(format_number(v)), v) << format_number(v);
}

TEST(Calculator, FunctionsAndConstants) {
  EXPECT_EQ(calc("sqrt(16)"), "4");
  EXPECT_EQ(calc("abs(-3.5)"), "3.5");
  EXPECT_EQ(calc("round(2.5)"), "3");
  EXPECT_EQ(calc("round(-2.5)"), "-3");  // half away from zero
  EXPECT_EQ(calc("round(3.14159, 2)"), "3.14");
  EXPECT_EQ(calc("round(1234, -2)"), "1200");
  EXPECT_EQ(calc("floor(-1.5)"), "-2");
  EXPECT_EQ(calc("ceil(1.2)"), "2");
  EXPECT_EQ(calc("min(3, 1, 2)"), "1");
  EXPECT_EQ(calc("max(3, 1, 2)"), "3");
  EXPECT_EQ(calc("max(7)"), "7");
  EXPECT_EQ(calc("log(e)"), "1");
  EXPECT_EQ(calc("log(1000, 10)"), format_number(std::log(1000.0) / std::log(10.0)));
  EXPECT_EQ(calc("log10(1000)"), "3");
  EXPECT_EQ(calc("log2(1024)"), "10");
  EXPECT_EQ(calc("ln(1)"), "0");
  EXPECT_EQ(calc("exp(0)"), "1");
  EXPECT_EQ(calc("pow(2, 10)"), "1024");
  EXPECT_EQ(calc("sin(0)"), "0");
  EXPECT_EQ(calc("cos(0)"), "1");
  EXPECT_EQ(calc("tan(0)"), "0");
  EXPECT_EQ(calc("cos(pi)"), "-1");
  EXPECT_EQ(calc("pi"), format_number(3.141592653589793));
  EXPECT_EQ(calc("e"), format_number(2.718281828459045));
  EXPECT_EQ(calc("2 * PI"), format_number(2 * 3.141592653589793));  // names ignore case
  EXPECT_EQ(calc("Sqrt(max(9, 4) * 4)"), "6");
  EXPECT_EQ(calc("sqrt (4)"), "2");  // space before the parenthesis
}

TEST(Calculator, ArithmeticErrorsAreReportedNotReturnedAsNumbers) {
  EXPECT_EQ(calc("1 / 0"), "error: division by zero");
  EXPECT_EQ(calc("1 / (2 - 2)"), "error: division by zero");
  EXPECT_EQ(calc("5 % 0"), "error: modulo by zero");
  EXPECT_EQ(calc("sqrt(-4)"), "error: sqrt(-4) is not a real number");
  EXPECT_EQ(calc("log(0)"), "error: log(0) is undefined: logarithms need a positive number");
  EXPECT_EQ(calc("ln(-1)"), "error: ln(-1) is undefined: logarithms need a positive number");
  EXPECT_EQ(calc("log(8, 1)"), "error: log(8, 1) is undefined: the base must be positive and not 1");
  EXPECT_EQ(calc("(-8) ^ 0.5"), "error: -8 ^ 0.5 is not a real number");
  EXPECT_EQ(calc("10 ^ 400"), "error: 10 ^ 400 is too large (it overflows a double)");
  EXPECT_EQ(calc("exp(1000)"), "error: exp(1000) is too large (it overflows a double)");
  EXPECT_EQ(calc("1e308 * 10"), "error: 1e+308 * 10 is too large (it overflows a double)");
  EXPECT_EQ(calc("1e999"), "error: the number 1e999 is too large");
  EXPECT_EQ(calc("round(1.5, 0.5)"), "error: round(x, digits) takes a whole number of digits from -15 to 15");
}

TEST(Calculator, SyntaxErrorsSayWhereAndWhat) {
  EXPECT_EQ(calc(""), "error: the expression is empty");
  EXPECT_EQ(calc("   "), "error: the expression is empty");
  EXPECT_EQ(calc("1 +"), "error: the expression ends too early");
  EXPECT_EQ(calc("(1 + 2"), "error: missing \")\" at the end");
  EXPECT_EQ(calc("1 + 2)"), "error: unexpected \")\" at position 6");
  EXPECT_EQ(calc("2 3"), "error: unexpected \"3\" at position 3");
  EXPECT_EQ(calc("2 * * 3"), "error: unexpected \"*\" at position 5");
  EXPECT_EQ(calc("1 + $"), "error: unexpected \"$\" at position 5");
  EXPECT_EQ(calc("."), "error: a lone \".\" at position 1 is not a number");
  EXPECT_EQ(calc("2e"), "error: unexpected \"e\" at position 2");  // no implicit multiplication
  EXPECT_EQ(
      calc("foo(2)"),
      "error: unknown name \"foo\"; use numbers, pi, e and the functions sqrt, abs, round, floor, ceil, min, max, "
      "log, ln, log10, log2, exp, sin, cos, tan, pow");
  EXPECT_EQ(calc("sqrt 4"), "error: sqrt is a function: write sqrt(...)");
  EXPECT_EQ(calc("pi(2)"), "error: pi is a constant, not a function");
  EXPECT_EQ(calc("sqrt()"), "error: sqrt takes 1 argument, got 0");
  EXPECT_EQ(calc("sqrt(1, 2)"), "error: sqrt takes 1 argument, got 2");
  EXPECT_EQ(calc("round(1, 2, 3)"), "error: round takes 1 or 2 arguments, got 3");
  EXPECT_EQ(calc("min()"), "error: min takes at least 1 argument, got 0");
  EXPECT_EQ(calc("pow(2)"), "error: pow takes 2 arguments, got 1");
}

TEST(Calculator, LengthAndDepthAreBounded) {
  std::string long_sum = "1";
  while (long_sum.size() <= engine::tools::k_max_expression_length) long_sum += "+1";
  EXPECT_EQ(calc(long_sum), "error: the expression is too long (1001 characters; at most 1000)");
  std::string fits = "1";
  while (fits.size() + 2 <= engine::tools::k_max_expression_length) fits += "+1";
  EXPECT_EQ(calc(fits), format_number(static_cast<double>((fits.size() + 1) / 2)));

  auto nested = [](int depth) { return std::string(depth, '(') + "1" + std::string(depth, ')'); };
  EXPECT_EQ(calc(nested(engine::tools::k_max_expression_depth)), "1");
  EXPECT_EQ(calc(nested(engine::tools::k_max_expression_depth + 1)),
            "error: the expression is nested too deeply (more than 64 levels)");
  EXPECT_EQ(calc(std::string(200, '-') + "1"), "error: the expression is nested too deeply (more than 64 levels)");
  EXPECT_EQ(calc(std::string(300, '(')), "error: the expression is nested too deeply (more than 64 levels)");
}

TEST(Calculator, ToolReturnsTheNumberOrAnError) {
  CalculatorTool tool;
  EXPECT_EQ(tool.name(), "calculator");
  EXPECT_EQ(tool.parameters().at("required").as_array().at(0), "expression");
  engine::tools::ToolContext context;
  auto ok = run_to_completion(tool.invoke({{"expression", "(17.5 - 3) * 4 / 2"}}, context));
  EXPECT_FALSE(ok.is_error);
  EXPECT_EQ(ok.output, "29");
  auto bad = run_to_completion(tool.invoke({{"expression", "1/0"}}, context));
  EXPECT_TRUE(bad.is_error);
  EXPECT_EQ(bad.output, "cannot evaluate the expression: division by zero");
  auto missing = run_to_completion(tool.invoke({{"expr", "1"}}, context));
  EXPECT_TRUE(missing.is_error);
  EXPECT_NE(missing.output.find("{\"expression\": \"...\"}"), std::string::npos);
  auto wrong_type = run_to_completion(tool.invoke({{"expression", 42}}, context));
  EXPECT_TRUE(wrong_type.is_error);
}

}  // namespace
}  // namespace aop::test
