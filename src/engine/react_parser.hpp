#pragma once
// Reads a model's reply in CrewAI's ReAct text protocol:
//   Thought: ...            Thought: I now know the final answer
//   Action: <tool name>     Final Answer: <answer, possibly many lines>
//   Action Input: {json}
// Lenient where models are sloppy (spacing, case of the labels, ```json fences, text after
// the input), strict where it matters (a reply must be one of the two forms).
#include <optional>
#include <string>
#include <string_view>

namespace aop::engine {

struct ReactStep {
  enum class Kind { action, final_answer, malformed };
  Kind kind = Kind::malformed;
  std::string thought;
  std::string tool;        // action
  std::string tool_input;  // action: the JSON text of the arguments (validated by the caller)
  std::string answer;      // final_answer
  std::string problem;     // malformed: what is wrong, to tell the model
};

ReactStep parse_react(std::string_view reply);

// The JSON inside a reply that may wrap it in a ```json fence or surround it with prose:
// the fenced block if there is one, otherwise the text from the first { or [ to its match.
std::string extract_json_text(std::string_view text);

}  // namespace aop::engine
