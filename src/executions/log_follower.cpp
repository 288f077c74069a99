#include "executions/log_follower.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "executions/cancel_registry.hpp"
#include "executions/event_rows.hpp"
#include "executions/execution_store.hpp"
#include "executions/live_hub.hpp"

namespace aop::executions {

namespace asio = boost::asio;

namespace {
constexpr int k_page = 1000;

struct Fresh {
  std::vector<engine::Event> events;
  bool finished = false;
};

// The status before the events: a finished run's last event commits with its final row.
Fresh read_fresh(store::Connection& c, const std::string& execution_id, std::int64_t after) {
  Fresh f;
  auto execution = find_execution_any_team(c, execution_id);
  f.finished = !execution || is_finished_status(execution->status);
  f.events = read_events(c, execution_id, after, k_page);
  if (static_cast<int>(f.events.size()) == k_page) f.finished = false;  // more to read next turn
  return f;
}
}  // namespace

void LogFollower::follow(const std::string& execution_id, std::int64_t seq, const asio::any_io_executor& executor) {
  {
    std::lock_guard lock(mutex_);
    if (!active_.insert(execution_id).second) return;
  }
  asio::co_spawn(executor, run(execution_id, seq), asio::detached);
}

std::size_t LogFollower::following() const {
  std::lock_guard lock(mutex_);
  return active_.size();
}

bool LogFollower::retire(const std::string& execution_id) {
  // Under the same lock as follow(): a subscriber that arrives after this check starts a new
  // follower, one that arrived before keeps this one.
  std::lock_guard lock(mutex_);
  if (hub_.has_subscribers(execution_id)) return false;
  active_.erase(execution_id);
  return true;
}

asio::awaitable<void> LogFollower::run(std::string execution_id, std::int64_t after) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  boost::system::error_code ec;
  while (true) {
    timer.expires_after(interval_);
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (retire(execution_id)) co_return;
    if (local_runs_.contains(execution_id)) continue;
    Fresh fresh;
    try {
      fresh = co_await db_.read([&](store::Connection& c) { return read_fresh(c, execution_id, after); });
    } catch (const std::exception& e) {
      spdlog::warn("following execution {}: {}", execution_id, e.what());
      continue;
    }
    for (const auto& e : fresh.events) {
      hub_.publish(e);
      after = std::max(after, e.seq);
    }
    if (fresh.finished) {
      hub_.end_all(execution_id);
      std::lock_guard lock(mutex_);
      active_.erase(execution_id);
      co_return;
    }
  }
}

}  // namespace aop::executions
