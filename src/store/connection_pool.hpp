#pragma once
// A bounded pool of driver connections, grown lazily up to max_size. Borrowers block on a
// condition variable when every connection is lent out. Connections that come back broken
// (or that the recycle hook refuses) are closed and their slot freed for a new one.
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "store/database.hpp"

namespace aop::store {

template <class C>
class ConnectionPool {
 public:
  using Factory = std::function<std::unique_ptr<C>()>;
  // Runs on a connection when it is taken and when it comes back; false discards it.
  using Check = std::function<bool(C&)>;

  class Lease {
   public:
    Lease() = default;
    Lease(ConnectionPool* pool, std::unique_ptr<C> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& o) noexcept : pool_(std::exchange(o.pool_, nullptr)), conn_(std::move(o.conn_)) {}
    Lease& operator=(Lease&& o) noexcept {
      if (this != &o) {
        release();
        pool_ = std::exchange(o.pool_, nullptr);
        conn_ = std::move(o.conn_);
      }
      return *this;
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { release(); }

    C& operator*() const { return *conn_; }
    C* operator->() const { return conn_.get(); }

   private:
    void release() {
      if (pool_) std::exchange(pool_, nullptr)->give_back(std::move(conn_));
    }
    ConnectionPool* pool_ = nullptr;
    std::unique_ptr<C> conn_;
  };

  ConnectionPool(std::size_t max_size, Factory factory, Check on_acquire, Check on_release)
      : max_size_(max_size == 0 ? 1 : max_size),
        factory_(std::move(factory)),
        on_acquire_(std::move(on_acquire)),
        on_release_(std::move(on_release)) {
    idle_.reserve(max_size_);  // give_back never allocates
  }
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  Lease acquire() {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        ++in_use_;
        lock.unlock();
        if (on_acquire_ && !on_acquire_(*conn)) {
          discard(std::move(conn));
          lock.lock();
          continue;
        }
        return Lease(this, std::move(conn));
      }
      if (open_ < max_size_) {
        // Reserve the slot, then connect without holding the lock (connecting is slow).
        ++open_;
        ++in_use_;
        lock.unlock();
        try {
          return Lease(this, factory_());
        } catch (...) {
          lock.lock();
          --open_;
          --in_use_;
          available_.notify_one();
          throw;
        }
      }
      available_.wait(lock);
    }
  }

  PoolStats stats() const {
    std::lock_guard lock(mutex_);
    return PoolStats{open_, in_use_};
  }

  std::size_t max_size() const { return max_size_; }

 private:
  void give_back(std::unique_ptr<C> conn) noexcept {
    bool keep = false;
    try {
      keep = conn && (!on_release_ || on_release_(*conn));
    } catch (...) {
      keep = false;  // runs from a destructor: a failed clean-up just drops the connection
    }
    if (!keep) {
      discard(std::move(conn));
      return;
    }
    std::lock_guard lock(mutex_);
    --in_use_;
    idle_.push_back(std::move(conn));
    available_.notify_one();
  }

  void discard(std::unique_ptr<C> conn) noexcept {
    conn.reset();  // close outside the lock
    std::lock_guard lock(mutex_);
    --open_;
    --in_use_;
    available_.notify_one();
  }

  const std::size_t max_size_;
  Factory factory_;
  Check on_acquire_;
  Check on_release_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<C>> idle_;
  std::size_t open_ = 0;
  std::size_t in_use_ = 0;
};

}  // namespace aop::store
