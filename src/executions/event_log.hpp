#pragma once
// The write path of execution events, with group commit. Runs append events (any thread,
// never blocking); one writer takes everything queued and stores it in one transaction on
// the blocking pool, so a thousand runs cost a few commits per flush, not one each.
//
// Ordering rule (the live hub depends on it):
// - A persisted event is published to live subscribers only after its batch has committed,
//   so a subscriber that reads the log and then goes live never misses one.
// - llm_stream_chunk events are never stored. One is published at once when nothing of its
//   execution is waiting in the queue; otherwise it waits in the queue behind the events
//   emitted before it and is published with their batch. Subscribers therefore see every
//   execution's events in emission order.
// - commit() also runs a write (the run's final row) in the batch's transaction and resumes
//   the caller after the commit, so the final row and execution_completed land together.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/events.hpp"
#include "store/database.hpp"

namespace aop::executions {

class LiveHub;

struct EventLogOptions {
  std::chrono::milliseconds flush_interval{5};  // how long a batch may gather after the first event
  std::size_t max_batch = 500;                  // flush at once when this many are queued
};

class EventLog {
 public:
  EventLog(store::Database& db, LiveHub& hub, boost::asio::any_io_executor executor, EventLogOptions options = {});
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // Starts the writer on the executor.
  void start();
  // Thread-safe and non-blocking.
  void append(engine::Event event);
  // Appends `event`, runs `also_write` in the same transaction, and resumes after the commit
  // (rethrowing a failure of the write).
  boost::asio::awaitable<void> commit(engine::Event event, std::function<void(store::Connection&)> also_write);
  // Writes what is queued and ends the writer.
  boost::asio::awaitable<void> stop();

  std::size_t queued() const;
  std::uint64_t batches_written() const { return batches_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    engine::Event event;
    std::function<void(store::Connection&)> also_write;
    std::function<void(std::exception_ptr)> done;
  };
  void enqueue(Entry entry);
  void wake_locked();
  boost::asio::awaitable<void> writer();
  // Blocking: stores a batch in one transaction, falling back to one per execution when that
  // fails. The executions whose events could not be stored, with the error.
  std::unordered_map<std::string, std::exception_ptr> store_batch(const std::vector<Entry>& batch);

  store::Database& db_;
  LiveHub& hub_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  EventLogOptions options_;
  boost::asio::steady_timer wake_;

  mutable std::mutex mutex_;
  std::vector<Entry> queue_;
  std::unordered_map<std::string, std::size_t> in_flight_;  // per execution: queued, not yet published
  bool sleeping_ = false;                                   // the writer waits for a first event
  bool gathering_ = false;                                  // the writer lets a batch fill
  bool stopping_ = false;
  bool stopped_ = false;
  std::atomic<std::uint64_t> batches_{0};
};

}  // namespace aop::executions
