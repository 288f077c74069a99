#include "engine/tools/calculator.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <numbers>
#include <vector>

#include <boost/json.hpp>

namespace aop::engine::tools {

namespace json = boost::json;

namespace {

// Thrown inside the parser only; evaluate_expression turns it into Evaluation::error.
struct Failure {
  std::string message;
};

[[noreturn]] void fail(std::string message) { throw Failure{std::move(message)}; }

// A finite result or a failure naming the operation that left the real numbers.
double checked(double value, const std::string& what) {
  if (std::isnan(value)) fail(what + " is not a real number");
  if (std::isinf(value)) fail(what + " is too large (it overflows a double)");
  return value;
}

std::string call_text(std::string_view name, const std::vector<double>& args) {
  std::string text(name);
  text += '(';
  for (std::size_t i = 0; i < args.size(); ++i) text += (i ? ", " : "") + format_number(args[i]);
  return text + ')';
}

double round_to(double x, double digits) {
  if (digits != std::trunc(digits) || std::abs(digits) > 15)
    fail("round(x, digits) takes a whole number of digits from -15 to 15");
  double scale = std::pow(10.0, digits);
  return std::round(x * scale) / scale;
}

// Recursive descent over:
//   expression := term (('+' | '-') term)*
//   term       := unary (('*' | '/' | '%') unary)*
//   unary      := ('+' | '-') unary | power
//   power      := primary (('^' | '**') unary)?        right-associative; -2^2 = -4
//   primary    := number | name | name '(' arguments ')' | '(' expression ')'
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  double parse() {
    skip_space();
    if (pos_ == text_.size()) fail("the expression is empty");
    double value = expression();
    skip_space();
    if (pos_ < text_.size()) unexpected();
    return value;
  }

 private:
  // Counts nesting (parentheses, calls, unary signs) so hostile input cannot recurse deeply.
  class Nesting {
   public:
    explicit Nesting(int& depth) : depth_(depth) {
      if (++depth_ > k_max_expression_depth)
        fail("the expression is nested too deeply (more than " + std::to_string(k_max_expression_depth) + " levels)");
    }
    ~Nesting() { --depth_; }

   private:
    int& depth_;
  };

  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool accept(std::string_view token) {
    skip_space();
    if (text_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }
  [[noreturn]] void unexpected() const {
    if (pos_ >= text_.size()) fail("the expression ends too early");
    fail("unexpected \"" + std::string(1, text_[pos_]) + "\" at position " + std::to_string(pos_ + 1));
  }
  void expect(char c) {
    if (!accept(std::string_view(&c, 1))) {
      if (pos_ >= text_.size()) fail(std::string("missing \"") + c + "\" at the end");
      unexpected();
    }
  }

  double expression() {
    double value = term();
    for (;;) {
      if (accept("+")) {
        double right = term();
        value = checked(value + right, format_number(value) + " + " + format_number(right));
      } else if (accept("-")) {
        double right = term();
        value = checked(value - right, format_number(value) + " - " + format_number(right));
      } else {
        return value;
      }
    }
  }

  double term() {
    double value = unary();
    for (;;) {
      if (accept("*")) {
        double right = unary();
        value = checked(value * right, format_number(value) + " * " + format_number(right));
      } else if (accept("/")) {
        double right = unary();
        if (right == 0) fail("division by zero");
        value = checked(value / right, format_number(value) + " / " + format_number(right));
      } else if (accept("%")) {
        double right = unary();
        if (right == 0) fail("modulo by zero");
        value = checked(std::fmod(value, right), format_number(value) + " % " + format_number(right));
      } else {
        return value;
      }
    }
  }

  double unary() {
    if (accept("-")) {
      Nesting nesting(depth_);
      return -unary();
    }
    if (accept("+")) {
      Nesting nesting(depth_);
      return unary();
    }
    return power();
  }

  double power() {
    double base = primary();
    if (accept("^") || accept("**")) {
      double exponent = unary();
      return checked(std::pow(base, exponent), format_number(base) + " ^ " + format_number(exponent));
    }
    return base;
  }

  double primary() {
    skip_space();
    if (pos_ >= text_.size()) fail("the expression ends too early");
    char c = text_[pos_];
    if (c == '(') {
      Nesting nesting(depth_);
      ++pos_;
      double value = expression();
      expect(')');
      return value;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return number();
    if (std::isalpha(static_cast<unsigned char>(c))) return name();
    unexpected();
  }

  double number() {
    std::size_t start = pos_;
    auto digits = [&] {
      std::size_t from = pos_;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      return pos_ > from;
    };
    bool whole = digits();
    bool fraction = false;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      fraction = digits();
    }
    if (!whole && !fraction) fail("a lone \".\" at position " + std::to_string(start + 1) + " is not a number");
    // An exponent only when digits follow, so "2e" stays a number next to the constant e.
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      std::size_t mark = pos_++;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) pos_ = mark;
    }
    std::string_view literal = text_.substr(start, pos_ - start);
    double value = 0;
    auto [end, ec] = std::from_chars(literal.data(), literal.data() + literal.size(), value);
    if (ec == std::errc::result_out_of_range) {
      // Underflow to zero is harmless; overflow is not.
      bool tiny = literal.find_first_of("eE") != std::string_view::npos &&
                  literal.find('-', literal.find_first_of("eE")) != std::string_view::npos;
      if (!tiny) fail("the number " + std::string(literal) + " is too large");
      return 0;
    }
    if (ec != std::errc() || end != literal.data() + literal.size())
      fail("\"" + std::string(literal) + "\" is not a number");
    return value;
  }

  double name() {
    std::size_t start = pos_;
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) ++pos_;
    std::string word(text_.substr(start, pos_ - start));
    for (auto& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    skip_space();
    bool call = pos_ < text_.size() && text_[pos_] == '(';
    if (word == "pi" || word == "e") {
      if (call) fail(word + " is a constant, not a function");
      return word == "pi" ? std::numbers::pi : std::numbers::e;
    }
    if (!is_function(word))
      fail("unknown name \"" + word + "\"; use numbers, pi, e and the functions " + function_list());
    if (!call) fail(word + " is a function: write " + word + "(...)");
    Nesting nesting(depth_);
    ++pos_;
    std::vector<double> args;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ')') {
      ++pos_;
    } else {
      do args.push_back(expression());
      while (accept(","));
      expect(')');
    }
    return apply(word, args);
  }

  static constexpr std::array<std::string_view, 16> k_functions = {"sqrt", "abs", "round", "floor", "ceil", "min",
                                                                   "max",  "log", "ln",    "log10", "log2", "exp",
                                                                   "sin",  "cos", "tan",   "pow"};

  static bool is_function(std::string_view word) {
    return std::find(k_functions.begin(), k_functions.end(), word) != k_functions.end();
  }
  static std::string function_list() {
    std::string list;
    for (auto f : k_functions) list += (list.empty() ? "" : ", ") + std::string(f);
    return list;
  }

  static void arity(std::string_view f, const std::vector<double>& args, std::size_t low, std::size_t high) {
    if (args.size() >= low && args.size() <= high) return;
    std::string wanted = low == high ? std::to_string(low) : std::to_string(low) + " or " + std::to_string(high);
    if (high == SIZE_MAX) wanted = "at least " + std::to_string(low);
    bool one = high == 1 || (low == 1 && high == SIZE_MAX);
    fail(std::string(f) + " takes " + wanted + " argument" + (one ? "" : "s") + ", got " + std::to_string(args.size()));
  }

  static double apply(const std::string& f, const std::vector<double>& a) {
    std::string what = call_text(f, a);
    if (f == "min" || f == "max") {
      arity(f, a, 1, SIZE_MAX);
      return f == "min" ? *std::min_element(a.begin(), a.end()) : *std::max_element(a.begin(), a.end());
    }
    if (f == "round") {
      arity(f, a, 1, 2);
      return checked(a.size() == 2 ? round_to(a[0], a[1]) : std::round(a[0]), what);
    }
    if (f == "log") {
      arity(f, a, 1, 2);
      if (a[0] <= 0) fail(what + " is undefined: logarithms need a positive number");
      if (a.size() == 1) return checked(std::log(a[0]), what);
      if (a[1] <= 0 || a[1] == 1) fail(what + " is undefined: the base must be positive and not 1");
      return checked(std::log(a[0]) / std::log(a[1]), what);
    }
    if (f == "pow") {
      arity(f, a, 2, 2);
      return checked(std::pow(a[0], a[1]), what);
    }
    arity(f, a, 1, 1);
    double x = a[0];
    if (f == "sqrt") {
      if (x < 0) fail(what + " is not a real number");
      return std::sqrt(x);
    }
    if (f == "ln" || f == "log10" || f == "log2") {
      if (x <= 0) fail(what + " is undefined: logarithms need a positive number");
      return f == "ln" ? std::log(x) : f == "log10" ? std::log10(x) : std::log2(x);
    }
    if (f == "abs") return std::abs(x);
    if (f == "floor") return std::floor(x);
    if (f == "ceil") return std::ceil(x);
    if (f == "exp") return checked(std::exp(x), what);
    if (f == "sin") return checked(std::sin(x), what);
    if (f == "cos") return checked(std::cos(x), what);
    return checked(std::tan(x), what);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

Evaluation evaluate_expression(std::string_view expression) {
  if (expression.size() > k_max_expression_length)
    return {0, "the expression is too long (" + std::to_string(expression.size()) + " characters; at most " +
                   std::to_string(k_max_expression_length) + ")"};
  try {
    double value = Parser(expression).parse();
    if (value == 0) value = 0;  // no "-0"
    return {value, ""};
  } catch (const Failure& f) {
    return {0, f.message};
  }
}

std::string format_number(double value) {
  if (value == 0) return "0";
  std::array<char, 64> buffer{};
  double magnitude = std::abs(value);
  // Plain digits for everyday magnitudes (1000000, not 1e+06); scientific only beyond them.
  auto format = magnitude >= 1e-6 && magnitude < 1e15 ? std::chars_format::fixed : std::chars_format::general;
  auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, format);
  if (ec != std::errc()) return std::to_string(value);
  return std::string(buffer.data(), end);
}

CalculatorTool::CalculatorTool() {
  parameters_ = {{"type", "object"},
                 {"properties",
                  {{"expression",
                    {{"type", "string"},
                     {"description", "The arithmetic expression, e.g. \"(17.5 - 3) * 4 / 2\" or \"sqrt(2) ^ 2\""},
                     {"maxLength", k_max_expression_length}}}}},
                 {"required", {"expression"}}};
}

std::string_view CalculatorTool::description() const {
  return "Evaluates an arithmetic expression exactly and returns the number. Operators: + - * / % ^ (power, also **), "
         "parentheses, unary minus, decimals and exponents (1.5e3). Functions: sqrt, abs, round(x) or round(x, "
         "digits), floor, ceil, min(a, b, ...), max(a, b, ...), log(x) (natural) or log(x, base), ln, log10, log2, "
         "exp, pow(x, y), sin, cos, tan (radians). Constants: pi, e.";
}

boost::asio::awaitable<ToolResult> CalculatorTool::invoke(const json::object& arguments, const ToolContext&) {
  const auto* expression = arguments.if_contains("expression");
  if (!expression || !expression->is_string())
    co_return ToolResult{"calculator needs {\"expression\": \"...\"}, e.g. {\"expression\": \"2 * (3 + 4)\"}", true};
  auto result = evaluate_expression(expression->get_string());
  if (!result.error.empty()) co_return ToolResult{"cannot evaluate the expression: " + result.error, true};
  co_return ToolResult{format_number(result.value), false};
}

}  // namespace aop::engine::tools
