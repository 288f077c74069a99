#include "auth/rate_limiter.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace aop::auth {
namespace {

constexpr std::int64_t k_ns_per_ms = 1'000'000;
constexpr std::int64_t k_ns_per_minute = 60'000'000'000;
constexpr int k_max_burst = 1'000'000;  // keeps interval * burst far from int64 overflow

double to_seconds(std::int64_t ns) { return static_cast<double>(std::max<std::int64_t>(ns, 0)) / 1e9; }

}  // namespace

std::int64_t steady_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

RateLimiter::RateLimiter(std::function<std::int64_t()> now_ms) : now_ms_(std::move(now_ms)) {}

RateDecision RateLimiter::check(std::string_view key, int limit_per_minute, int burst) {
  if (burst == -1) burst = limit_per_minute;
  if (limit_per_minute < 1 || burst < 1 || burst > k_max_burst)
    throw std::invalid_argument("rate limit and burst must be between 1 and 1000000");
  const std::int64_t now_ms = now_ms_();
  const std::int64_t now = now_ms * k_ns_per_ms;
  // Integer nanoseconds keep "exactly burst requests at once" exact: the TAT grows by the same
  // interval every time, so there is no floating-point drift at the boundary.
  const std::int64_t interval = k_ns_per_minute / limit_per_minute;
  const std::int64_t tolerance = interval * burst;

  const std::size_t hash = Hash{}(key);
  Shard& shard = shards_[(hash >> 8) % k_shards];  // bits the map's bucket index barely uses
  std::int64_t tat = now;
  bool allowed = false;
  {
    std::lock_guard lock(shard.mutex);
    auto it = shard.entries.find(key);
    if (it != shard.entries.end()) tat = std::max(it->second.tat_ns, now);
    allowed = tat + interval - tolerance <= now;
    if (allowed) {
      tat += interval;
      if (it == shard.entries.end())
        shard.entries.emplace(std::string(key), Entry{tat, now_ms});
      else
        it->second = Entry{tat, now_ms};
    } else if (it != shard.entries.end()) {
      it->second.last_seen_ms = now_ms;
    }
  }

  // The next request is allowed once now >= tat + interval - tolerance; each further interval of
  // slack below that is one more request available right now.
  const std::int64_t slack = now + tolerance - tat;
  RateDecision d{};
  d.allowed = allowed;
  d.limit = limit_per_minute;
  d.remaining = slack <= 0 ? 0 : static_cast<int>(std::min<std::int64_t>(slack / interval, burst));
  d.reset_seconds = to_seconds(tat - now);
  d.retry_after_seconds = to_seconds(interval - slack);
  return d;
}

void RateLimiter::forget_idle(std::int64_t idle_ms) {
  const std::int64_t now_ms = now_ms_();
  const std::int64_t now = now_ms * k_ns_per_ms;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    std::erase_if(shard.entries, [&](const auto& kv) {
      return kv.second.tat_ns <= now && now_ms - kv.second.last_seen_ms >= idle_ms;
    });
  }
}

std::size_t RateLimiter::size() const {
  std::size_t n = 0;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    n += shard.entries.size();
  }
  return n;
}

// --- FailureThrottle ---

bool FailureThrottle::blocked(std::string_view key, std::int64_t now_ms, double* retry_after_seconds) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.blocked_until_ms <= now_ms) return false;
  if (retry_after_seconds) *retry_after_seconds = static_cast<double>(it->second.blocked_until_ms - now_ms) / 1000.0;
  return true;
}

void FailureThrottle::record_failure(std::string_view key, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) it = entries_.emplace(std::string(key), Entry{}).first;
  Entry& e = it->second;
  // Quiet time counts from the end of the last block: otherwise a maximal block would outlast
  // the window and the streak would restart at 30 s.
  if (now_ms - std::max(e.last_failure_ms, e.blocked_until_ms) >= k_window_ms) e = Entry{};
  while (!e.failures.empty() && now_ms - e.failures.front() >= k_window_ms) e.failures.pop_front();
  e.failures.push_back(now_ms);
  e.last_failure_ms = now_ms;
  if (e.blocks == 0 && static_cast<int>(e.failures.size()) < k_max_failures) return;

  std::int64_t block = k_first_block_ms;
  for (int i = 0; i < e.blocks && block < k_max_block_ms; ++i) block *= 2;
  e.blocked_until_ms = std::max(e.blocked_until_ms, now_ms + std::min(block, k_max_block_ms));
  e.blocks = std::min(e.blocks + 1, 32);  // past the cap the count only needs to stay non-zero
  e.failures.clear();  // while the streak lasts every failure blocks; the count no longer matters
}

void FailureThrottle::reset(std::string_view key) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it != entries_.end()) entries_.erase(it);
}

void FailureThrottle::forget_idle(std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  std::erase_if(entries_, [&](const auto& kv) {
    const Entry& e = kv.second;
    return now_ms - std::max(e.last_failure_ms, e.blocked_until_ms) >= k_window_ms;
  });
}

std::size_t FailureThrottle::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace aop::auth
