#include "engine/prompts.hpp"

#include <boost/json/serialize.hpp>

namespace aop::engine {

std::string system_prompt(const AgentPersona& agent, const std::vector<const tools::Tool*>& react_tools) {
  std::string p = "You are " + agent.role + ".\n" + agent.backstory + "\n\nYour goal: " + agent.goal + "\n";
  if (react_tools.empty()) {
    p += "\nWork on the task you are given and reply with your complete final answer.\n";
    return p;
  }
  p += "\nYou can use these tools:\n";
  for (const auto* t : react_tools)
    p += "\n- " + std::string(t->name()) + ": " + std::string(t->description()) +
         "\n  Arguments (JSON Schema): " + boost::json::serialize(t->parameters()) + "\n";
  p += "\nReply in exactly one of these two forms.\n\n"
       "To use a tool:\n"
       "Thought: what you are thinking about doing next\n"
       "Action: the tool's name, exactly as listed above\n"
       "Action Input: the arguments as one JSON object\n\n"
       "You will then receive the tool's result as \"Observation: ...\". Use tools as often as you need.\n\n"
       "When you have everything you need:\n"
       "Thought: I now know the final answer\n"
       "Final Answer: your complete final answer\n";
  return p;
}

std::string task_prompt(const TaskBrief& task) {
  std::string p = "Your task:\n" + task.description + "\n\nWhat your final answer must be: " + task.expected_output + "\n";
  if (task.output_schema)
    p += "\nYour final answer must be only a JSON value that conforms to this JSON Schema, with no other text:\n" +
         boost::json::serialize(*task.output_schema) + "\n";
  if (!task.context.empty())
    p += "\nThis is the context you are working with (results of earlier work):\n" + task.context + "\n";
  p += "\nBegin. Your final answer must be the complete result, not a summary of it.\n";
  return p;
}

std::string observation_message(const std::string& observation) { return "Observation: " + observation; }

std::string format_error_message(const std::string& problem, bool has_tools) {
  std::string p = "Your reply could not be understood: " + problem + "\n";
  if (has_tools)
    p += "Either use a tool, with lines \"Thought:\", \"Action:\" and \"Action Input:\" (a JSON object), or give "
         "your result with lines \"Thought: I now know the final answer\" and \"Final Answer:\".";
  else
    p += "Give your result with lines \"Thought: I now know the final answer\" and \"Final Answer:\".";
  return p;
}

std::string final_answer_now_message(int iterations) {
  return "You have used all " + std::to_string(iterations) +
         " steps you may take for this task. Do not use any more tools. Give your best complete final answer now, "
         "from what you have found so far.";
}

std::string schema_retry_message(const std::vector<std::string>& errors) {
  std::string p = "Your final answer does not conform to the required JSON Schema:\n";
  for (const auto& e : errors) p += "- " + e + "\n";
  p += "Reply again with only the corrected JSON value.";
  return p;
}

}  // namespace aop::engine
