#pragma once
// A bounded thread pool for blocking work (SQLite, libpq, Argon2, subprocesses).
// Coroutines on I/O threads call `co_await pool.run(fn)`: fn runs on a pool thread and the
// coroutine resumes on its own executor afterwards, so I/O threads never block.
#include <atomic>
#include <exception>
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
  // or rethrows fn's exception there. Deliberately not a coroutine itself: GCC 12 destroys
  // class-type prvalue arguments of coroutines twice, and callers pass lambdas.
  template <class F>
  auto run(F fn) -> boost::asio::awaitable<std::invoke_result_t<F>> {
    using R = std::invoke_result_t<F>;
    if constexpr (std::is_void_v<R>) {
      return boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(std::exception_ptr)>(
          [this](auto handler, F fn) {
            auto work = boost::asio::make_work_guard(boost::asio::get_associated_executor(handler));
            boost::asio::post(pool_, [this, fn = std::move(fn), handler = std::move(handler),
                                      work = std::move(work)]() mutable {
              std::exception_ptr error;
              busy_.fetch_add(1, std::memory_order_relaxed);
              try {
                fn();
              } catch (...) {
                error = std::current_exception();
              }
              busy_.fetch_sub(1, std::memory_order_relaxed);
              auto ex = work.get_executor();
              boost::asio::post(ex, [handler = std::move(handler), error]() mutable { std::move(handler)(error); });
            });
          },
          boost::asio::use_awaitable, std::move(fn));
    } else {
      static_assert(std::is_default_constructible_v<R>, "BlockingPool::run needs a default-constructible result");
      return boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(std::exception_ptr, R)>(
          [this](auto handler, F fn) {
            auto work = boost::asio::make_work_guard(boost::asio::get_associated_executor(handler));
            boost::asio::post(pool_, [this, fn = std::move(fn), handler = std::move(handler),
                                      work = std::move(work)]() mutable {
              std::exception_ptr error;
              R result{};
              busy_.fetch_add(1, std::memory_order_relaxed);
              try {
                result = fn();
              } catch (...) {
                error = std::current_exception();
              }
              busy_.fetch_sub(1, std::memory_order_relaxed);
              auto ex = work.get_executor();
              boost::asio::post(ex, [handler = std::move(handler), error, result = std::move(result)]() mutable {
                std::move(handler)(error, std::move(result));
              });
            });
          },
          boost::asio::use_awaitable, std::move(fn));
    }
  }

 private:
  boost::asio::thread_pool pool_;
  std::size_t size_;
  std::atomic<std::size_t> busy_{0};
};

}  // namespace aop::core
