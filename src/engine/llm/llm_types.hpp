#pragma once
// The provider-neutral shape of a chat call: what the agent executor sends and gets back,
// whatever the wire format (OpenAI chat completions, Anthropic Messages, simulated).
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "engine/cancel_token.hpp"
#include "engine/llm/pricing.hpp"

namespace aop::engine::llm {

struct ToolCall {
  std::string id;         // the provider's id, echoed back with the result
  std::string name;
  std::string arguments;  // JSON text exactly as the model produced it (may be invalid)
  bool operator==(const ToolCall&) const = default;
};

enum class Role { system, user, assistant, tool };

struct Message {
  Role role = Role::user;
  std::string content;
  std::vector<ToolCall> tool_calls;  // assistant messages that call tools
  std::string tool_call_id;          // tool messages: which call this answers
  std::string tool_name;             // tool messages: the tool's name (Anthropic needs none, some servers do)
};

// A tool offered for native tool calling.
struct ToolDefinition {
  std::string name;
  std::string description;
  boost::json::object parameters;  // JSON Schema of the arguments object
};

struct ChatRequest {
  std::string model;  // without the provider prefix: "gpt-4o-mini"
  std::vector<Message> messages;
  std::vector<ToolDefinition> tools;  // empty: plain text (ReAct protocol in the prompt)
  // The history may refer to the tools, so they stay listed, but the model must answer in
  // text now (OpenAI tool_choice "none"; used when an agent has run out of iterations).
  bool forbid_tool_calls = false;
  std::vector<std::string> stop;      // e.g. "\nObservation:"
  std::optional<double> temperature;
  std::optional<int> max_tokens;
  // JSON Schema the final answer must satisfy (a task's output_json). Advisory: the prompt
  // says so too; providers may use it for structured output, the simulated one obeys it.
  std::optional<boost::json::value> response_schema;
  std::chrono::milliseconds timeout{std::chrono::seconds(120)};  // whole call, stream included
  std::shared_ptr<CancelToken> cancel;  // may be null
};

struct ChatResult {
  std::string content;               // the text answer (may be empty when tools are called)
  std::vector<ToolCall> tool_calls;  // native tool calls, complete
  TokenUsage usage;
  std::string finish_reason;  // stop | tool_calls | length | ... as the provider said
  std::string model;          // as the provider reported it
  bool simulated = false;     // produced by the simulated provider
};

// Text as it streams in (llm_stream_chunk events). Called on the provider's executor.
using ChunkHandler = std::function<void(std::string_view text)>;

// Why a call failed. `retryable` errors (rate limits, 5xx, timeouts, dropped connections)
// are retried by chat_with_retries; the others are reported at once.
class LlmError : public std::runtime_error {
 public:
  enum class Kind {
    authentication,  // 401/403: bad or missing API key
    model_not_found, // 404 or the provider's "model does not exist"
    bad_request,     // 400/422: the request itself is wrong
    rate_limited,    // 429
    server,          // 5xx
    timeout,         // no complete answer within the timeout
    network,         // connection refused, reset, DNS, TLS
    malformed,       // the response could not be understood
    cancelled,       // the run was cancelled
  };
  LlmError(Kind kind, std::string message, int http_status = 0,
           std::optional<std::chrono::milliseconds> retry_after = std::nullopt)
      : std::runtime_error(std::move(message)), kind_(kind), status_(http_status), retry_after_(retry_after) {}
  Kind kind() const { return kind_; }
  int http_status() const { return status_; }
  std::optional<std::chrono::milliseconds> retry_after() const { return retry_after_; }
  bool retryable() const {
    return kind_ == Kind::rate_limited || kind_ == Kind::server || kind_ == Kind::timeout || kind_ == Kind::network;
  }

 private:
  Kind kind_;
  int status_;
  std::optional<std::chrono::milliseconds> retry_after_;
};

std::string_view kind_name(LlmError::Kind kind);

}  // namespace aop::engine::llm
