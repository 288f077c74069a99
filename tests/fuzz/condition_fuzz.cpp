// libFuzzer target: any bytes as a `condition:` expression, parsed and evaluated against a
// fixed context. Must never crash, hang or overflow the stack, whatever the nesting.
#include <cstdint>
#include <string_view>

#include <boost/json/parse.hpp>

#include "crews/condition.hpp"

namespace {

const aop::crews::ConditionContext& context() {
  static const aop::crews::ConditionContext ctx = [] {
    aop::crews::ConditionContext c;
    c.inputs = boost::json::parse(R"({"topic": "AI", "year": 2025, "flag": true, "tags": ["a", "b"],
                                      "nested": {"level": {"deep": [1, 2.5, null]}}})").as_object();
    c.tasks["research"] = {"Found 10 items about AI", boost::json::parse(R"({"score": 8, "items": ["x"]})")};
    c.tasks["draft"] = {"TODO: finish", std::nullopt};
    return c;
  }();
  return ctx;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = aop::crews::parse_condition(text);
  if (!parsed.ok()) {
    if (parsed.error.offset > text.size() && text.size() <= aop::crews::k_max_condition_length)
      __builtin_trap();  // error positions must point into the text (or just past it)
    return 0;
  }
  (void)aop::crews::referenced_tasks(*parsed.condition);
  (void)aop::crews::referenced_inputs(*parsed.condition);
  (void)aop::crews::evaluate(*parsed.condition, context());
  return 0;
}
