#pragma once
// Brings the events of runs executing in other processes (`aop worker`, another `aop serve`)
// to this process's live subscribers. One follower per execution, however many subscribers it
// has, reads the event log every `interval` and publishes what is new to the hub, which drops
// what a subscriber already has. While the run executes in this process its events reach the
// hub directly and the follower skips its turn without a query. Chunks are never stored, so
// subscribers of remote runs get the stored events only, up to `interval` late.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_set>

#include "store/database.hpp"

namespace aop::executions {

class CancelRegistry;
class LiveHub;

class LogFollower {
 public:
  LogFollower(store::Database& db, LiveHub& hub, const CancelRegistry& local_runs,
              std::chrono::milliseconds interval = std::chrono::milliseconds(500))
      : db_(db), hub_(hub), local_runs_(local_runs), interval_(interval) {}
  LogFollower(const LogFollower&) = delete;
  LogFollower& operator=(const LogFollower&) = delete;

  // A subscriber of the unfinished execution has been sent the log up to `seq`: makes sure a
  // follower runs (a new one starts reading after `seq`). Call after LiveHub::start().
  void follow(const std::string& execution_id, std::int64_t seq, const boost::asio::any_io_executor& executor);
  // Executions followed right now.
  std::size_t following() const;

 private:
  boost::asio::awaitable<void> run(std::string execution_id, std::int64_t after);
  // Ends the follower unless someone subscribed meanwhile; true when it ended.
  bool retire(const std::string& execution_id);

  store::Database& db_;
  LiveHub& hub_;
  const CancelRegistry& local_runs_;
  std::chrono::milliseconds interval_;
  mutable std::mutex mutex_;
  std::unordered_set<std::string> active_;
};

}  // namespace aop::executions
