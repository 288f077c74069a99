#include <gtest/gtest.h>

#include <deque>
#include <thread>
#include <variant>

#include "engine/llm/retry.hpp"
#include "llm_test_support.hpp"

using namespace aop::engine::llm;
using aop::engine::CancelToken;
using aop::test::elapsed_since;
using aop::test::llm_error_of;
using aop::test::run_coroutine;
using namespace std::chrono_literals;
using Kind = LlmError::Kind;
using std::chrono::milliseconds;

namespace {

// Answers each attempt with the next scripted outcome.
class ScriptedProvider : public Provider {
 public:
  std::deque<std::variant<LlmError, ChatResult>> script;
  int calls = 0;

  std::string_view name() const override { return "scripted"; }
  bool supports_native_tools(std::string_view) const override { return true; }
  boost::asio::awaitable<ChatResult> chat(const ChatRequest&, const ChunkHandler& on_chunk) override {
    ++calls;
    auto next = script.front();
    script.pop_front();
    if (auto* error = std::get_if<LlmError>(&next)) throw *error;
    if (on_chunk) on_chunk(std::get<ChatResult>(next).content);
    co_return std::get<ChatResult>(next);
  }
};

ChatResult answer(std::string text) {
  ChatResult r;
  r.content = std::move(text);
  return r;
}

// A policy whose waits are recorded instead of slept.
struct RecordingPolicy {
  std::vector<milliseconds> slept;
  RetryPolicy policy;
  RecordingPolicy() {
    policy.random = [] { return 1.0; };
    policy.sleep = [this](milliseconds d, const std::shared_ptr<CancelToken>&) -> boost::asio::awaitable<void> {
      slept.push_back(d);
      co_return;
    };
  }
};

TEST(RetryDelay, ExponentialWithFullJitterAndACap) {
  RetryPolicy policy;
  policy.base_delay = 1000ms;
  policy.max_delay = 5000ms;
  LlmError server(Kind::server, "boom", 500);
  EXPECT_EQ(retry_delay(policy, 1, server, 1.0), 1000ms);
  EXPECT_EQ(retry_delay(policy, 2, server, 1.0), 2000ms);
  EXPECT_EQ(retry_delay(policy, 3, server, 1.0), 4000ms);
  EXPECT_EQ(retry_delay(policy, 4, server, 1.0), 5000ms) << "capped";
  EXPECT_EQ(retry_delay(policy, 30, server, 1.0), 5000ms) << "no overflow on many attempts";
  EXPECT_EQ(retry_delay(policy, 3, server, 0.25), 1000ms) << "jitter scales the whole ceiling";
  EXPECT_EQ(retry_delay(policy, 3, server, 0.0), 0ms);
}

TEST(RetryDelay, RetryAfterWinsAndIsCapped) {
  RetryPolicy policy;
  policy.max_retry_after = 10s;
  EXPECT_EQ(retry_delay(policy, 1, LlmError(Kind::rate_limited, "slow down", 429, 3500ms), 0.1), 3500ms);
  EXPECT_EQ(retry_delay(policy, 1, LlmError(Kind::rate_limited, "slow down", 429, 120s), 0.1), 10s);
}

TEST(ChatWithRetries, RetriesRetryableFailuresWithGrowingWaits) {
  ScriptedProvider provider;
  provider.script = {LlmError(Kind::server, "500", 500), LlmError(Kind::network, "reset"),
                     LlmError(Kind::timeout, "slow"), answer("finally")};
  RecordingPolicy recording;
  recording.policy.base_delay = 100ms;
  std::vector<int> failed_attempts;
  recording.policy.on_retry = [&](int attempt, const LlmError&, milliseconds) { failed_attempts.push_back(attempt); };
  ChatRequest request;
  std::string streamed;
  ChunkHandler on_chunk = [&](std::string_view t) { streamed += t; };

  auto result = run_coroutine(chat_with_retries(provider, request, on_chunk, recording.policy));

  EXPECT_EQ(result.content, "finally");
  EXPECT_EQ(streamed, "finally");
  EXPECT_EQ(provider.calls, 4);
  EXPECT_EQ(recording.slept, (std::vector<milliseconds>{100ms, 200ms, 400ms}));
  EXPECT_EQ(failed_attempts, (std::vector<int>{1, 2, 3}));
}

TEST(ChatWithRetries, GivesUpAfterMaxAttemptsWithTheLastError) {
  ScriptedProvider provider;
  provider.script = {LlmError(Kind::server, "first", 502), LlmError(Kind::server, "second", 503), answer("unused")};
  RecordingPolicy recording;
  recording.policy.max_attempts = 2;
  ChatRequest request;
  ChunkHandler none;
  auto error = llm_error_of(chat_with_retries(provider, request, none, recording.policy));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->http_status(), 503);
  EXPECT_EQ(provider.calls, 2);
  EXPECT_EQ(recording.slept.size(), 1u);
}

TEST(ChatWithRetries, NeverRetriesWhatWaitingCannotFix) {
  for (auto kind : {Kind::authentication, Kind::model_not_found, Kind::bad_request, Kind::malformed, Kind::cancelled}) {
    ScriptedProvider provider;
    provider.script = {LlmError(kind, "no"), answer("unused")};
    RecordingPolicy recording;
    ChatRequest request;
    ChunkHandler none;
    auto error = llm_error_of(chat_with_retries(provider, request, none, recording.policy));
    ASSERT_TRUE(error);
    EXPECT_EQ(error->kind(), kind);
    EXPECT_EQ(provider.calls, 1) << kind_name(kind);
    EXPECT_TRUE(recording.slept.empty());
  }
}

TEST(ChatWithRetries, CancelDuringTheBackoffWaitEndsItAtOnce) {
  ScriptedProvider provider;
  provider.script = {LlmError(Kind::server, "down", 500), answer("unused")};
  RetryPolicy policy;
  policy.base_delay = 10s;
  policy.random = [] { return 1.0; };
  ChatRequest request;
  request.cancel = std::make_shared<CancelToken>();
  ChunkHandler none;
  std::chrono::steady_clock::time_point cancelled_at;
  std::thread canceller([&] {
    std::this_thread::sleep_for(100ms);
    cancelled_at = std::chrono::steady_clock::now();
    request.cancel->cancel();
  });
  auto error = llm_error_of(chat_with_retries(provider, request, none, policy));
  auto ended_at = std::chrono::steady_clock::now();
  canceller.join();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::cancelled);
  EXPECT_LT(ended_at - cancelled_at, 100ms);
  EXPECT_EQ(provider.calls, 1);
}

TEST(SleepUnlessCancelled, WaitsTheDelayWhenNotCancelled) {
  auto token = std::make_shared<CancelToken>();
  auto start = std::chrono::steady_clock::now();
  run_coroutine(sleep_unless_cancelled(50ms, token));
  EXPECT_GE(elapsed_since(start), 50ms);
  token->cancel();
  auto error = llm_error_of(sleep_unless_cancelled(10s, token));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::cancelled);
}

}  // namespace
