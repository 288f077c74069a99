#pragma once
// Anthropic's Messages API wire format. Pure translation, no I/O: the request body (system
// prompt apart, tool results as user turns of tool_result blocks), and the assembly of a
// streamed answer from its events (message_start, content_block_start/delta/stop,
// message_delta, message_stop, ping, error).
#include <map>
#include <string>

#include <boost/json/object.hpp>

#include "engine/llm/llm_types.hpp"
#include "engine/llm/sse_parser.hpp"

namespace aop::engine::llm {

// The API requires max_tokens; this is sent when the request names none.
inline constexpr int k_anthropic_default_max_tokens = 4096;

boost::json::object anthropic_request_body(const ChatRequest& request);

// finish_reason in the vocabulary the executor shares across providers: end_turn and
// stop_sequence -> "stop", tool_use -> "tool_calls", max_tokens -> "length"; others as sent.
std::string normalized_stop_reason(std::string_view stop_reason);

class AnthropicStreamAssembler {
 public:
  explicit AnthropicStreamAssembler(const ChunkHandler& on_chunk) : on_chunk_(on_chunk) {}

  // Throws LlmError: malformed for unreadable data, the mapped kind for an error event
  // (overloaded_error -> server, retryable).
  void on_message(const SseMessage& message);
  // Throws LlmError(malformed) when the stream ended before message_stop.
  ChatResult finish(bool cut_mid_event);

 private:
  struct Block {
    std::string type;  // text | tool_use | thinking | ...
    ToolCall call;     // tool_use: id, name, and the input JSON joined from its pieces
    std::string initial_input;  // tool_use: the start event's input, used when no pieces come
  };
  void take_usage(const boost::json::object& usage);

  const ChunkHandler& on_chunk_;
  ChatResult result_;
  std::map<std::int64_t, Block> blocks_;  // by content block index
  std::int64_t uncached_input_ = 0, cache_read_ = 0, cache_write_ = 0;
  bool done_ = false;
};

}  // namespace aop::engine::llm
