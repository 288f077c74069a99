#include "engine/llm/sse_call.hpp"

#include <stdexcept>

#include "engine/llm/http_errors.hpp"

namespace aop::engine::llm {

namespace {
constexpr std::size_t k_max_error_body = 64 * 1024;
constexpr std::size_t k_max_json_body = 16 * 1024 * 1024;

bool is_event_stream(const HttpResponseHead& head) {
  if (head.status / 100 != 2) return false;
  // A server that ignored stream=true answers application/json; anything else is read as a
  // stream (some servers send no Content-Type at all).
  return !head.header("content-type").starts_with("application/json");
}
}  // namespace

boost::asio::awaitable<SseCallResult> post_sse(HttpStreamClient& http, const HttpPost& request,
                                               std::string_view provider, std::string_view model,
                                               const std::function<void(const SseMessage&)>& on_message) {
  SseCallResult result;
  SseParser parser(on_message);
  std::string provider_name(provider);
  BodyHandler on_body = [&](const HttpResponseHead& head, std::string_view data) {
    if (is_event_stream(head)) {
      try {
        parser.feed(data);
      } catch (const std::length_error&) {
        throw LlmError(LlmError::Kind::malformed, provider_name + ": stream line too long");
      }
      return;
    }
    std::size_t limit = head.status / 100 == 2 ? k_max_json_body : k_max_error_body;
    if (result.body.size() < limit) result.body.append(data.substr(0, limit - result.body.size()));
  };
  result.head = co_await http.post(request, on_body);
  if (result.head.status / 100 != 2) throw error_from_response(provider, model, result.head, result.body);
  result.event_stream = is_event_stream(result.head);
  result.cut_mid_event = parser.has_partial_event();
  co_return result;
}

}  // namespace aop::engine::llm
