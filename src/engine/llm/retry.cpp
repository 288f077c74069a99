#include "engine/llm/retry.hpp"

#include <algorithm>
#include <random>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace aop::engine::llm {

namespace asio = boost::asio;
using std::chrono::milliseconds;

std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int failed_attempt, const LlmError& error,
                                      double random01) {
  if (auto asked = error.retry_after()) return std::min(*asked, policy.max_retry_after);
  // Full jitter: spreads the retries of many runs that failed together.
  double ceiling = static_cast<double>(policy.base_delay.count());
  for (int i = 1; i < failed_attempt && ceiling < static_cast<double>(policy.max_delay.count()); ++i) ceiling *= 2;
  ceiling = std::min(ceiling, static_cast<double>(policy.max_delay.count()));
  return milliseconds(static_cast<std::int64_t>(std::clamp(random01, 0.0, 1.0) * ceiling));
}

namespace {

LlmError cancelled_error() { return LlmError(LlmError::Kind::cancelled, "the LLM call was cancelled"); }

// Runs on its own strand so the cancel callback's timer.cancel() (posted there from any
// thread) never races the wait it interrupts.
asio::awaitable<void> sleep_on_strand(milliseconds delay, std::shared_ptr<CancelToken> cancel) {
  auto ex = co_await asio::this_coro::executor;
  auto timer = std::make_shared<asio::steady_timer>(ex, delay);
  std::weak_ptr<asio::steady_timer> weak = timer;
  auto registration = CancelToken::on_cancel(cancel, [weak, ex] {
    asio::post(ex, [weak] {
      if (auto t = weak.lock()) t->cancel();
    });
  });
  boost::system::error_code ec;
  co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  if (cancel && cancel->cancelled()) throw cancelled_error();
}

}  // namespace

asio::awaitable<void> sleep_unless_cancelled(milliseconds delay, const std::shared_ptr<CancelToken>& cancel) {
  if (cancel && cancel->cancelled()) throw cancelled_error();
  auto strand = asio::make_strand(co_await asio::this_coro::executor);
  auto wait = sleep_on_strand(delay, cancel);  // made outside the co_await expression (GCC 12, see docs)
  co_await asio::co_spawn(strand, std::move(wait), asio::use_awaitable);
}

asio::awaitable<ChatResult> chat_with_retries(Provider& provider, const ChatRequest& request,
                                              const ChunkHandler& on_chunk, RetryPolicy policy) {
  std::mt19937_64 engine{std::random_device{}()};
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (int attempt = 1;; ++attempt) {
    if (request.cancel && request.cancel->cancelled()) throw cancelled_error();
    std::optional<LlmError> failure;
    try {
      co_return co_await provider.chat(request, on_chunk);
    } catch (const LlmError& error) {
      if (!error.retryable() || attempt >= policy.max_attempts) throw;
      failure = error;
    }
    double r = policy.random ? policy.random() : uniform(engine);
    auto delay = retry_delay(policy, attempt, *failure, r);
    if (policy.on_retry) policy.on_retry(attempt, *failure, delay);
    if (policy.sleep) co_await policy.sleep(delay, request.cancel);
    else co_await sleep_unless_cancelled(delay, request.cancel);
  }
}

}  // namespace aop::engine::llm
