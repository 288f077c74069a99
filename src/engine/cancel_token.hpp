#pragma once
// Cancellation of a run from outside (a user pressing Stop, shutdown). Every await point in
// the engine checks it, and I/O in flight registers a callback that aborts it (closing a
// socket ends an LLM stream at once). Thread-safe: cancel() may come from any thread.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace aop::engine {

class CancelToken {
 public:
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }

  // Runs every registered callback once (on the calling thread); later calls do nothing.
  void cancel();

  // Calls fn when the token is cancelled (at once if it already is). The returned handle
  // unregisters on destruction; fn must be cheap and thread-safe (typically: post a socket
  // close to the socket's executor).
  class Registration {
   public:
    Registration() = default;
    Registration(std::weak_ptr<CancelToken> token, std::size_t id) : token_(std::move(token)), id_(id) {}
    Registration(Registration&& other) noexcept : token_(std::move(other.token_)), id_(other.id_) { other.id_ = 0; }
    Registration& operator=(Registration&& other) noexcept;
    ~Registration();

   private:
    std::weak_ptr<CancelToken> token_;
    std::size_t id_ = 0;
  };
  static Registration on_cancel(const std::shared_ptr<CancelToken>& token, std::function<void()> fn);

 private:
  void remove(std::size_t id);

  std::atomic<bool> cancelled_{false};
  std::mutex mutex_;
  std::size_t next_id_ = 1;
  std::vector<std::pair<std::size_t, std::function<void()>>> callbacks_;
};

// Thrown at an await point once the run is cancelled.
struct Cancelled : std::exception {
  const char* what() const noexcept override { return "cancelled"; }
};

}  // namespace aop::engine
