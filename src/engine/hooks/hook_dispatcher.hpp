#pragma once
// Runs a crew's hooks at the before/after points of the execution, each task, agent, LLM call
// and tool call. Actions: a `log` event, a webhook (POST of the event JSON) or a command (the
// event JSON on its standard input). A before_* hook may answer continue, abort (the run fails
// with error_type hook_aborted) or continue with a replacement input. Every other failure of a
// hook (bad address, non-2xx, timeout, bad answer, exit status) becomes a `log` event of level
// warning naming the hook, and the run goes on.
//
// The hook sees the event in the one schema (events.hpp) plus "hook": {name, on}; seq is null
// because the event log numbers events when it stores them. Before points that have an event
// (execution_started, task_started, agent_started) are called right after emitting it; before
// llm_call and tool_call nothing has been emitted yet, and the event carries what the call is
// about to use. Either way data.input is what the hook may replace.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "crews/hook_spec.hpp"
#include "engine/events.hpp"

namespace aop::engine::tools {
class HttpFetcher;
}

namespace aop::engine {

class RunContext;

// What a hook point is about, for `match:`.
struct HookSubject {
  std::string task;
  std::string agent;
  std::string tool;
  std::string model;
};

// The event a hook point reports: emitted already (after points, and before points that have
// a started event) or about to happen.
struct HookEvent {
  EventType type = EventType::log;
  std::string trace_id;
  std::string parent_trace_id;
  boost::json::object data;
};

class HookDispatcher {
 public:
  HookDispatcher(RunContext& run, std::vector<crews::HookSpec> hooks);
  ~HookDispatcher();

  // Whether any hook runs at this point for this subject (so callers skip building events).
  bool wants(crews::HookPhase phase, crews::HookTarget target, const HookSubject& subject) const;

  // Runs the before_* hooks of `target` in order, each seeing the input the previous left.
  // `event.data` must hold "input". Returns the replacement input when a hook gave one.
  // Throws EngineError("hook_aborted") when one aborts.
  boost::asio::awaitable<std::optional<boost::json::object>> before(crews::HookTarget target, HookSubject subject,
                                                                     HookEvent event);
  // Runs the after_* hooks of `target`; answers are ignored. `keep_going`: the run has ended
  // (cancelled, failed), deliver anyway within each hook's own time limit.
  boost::asio::awaitable<void> after(crews::HookTarget target, HookSubject subject, HookEvent event,
                                     bool keep_going = false);

 private:
  boost::asio::awaitable<std::optional<std::string>> perform(const crews::HookSpec& hook, const HookEvent& event,
                                                             bool keep_going);
  void log(const HookEvent& event, const std::string& level, std::string message, const crews::HookSpec& hook);

  RunContext& run_;
  std::vector<crews::HookSpec> hooks_;
  std::shared_ptr<tools::HttpFetcher> http_;
};

}  // namespace aop::engine
