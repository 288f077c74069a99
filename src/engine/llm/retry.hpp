#pragma once
// Retries of an LLM call: exponential backoff with full jitter on retryable failures (429,
// 5xx, timeouts, dropped connections), the server's Retry-After honoured up to a cap,
// non-retryable failures (bad key, unknown model, bad request, malformed answer) reported
// at once, and a wait between attempts that ends the moment the run is cancelled.
//
// Streaming and retries: text an attempt already passed to on_chunk before it failed is not
// taken back. The next attempt streams its answer from the start, so a live consumer sees
// the beginning of a fresh answer after the partial one (on_retry tells it when that
// happens); the ChatResult holds only the successful attempt's text.
#include <chrono>
#include <functional>
#include <memory>

#include <boost/asio/awaitable.hpp>

#include "engine/llm/provider.hpp"

namespace aop::engine::llm {

struct RetryPolicy {
  int max_attempts = 4;  // attempts in all, the first included
  std::chrono::milliseconds base_delay{1000};        // backoff ceiling of the first retry; doubles each time
  std::chrono::milliseconds max_delay{30000};        // cap of the computed backoff
  std::chrono::milliseconds max_retry_after{60000};  // cap of a wait the server asks for
  // Uniform in [0, 1). Default: an engine seeded per call from std::random_device.
  std::function<double()> random;
  // Waits `delay`, throwing LlmError(cancelled) as soon as `cancel` fires. Default:
  // sleep_unless_cancelled. Tests inject one that records the delays instead of waiting.
  std::function<boost::asio::awaitable<void>(std::chrono::milliseconds delay, const std::shared_ptr<CancelToken>& cancel)>
      sleep;
  // Told before each wait: which attempt failed (1-based), why, and how long until the next.
  std::function<void(int attempt, const LlmError& error, std::chrono::milliseconds delay)> on_retry;
};

// The wait after `failed_attempt` (1-based) failed with `error`: the Retry-After it carries
// (capped), else random01 × min(max_delay, base_delay × 2^(failed_attempt-1)).
std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int failed_attempt, const LlmError& error,
                                      double random01);

// A timer wait that a CancelToken ends at once (LlmError(cancelled)). Holds no thread.
boost::asio::awaitable<void> sleep_unless_cancelled(std::chrono::milliseconds delay,
                                                    const std::shared_ptr<CancelToken>& cancel);

// provider.chat() until it succeeds, fails for good, or runs out of attempts (the last
// error is rethrown). Each attempt has the request's own timeout. `request` and `on_chunk`
// must outlive the returned awaitable; the policy is copied into it.
boost::asio::awaitable<ChatResult> chat_with_retries(Provider& provider, const ChatRequest& request,
                                                     const ChunkHandler& on_chunk, RetryPolicy policy = {});

}  // namespace aop::engine::llm
