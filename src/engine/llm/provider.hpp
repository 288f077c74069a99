#pragma once
// One LLM provider (a wire protocol plus where to reach it). Calls are coroutines on the
// caller's executor: a waiting call holds no thread.
#include <boost/asio/awaitable.hpp>

#include "engine/llm/llm_types.hpp"

namespace aop::engine::llm {

class Provider {
 public:
  virtual ~Provider() = default;
  // "openai", "anthropic", "simulated", ...
  virtual std::string_view name() const = 0;
  // Whether `model` takes native tool definitions; otherwise the executor uses the ReAct
  // text protocol.
  virtual bool supports_native_tools(std::string_view model) const = 0;
  // One attempt, streamed: on_chunk gets text as it arrives. Throws LlmError (kind
  // cancelled when request.cancel fires; the in-flight stream is aborted).
  virtual boost::asio::awaitable<ChatResult> chat(const ChatRequest& request, const ChunkHandler& on_chunk) = 0;
};

// Where a provider is reached, after resolving the team's LLM connections and environment
// fallbacks (OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_API_KEY, OLLAMA_HOST).
struct Endpoint {
  std::string provider;  // openai | anthropic | ollama | openai_compatible | simulated | ...
  std::string base_url;  // e.g. https://api.openai.com/v1
  std::string api_key;   // may be empty (ollama)
};

}  // namespace aop::engine::llm
