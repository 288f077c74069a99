#include "executions/event_log.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "executions/event_rows.hpp"
#include "executions/live_hub.hpp"

namespace aop::executions {

namespace asio = boost::asio;

EventLog::EventLog(store::Database& db, LiveHub& hub, asio::any_io_executor executor, EventLogOptions options)
    : db_(db), hub_(hub), strand_(asio::make_strand(executor)), options_(options), wake_(strand_) {}

void EventLog::start() { asio::co_spawn(strand_, writer(), asio::detached); }

std::size_t EventLog::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void EventLog::append(engine::Event event) {
  if (!engine::is_persisted(event.type)) {
    {
      std::lock_guard lock(mutex_);
      auto it = in_flight_.find(event.execution_id);
      if (it != in_flight_.end() && it->second > 0) {
        // Earlier events of this run are not published yet: keep the order.
        ++it->second;
        queue_.push_back(Entry{std::move(event), nullptr, nullptr});
        return;
      }
    }
    hub_.publish(event);
    return;
  }
  enqueue(Entry{std::move(event), nullptr, nullptr});
}

asio::awaitable<void> EventLog::commit(engine::Event event, std::function<void(store::Connection&)> also_write) {
  // As in BlockingPool::run: the entry travels as a raw pointer so no lambda created around a
  // co_await copies non-trivial state (GCC 12 frees such copies twice).
  auto* pending = new Entry{std::move(event), std::move(also_write), nullptr};
  return asio::async_initiate<decltype(asio::use_awaitable), void(std::exception_ptr)>(
      [this, pending](auto handler) {
        std::unique_ptr<Entry> entry(pending);
        using Handler = decltype(handler);
        auto work = std::make_shared<asio::executor_work_guard<asio::associated_executor_t<Handler>>>(
            asio::make_work_guard(asio::get_associated_executor(handler)));
        auto shared = std::make_shared<Handler>(std::move(handler));
        entry->done = [shared, work](std::exception_ptr error) {
          asio::post(work->get_executor(), [shared, work, error]() mutable { std::move (*shared)(error); });
        };
        enqueue(std::move(*entry));
      },
      asio::use_awaitable);
}

void EventLog::enqueue(Entry entry) {
  std::lock_guard lock(mutex_);
  ++in_flight_[entry.event.execution_id];
  queue_.push_back(std::move(entry));
  wake_locked();
}

void EventLog::wake_locked() {
  bool wake = sleeping_ || (gathering_ && queue_.size() >= options_.max_batch);
  if (!wake) return;
  sleeping_ = gathering_ = false;
  asio::post(strand_, [this] { wake_.cancel(); });
}

asio::awaitable<void> EventLog::writer() {
  boost::system::error_code ec;
  for (;;) {
    // Sleep until something is queued.
    bool idle = false;
    {
      std::lock_guard lock(mutex_);
      if (queue_.empty()) {
        if (stopping_) break;
        sleeping_ = true;
        idle = true;
      }
    }
    if (idle) {
      // The wake-up is posted to this strand, so it cannot run before this wait starts.
      wake_.expires_at(asio::steady_timer::time_point::max());
      co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    // Let a batch gather for a moment unless it is already full.
    bool gather = false;
    {
      std::lock_guard lock(mutex_);
      gather = queue_.size() < options_.max_batch && !stopping_ && options_.flush_interval.count() > 0;
      gathering_ = gather;
    }
    if (gather) {
      wake_.expires_after(options_.flush_interval);
      co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    std::vector<Entry> batch;
    {
      std::lock_guard lock(mutex_);
      gathering_ = false;
      batch.swap(queue_);
    }
    std::unordered_map<std::string, std::exception_ptr> failures;
    try {
      failures = co_await db_.blocking_pool().run([&] { return store_batch(batch); });
    } catch (const std::exception& e) {
      // store_batch reports per run; anything else must not end the writer.
      spdlog::error("event batch of {} could not be written: {}", batch.size(), e.what());
      for (const auto& entry : batch) failures.emplace(entry.event.execution_id, std::current_exception());
    }

    for (const auto& entry : batch) hub_.publish(entry.event);
    {
      std::lock_guard lock(mutex_);
      for (const auto& entry : batch) {
        auto it = in_flight_.find(entry.event.execution_id);
        if (it != in_flight_.end() && --it->second == 0) in_flight_.erase(it);
      }
    }
    for (auto& entry : batch)
      if (entry.done) {
        auto it = failures.find(entry.event.execution_id);
        entry.done(it == failures.end() ? nullptr : it->second);
      }
    batches_.fetch_add(1, std::memory_order_relaxed);
  }
  std::lock_guard lock(mutex_);
  stopped_ = true;
}

std::unordered_map<std::string, std::exception_ptr> EventLog::store_batch(const std::vector<Entry>& batch) {
  std::unordered_map<std::string, std::exception_ptr> failures;
  auto write = [](store::Connection& c, const std::vector<const Entry*>& entries) {
    std::vector<engine::Event> events;
    for (const auto* e : entries)
      if (engine::is_persisted(e->event.type)) events.push_back(e->event);
    insert_events(c, events);
    for (const auto* e : entries)
      if (e->also_write) e->also_write(c);
  };
  std::vector<const Entry*> all;
  all.reserve(batch.size());
  for (const auto& e : batch) all.push_back(&e);
  try {
    db_.with_transaction([&](store::Connection& c) { write(c, all); });
    return failures;
  } catch (const std::exception& e) {
    spdlog::warn("event batch of {} failed ({}); writing it run by run", batch.size(), e.what());
  }
  // One run's bad row (its execution deleted, say) must not cost the others their events.
  std::unordered_map<std::string, std::vector<const Entry*>> by_run;
  for (const auto* e : all) by_run[e->event.execution_id].push_back(e);
  for (const auto& [id, entries] : by_run) {
    try {
      db_.with_transaction([&](store::Connection& c) { write(c, entries); });
    } catch (const std::exception& e) {
      spdlog::error("could not store {} event(s) of execution {}: {}", entries.size(), id, e.what());
      failures[id] = std::current_exception();
    }
  }
  return failures;
}

asio::awaitable<void> EventLog::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    sleeping_ = true;  // make sure the wake-up is posted
    wake_locked();
  }
  asio::steady_timer poll(co_await asio::this_coro::executor);
  boost::system::error_code ec;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopped_) co_return;
    }
    poll.expires_after(std::chrono::milliseconds(2));
    co_await poll.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

}  // namespace aop::executions
