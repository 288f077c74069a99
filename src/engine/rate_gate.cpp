#include "engine/rate_gate.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>

#include "engine/cancel_timer.hpp"
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace aop::engine {

namespace asio = boost::asio;

asio::awaitable<void> RateGate::acquire(const std::shared_ptr<CancelToken>& cancel) {
  if (limit_ <= 0) co_return;
  auto executor = co_await asio::this_coro::executor;
  // Shared so a cancel posted from another thread never touches a timer that is gone.
  auto timer = std::make_shared<asio::steady_timer>(executor);
  auto registration = CancelToken::on_cancel(cancel, cancel_timer_callback(timer));
  for (;;) {
    if (cancel && cancel->cancelled()) throw Cancelled();
    auto now = Clock::now();
    while (!starts_.empty() && starts_.front() + window_ <= now) starts_.pop_front();
    if (static_cast<int>(starts_.size()) < limit_) {
      starts_.push_back(now);
      co_return;
    }
    timer->expires_at(starts_.front() + window_);
    boost::system::error_code ec;
    co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

}  // namespace aop::engine
