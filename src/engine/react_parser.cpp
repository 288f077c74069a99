#include "engine/react_parser.hpp"

#include <algorithm>
#include <cctype>

namespace aop::engine {

namespace {

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// Position just after "label:" at the start of a line (case-insensitive), or npos.
std::size_t find_label(std::string_view text, std::string_view label, std::size_t from = 0) {
  for (std::size_t i = from; i + label.size() <= text.size(); ++i) {
    if (i > 0 && text[i - 1] != '\n') continue;
    std::size_t j = i;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '*')) ++j;  // "**Action:**" happens
    if (j + label.size() > text.size()) break;
    bool same = std::equal(label.begin(), label.end(), text.begin() + static_cast<std::ptrdiff_t>(j),
                           [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) ==
                                                       std::tolower(static_cast<unsigned char>(b)); });
    if (!same) continue;
    j += label.size();
    while (j < text.size() && text[j] == '*') ++j;
    if (j < text.size() && text[j] == ':') {
      ++j;
      while (j < text.size() && text[j] == '*') ++j;
      return j;
    }
  }
  return std::string_view::npos;
}

std::string_view until_line_end(std::string_view text, std::size_t from) {
  auto end = text.find('\n', from);
  return text.substr(from, end == std::string_view::npos ? std::string_view::npos : end - from);
}

// From `open` (a { or [) to its matching bracket, ignoring brackets inside strings.
std::size_t matching_close(std::string_view text, std::size_t open) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = open; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') ++depth;
    else if ((c == '}' || c == ']') && --depth == 0) return i;
  }
  return std::string_view::npos;
}

}  // namespace

std::string extract_json_text(std::string_view text) {
  if (auto fence = text.find("```"); fence != std::string_view::npos) {
    auto body = text.find('\n', fence);
    auto close = body == std::string_view::npos ? body : text.find("```", body);
    if (close != std::string_view::npos) return trim(text.substr(body + 1, close - body - 1));
  }
  auto open = text.find_first_of("{[");
  if (open == std::string_view::npos) return trim(text);
  auto close = matching_close(text, open);
  if (close == std::string_view::npos) return trim(text.substr(open));
  return std::string(text.substr(open, close - open + 1));
}

ReactStep parse_react(std::string_view reply) {
  ReactStep step;
  auto thought = find_label(reply, "Thought");
  auto action = find_label(reply, "Action");
  auto final_answer = find_label(reply, "Final Answer");
  if (thought != std::string_view::npos) step.thought = trim(until_line_end(reply, thought));

  if (action != std::string_view::npos && final_answer != std::string_view::npos) {
    step.problem = "it contains both an Action and a Final Answer; give one of them";
    return step;
  }
  if (final_answer != std::string_view::npos) {
    step.kind = ReactStep::Kind::final_answer;
    step.answer = trim(reply.substr(final_answer));
    if (step.answer.empty()) {
      step.kind = ReactStep::Kind::malformed;
      step.problem = "the Final Answer is empty";
    }
    return step;
  }
  if (action == std::string_view::npos) {
    step.problem = "it has neither an \"Action:\" line nor a \"Final Answer:\"";
    return step;
  }
  step.tool = trim(until_line_end(reply, action));
  auto input = find_label(reply, "Action Input", action);
  if (step.tool.empty()) {
    step.problem = "the Action line names no tool";
    return step;
  }
  if (input == std::string_view::npos) {
    step.problem = "the \"Action Input:\" line is missing";
    return step;
  }
  // The stop word ends generation at "\nObservation:"; some models write it anyway.
  auto rest = reply.substr(input);
  if (auto obs = find_label(rest, "Observation"); obs != std::string_view::npos)
    rest = rest.substr(0, rest.rfind('\n', obs));
  step.tool_input = extract_json_text(rest);
  if (step.tool_input.empty()) step.tool_input = "{}";
  step.kind = ReactStep::Kind::action;
  return step;
}

}  // namespace aop::engine
