#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "auth/rate_limiter.hpp"

using namespace aop::auth;

namespace {

struct FakeClock {
  std::atomic<std::int64_t> ms{1'000'000};
  std::function<std::int64_t()> fn() {
    return [this] { return ms.load(); };
  }
};

// Built with append: GCC 12 warns falsely (-Wstringop-overflow) on "literal" + std::to_string().
std::string key_of(std::string_view prefix, int n) {
  std::string key(prefix);
  key.append(std::to_string(n));
  return key;
}

int count_allowed(RateLimiter& limiter, std::string_view key, int limit, int attempts) {
  int allowed = 0;
  for (int i = 0; i < attempts; ++i) allowed += limiter.check(key, limit).allowed;
  return allowed;
}

}  // namespace

TEST(RateLimiter, AllowsExactlyTheBurstThenDenies) {
  FakeClock clock;
  RateLimiter limiter(clock.fn());
  for (int limit : {1, 7, 60, 100, 1000}) {
    std::string key = key_of("k", limit);
    EXPECT_EQ(count_allowed(limiter, key, limit, limit), limit) << limit;
    EXPECT_FALSE(limiter.check(key, limit).allowed) << limit;
  }
}

TEST(RateLimiter, AllowsOneMoreAfterEachEmissionInterval) {
  FakeClock clock;
  RateLimiter limiter(clock.fn());
  ASSERT_EQ(count_allowed(limiter, "user:1", 60, 60), 60);  // 60/min: one per second
  auto denied = limiter.check("user:1", 60);
  EXPECT_FALSE(denied.allowed);
  EXPECT_DOUBLE_EQ(denied.retry_after_seconds, 1.0);

  clock.ms += 999;
  EXPECT_FALSE(limiter.check("user:1", 60).allowed);
  clock.ms += 1;
  EXPECT_TRUE(limiter.check("user:1", 60).allowed);
  EXPECT_FALSE(limiter.check("user:1", 60).allowed);

  clock.ms += 5000;  // five intervals: five more
  EXPECT_EQ(count_allowed(limiter, "user:1", 60, 10), 5);

  clock.ms += 60'000;  // a full minute restores the whole burst
  EXPECT_EQ(count_allowed(limiter, "user:1", 60, 100), 60);
}

TEST(RateLimiter, ReportsRemainingResetAndRetryAfter) {
  FakeClock clock;
  RateLimiter limiter(clock.fn());
  auto first = limiter.check("k", 10);  // 10/min: interval 6 s, window 60 s
  EXPECT_TRUE(first.allowed);
  EXPECT_EQ(first.limit, 10);
  EXPECT_EQ(first.remaining, 9);
  EXPECT_DOUBLE_EQ(first.reset_seconds, 6.0);
  EXPECT_DOUBLE_EQ(first.retry_after_seconds, 0.0);

  for (int i = 0; i < 8; ++i) limiter.check("k", 10);
  auto last = limiter.check("k", 10);
  EXPECT_TRUE(last.allowed);
  EXPECT_EQ(last.remaining, 0);
  EXPECT_DOUBLE_EQ(last.reset_seconds, 60.0);
  EXPECT_DOUBLE_EQ(last.retry_after_seconds, 6.0);

  clock.ms += 1500;
  auto denied = limiter.check("k", 10);
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.remaining, 0);
  EXPECT_DOUBLE_EQ(denied.reset_seconds, 58.5);
  EXPECT_DOUBLE_EQ(denied.retry_after_seconds, 4.5);

  clock.ms += 4500 + 6000;  // two intervals after the burst: two requests available
  auto later = limiter.check("k", 10);
  EXPECT_TRUE(later.allowed);
  EXPECT_EQ(later.remaining, 1);
  EXPECT_DOUBLE_EQ(later.reset_seconds, 54.0);
}

TEST(RateLimiter, SeparateBurstFromRate) {
  FakeClock clock;
  RateLimiter limiter(clock.fn());
  int allowed = 0;
  for (int i = 0; i < 20; ++i) allowed += limiter.check("k", 120, 5).allowed;
  EXPECT_EQ(allowed, 5);
  clock.ms += 500;  // 120/min: one per 500 ms
  EXPECT_TRUE(limiter.check("k", 120, 5).allowed);
  EXPECT_FALSE(limiter.check("k", 120, 5).allowed);
}

TEST(RateLimiter, KeysAreIndependent) {
  FakeClock clock;
  RateLimiter limiter(clock.fn());
  EXPECT_EQ(count_allowed(limiter, "a", 3, 10), 3);
  EXPECT_EQ(count_allowed(limiter, "b", 3, 10), 3);
  EXPECT_EQ(count_allowed(limiter, "ab", 3, 10), 3);
  EXPECT_EQ(limiter.size(), 3u);
}

TEST(RateLimiter, RejectsNonsenseLimits) {
  RateLimiter limiter;
  EXPECT_THROW(limiter.check("k", 0), std::invalid_argument);
  EXPECT_THROW(limiter.check("k", 10, 0), std::invalid_argument);
  EXPECT_THROW(limiter.check("k", 10, -2), std::invalid_argument);
  EXPECT_TRUE(limiter.check("k", 10).allowed);  // the real steady clock by default
}

TEST(RateLimiter, ForgetIdleDropsOnlyRecoveredKeys) {
  FakeClock clock;
  RateLimiter limiter(clock.fn());
  count_allowed(limiter, "busy", 1, 1);   // recovers after 60 s
  count_allowed(limiter, "light", 60, 1);  // recovers after 1 s
  clock.ms += 2000;
  limiter.forget_idle(1000);
  EXPECT_EQ(limiter.size(), 1u);
  EXPECT_FALSE(limiter.check("busy", 1).allowed);  // its state survived
  clock.ms += 60'000;
  limiter.forget_idle(1000);
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(RateLimiter, ConcurrentCallersGetExactlyTheLimit) {
  FakeClock clock;
  RateLimiter limiter(clock.fn());
  std::atomic<int> allowed{0};
  std::atomic<int> other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        if (limiter.check("hot", 100).allowed) ++allowed;
        if (limiter.check(key_of("cold-", t * 2000 + i), 100).allowed) ++other;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(allowed.load(), 100);
  EXPECT_EQ(other.load(), 16000);
  EXPECT_EQ(limiter.size(), 16001u);
}

// --- FailureThrottle ---

TEST(FailureThrottle, BlocksAfterFiveFailuresForThirtySeconds) {
  FailureThrottle throttle;
  std::int64_t now = 1'000'000;
  for (int i = 0; i < 4; ++i) throttle.record_failure("login:a@x", now + i * 1000);
  EXPECT_FALSE(throttle.blocked("login:a@x", now + 4000));
  throttle.record_failure("login:a@x", now + 4000);
  double retry = 0;
  EXPECT_TRUE(throttle.blocked("login:a@x", now + 4000, &retry));
  EXPECT_DOUBLE_EQ(retry, 30.0);
  EXPECT_TRUE(throttle.blocked("login:a@x", now + 4000 + 29'999, &retry));
  EXPECT_DOUBLE_EQ(retry, 0.001);
  EXPECT_FALSE(throttle.blocked("login:a@x", now + 4000 + 30'000));
  EXPECT_FALSE(throttle.blocked("login:b@x", now + 4000));
}

TEST(FailureThrottle, FailuresSpreadBeyondTheWindowDoNotBlock) {
  FailureThrottle throttle;
  std::int64_t now = 0;
  for (int i = 0; i < 20; ++i) {
    throttle.record_failure("k", now);
    EXPECT_FALSE(throttle.blocked("k", now)) << i;
    now += 4 * 60 * 1000;  // every 4 minutes: at most 4 within any 15 minutes
  }
}

TEST(FailureThrottle, EachFurtherFailureDoublesTheBlockUpToFifteenMinutes) {
  FailureThrottle throttle;
  std::int64_t now = 0;
  for (int i = 0; i < 5; ++i) throttle.record_failure("k", now);
  std::int64_t expected = 30'000;
  for (int round = 0; round < 8; ++round) {
    double retry = 0;
    ASSERT_TRUE(throttle.blocked("k", now, &retry));
    EXPECT_DOUBLE_EQ(retry * 1000, static_cast<double>(expected)) << round;
    now += expected;  // wait it out, then fail once more
    EXPECT_FALSE(throttle.blocked("k", now));
    throttle.record_failure("k", now);
    expected = std::min<std::int64_t>(expected * 2, 15 * 60 * 1000);
  }
}

TEST(FailureThrottle, StreakEndsAfterQuietWindowOrReset) {
  FailureThrottle throttle;
  std::int64_t now = 0;
  for (int i = 0; i < 6; ++i) throttle.record_failure("k", now);  // blocks of 30 s then 60 s
  now += 60'000 + 15 * 60 * 1000;                                 // quiet for the window after the block
  throttle.record_failure("k", now);
  EXPECT_FALSE(throttle.blocked("k", now));

  for (int i = 0; i < 4; ++i) throttle.record_failure("k", now);
  EXPECT_TRUE(throttle.blocked("k", now));
  throttle.reset("k");
  EXPECT_FALSE(throttle.blocked("k", now));
  for (int i = 0; i < 4; ++i) throttle.record_failure("k", now);
  EXPECT_FALSE(throttle.blocked("k", now));
}

TEST(FailureThrottle, ForgetIdleBoundsMemoryAndIsThreadSafe) {
  FailureThrottle throttle;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) throttle.record_failure(key_of("k", (t * 500 + i) % 100), i);
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(throttle.size(), 100u);
  for (int k = 0; k < 100; ++k) EXPECT_TRUE(throttle.blocked(key_of("k", k), 500)) << k;
  throttle.forget_idle(1'000'000);
  EXPECT_EQ(throttle.size(), 100u);  // still inside their streaks
  throttle.forget_idle(100'000'000);
  EXPECT_EQ(throttle.size(), 0u);
}
