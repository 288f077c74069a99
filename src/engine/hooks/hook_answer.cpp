#include "engine/hooks/hook_answer.hpp"

#include <boost/json/parse.hpp>

namespace aop::engine {

namespace json = boost::json;

ParsedHookAnswer parse_hook_answer(std::string_view text) {
  ParsedHookAnswer out;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    out.answer = HookAnswer{};
    return out;
  }
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec) return {std::nullopt, "the answer is not JSON (" + ec.message() + ")"};
  if (!value.is_object()) return {std::nullopt, "the answer is not a JSON object"};
  const auto& o = value.get_object();
  const auto* action = o.if_contains("action");
  if (!action || !action->is_string() || (action->get_string() != "continue" && action->get_string() != "abort"))
    return {std::nullopt, R"(the answer has no "action" of "continue" or "abort")"};
  HookAnswer answer;
  answer.abort = action->get_string() == "abort";
  if (const auto* reason = o.if_contains("reason"); reason && reason->is_string())
    answer.reason = std::string(reason->get_string());
  if (const auto* input = o.if_contains("input"); input && !input->is_null()) {
    if (!input->is_object()) return {std::nullopt, R"(the answer's "input" is not a JSON object)"};
    answer.input = input->get_object();
  }
  out.answer = std::move(answer);
  return out;
}

}  // namespace aop::engine
