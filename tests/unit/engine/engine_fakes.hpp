#pragma once
// In-process stand-ins for the engine's collaborators: a provider that replays scripted
// replies and records requests, tools that echo or fail, an event sink that keeps events.
#include <deque>
#include <functional>
#include <map>
#include <mutex>

#include <boost/json.hpp>

#include "engine/llm/simulated_provider.hpp"
#include "engine/run_context.hpp"

namespace aop::test {

using namespace aop::engine;

class ScriptedProvider final : public llm::Provider {
 public:
  explicit ScriptedProvider(bool native) : native_(native) {}
  std::string_view name() const override { return "scripted"; }
  bool supports_native_tools(std::string_view) const override { return native_; }
  boost::asio::awaitable<llm::ChatResult> chat(const llm::ChatRequest& request, const llm::ChunkHandler& on_chunk) override {
    requests.push_back(request);
    if (replies.empty()) throw llm::LlmError(llm::LlmError::Kind::server, "the script ran out of replies");
    auto next = replies.front();
    replies.pop_front();
    if (on_chunk && !next.content.empty()) on_chunk(next.content);
    co_return next;
  }
  void say(std::string text, TokenUsage usage = {100, 20, 0}) {
    llm::ChatResult r;
    r.content = std::move(text);
    r.usage = usage;
    r.finish_reason = "stop";
    replies.push_back(r);
  }
  void call(std::string tool, std::string arguments, std::string id = "call_1") {
    llm::ChatResult r;
    r.tool_calls.push_back({std::move(id), std::move(tool), std::move(arguments)});
    r.usage = {100, 10, 0};
    r.finish_reason = "tool_calls";
    replies.push_back(r);
  }
  std::deque<llm::ChatResult> replies;
  std::vector<llm::ChatRequest> requests;

 private:
  bool native_;
};

// Returns its arguments as text, or fails when asked to.
class EchoTool final : public tools::Tool {
 public:
  explicit EchoTool(std::string name = "echo") : name_(std::move(name)) {}
  std::string_view name() const override { return name_; }
  std::string_view description() const override { return "Repeats the text it is given"; }
  const boost::json::object& parameters() const override { return schema_; }
  boost::asio::awaitable<tools::ToolResult> invoke(const boost::json::object& arguments, const tools::ToolContext&) override {
    calls.push_back(arguments);
    if (arguments.contains("fail")) co_return tools::ToolResult{"it failed on purpose", true};
    co_return tools::ToolResult{"echo: " + boost::json::serialize(arguments), false};
  }
  std::vector<boost::json::object> calls;

 private:
  std::string name_;
  boost::json::object schema_ =
      boost::json::parse(R"({"type":"object","properties":{"text":{"type":"string"}},"required":["text"]})").as_object();
};

class RecordingSink final : public EventSink {
 public:
  void emit(Event e) override {
    std::lock_guard lock(mutex_);
    events.push_back(std::move(e));
  }
  std::vector<std::string> types(bool with_chunks = false) const {
    std::vector<std::string> out;
    for (const auto& e : events)
      if (with_chunks || e.type != EventType::llm_stream_chunk) out.emplace_back(event_type_name(e.type));
    return out;
  }
  std::vector<Event> of(EventType type) const {
    std::vector<Event> out;
    for (const auto& e : events)
      if (e.type == type) out.push_back(e);
    return out;
  }
  std::vector<Event> events;

 private:
  std::mutex mutex_;
};

class MapProviders final : public ProviderSource {
 public:
  std::shared_ptr<llm::Provider> provider(std::string_view name) override {
    auto it = providers.find(std::string(name));
    if (it == providers.end()) throw EngineError("llm_provider", "no provider \"" + std::string(name) + "\"");
    return it->second;
  }
  std::map<std::string, std::shared_ptr<llm::Provider>> providers;
};

class MapTools final : public ToolSource {
 public:
  std::shared_ptr<tools::Tool> tool(std::string_view name) override {
    auto it = tools.find(std::string(name));
    return it == tools.end() ? nullptr : it->second;
  }
  std::map<std::string, std::shared_ptr<tools::Tool>> tools;
};

// A RunContext over the fakes above.
struct FakeRun {
  FakeRun()
      : context("exec-1", sink, providers, tools, PriceTable::shipped(), std::make_shared<CancelToken>(), settings()) {}
  static RunSettings settings() {
    RunSettings s;
    s.llm_retry.max_attempts = 1;  // scripted failures are final; retries have tests of their own
    return s;
  }
  RecordingSink sink;
  MapProviders providers;
  MapTools tools;
  RunContext context;
};

}  // namespace aop::test
