// Recursive-descent parser for the condition language (grammar in condition.hpp).
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string>

#include "crews/condition.hpp"

namespace aop::crews {

namespace {

namespace json = boost::json;
using Kind = ConditionNode::Kind;

enum class Tok {
  end, number, string, ident, lparen, rparen, comma, dot, lbracket, rbracket,
  eq, ne, lt, le, gt, ge, and_, or_, not_
};

struct Token {
  Tok kind = Tok::end;
  std::size_t offset = 0;
  std::string_view text;  // identifiers and numbers
  std::string value;      // decoded string literal
};

struct Function {
  std::string_view name;
  std::size_t arity;
};
constexpr std::array k_functions = {Function{"contains", 2}, Function{"len", 1},
                                    Function{"lower", 1}, Function{"starts_with", 2}};

struct ParseFailure {
  ConditionError error;
};

bool ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9') || c == '-'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  Token next() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
    Token t;
    t.offset = pos_;
    if (pos_ >= text_.size()) return t;
    char c = text_[pos_];
    char n = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
    auto two = [&](Tok k) { pos_ += 2; t.kind = k; return t; };
    auto one = [&](Tok k) { pos_ += 1; t.kind = k; return t; };
    switch (c) {
      case '(': return one(Tok::lparen);
      case ')': return one(Tok::rparen);
      case ',': return one(Tok::comma);
      case '.': return one(Tok::dot);
      case '[': return one(Tok::lbracket);
      case ']': return one(Tok::rbracket);
      case '=':
        if (n == '=') return two(Tok::eq);
        fail(pos_, "use '==' to compare");
      case '!': return n == '=' ? two(Tok::ne) : one(Tok::not_);
      case '<': return n == '=' ? two(Tok::le) : one(Tok::lt);
      case '>': return n == '=' ? two(Tok::ge) : one(Tok::gt);
      case '&':
        if (n == '&') return two(Tok::and_);
        fail(pos_, "use '&&' for 'and'");
      case '|':
        if (n == '|') return two(Tok::or_);
        fail(pos_, "use '||' for 'or'");
      case '"':
      case '\'':
        return string_literal(c);
      default:
        break;
    }
    if (digit(c) || (c == '-' && (digit(n) || n == '.'))) return number();
    if (ident_start(c)) {
      auto start = pos_;
      while (pos_ < text_.size() && ident_char(text_[pos_])) ++pos_;
      t.kind = Tok::ident;
      t.text = text_.substr(start, pos_ - start);
      return t;
    }
    fail(pos_, "unexpected character '" + std::string(1, c) + "'");
  }

  [[noreturn]] static void fail(std::size_t offset, std::string message) {
    throw ParseFailure{{offset, std::move(message)}};
  }

 private:
  Token number() {
    Token t;
    t.offset = pos_;
    t.kind = Tok::number;
    auto start = pos_;
    if (text_[pos_] == '-') ++pos_;
    while (pos_ < text_.size() && digit(text_[pos_])) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      while (pos_ < text_.size() && digit(text_[pos_])) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (pos_ >= text_.size() || !digit(text_[pos_])) fail(pos_, "malformed number");
      while (pos_ < text_.size() && digit(text_[pos_])) ++pos_;
    }
    if (pos_ < text_.size() && ident_char(text_[pos_])) fail(start, "malformed number");
    t.text = text_.substr(start, pos_ - start);
    return t;
  }

  Token string_literal(char quote) {
    Token t;
    t.offset = pos_;
    t.kind = Tok::string;
    ++pos_;
    while (true) {
      if (pos_ >= text_.size()) fail(t.offset, "unterminated string");
      char c = text_[pos_++];
      if (c == quote) return t;
      if (c != '\\') {
        t.value += c;
        continue;
      }
      if (pos_ >= text_.size()) fail(t.offset, "unterminated string");
      char e = text_[pos_++];
      switch (e) {
        case '\\': case '\'': case '"': t.value += e; break;
        case 'n': t.value += '\n'; break;
        case 't': t.value += '\t'; break;
        case 'r': t.value += '\r'; break;
        default: fail(pos_ - 2, "unknown escape '\\" + std::string(1, e) + "'");
      }
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

class Parser {
 public:
  explicit Parser(std::string_view text) : lexer_(text) { advance(); }

  ConditionNode parse() {
    auto root = parse_or();
    if (tok_.kind == Tok::rparen) Lexer::fail(tok_.offset, "unmatched ')'");
    if (tok_.kind != Tok::end)
      Lexer::fail(tok_.offset, "expected an operator (&&, ||, ==, <, ...), found " + describe(tok_));
    return root;
  }

 private:
  void advance() { tok_ = lexer_.next(); }

  bool accept(Tok k) {
    if (tok_.kind != k) return false;
    advance();
    return true;
  }

  void expect(Tok k, std::string_view what) {
    if (tok_.kind != k)
      Lexer::fail(tok_.offset, "expected " + std::string(what) + ", found " + describe(tok_));
    advance();
  }

  static std::string describe(const Token& t) {
    switch (t.kind) {
      case Tok::end: return "end of condition";
      case Tok::number: return "number " + std::string(t.text);
      case Tok::string: return "a string";
      case Tok::ident: {  // appended, not "'" + ...: GCC 12 -O3 warns falsely (-Wrestrict) on that
        std::string quoted(1, '\'');
        quoted += t.text;
        quoted += '\'';
        return quoted;
      }
      case Tok::lparen: return "'('";
      case Tok::rparen: return "')'";
      case Tok::comma: return "','";
      case Tok::dot: return "'.'";
      case Tok::lbracket: return "'['";
      case Tok::rbracket: return "']'";
      case Tok::eq: return "'=='";
      case Tok::ne: return "'!='";
      case Tok::lt: return "'<'";
      case Tok::le: return "'<='";
      case Tok::gt: return "'>'";
      case Tok::ge: return "'>='";
      case Tok::and_: return "'&&'";
      case Tok::or_: return "'||'";
      case Tok::not_: return "'!'";
    }
    return "token";
  }

  // Guards every construct that nests: parentheses, '!', function calls.
  struct Nest {
    Nest(Parser& p, std::size_t offset) : p_(p) {
      if (++p_.depth_ > k_max_condition_depth)
        Lexer::fail(offset, "nested more than " + std::to_string(k_max_condition_depth) + " levels deep");
    }
    ~Nest() { --p_.depth_; }
    Parser& p_;
  };

  ConditionNode list_node(Kind kind, ConditionNode first, Tok op, ConditionNode (Parser::*sub)()) {
    if (tok_.kind != op) return first;
    ConditionNode node;
    node.kind = kind;
    node.offset = first.offset;
    node.children.push_back(std::move(first));
    while (accept(op)) node.children.push_back((this->*sub)());
    return node;
  }

  ConditionNode parse_or() { return list_node(Kind::any_of, parse_and(), Tok::or_, &Parser::parse_and); }
  ConditionNode parse_and() {
    return list_node(Kind::all_of, parse_compare(), Tok::and_, &Parser::parse_compare);
  }

  static std::optional<CompareOp> compare_op(Tok k) {
    switch (k) {
      case Tok::eq: return CompareOp::eq;
      case Tok::ne: return CompareOp::ne;
      case Tok::lt: return CompareOp::lt;
      case Tok::le: return CompareOp::le;
      case Tok::gt: return CompareOp::gt;
      case Tok::ge: return CompareOp::ge;
      default: return std::nullopt;
    }
  }

  ConditionNode parse_compare() {
    auto lhs = parse_unary();
    auto op = compare_op(tok_.kind);
    if (!op) return lhs;
    ConditionNode node;
    node.kind = Kind::compare;
    node.op = *op;
    node.offset = tok_.offset;
    advance();
    node.children.push_back(std::move(lhs));
    node.children.push_back(parse_unary());
    if (compare_op(tok_.kind))
      Lexer::fail(tok_.offset, "comparisons cannot be chained; combine them with &&");
    return node;
  }

  ConditionNode parse_unary() {
    if (tok_.kind != Tok::not_) return parse_primary();
    Nest nest(*this, tok_.offset);
    ConditionNode node;
    node.kind = Kind::negate;
    node.offset = tok_.offset;
    advance();
    node.children.push_back(parse_unary());
    return node;
  }

  ConditionNode parse_primary() {
    ConditionNode node;
    node.offset = tok_.offset;
    switch (tok_.kind) {
      case Tok::number: {
        node.literal = number_value(tok_);
        advance();
        return node;
      }
      case Tok::string:
        node.literal = json::string(tok_.value);
        advance();
        return node;
      case Tok::lparen: {
        Nest nest(*this, tok_.offset);
        advance();
        auto inner = parse_or();
        expect(Tok::rparen, "')'");
        return inner;
      }
      case Tok::ident:
        return parse_name();
      default:
        Lexer::fail(tok_.offset, "expected a value, found " + describe(tok_));
    }
  }

  static json::value number_value(const Token& t) {
    bool integral = t.text.find_first_of(".eE") == std::string_view::npos;
    if (integral) {
      std::int64_t i = 0;
      auto [p, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), i);
      if (ec == std::errc() && p == t.text.data() + t.text.size()) return i;
    }
    double d = 0;
    auto [p, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), d);
    if (ec != std::errc() || p != t.text.data() + t.text.size() || !std::isfinite(d))
      Lexer::fail(t.offset, "number out of range");
    return d;
  }

  ConditionNode parse_name() {
    ConditionNode node;
    node.offset = tok_.offset;
    std::string_view name = tok_.text;
    advance();
    if (name == "true" || name == "false") {
      node.literal = name == "true";
      return node;
    }
    if (name == "null") return node;  // literal null
    if (tok_.kind == Tok::lparen) return parse_call(std::move(node), name);
    if (name == "inputs") {
      node.kind = Kind::input;
      expect(Tok::dot, "'.' and an input name after 'inputs'");
      node.name = ident("an input name");
      parse_steps(node);
      return node;
    }
    if (name == "tasks") {
      expect(Tok::dot, "'.' and a task name after 'tasks'");
      node.name = ident("a task name");
      expect(Tok::dot, "'.output' or '.json' after the task name");
      auto field_offset = tok_.offset;
      auto field = ident("'output' or 'json'");
      if (field == "output") {
        node.kind = Kind::task_output;
        if (tok_.kind == Tok::dot || tok_.kind == Tok::lbracket)
          Lexer::fail(tok_.offset, "tasks." + node.name + ".output is text; use tasks." + node.name +
                                       ".json to read fields");
      } else if (field == "json") {
        node.kind = Kind::task_json;
        parse_steps(node);
      } else {
        Lexer::fail(field_offset, "expected 'output' or 'json' after tasks." + node.name + ", found '" +
                                      field + "'");
      }
      return node;
    }
    Lexer::fail(node.offset, "unknown name '" + std::string(name) +
                                 "'; use inputs." + std::string(name) +
                                 " for an input, tasks.<name>.output for a task, or quotes for text");
  }

  std::string ident(std::string_view what) {
    if (tok_.kind != Tok::ident) Lexer::fail(tok_.offset, "expected " + std::string(what) + ", found " + describe(tok_));
    std::string s(tok_.text);
    advance();
    return s;
  }

  void parse_steps(ConditionNode& node) {
    while (true) {
      if (accept(Tok::dot)) {
        node.steps.push_back({ident("a field name"), std::nullopt});
      } else if (tok_.kind == Tok::lbracket) {
        advance();
        if (tok_.kind == Tok::string) {
          node.steps.push_back({tok_.value, std::nullopt});
        } else if (tok_.kind == Tok::number && tok_.text.find_first_of("-.eE") == std::string_view::npos) {
          std::size_t i = 0;
          auto [p, ec] = std::from_chars(tok_.text.data(), tok_.text.data() + tok_.text.size(), i);
          if (ec != std::errc()) Lexer::fail(tok_.offset, "index out of range");
          node.steps.push_back({{}, i});
        } else {
          Lexer::fail(tok_.offset, "expected a list index or a quoted key inside [ ]");
        }
        advance();
        expect(Tok::rbracket, "']'");
      } else {
        return;
      }
    }
  }

  ConditionNode parse_call(ConditionNode node, std::string_view name) {
    const Function* fn = nullptr;
    for (const auto& f : k_functions)
      if (f.name == name) fn = &f;
    if (!fn)
      Lexer::fail(node.offset, "unknown function '" + std::string(name) +
                                   "'; available: contains, len, lower, starts_with");
    Nest nest(*this, tok_.offset);
    node.kind = Kind::call;
    node.name = std::string(name);
    expect(Tok::lparen, "'('");
    if (tok_.kind != Tok::rparen) {
      do {
        node.children.push_back(parse_or());
      } while (accept(Tok::comma));
    }
    expect(Tok::rparen, "')' or ','");
    if (node.children.size() != fn->arity)
      Lexer::fail(node.offset, std::string(name) + "() takes " + std::to_string(fn->arity) +
                                   (fn->arity == 1 ? " argument" : " arguments") + ", got " +
                                   std::to_string(node.children.size()));
    return node;
  }

  Lexer lexer_;
  Token tok_;
  int depth_ = 0;
};

template <class Pred>
void collect(const ConditionNode& n, Pred wanted, std::vector<std::string>& out) {
  if (wanted(n.kind) && std::find(out.begin(), out.end(), n.name) == out.end()) out.push_back(n.name);
  for (const auto& c : n.children) collect(c, wanted, out);
}

}  // namespace

ConditionParseResult parse_condition(std::string_view text) {
  ConditionParseResult result;
  if (text.size() > k_max_condition_length) {
    result.error = {k_max_condition_length,
                    "condition is longer than " + std::to_string(k_max_condition_length) + " characters"};
    return result;
  }
  try {
    Parser parser(text);
    result.condition = Condition{parser.parse()};
  } catch (const ParseFailure& failure) {
    result.error = failure.error;
  }
  return result;
}

std::vector<std::string> referenced_tasks(const Condition& condition) {
  std::vector<std::string> out;
  collect(condition.root, [](Kind k) { return k == Kind::task_output || k == Kind::task_json; }, out);
  return out;
}

std::vector<std::string> referenced_inputs(const Condition& condition) {
  std::vector<std::string> out;
  collect(condition.root, [](Kind k) { return k == Kind::input; }, out);
  return out;
}

}  // namespace aop::crews
