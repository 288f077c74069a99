#pragma once
// max_rpm: at most N LLM calls start in any sliding window (a minute). A call over the limit
// waits, without holding a thread, until the oldest call leaves the window. One gate per
// agent and one per crew; an agent's call passes both.
#include <chrono>
#include <deque>
#include <memory>

#include <boost/asio/awaitable.hpp>

#include "engine/cancel_token.hpp"

namespace aop::engine {

class RateGate {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RateGate(int limit, Clock::duration window = std::chrono::minutes(1)) : limit_(limit), window_(window) {}

  // Returns when a call may start (and counts it). Throws Cancelled if the run is cancelled
  // while waiting. A limit of 0 or less never waits.
  boost::asio::awaitable<void> acquire(const std::shared_ptr<CancelToken>& cancel);

 private:
  int limit_;
  Clock::duration window_;
  std::deque<Clock::time_point> starts_;
};

}  // namespace aop::engine
