#pragma once
// The calculator tool: {"expression": "2 * (3 + 4) ^ 2"} -> "98". Models are poor at
// arithmetic, so this gives them exact results with clear errors instead of guesses.
#include <string>
#include <string_view>

#include "engine/tools/tool.hpp"

namespace aop::engine::tools {

struct Evaluation {
  double value = 0;
  std::string error;  // empty when the expression was evaluated
};

// Evaluates an arithmetic expression: + - * / % ^ (or **), parentheses, unary signs,
// decimals with exponents, the functions listed in the tool description, pi and e.
// Expressions over k_max_expression_length characters or nested deeper than
// k_max_expression_depth are refused, so no input can exhaust the stack.
Evaluation evaluate_expression(std::string_view expression);

// Shortest text that reads back as the same double: 3 -> "3", 0.1 -> "0.1", 1e21 -> "1e+21".
std::string format_number(double value);

constexpr std::size_t k_max_expression_length = 1000;
constexpr int k_max_expression_depth = 64;

class CalculatorTool final : public Tool {
 public:
  CalculatorTool();
  std::string_view name() const override { return "calculator"; }
  std::string_view description() const override;
  const boost::json::object& parameters() const override { return parameters_; }
  boost::asio::awaitable<ToolResult> invoke(const boost::json::object& arguments, const ToolContext& context) override;

 private:
  boost::json::object parameters_;
};

}  // namespace aop::engine::tools
