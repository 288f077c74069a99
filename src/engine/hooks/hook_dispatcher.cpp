#include "engine/hooks/hook_dispatcher.hpp"

#include <cctype>

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "engine/hooks/command_runner.hpp"
#include "engine/hooks/hook_answer.hpp"
#include "engine/run_context.hpp"
#include "engine/tools/http_fetch.hpp"

namespace aop::engine {

namespace asio = boost::asio;
namespace json = boost::json;
using crews::HookPhase;
using crews::HookSpec;
using crews::HookTarget;

namespace {

constexpr std::size_t k_max_answer_bytes = 1024 * 1024;

std::string action_name(const HookSpec& hook) {
  if (std::holds_alternative<crews::LogAction>(hook.action)) return "log";
  if (std::holds_alternative<crews::WebhookAction>(hook.action)) return "webhook";
  return "command";
}

bool matches(const HookSpec& hook, HookPhase phase, HookTarget target, const HookSubject& subject) {
  if (hook.phase != phase || hook.target != target) return false;
  const auto& m = hook.match;
  return (!m.task || *m.task == subject.task) && (!m.agent || *m.agent == subject.agent) &&
         (!m.tool || *m.tool == subject.tool) && (!m.model || *m.model == subject.model);
}

// "{field}" -> the event's data field (text as is, anything else as JSON); other braces stay.
std::string fill_message(const std::string& message, const json::object& data) {
  std::string out;
  std::size_t i = 0;
  while (i < message.size()) {
    auto open = message.find('{', i);
    if (open == std::string::npos) break;
    auto close = message.find('}', open + 1);
    if (close == std::string::npos) break;
    std::string_view name(message.data() + open + 1, close - open - 1);
    bool word = !name.empty() && !std::isdigit(static_cast<unsigned char>(name.front()));
    for (unsigned char c : name) word = word && (std::isalnum(c) || c == '_');
    const json::value* value = word ? data.if_contains(name) : nullptr;
    out.append(message, i, open - i);
    if (value) out += value->is_string() ? std::string(value->get_string()) : json::serialize(*value);
    else out.append(message, open, close - open + 1);
    i = close + 1;
  }
  out.append(message, i, std::string::npos);
  return out;
}

// The input after a hook's replacement, or an error saying why the replacement is not usable.
// tool_call: the arguments object as a whole. llm_call: `messages`, a list as long as the one
// sent, whose texts (`content`) replace the messages' texts. Others: the named fields given.
std::string apply_input(HookTarget target, json::object& current, const json::object& given) {
  if (target == HookTarget::tool_call) {
    current = given;
    return {};
  }
  if (target == HookTarget::llm_call) {
    const auto* messages = given.if_contains("messages");
    if (!messages) return {};
    auto& now = current["messages"].as_array();
    if (!messages->is_array() || messages->get_array().size() != now.size())
      return "input.messages must be a list of " + std::to_string(now.size()) + " messages, as sent";
    for (std::size_t i = 0; i < now.size(); ++i) {
      const auto& m = messages->get_array()[i];
      const json::value* content = m.is_object() ? m.get_object().if_contains("content") : &m;
      if (!content || !content->is_string())
        return "input.messages[" + std::to_string(i) + "] must have a text `content`";
    }
    for (std::size_t i = 0; i < now.size(); ++i) {
      const auto& m = messages->get_array()[i];
      now[i].as_object()["content"] = m.is_object() ? m.get_object().at("content") : m;
    }
    return {};
  }
  for (const auto& [key, value] : given) {
    if (target == HookTarget::execution) continue;  // inputs: any value
    if (!current.contains(key)) return "input." + std::string(key) + " cannot be changed here";
    if (!value.is_string()) return "input." + std::string(key) + " must be text";
  }
  for (const auto& [key, value] : given) current[key] = value;
  return {};
}

}  // namespace

HookDispatcher::HookDispatcher(RunContext& run, std::vector<crews::HookSpec> hooks)
    : run_(run), hooks_(std::move(hooks)), http_(run.settings().hooks.http) {}

HookDispatcher::~HookDispatcher() = default;

bool HookDispatcher::wants(HookPhase phase, HookTarget target, const HookSubject& subject) const {
  for (const auto& hook : hooks_)
    if (matches(hook, phase, target, subject)) return true;
  return false;
}

asio::awaitable<std::optional<json::object>> HookDispatcher::before(HookTarget target, HookSubject subject,
                                                                    HookEvent event) {
  bool changed = false;
  for (const auto& hook : hooks_) {
    if (!matches(hook, HookPhase::before, target, subject)) continue;
    auto text = co_await perform(hook, event, false);
    if (!text) continue;
    auto parsed = parse_hook_answer(*text);
    if (!parsed.answer) {
      log(event, "warning", parsed.error + "; the run goes on", hook);
      continue;
    }
    if (parsed.answer->abort) {
      std::string message = "hook \"" + hook.name + "\" (" + crews::hook_point_name(hook.phase, hook.target) +
                            ") aborted the run";
      if (!parsed.answer->reason.empty()) message += ": " + parsed.answer->reason;
      throw EngineError("hook_aborted", message);
    }
    if (!parsed.answer->input) continue;
    json::object input = event.data["input"].as_object();
    if (auto problem = apply_input(target, input, *parsed.answer->input); !problem.empty()) {
      log(event, "warning", "its answer's input is not used: " + problem + "; the run goes on", hook);
      continue;
    }
    event.data["input"] = std::move(input);
    changed = true;
  }
  if (!changed) co_return std::nullopt;
  co_return std::move(event.data["input"].as_object());
}

asio::awaitable<void> HookDispatcher::after(HookTarget target, HookSubject subject, HookEvent event,
                                            bool keep_going) {
  for (const auto& hook : hooks_) {
    if (!matches(hook, HookPhase::after, target, subject)) continue;
    (void)co_await perform(hook, event, keep_going);  // an answer changes nothing after the fact
  }
}

// Runs one hook's action. The answer text of a webhook or command that worked, else nullopt
// (a log action, or a failure already reported as a warning).
asio::awaitable<std::optional<std::string>> HookDispatcher::perform(const HookSpec& hook, const HookEvent& event,
                                                                    bool keep_going) {
  if (auto* log_action = std::get_if<crews::LogAction>(&hook.action)) {
    log(event, "info", fill_message(log_action->message, event.data), hook);
    co_return std::nullopt;
  }
  Event e;
  e.type = event.type;
  e.ts_ms = run_.clock().now_ms();
  e.execution_id = run_.execution_id();
  e.trace_id = event.trace_id;
  e.parent_trace_id = event.parent_trace_id;
  e.data = event.data;
  json::object payload = to_json(e);
  payload["seq"] = nullptr;
  payload["hook"] = {{"name", hook.name}, {"on", crews::hook_point_name(hook.phase, hook.target)}};
  // A run that has ended (keep_going) still delivers, within the hook's own limit.
  auto cancel = keep_going ? std::make_shared<CancelToken>() : run_.cancel();

  if (auto* webhook = std::get_if<crews::WebhookAction>(&hook.action)) {
    if (!http_) http_ = std::make_shared<tools::HttpFetcher>();
    tools::FetchRequest request;
    request.method = "POST";
    request.url = webhook->url;
    request.headers = webhook->headers;
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = json::serialize(payload);
    tools::FetchLimits limits;
    limits.policy = run_.settings().hooks.policy;
    limits.max_body_bytes = k_max_answer_bytes;
    limits.max_redirects = 0;
    tools::ToolContext context;
    context.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(webhook->timeout_ms);
    context.cancel = cancel;
    context.trace_id = event.trace_id;
    auto result = co_await http_->fetch(request, limits, context);
    if (!result.response) {
      log(event, "warning", result.error + "; the run goes on", hook);
      co_return std::nullopt;
    }
    if (result.response->status < 200 || result.response->status > 299) {
      log(event, "warning", "the webhook answered HTTP " + std::to_string(result.response->status) +
                                "; the run goes on", hook);
      co_return std::nullopt;
    }
    co_return std::move(result.response->body);
  }

  const auto& command = std::get<crews::CommandAction>(hook.action);
  if (!run_.settings().hooks.allow_commands) {
    log(event, "warning", "command hooks are turned off here (AOP_HOOKS_ALLOW_COMMANDS); the run goes on", hook);
    co_return std::nullopt;
  }
  const std::string input = json::serialize(payload);
  auto result = co_await run_command(command.argv, input, std::chrono::milliseconds(command.timeout_ms), cancel);
  std::string problem;
  if (!result.error.empty()) problem = result.error;
  else if (result.timed_out) problem = "timed out after " + std::to_string(command.timeout_ms) + " ms and was killed";
  else if (result.signal) problem = "was ended by signal " + std::to_string(result.signal);
  else if (result.exit_code != 0) problem = "exited with status " + std::to_string(result.exit_code);
  if (!problem.empty()) {
    auto err = result.err.substr(0, result.err.find('\n'));
    log(event, "warning", command.argv.front() + " " + problem + (err.empty() ? "" : " (" + err + ")") +
                              "; the run goes on", hook);
    co_return std::nullopt;
  }
  if (result.out_truncated) {
    log(event, "warning", "the answer is longer than 1 MiB; the run goes on", hook);
    co_return std::nullopt;
  }
  co_return std::move(result.out);
}

void HookDispatcher::log(const HookEvent& event, const std::string& level, std::string message, const HookSpec& hook) {
  if (level != "info")
    message = "hook \"" + hook.name + "\" (" + crews::hook_point_name(hook.phase, hook.target) + ", " +
              action_name(hook) + "): " + message;
  run_.emit(EventType::log, event.trace_id, event.parent_trace_id,
            {{"level", level},
             {"message", std::move(message)},
             {"timestamp", core::format_iso8601(run_.clock().now_ms())},
             {"trace_id", event.trace_id},
             {"hook", hook.name}});
}

}  // namespace aop::engine
