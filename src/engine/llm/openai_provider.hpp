#pragma once
// OpenAI and every OpenAI-compatible server: POST {base_url}/chat/completions, streamed.
#include <memory>
#include <string>
#include <vector>

#include "engine/llm/http_stream_client.hpp"
#include "engine/llm/openai_wire.hpp"
#include "engine/llm/provider.hpp"

namespace aop::engine::llm {

struct OpenAiOptions {
  std::string name = "openai";  // the provider name: reported by name() and in error messages
  std::string base_url = "https://api.openai.com/v1";
  std::string api_key;  // sent as "Authorization: Bearer <key>"; omitted when empty (Ollama)
  OpenAiWireOptions wire;
  // Native tool calling is assumed for every model: OpenAI's current models and the
  // compatible servers' tool-capable ones take it, and a server that does not rejects the
  // request with a clear 400. Models listed here (exact name or a "prefix*") use the ReAct
  // text protocol instead.
  std::vector<std::string> models_without_tools;
  std::vector<std::pair<std::string, std::string>> extra_headers;  // e.g. OpenRouter's X-Title
};

class OpenAiProvider : public Provider {
 public:
  OpenAiProvider(OpenAiOptions options, std::shared_ptr<HttpStreamClient> http);

  std::string_view name() const override { return options_.name; }
  bool supports_native_tools(std::string_view model) const override;
  boost::asio::awaitable<ChatResult> chat(const ChatRequest& request, const ChunkHandler& on_chunk) override;

 private:
  OpenAiOptions options_;
  std::shared_ptr<HttpStreamClient> http_;
};

}  // namespace aop::engine::llm
