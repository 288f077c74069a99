#pragma once
// The `condition:` language: a small expression over crew inputs and earlier task outputs
// deciding whether a task runs. Pure: no assignments, loops or calls out; bounded length
// and nesting, so evaluating untrusted text cannot hang or exhaust the stack.
//
//   tasks.review.json.score >= 7 && !contains(lower(tasks.draft.output), "todo")
//
// Grammar (lowest precedence first):
//   or      := and ('||' and)*
//   and     := compare ('&&' compare)*
//   compare := unary (('=='|'!='|'<'|'<='|'>'|'>=') unary)?     -- not chained
//   unary   := '!' unary | primary
//   primary := number | string | true | false | null | '(' or ')'
//            | inputs.NAME accessor* | tasks.NAME.output | tasks.NAME.json accessor*
//            | FUNCTION '(' args ')'          -- contains/2, len/1, lower/1, starts_with/2
//   accessor := '.' NAME | '[' integer ']' | '[' string ']'
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace aop::crews {

inline constexpr std::size_t k_max_condition_length = 4096;
inline constexpr int k_max_condition_depth = 64;  // parentheses, '!' and calls

enum class CompareOp { eq, ne, lt, le, gt, ge };

// One step into a JSON value: `.field`, `["field"]` or `[2]`.
struct PathStep {
  std::string key;
  std::optional<std::size_t> index;  // set for [n]
  bool operator==(const PathStep&) const = default;
};

struct ConditionNode {
  enum class Kind { literal, input, task_output, task_json, all_of, any_of, negate, compare, call };
  Kind kind = Kind::literal;
  std::size_t offset = 0;          // byte offset in the text, for evaluation errors
  boost::json::value literal;      // literal
  std::string name;                // input, task or function name
  std::vector<PathStep> steps;     // input, task_json
  CompareOp op = CompareOp::eq;    // compare
  std::vector<ConditionNode> children;  // operands / arguments
  bool operator==(const ConditionNode&) const = default;
};

struct Condition {
  ConditionNode root;
};

struct ConditionError {
  std::size_t offset = 0;  // byte offset; the column shown to users is offset + 1
  std::string message;
};

struct ConditionParseResult {
  std::optional<Condition> condition;
  ConditionError error;  // meaningful when !ok()
  bool ok() const { return condition.has_value(); }
};

ConditionParseResult parse_condition(std::string_view text);

// Names of tasks / inputs the condition reads, first mention first, each once.
std::vector<std::string> referenced_tasks(const Condition& condition);
std::vector<std::string> referenced_inputs(const Condition& condition);

struct TaskOutput {
  std::string text;
  std::optional<boost::json::value> json;  // the parsed output, when the task produced JSON
};

// What a condition can see: the run's inputs and the outputs of tasks finished so far.
// A name that is absent (input not given, task skipped or not run yet) reads as null.
struct ConditionContext {
  boost::json::object inputs;
  std::map<std::string, TaskOutput, std::less<>> tasks;
};

struct ConditionResult {
  bool value = false;
  std::optional<ConditionError> error;  // a type error while evaluating (e.g. "a" < 1)
  bool ok() const { return !error.has_value(); }
};

// Evaluates and converts the result to true/false: null, false, 0, "" and empty lists or
// mappings are false; everything else is true.
ConditionResult evaluate(const Condition& condition, const ConditionContext& context);

}  // namespace aop::crews
