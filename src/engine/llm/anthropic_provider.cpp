#include "engine/llm/anthropic_provider.hpp"

#include <boost/json/serialize.hpp>

#include "engine/llm/anthropic_wire.hpp"
#include "engine/llm/sse_call.hpp"

namespace aop::engine::llm {

AnthropicProvider::AnthropicProvider(AnthropicOptions options, std::shared_ptr<HttpStreamClient> http)
    : options_(std::move(options)), http_(std::move(http)) {
  while (options_.base_url.ends_with('/')) options_.base_url.pop_back();
  // Accept a base URL given with the version segment as well as without.
  if (options_.base_url.ends_with("/v1")) options_.base_url.resize(options_.base_url.size() - 3);
  if (!http_) http_ = std::make_shared<HttpStreamClient>();
}

boost::asio::awaitable<ChatResult> AnthropicProvider::chat(const ChatRequest& request, const ChunkHandler& on_chunk) {
  HttpPost post;
  post.url = options_.base_url + "/v1/messages";
  post.body = boost::json::serialize(anthropic_request_body(request));
  post.timeout = request.timeout;
  post.cancel = request.cancel;
  post.headers.emplace_back("Accept", "text/event-stream");
  post.headers.emplace_back("anthropic-version", options_.version);
  if (!options_.api_key.empty()) post.headers.emplace_back("x-api-key", options_.api_key);

  AnthropicStreamAssembler assembler(on_chunk);
  std::function<void(const SseMessage&)> on_message = [&](const SseMessage& m) { assembler.on_message(m); };
  SseCallResult call = co_await post_sse(*http_, post, "anthropic", request.model, on_message);
  if (!call.event_stream)
    throw LlmError(LlmError::Kind::malformed, "anthropic: expected an event stream, got " + call.head.header("content-type"));
  co_return assembler.finish(call.cut_mid_event);
}

}  // namespace aop::engine::llm
