#pragma once
// Turns an LLM API's failure answer (status, Retry-After, error body) into an LlmError whose
// kind decides whether chat_with_retries tries again. Shared by the OpenAI and Anthropic
// wires: both answer {"error": {"message", "type", "code"}} (Ollama: {"error": "text"}).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "engine/llm/http_stream_client.hpp"
#include "engine/llm/llm_types.hpp"

namespace aop::engine::llm {

// A Retry-After value: delay-seconds (fractions accepted, as some servers send them) or an
// HTTP-date relative to `now`. Nullopt when absent or unreadable; a date in the past is 0.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now);

// The server's own words from an error body, or a trimmed copy of the body.
std::string error_message_of(std::string_view body);

// The kind for an error type or code named inside a body or a stream's error event
// ("rate_limit_error", "overloaded_error", "model_not_found", ...), or `fallback`.
LlmError::Kind kind_of_error_type(std::string_view type, LlmError::Kind fallback);

// The error for a non-2xx answer. `provider` and `model` make the message actionable
// ("anthropic: model \"claude-x\" not found (HTTP 404): ...").
LlmError error_from_response(std::string_view provider, std::string_view model, const HttpResponseHead& head,
                             std::string_view body,
                             std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace aop::engine::llm
