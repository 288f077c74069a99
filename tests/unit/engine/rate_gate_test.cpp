#include <gtest/gtest.h>

#include "engine/rate_gate.hpp"
#include "engine_test_support.hpp"

using namespace aop::engine;

namespace {

boost::asio::awaitable<std::chrono::steady_clock::duration> take(RateGate& gate, int n) {
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) co_await gate.acquire(nullptr);
  co_return std::chrono::steady_clock::now() - start;
}

TEST(RateGate, LetsTheLimitThroughThenWaitsForTheWindow) {
  RateGate gate(3, std::chrono::milliseconds(200));
  EXPECT_LT(aop::test::run_to_completion(take(gate, 3)), std::chrono::milliseconds(50));
  // The fourth call waits until the first leaves the window.
  EXPECT_GE(aop::test::run_to_completion(take(gate, 1)), std::chrono::milliseconds(150));
}

TEST(RateGate, NoLimitNeverWaits) {
  RateGate gate(0);
  EXPECT_LT(aop::test::run_to_completion(take(gate, 1000)), std::chrono::milliseconds(50));
}

TEST(RateGate, CancelledWhileWaiting) {
  RateGate gate(1, std::chrono::seconds(30));
  auto cancel = std::make_shared<CancelToken>();
  aop::test::run_to_completion(gate.acquire(cancel));
  cancel->cancel();
  EXPECT_THROW(aop::test::run_to_completion(gate.acquire(cancel)), Cancelled);
}

}  // namespace
