#include "engine/llm/openai_provider.hpp"

#include <boost/json/serialize.hpp>

#include "engine/llm/sse_call.hpp"

namespace aop::engine::llm {

OpenAiProvider::OpenAiProvider(OpenAiOptions options, std::shared_ptr<HttpStreamClient> http)
    : options_(std::move(options)), http_(std::move(http)) {
  while (options_.base_url.ends_with('/')) options_.base_url.pop_back();
  if (!http_) http_ = std::make_shared<HttpStreamClient>();
}

bool OpenAiProvider::supports_native_tools(std::string_view model) const {
  for (const auto& entry : options_.models_without_tools) {
    std::string_view pattern = entry;
    if (pattern.ends_with('*') ? model.starts_with(pattern.substr(0, pattern.size() - 1)) : model == pattern)
      return false;
  }
  return true;
}

boost::asio::awaitable<ChatResult> OpenAiProvider::chat(const ChatRequest& request, const ChunkHandler& on_chunk) {
  HttpPost post;
  post.url = options_.base_url + "/chat/completions";
  post.body = boost::json::serialize(openai_request_body(request, options_.wire));
  post.timeout = request.timeout;
  post.cancel = request.cancel;
  post.headers.emplace_back("Accept", "text/event-stream");
  if (!options_.api_key.empty()) post.headers.emplace_back("Authorization", "Bearer " + options_.api_key);
  for (const auto& header : options_.extra_headers) post.headers.push_back(header);

  OpenAiStreamAssembler assembler(options_.name, on_chunk);
  std::function<void(const SseMessage&)> on_message = [&](const SseMessage& m) { assembler.on_message(m); };
  SseCallResult call = co_await post_sse(*http_, post, options_.name, request.model, on_message);
  if (!call.event_stream) co_return openai_result_from_completion(options_.name, call.body, on_chunk);
  co_return assembler.finish(call.cut_mid_event);
}

}  // namespace aop::engine::llm
