// The OpenAI-wire provider against the in-process fake server speaking chat completions.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>

#include "engine/llm/openai_provider.hpp"
#include "engine/llm/retry.hpp"
#include "fixtures/fake_llm_server.hpp"
#include "llm_test_support.hpp"

using namespace aop::engine::llm;
using aop::engine::CancelToken;
using aop::test::elapsed_since;
using aop::test::FakeLlmServer;
using aop::test::FakeReply;
using aop::test::FakeToolCall;
using aop::test::FakeUsage;
using aop::test::llm_error_of;
using aop::test::run_coroutine;
namespace json = boost::json;
using namespace std::chrono_literals;
using Kind = LlmError::Kind;
using Clock = std::chrono::steady_clock;

namespace {

class OpenAiProviderTest : public ::testing::Test {
 protected:
  FakeLlmServer server_;
  OpenAiProvider provider_{OpenAiOptions{.name = "openai", .base_url = server_.openai_url(), .api_key = "sk-test"},
                           nullptr};
  std::vector<std::string> chunks_;
  ChunkHandler collect_ = [this](std::string_view text) { chunks_.emplace_back(text); };

  static ChatRequest request(std::string text = "Say hello") {
    ChatRequest r;
    r.model = "gpt-4o-mini";
    r.messages = {{Role::user, std::move(text)}};
    r.timeout = 5s;
    return r;
  }
};

TEST_F(OpenAiProviderTest, StreamsTextInOrderAsItArrivesWithUsage) {
  auto reply = FakeReply::text("Hello, streaming world!", 5);
  reply.usage = FakeUsage{.input = 120, .output = 7, .cached = 100};
  reply.chunk_delay = 25ms;
  server_.enqueue(reply);
  auto req = request();
  std::vector<Clock::time_point> arrivals;
  ChunkHandler on_chunk = [&](std::string_view text) {
    chunks_.emplace_back(text);
    arrivals.push_back(Clock::now());
  };

  auto result = run_coroutine(provider_.chat(req, on_chunk));
  auto done = Clock::now();

  EXPECT_EQ(result.content, "Hello, streaming world!");
  EXPECT_EQ(chunks_, reply.text_chunks) << "each delta delivered once, in order";
  EXPECT_EQ(result.usage.input_tokens, 120);
  EXPECT_EQ(result.usage.output_tokens, 7);
  EXPECT_EQ(result.usage.cached_input_tokens, 100);
  EXPECT_EQ(result.finish_reason, "stop");
  EXPECT_EQ(result.model, "gpt-4o-mini");
  EXPECT_TRUE(result.tool_calls.empty());
  ASSERT_FALSE(arrivals.empty());
  // Streamed, not buffered: the first text arrived while the server was still sending.
  EXPECT_GE(done - arrivals.front(), 50ms);
}

TEST_F(OpenAiProviderTest, AssemblesParallelToolCallsSplitAcrossChunks) {
  auto reply = FakeReply::tools({
      FakeToolCall{"call_a1", "get_weather", {"{\"ci", "ty\": \"Par", "is\", \"unit\": \"cel", "sius\"}"}},
      FakeToolCall{"call_b2", "search", {"{\"q\": \"a \\\"quo", "ted\\\" ", "word\"}"}},
  });
  reply.text_chunks = {"Let me check."};
  reply.split_bytes = 7;  // the SSE lines themselves are cut every 7 bytes on the wire
  server_.enqueue(reply);
  auto req = request("Weather in Paris?");

  auto result = run_coroutine(provider_.chat(req, collect_));

  ASSERT_EQ(result.tool_calls.size(), 2u);
  EXPECT_EQ(result.tool_calls[0], (ToolCall{"call_a1", "get_weather", R"({"city": "Paris", "unit": "celsius"})"}));
  EXPECT_EQ(result.tool_calls[1], (ToolCall{"call_b2", "search", R"({"q": "a \"quoted\" word"})"}));
  EXPECT_EQ(result.finish_reason, "tool_calls");
  EXPECT_EQ(result.content, "Let me check.");
}

TEST_F(OpenAiProviderTest, SendsMessagesToolsStopAndStreamOptions) {
  server_.enqueue(FakeReply::text("ok"));
  ChatRequest req = request();
  req.messages = {
      {Role::system, "You are terse."},
      {Role::user, "Weather in Paris?"},
      {Role::assistant, "", {{"call_1", "get_weather", R"({"city":"Paris"})"}}},
      {Role::tool, "18C and sunny", {}, "call_1", "get_weather"},
  };
  req.tools = {{"get_weather", "Current weather for a city",
                json::object{{"type", "object"}, {"properties", {{"city", {{"type", "string"}}}}}, {"required", {"city"}}}}};
  req.stop = {"\nObservation:"};
  req.temperature = 0.2;
  req.max_tokens = 256;

  run_coroutine(provider_.chat(req, collect_));

  ASSERT_EQ(server_.request_count(), 1u);
  auto sent = server_.requests().front();
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.target, "/v1/chat/completions");
  EXPECT_EQ(sent.header("authorization"), "Bearer sk-test");
  EXPECT_EQ(sent.header("content-type"), "application/json");
  auto expected = json::parse(R"({
    "model": "gpt-4o-mini",
    "messages": [
      {"role": "system", "content": "You are terse."},
      {"role": "user", "content": "Weather in Paris?"},
      {"role": "assistant", "content": null,
       "tool_calls": [{"id": "call_1", "type": "function",
                       "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
      {"role": "tool", "tool_call_id": "call_1", "content": "18C and sunny"}
    ],
    "stream": true,
    "stream_options": {"include_usage": true},
    "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Current weather for a city",
               "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}],
    "stop": ["\nObservation:"],
    "temperature": 0.2,
    "max_tokens": 256
  })");
  EXPECT_EQ(sent.json, expected) << json::serialize(sent.json);
}

TEST_F(OpenAiProviderTest, NoKeyMeansNoAuthorizationHeader) {
  OpenAiProvider ollama{OpenAiOptions{.name = "ollama", .base_url = server_.openai_url() + "/"}, nullptr};
  server_.enqueue(FakeReply::text("hi"));
  auto req = request();
  auto result = run_coroutine(ollama.chat(req, collect_));
  EXPECT_EQ(result.content, "hi");
  auto sent = server_.requests().front();
  EXPECT_EQ(sent.target, "/v1/chat/completions") << "a trailing slash on the base URL is not doubled";
  EXPECT_EQ(sent.header("authorization"), "");
}

TEST_F(OpenAiProviderTest, RejectedKeyIsAnAuthenticationErrorWithTheServersMessage) {
  server_.enqueue(FakeReply::error(401, R"({"error": {"message": "Incorrect API key provided: sk-te**st.",
    "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}})"));
  auto req = request();
  auto error = llm_error_of(provider_.chat(req, collect_));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::authentication);
  EXPECT_EQ(error->http_status(), 401);
  EXPECT_FALSE(error->retryable());
  EXPECT_NE(std::string(error->what()).find("Incorrect API key provided"), std::string::npos) << error->what();
  EXPECT_NE(std::string(error->what()).find("openai"), std::string::npos) << error->what();
}

TEST_F(OpenAiProviderTest, UnknownModelIsModelNotFound) {
  server_.enqueue(FakeReply::error(404, R"({"error": {"message": "The model `gpt-9` does not exist or you do not have access to it.",
    "type": "invalid_request_error", "param": null, "code": "model_not_found"}})"));
  auto req = request();
  req.model = "gpt-9";
  auto error = llm_error_of(provider_.chat(req, collect_));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::model_not_found);
  EXPECT_FALSE(error->retryable());
  EXPECT_NE(std::string(error->what()).find("\"gpt-9\""), std::string::npos) << error->what();
  EXPECT_NE(std::string(error->what()).find("does not exist"), std::string::npos) << error->what();
}

TEST_F(OpenAiProviderTest, InvalidRequestIsBadRequest) {
  server_.enqueue(FakeReply::error(400, R"({"error": {"message": "'messages' must contain the word 'json'",
    "type": "invalid_request_error", "code": null}})"));
  auto req = request();
  auto error = llm_error_of(provider_.chat(req, collect_));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::bad_request);
  EXPECT_EQ(error->http_status(), 400);
}

TEST_F(OpenAiProviderTest, RateLimitHonoursRetryAfterThenSucceeds) {
  server_.enqueue(FakeReply::error(429, R"({"error": {"message": "Rate limit reached", "type": "requests",
    "code": "rate_limit_exceeded"}})", {{"Retry-After", "0.2"}}));
  server_.enqueue(FakeReply::text("after the wait"));
  auto req = request();
  std::vector<std::pair<Kind, std::chrono::milliseconds>> retries;
  RetryPolicy policy;
  policy.on_retry = [&](int, const LlmError& e, std::chrono::milliseconds delay) { retries.emplace_back(e.kind(), delay); };

  auto start = Clock::now();
  auto result = run_coroutine(chat_with_retries(provider_, req, collect_, policy));

  EXPECT_EQ(result.content, "after the wait");
  EXPECT_GE(elapsed_since(start), 200ms);
  EXPECT_EQ(server_.request_count(), 2u);
  ASSERT_EQ(retries.size(), 1u);
  EXPECT_EQ(retries[0].first, Kind::rate_limited);
  EXPECT_EQ(retries[0].second, 200ms);
}

TEST_F(OpenAiProviderTest, ServerErrorsGiveUpAfterMaxAttempts) {
  for (int i = 0; i < 3; ++i)
    server_.enqueue(FakeReply::error(500, R"({"error": {"message": "The server had an error", "type": "server_error"}})"));
  server_.enqueue(FakeReply::text("never reached"));
  auto req = request();
  RetryPolicy policy;
  policy.max_attempts = 3;
  policy.base_delay = 10ms;

  auto error = llm_error_of(chat_with_retries(provider_, req, collect_, policy));

  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::server);
  EXPECT_EQ(error->http_status(), 500);
  EXPECT_EQ(server_.request_count(), 3u);
}

TEST_F(OpenAiProviderTest, MalformedChunkIsAnErrorNotAHang) {
  auto reply = FakeReply::text("partial answer", 3);
  reply.malformed_after = 2;
  server_.enqueue(reply);
  auto req = request();
  auto start = Clock::now();
  auto error = llm_error_of(provider_.chat(req, collect_));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::malformed);
  EXPECT_FALSE(error->retryable());
  EXPECT_LT(elapsed_since(start), 1s);
}

TEST_F(OpenAiProviderTest, StreamEndingWithoutDoneIsMalformed) {
  auto reply = FakeReply::text("cut short", 2);
  reply.omit_done = true;
  server_.enqueue(reply);
  auto req = request();
  auto error = llm_error_of(provider_.chat(req, collect_));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::malformed);
  EXPECT_EQ(chunks_, (std::vector<std::string>{"cut s", "hort"})) << "what did arrive was still streamed";
}

TEST_F(OpenAiProviderTest, ErrorChunkMidStreamMapsByItsCode) {
  auto reply = FakeReply::text("some text", 2);
  reply.error_event = "server_error";
  server_.enqueue(reply);
  auto req = request();
  auto error = llm_error_of(provider_.chat(req, collect_));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::server);
  EXPECT_TRUE(error->retryable());
}

TEST_F(OpenAiProviderTest, StalledStreamTimesOutWithinTheTimeout) {
  auto reply = FakeReply::text("first words", 1);
  reply.stall = true;
  server_.enqueue(reply);
  auto req = request();
  req.timeout = 300ms;
  auto start = Clock::now();
  auto error = llm_error_of(provider_.chat(req, collect_));
  auto took = elapsed_since(start);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::timeout);
  EXPECT_TRUE(error->retryable());
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 800ms) << "the deadline ends it, with slack for a loaded machine";
  EXPECT_EQ(chunks_, (std::vector<std::string>{"first words"}));
}

TEST_F(OpenAiProviderTest, StalledBeforeAnyDataTimesOutToo) {
  server_.enqueue(FakeReply::stalled());
  auto req = request();
  req.timeout = 300ms;
  auto start = Clock::now();
  auto error = llm_error_of(provider_.chat(req, collect_));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::timeout);
  EXPECT_LT(elapsed_since(start), 800ms);
}

TEST_F(OpenAiProviderTest, CancelMidStreamEndsTheCallWithin100ms) {
  auto reply = FakeReply::text(std::string(200, 'x'), 100);
  reply.chunk_delay = 20ms;  // two seconds of stream if nobody stops it
  server_.enqueue(reply);
  auto req = request();
  auto cancel = std::make_shared<CancelToken>();
  req.cancel = cancel;
  std::promise<void> first_chunk;
  bool seen = false;
  ChunkHandler on_chunk = [&](std::string_view) {
    if (!seen) first_chunk.set_value();
    seen = true;
  };
  Clock::time_point cancelled_at;
  std::thread canceller([&] {
    first_chunk.get_future().wait();
    std::this_thread::sleep_for(50ms);
    cancelled_at = Clock::now();
    cancel->cancel();
  });

  auto error = llm_error_of(provider_.chat(req, on_chunk));
  auto ended_at = Clock::now();
  canceller.join();

  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::cancelled);
  EXPECT_FALSE(error->retryable());
  auto latency = std::chrono::duration_cast<std::chrono::microseconds>(ended_at - cancelled_at);
  EXPECT_LT(latency, 100ms);
  RecordProperty("cancel_latency_us", static_cast<int>(latency.count()));
  std::cout << "[ measure  ] cancel → call ended: " << latency.count() << " us\n";
  // The stream is really aborted: the server sees its connection closed.
  for (int i = 0; i < 100 && server_.open_connections() > 0; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(server_.open_connections(), 0u);
}

TEST_F(OpenAiProviderTest, CancelWhileWaitingForTheHeadersEndsAtOnce) {
  auto reply = FakeReply::text("late");
  reply.latency = 3s;
  server_.enqueue(reply);
  auto req = request();
  auto cancel = std::make_shared<CancelToken>();
  req.cancel = cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(100ms);
    cancel->cancel();
  });
  auto start = Clock::now();
  auto error = llm_error_of(provider_.chat(req, collect_));
  canceller.join();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::cancelled);
  EXPECT_LT(elapsed_since(start), 300ms);
}

TEST_F(OpenAiProviderTest, AlreadyCancelledSendsNothing) {
  auto req = request();
  req.cancel = std::make_shared<CancelToken>();
  req.cancel->cancel();
  auto error = llm_error_of(provider_.chat(req, collect_));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::cancelled);
  EXPECT_EQ(server_.request_count(), 0u);
}

TEST_F(OpenAiProviderTest, ConnectionRefusedIsANetworkError) {
  unsigned short closed_port;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    closed_port = a.local_endpoint().port();
  }  // nothing listens there any more
  OpenAiProvider nowhere{OpenAiOptions{.base_url = "http://127.0.0.1:" + std::to_string(closed_port) + "/v1"}, nullptr};
  auto req = request();
  auto error = llm_error_of(nowhere.chat(req, collect_));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::network);
  EXPECT_TRUE(error->retryable());
  EXPECT_NE(std::string(error->what()).find("127.0.0.1"), std::string::npos) << error->what();
}

TEST_F(OpenAiProviderTest, PlainJsonAnswerToAStreamRequestIsRead) {
  // Some compatible servers ignore stream=true and answer one JSON completion.
  FakeReply reply;
  reply.content_type = "application/json";
  reply.raw_pieces = std::vector<std::string>{R"({"id": "x", "model": "llama3.1", "choices": [{"index": 0,
    "message": {"role": "assistant", "content": "whole answer", "tool_calls": [{"id": "c1", "type": "function",
    "function": {"name": "calc", "arguments": "{\"x\":1}"}}]}, "finish_reason": "tool_calls"}],
    "usage": {"prompt_tokens": 10, "completion_tokens": 3}})"};
  server_.enqueue(reply);
  auto req = request();
  auto result = run_coroutine(provider_.chat(req, collect_));
  EXPECT_EQ(result.content, "whole answer");
  EXPECT_EQ(chunks_, (std::vector<std::string>{"whole answer"}));
  ASSERT_EQ(result.tool_calls.size(), 1u);
  EXPECT_EQ(result.tool_calls[0], (ToolCall{"c1", "calc", R"({"x":1})"}));
  EXPECT_EQ(result.usage.input_tokens, 10);
  EXPECT_EQ(result.model, "llama3.1");
}

TEST_F(OpenAiProviderTest, NativeToolsAreAssumedUnlessTheModelIsListed) {
  OpenAiProvider p{OpenAiOptions{.models_without_tools = {"o1-mini*", "plain-model"}}, nullptr};
  EXPECT_TRUE(p.supports_native_tools("gpt-4o-mini"));
  EXPECT_FALSE(p.supports_native_tools("o1-mini-2024-09-12"));
  EXPECT_FALSE(p.supports_native_tools("plain-model"));
  EXPECT_TRUE(p.supports_native_tools("plain-model-2"));
}

}  // namespace

namespace {

TEST(OpenAiProviderConcurrency, ManySlowStreamsShareOneThread) {
  // 100 calls whose streams each take ≥ 200 ms, all on one io_context run by this thread
  // alone: they overlap and finish in a fraction of the 20 s they would take one after
  // another, so no call holds the thread while it waits.
  FakeLlmServer server;
  auto reply = FakeReply::text("one two three four", 4);
  reply.chunk_delay = 50ms;
  server.set_default(reply);
  OpenAiProvider provider{OpenAiOptions{.base_url = server.openai_url()}, nullptr};
  ChatRequest req;
  req.model = "gpt-4o-mini";
  req.messages = {{Role::user, "count"}};
  req.timeout = 10s;
  ChunkHandler none;
  constexpr int k_calls = 100;
  int succeeded = 0;
  boost::asio::io_context io;
  for (int i = 0; i < k_calls; ++i)
    boost::asio::co_spawn(io, provider.chat(req, none), [&](std::exception_ptr error, ChatResult result) {
      if (!error && result.content == "one two three four") ++succeeded;
    });
  auto start = Clock::now();
  io.run();
  auto took = elapsed_since(start);
  EXPECT_EQ(succeeded, k_calls);
  EXPECT_EQ(server.request_count(), static_cast<std::size_t>(k_calls));
  EXPECT_GE(took, 200ms);
  EXPECT_LT(took, 5s) << "one after another they would take 20 s";
  std::cout << "[ measure  ] " << k_calls << " concurrent 200 ms streams on one thread: " << took.count() << " ms\n";
}

}  // namespace
