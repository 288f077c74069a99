#pragma once
// One streamed LLM call over HTTP, the part the OpenAI and Anthropic wires share: POST the
// body, feed a 2xx event stream to an SSE parser message by message, and turn any other
// answer into the LlmError its status and body call for.
#include <functional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "engine/llm/http_stream_client.hpp"
#include "engine/llm/sse_parser.hpp"

namespace aop::engine::llm {

struct SseCallResult {
  HttpResponseHead head;
  bool event_stream = true;  // false: a 2xx JSON answer (the server ignored stream=true); see body
  std::string body;          // that JSON answer
  bool cut_mid_event = false;  // the stream ended inside an event
};

boost::asio::awaitable<SseCallResult> post_sse(HttpStreamClient& http, const HttpPost& request,
                                               std::string_view provider, std::string_view model,
                                               const std::function<void(const SseMessage&)>& on_message);

}  // namespace aop::engine::llm
