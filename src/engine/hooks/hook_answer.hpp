#pragma once
// What a `before_*` hook answers (a webhook's response body or a command's standard output):
//   {"action": "continue"}                      go on unchanged (so does an empty answer)
//   {"action": "abort", "reason": "..."}        the run fails with error_type hook_aborted
//   {"action": "continue", "input": {...}}      go on with this input instead
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace aop::engine {

struct HookAnswer {
  bool abort = false;
  std::string reason;                        // of an abort; may be empty
  std::optional<boost::json::object> input;  // a replacement input
};

struct ParsedHookAnswer {
  std::optional<HookAnswer> answer;
  std::string error;  // when there is no answer: what is wrong with the text, in a few words
};

ParsedHookAnswer parse_hook_answer(std::string_view text);

}  // namespace aop::engine
