#pragma once
// What one crew run works with: where events go, where LLM providers and tools come from,
// prices, cancellation. One RunContext per execution; the run's coroutines share it and run
// on one executor (a strand in the server), so only emit() is called concurrently.
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "engine/cancel_token.hpp"
#include "engine/events.hpp"
#include "engine/hooks/hook_settings.hpp"
#include "engine/llm/pricing.hpp"
#include "engine/llm/provider.hpp"
#include "engine/llm/retry.hpp"
#include "engine/tools/tool.hpp"

namespace aop::engine {

// Failures of a run that are not bugs: a missing input, a model that keeps answering in the
// wrong shape, an exhausted time budget, an LLM error after retries.
class EngineError : public std::runtime_error {
 public:
  EngineError(std::string type, std::string message) : std::runtime_error(std::move(message)), type_(std::move(type)) {}
  const std::string& type() const { return type_; }  // error event's error_type

 private:
  std::string type_;
};

// LLM providers by name ("openai", "simulated", ...). Throws EngineError when a provider
// cannot be used (unknown, or no API key).
class ProviderSource {
 public:
  virtual ~ProviderSource() = default;
  virtual std::shared_ptr<llm::Provider> provider(std::string_view name) = 0;
};

// Tools by name, as crews reference them.
class ToolSource {
 public:
  virtual ~ToolSource() = default;
  virtual std::shared_ptr<tools::Tool> tool(std::string_view name) = 0;  // nullptr when unknown
};

struct RunSettings {
  std::string default_model = "simulated/default";  // when neither agent nor crew names one
  std::chrono::milliseconds llm_timeout{std::chrono::seconds(120)};
  llm::RetryPolicy llm_retry;  // 429 / 5xx / timeouts: backoff with jitter, Retry-After honoured
  std::chrono::milliseconds tool_timeout{std::chrono::seconds(60)};
  std::string workspace_dir;  // file tools work inside it
  HookSettings hooks;         // what the crew's `hooks:` may reach and run
};

class RunContext {
 public:
  RunContext(std::string execution_id, EventSink& sink, ProviderSource& providers, ToolSource& tools,
             const PriceTable& prices, std::shared_ptr<CancelToken> cancel, RunSettings settings = {},
             const core::Clock& clock = core::system_clock());

  const std::string& execution_id() const { return execution_id_; }
  ProviderSource& providers() { return providers_; }
  ToolSource& tools() { return tools_; }
  const PriceTable& prices() const { return prices_; }
  const std::shared_ptr<CancelToken>& cancel() const { return cancel_; }
  const RunSettings& settings() const { return settings_; }
  const core::Clock& clock() const { return clock_; }

  // Emits an event with the next sequence number and the current time.
  void emit(EventType type, const std::string& trace_id, const std::string& parent_trace_id, boost::json::object data);
  // A fresh id for a node of the trace tree.
  std::string new_trace_id();
  // Throws Cancelled when the run has been cancelled.
  void throw_if_cancelled() const;

 private:
  std::string execution_id_;
  EventSink& sink_;
  ProviderSource& providers_;
  ToolSource& tools_;
  const PriceTable& prices_;
  std::shared_ptr<CancelToken> cancel_;
  RunSettings settings_;
  const core::Clock& clock_;
  std::mutex emit_mutex_;
  std::int64_t next_seq_ = 1;
};

}  // namespace aop::engine
