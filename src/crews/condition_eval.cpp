// Evaluation of parsed conditions. Values are JSON values; a name that is not there reads
// as null. Type rules: numbers compare with numbers and text with text; == between
// different types is false, ordering them (<, >, ...) is an error.
#include <string>

#include "crews/condition.hpp"
#include "crews/json_kind.hpp"
#include "crews/text_position.hpp"

namespace aop::crews {

namespace {

namespace json = boost::json;
using Kind = ConditionNode::Kind;

struct EvalFailure {
  ConditionError error;
};

[[noreturn]] void fail(const ConditionNode& at, std::string message) {
  throw EvalFailure{{at.offset, std::move(message)}};
}

bool is_number(const json::value& v) { return v.is_int64() || v.is_uint64() || v.is_double(); }
double as_double(const json::value& v) {
  return v.is_int64() ? double(v.get_int64()) : v.is_uint64() ? double(v.get_uint64()) : v.get_double();
}

bool truthy(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return false;
    case json::kind::bool_: return v.get_bool();
    case json::kind::int64: return v.get_int64() != 0;
    case json::kind::uint64: return v.get_uint64() != 0;
    case json::kind::double_: return v.get_double() != 0;
    case json::kind::string: return !v.get_string().empty();
    case json::kind::array: return !v.get_array().empty();
    case json::kind::object: return !v.get_object().empty();
  }
  return false;
}

bool equal(const json::value& a, const json::value& b) {
  if (is_number(a) && is_number(b)) {
    if (a.is_int64() && b.is_int64()) return a.get_int64() == b.get_int64();
    return as_double(a) == as_double(b);
  }
  return a == b;  // same kinds compare by value; different kinds are simply unequal
}

const char* op_text(CompareOp op) {
  switch (op) {
    case CompareOp::eq: return "==";
    case CompareOp::ne: return "!=";
    case CompareOp::lt: return "<";
    case CompareOp::le: return "<=";
    case CompareOp::gt: return ">";
    case CompareOp::ge: return ">=";
  }
  return "?";
}

json::value step_into(const json::value& v, const std::vector<PathStep>& steps) {
  const json::value* cur = &v;
  for (const auto& s : steps) {
    if (s.index) {
      if (!cur->is_array() || *s.index >= cur->get_array().size()) return nullptr;
      cur = &cur->get_array()[*s.index];
    } else {
      if (!cur->is_object()) return nullptr;
      auto* next = cur->get_object().if_contains(s.key);
      if (!next) return nullptr;
      cur = next;
    }
  }
  return *cur;
}

class Evaluator {
 public:
  explicit Evaluator(const ConditionContext& context) : ctx_(context) {}

  json::value eval(const ConditionNode& n) {
    switch (n.kind) {
      case Kind::literal:
        return n.literal;
      case Kind::input: {
        auto* v = ctx_.inputs.if_contains(n.name);
        return v ? step_into(*v, n.steps) : json::value(nullptr);
      }
      case Kind::task_output: {
        auto it = ctx_.tasks.find(n.name);
        if (it == ctx_.tasks.end()) return nullptr;
        return json::string(it->second.text);
      }
      case Kind::task_json: {
        auto it = ctx_.tasks.find(n.name);
        if (it == ctx_.tasks.end() || !it->second.json) return nullptr;
        return step_into(*it->second.json, n.steps);
      }
      case Kind::all_of:
        for (const auto& c : n.children)
          if (!truthy(eval(c))) return false;
        return true;
      case Kind::any_of:
        for (const auto& c : n.children)
          if (truthy(eval(c))) return true;
        return false;
      case Kind::negate:
        return !truthy(eval(n.children.at(0)));
      case Kind::compare:
        return compare(n, eval(n.children.at(0)), eval(n.children.at(1)));
      case Kind::call:
        return call(n);
    }
    return nullptr;
  }

 private:
  static bool compare(const ConditionNode& n, const json::value& a, const json::value& b) {
    if (n.op == CompareOp::eq) return equal(a, b);
    if (n.op == CompareOp::ne) return !equal(a, b);
    int order = 0;
    if (is_number(a) && is_number(b)) {
      double x = as_double(a), y = as_double(b);
      order = x < y ? -1 : x > y ? 1 : 0;
    } else if (a.is_string() && b.is_string()) {
      int c = std::string_view(a.get_string()).compare(std::string_view(b.get_string()));
      order = c < 0 ? -1 : c > 0 ? 1 : 0;
    } else {
      fail(n, "cannot compare " + json_kind_name(a) + " with " + json_kind_name(b) + " using '" +
                  op_text(n.op) + "'");
    }
    switch (n.op) {
      case CompareOp::lt: return order < 0;
      case CompareOp::le: return order <= 0;
      case CompareOp::gt: return order > 0;
      default: return order >= 0;
    }
  }

  json::value call(const ConditionNode& n) {
    if (n.name == "len") {
      auto v = eval(n.children.at(0));
      if (v.is_null()) return 0;
      if (v.is_string()) return static_cast<std::int64_t>(utf8_length(v.get_string()));
      if (v.is_array()) return static_cast<std::int64_t>(v.get_array().size());
      if (v.is_object()) return static_cast<std::int64_t>(v.get_object().size());
      fail(n, "len() needs text, a list or a mapping, got " + json_kind_name(v));
    }
    if (n.name == "lower") {
      auto v = eval(n.children.at(0));
      if (v.is_null()) return nullptr;
      if (!v.is_string()) fail(n, "lower() needs text, got " + json_kind_name(v));
      std::string s(v.get_string());
      for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
      return json::string(s);
    }
    auto a = eval(n.children.at(0));
    auto b = eval(n.children.at(1));
    if (n.name == "starts_with") {
      if (a.is_null()) return false;
      if (!a.is_string() || !b.is_string())
        fail(n, "starts_with() needs text and text, got " + json_kind_name(a) + " and " + json_kind_name(b));
      return std::string_view(a.get_string()).starts_with(std::string_view(b.get_string()));
    }
    // contains
    if (a.is_null()) return false;
    if (a.is_string()) {
      if (!b.is_string()) fail(n, "contains() on text needs text to look for, got " + json_kind_name(b));
      return std::string_view(a.get_string()).find(std::string_view(b.get_string())) !=
             std::string_view::npos;
    }
    if (a.is_array()) {
      for (const auto& item : a.get_array())
        if (equal(item, b)) return true;
      return false;
    }
    if (a.is_object()) {
      if (!b.is_string()) fail(n, "contains() on a mapping needs a key (text), got " + json_kind_name(b));
      return a.get_object().contains(b.get_string());
    }
    fail(n, "contains() needs text, a list or a mapping, got " + json_kind_name(a));
  }

  const ConditionContext& ctx_;
};

}  // namespace

ConditionResult evaluate(const Condition& condition, const ConditionContext& context) {
  ConditionResult result;
  try {
    result.value = truthy(Evaluator(context).eval(condition.root));
  } catch (const EvalFailure& failure) {
    result.error = failure.error;
  }
  return result;
}

}  // namespace aop::crews
