#pragma once
// A CancelToken callback that cancels a timer on the timer's own executor, safely even if
// the waiting coroutine has finished (and dropped the timer) by the time it runs.
#include <memory>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace aop::engine {

inline auto cancel_timer_callback(const std::shared_ptr<boost::asio::steady_timer>& timer) {
  return [weak = std::weak_ptr<boost::asio::steady_timer>(timer), executor = timer->get_executor()] {
    boost::asio::post(executor, [weak] {
      if (auto t = weak.lock()) t->cancel();
    });
  };
}

}  // namespace aop::engine
