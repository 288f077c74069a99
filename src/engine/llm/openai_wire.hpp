#pragma once
// The OpenAI chat-completions wire format, spoken by OpenAI and every OpenAI-compatible
// server (Ollama, vLLM, LM Studio, Groq, DeepSeek, OpenRouter, Gemini's compatible endpoint,
// Mistral). Pure translation, no I/O: the request body, and the assembly of a streamed
// answer from its SSE chunks.
#include <map>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "engine/llm/llm_types.hpp"
#include "engine/llm/sse_parser.hpp"

namespace aop::engine::llm {

struct OpenAiWireOptions {
  // OpenAI's newer models take max_completion_tokens and reject max_tokens; most compatible
  // servers know only max_tokens.
  bool max_completion_tokens = false;
  // Mistral wants the tool's name on tool-result messages; OpenAI does not define it.
  bool tool_message_name = false;
};

// {"model", "messages", "stream": true, "stream_options": {"include_usage": true}, "tools"?,
//  "stop"?, "temperature"?, "max_tokens" | "max_completion_tokens"?}
boost::json::object openai_request_body(const ChatRequest& request, const OpenAiWireOptions& options);

// Builds the ChatResult from the SSE messages of one streamed completion. Text deltas go to
// on_chunk as they come; tool-call deltas are joined by their index (id and name arrive
// first, the arguments in pieces); the usage chunk (choices: []) comes last, before [DONE].
class OpenAiStreamAssembler {
 public:
  OpenAiStreamAssembler(std::string provider, const ChunkHandler& on_chunk)
      : provider_(std::move(provider)), on_chunk_(on_chunk) {}

  // Throws LlmError: malformed for a chunk that is not JSON, or the mapped kind for an
  // {"error": ...} chunk sent mid-stream.
  void on_message(const SseMessage& message);
  // The answer once the stream has ended. Throws LlmError(malformed) when it ended before
  // [DONE] or a finish_reason (a cut connection, a server that crashed mid-answer).
  ChatResult finish(bool cut_mid_event);

 private:
  void take_tool_deltas(const boost::json::array& deltas);

  std::string provider_;
  const ChunkHandler& on_chunk_;
  ChatResult result_;
  std::map<std::int64_t, ToolCall> calls_;  // by the delta's index
  std::int64_t last_index_ = -1;
  bool done_ = false;
};

// A non-streamed completion ({"choices": [{"message": ...}], "usage": ...}), for servers
// that answer stream=true with plain JSON. Throws LlmError(malformed).
ChatResult openai_result_from_completion(std::string_view provider, std::string_view body, const ChunkHandler& on_chunk);

}  // namespace aop::engine::llm
