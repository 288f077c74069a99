#pragma once
// Request rate limiting (GCRA) and login failure throttling. Both are in-memory and per
// process: good enough for one node, and a lenient approximation with several.
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace aop::auth {

// What to tell the client, in the terms of the IETF RateLimit header fields draft.
struct RateDecision {
  bool allowed;
  int limit;                   // RateLimit-Limit: requests per minute
  int remaining;               // RateLimit-Remaining: requests that would be allowed right now
  double reset_seconds;        // RateLimit-Reset: until the full burst is available again
  double retry_after_seconds;  // until the next request would be allowed (0 if it would be now)
};

// Milliseconds of std::chrono::steady_clock: rate limits must not jump with the wall clock.
std::int64_t steady_clock_ms();

// Generic Cell Rate Algorithm: each key stores one "theoretical arrival time" (TAT). A key
// limited to N/min with burst B may send B requests at once, then one per 60/N seconds.
// Thread-safe; the key space is split over shards, each with its own mutex.
class RateLimiter {
 public:
  explicit RateLimiter(std::function<std::int64_t()> now_ms = steady_clock_ms);

  // Counts the request if allowed. burst -1 means burst = limit. Throws std::invalid_argument
  // for limit_per_minute < 1 or burst < 1 (other than -1).
  RateDecision check(std::string_view key, int limit_per_minute, int burst = -1);
  // Drops keys unseen for idle_ms whose state has fully recovered (dropping those changes no
  // future decision). Call periodically to bound memory.
  void forget_idle(std::int64_t idle_ms);
  std::size_t size() const;

 private:
  struct Entry {
    std::int64_t tat_ns;
    std::int64_t last_seen_ms;
  };
  // Transparent hashing lets check() look keys up without building a std::string.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries;
  };
  static constexpr std::size_t k_shards = 16;

  std::function<std::int64_t()> now_ms_;
  std::array<Shard, k_shards> shards_;
};

// Slows password guessing per key (e.g. "login:<email>" or "login-ip:<addr>"). After 5 failures
// within 15 minutes the key is blocked for 30 s; each further failure while the streak lasts
// blocks again for twice as long as the previous block (capped at 15 minutes). A streak ends
// after 15 quiet minutes or on reset() (a successful login). Thread-safe; times are Unix or
// steady milliseconds, as long as the caller is consistent.
class FailureThrottle {
 public:
  static constexpr int k_max_failures = 5;
  static constexpr std::int64_t k_window_ms = 15 * 60 * 1000;
  static constexpr std::int64_t k_first_block_ms = 30 * 1000;
  static constexpr std::int64_t k_max_block_ms = 15 * 60 * 1000;

  // True while the key is blocked; then *retry_after_seconds (if given) is the time left.
  bool blocked(std::string_view key, std::int64_t now_ms, double* retry_after_seconds = nullptr) const;
  void record_failure(std::string_view key, std::int64_t now_ms);
  void reset(std::string_view key);
  // Drops keys whose streak is over; call periodically to bound memory.
  void forget_idle(std::int64_t now_ms);
  std::size_t size() const;

 private:
  struct Entry {
    std::deque<std::int64_t> failures;  // within the window, oldest first
    std::int64_t last_failure_ms = 0;
    std::int64_t blocked_until_ms = 0;
    int blocks = 0;  // blocks issued in this streak; sets the next block's length
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_;
};

}  // namespace aop::auth
