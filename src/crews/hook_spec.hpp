#pragma once
// The `hooks:` list of a crew document, read into typed hooks. CrewSpec keeps the list as
// written (so writers round-trip it untouched); the validator and the engine both read it
// with read_hooks(), which reports every problem with its path ("hooks[1].webhook.url").
//
//   hooks:
//     - on: before_tool_call          # before|after _ execution|task|agent|llm_call|tool_call
//       match: {tool: calculator}     # optional: task, agent, tool, model
//       log: "calling {tool_name}"    # exactly one of log, webhook, command
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json/value.hpp>

#include "crews/diagnostic.hpp"

namespace aop::crews {

enum class HookPhase { before, after };
enum class HookTarget { execution, task, agent, llm_call, tool_call };

// "before_tool_call" -> {before, tool_call}; nullopt for anything else.
std::optional<std::pair<HookPhase, HookTarget>> parse_hook_point(std::string_view text);
std::string hook_point_name(HookPhase phase, HookTarget target);

// Names compared exactly; an absent field matches anything.
struct HookMatch {
  std::optional<std::string> task;
  std::optional<std::string> agent;
  std::optional<std::string> tool;   // tool_call hooks only
  std::optional<std::string> model;  // "provider/model"; agent and llm_call hooks only
  bool operator==(const HookMatch&) const = default;
};

struct LogAction {
  std::string message;  // {field} is replaced by the event's data field of that name
  bool operator==(const LogAction&) const = default;
};

inline constexpr int k_default_hook_timeout_ms = 5000;
inline constexpr int k_max_hook_timeout_ms = 60000;

struct WebhookAction {
  std::string url;  // http:// or https://
  int timeout_ms = k_default_hook_timeout_ms;
  std::vector<std::pair<std::string, std::string>> headers;
  bool operator==(const WebhookAction&) const = default;
};

struct CommandAction {
  std::vector<std::string> argv;  // argv[0] is looked up on PATH when it has no '/'; no shell
  int timeout_ms = k_default_hook_timeout_ms;
  bool operator==(const CommandAction&) const = default;
};

using HookAction = std::variant<LogAction, WebhookAction, CommandAction>;

struct HookSpec {
  std::string name;  // the `name` key, else "hooks[i]"
  HookPhase phase = HookPhase::before;
  HookTarget target = HookTarget::execution;
  HookMatch match;
  HookAction action;
  bool operator==(const HookSpec&) const = default;
};

struct HookReadResult {
  std::vector<HookSpec> hooks;  // the hooks without errors, in document order
  Diagnostics errors;           // a hook with any error is left out of `hooks`
};

// Reads the value of `hooks:` (null reads as no hooks). Locations come from `locations`.
HookReadResult read_hooks(const boost::json::value& hooks, const SourceMap& locations = {});

// The keys of one hook, for the documentation test.
std::span<const std::string_view> hook_keys();

}  // namespace aop::crews
