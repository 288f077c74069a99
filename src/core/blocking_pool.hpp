#pragma once
// A bounded thread pool for blocking work (SQLite, libpq, Argon2, subprocesses).
// Coroutines on I/O threads call `co_await pool.run(fn)`: fn runs on a pool thread and the
// coroutine resumes on its own executor afterwards, so I/O threads never block.
#include <atomic>
#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace aop::core {

class BlockingPool {
 public:
  explicit BlockingPool(std::size_t threads) : pool_(threads), size_(threads) {}
  ~BlockingPool() { pool_.join(); }
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  std::size_t size() const { return size_; }
  std::size_t busy() const { return busy_.load(std::memory_order_relaxed); }
  void stop() { pool_.stop(); }
  boost::asio::thread_pool::executor_type executor() { return pool_.get_executor(); }
  void join() { pool_.join(); }

  // Runs fn() on the pool; resumes the awaiting coroutine on its executor with the result
  // or rethrows fn's exception there.
  //
  // GCC 12 miscompiles lambdas that capture non-trivial values by copy when they are
  // created inside a co_await expression (the copies are freed twice). Callers therefore
  // capture by reference — safe, because the awaiting coroutine's frame outlives the job —
  // and fn travels here as a raw pointer so no coroutine parameter holds it either.
  template <class F>
  auto run(F fn) -> boost::asio::awaitable<std::invoke_result_t<F>> {
    using R = std::invoke_result_t<F>;
    F* raw = new F(std::move(fn));
    if constexpr (std::is_void_v<R>) {
      return boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(std::exception_ptr)>(
          [this, raw](auto handler) {
            auto work = boost::asio::make_work_guard(boost::asio::get_associated_executor(handler));
            boost::asio::post(pool_, [this, raw, handler = std::move(handler), work = std::move(work)]() mutable {
              std::unique_ptr<F> owned(raw);
              std::exception_ptr error;
              busy_.fetch_add(1, std::memory_order_relaxed);
              try {
                (*owned)();
              } catch (...) {
                error = std::current_exception();
              }
              owned.reset();
              busy_.fetch_sub(1, std::memory_order_relaxed);
              auto ex = work.get_executor();
              boost::asio::post(ex, [handler = std::move(handler), error]() mutable { std::move(handler)(error); });
            });
          },
          boost::asio::use_awaitable);
    } else {
      static_assert(std::is_default_constructible_v<R>, "BlockingPool::run needs a default-constructible result");
      return boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(std::exception_ptr, R)>(
          [this, raw](auto handler) {
            auto work = boost::asio::make_work_guard(boost::asio::get_associated_executor(handler));
            boost::asio::post(pool_, [this, raw, handler = std::move(handler), work = std::move(work)]() mutable {
              std::unique_ptr<F> owned(raw);
              std::exception_ptr error;
              R result{};
              busy_.fetch_add(1, std::memory_order_relaxed);
              try {
                result = (*owned)();
              } catch (...) {
                error = std::current_exception();
              }
              owned.reset();
              busy_.fetch_sub(1, std::memory_order_relaxed);
              auto ex = work.get_executor();
              boost::asio::post(ex, [handler = std::move(handler), error, result = std::move(result)]() mutable {
                std::move(handler)(error, std::move(result));
              });
            });
          },
          boost::asio::use_awaitable);
    }
  }

 private:
  boost::asio::thread_pool pool_;
  std::size_t size_;
  std::atomic<std::size_t> busy_{0};
};

}  // namespace aop::core
