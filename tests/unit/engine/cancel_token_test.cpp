#include <gtest/gtest.h>

#include <thread>

#include "engine/cancel_token.hpp"

using aop::engine::CancelToken;

namespace {

TEST(CancelToken, RunsCallbacksOnceAndRegistrationsUnregister) {
  auto token = std::make_shared<CancelToken>();
  int a = 0, b = 0;
  auto ra = CancelToken::on_cancel(token, [&] { ++a; });
  {
    auto rb = CancelToken::on_cancel(token, [&] { ++b; });
  }  // rb gone: its callback must not run
  EXPECT_FALSE(token->cancelled());
  token->cancel();
  token->cancel();
  EXPECT_TRUE(token->cancelled());
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, 0);
  int late = 0;
  auto rl = CancelToken::on_cancel(token, [&] { ++late; });
  EXPECT_EQ(late, 1) << "registering on a cancelled token runs the callback at once";
}

TEST(CancelToken, CancelFromAnotherThreadIsSeen) {
  auto token = std::make_shared<CancelToken>();
  std::atomic<int> calls{0};
  auto r = CancelToken::on_cancel(token, [&] { ++calls; });
  std::thread t([&] { token->cancel(); });
  t.join();
  EXPECT_TRUE(token->cancelled());
  EXPECT_EQ(calls.load(), 1);
}

TEST(CancelToken, RegistrationOutlivingTheTokenIsHarmless) {
  CancelToken::Registration r;
  {
    auto token = std::make_shared<CancelToken>();
    r = CancelToken::on_cancel(token, [] {});
  }
  SUCCEED();  // r's destructor must not touch the freed token
}

}  // namespace
