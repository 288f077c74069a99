#pragma once
// Anthropic's native Messages API: POST {base_url}/v1/messages, streamed.
#include <memory>
#include <string>

#include "engine/llm/http_stream_client.hpp"
#include "engine/llm/provider.hpp"

namespace aop::engine::llm {

struct AnthropicOptions {
  std::string base_url = "https://api.anthropic.com";  // "/v1/messages" is appended
  std::string api_key;                                 // sent as x-api-key
  std::string version = "2023-06-01";                  // the anthropic-version header
};

class AnthropicProvider : public Provider {
 public:
  AnthropicProvider(AnthropicOptions options, std::shared_ptr<HttpStreamClient> http);

  std::string_view name() const override { return "anthropic"; }
  // Every current Claude model takes tools.
  bool supports_native_tools(std::string_view) const override { return true; }
  boost::asio::awaitable<ChatResult> chat(const ChatRequest& request, const ChunkHandler& on_chunk) override;

 private:
  AnthropicOptions options_;
  std::shared_ptr<HttpStreamClient> http_;
};

}  // namespace aop::engine::llm
