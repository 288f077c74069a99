// The Anthropic Messages provider against the in-process fake server.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "engine/llm/openai_wire.hpp"
#include "engine/llm/anthropic_provider.hpp"
#include "engine/llm/anthropic_wire.hpp"
#include "engine/llm/retry.hpp"
#include "fixtures/fake_llm_server.hpp"
#include "llm_test_support.hpp"

using namespace aop::engine::llm;
using aop::test::FakeLlmServer;
using aop::test::FakeReply;
using aop::test::FakeToolCall;
using aop::test::FakeUsage;
using aop::test::llm_error_of;
using aop::test::run_coroutine;
namespace json = boost::json;
using namespace std::chrono_literals;
using Kind = LlmError::Kind;

namespace {

class AnthropicProviderTest : public ::testing::Test {
 protected:
  FakeLlmServer server_;
  AnthropicProvider provider_{AnthropicOptions{.base_url = server_.url(), .api_key = "sk-ant-test"}, nullptr};
  std::vector<std::string> chunks_;
  ChunkHandler collect_ = [this](std::string_view text) { chunks_.emplace_back(text); };

  static ChatRequest request() {
    ChatRequest r;
    r.model = "claude-sonnet-4-5";
    r.messages = {{Role::system, "Be brief."}, {Role::user, "Hello"}};
    r.timeout = 5s;
    return r;
  }
};

TEST_F(AnthropicProviderTest, StreamsTextAndNormalizesCachedUsage) {
  auto reply = FakeReply::text("Hi there, human.", 4);
  reply.usage = FakeUsage{.input = 1500, .output = 12, .cached = 1200};
  reply.split_bytes = 5;
  server_.enqueue(reply);
  auto req = request();

  auto result = run_coroutine(provider_.chat(req, collect_));

  EXPECT_EQ(result.content, "Hi there, human.");
  EXPECT_EQ(chunks_, reply.text_chunks);
  // The wire says input_tokens 300 (uncached) + cache_read_input_tokens 1200.
  EXPECT_EQ(result.usage.input_tokens, 1500);
  EXPECT_EQ(result.usage.cached_input_tokens, 1200);
  EXPECT_EQ(result.usage.output_tokens, 12);
  EXPECT_EQ(result.finish_reason, "stop");
  EXPECT_EQ(result.model, "claude-sonnet-4-5");
}

TEST_F(AnthropicProviderTest, AssemblesToolUseFromInputJsonDeltas) {
  auto reply = FakeReply::tools({
      FakeToolCall{"toolu_01", "get_weather", {"", "{\"loc", "ation\": \"San Fra", "ncisco\"}"}},
      FakeToolCall{"toolu_02", "calculator", {"{\"expr\": \"2*", "(3+4)\"}"}},
  });
  reply.text_chunks = {"I'll look ", "that up."};
  server_.enqueue(reply);
  auto req = request();

  auto result = run_coroutine(provider_.chat(req, collect_));

  EXPECT_EQ(result.content, "I'll look that up.");
  ASSERT_EQ(result.tool_calls.size(), 2u);
  EXPECT_EQ(result.tool_calls[0], (ToolCall{"toolu_01", "get_weather", R"({"location": "San Francisco"})"}));
  EXPECT_EQ(result.tool_calls[1], (ToolCall{"toolu_02", "calculator", R"j({"expr": "2*(3+4)"})j"}));
  EXPECT_EQ(result.finish_reason, "tool_calls");
}

TEST_F(AnthropicProviderTest, ToolUseWithoutArgumentsIsAnEmptyObject) {
  server_.enqueue(FakeReply::tools({FakeToolCall{"toolu_09", "now", {}}}));
  auto req = request();
  auto result = run_coroutine(provider_.chat(req, collect_));
  ASSERT_EQ(result.tool_calls.size(), 1u);
  EXPECT_EQ(result.tool_calls[0].arguments, "{}");
}

TEST_F(AnthropicProviderTest, SendsSystemApartToolResultsAsUserBlocksAndHeaders) {
  server_.enqueue(FakeReply::text("ok"));
  ChatRequest req = request();
  req.messages = {
      {Role::system, "Be brief."},
      {Role::user, "Weather in Paris and Rome?"},
      {Role::assistant, "Checking.", {{"toolu_1", "get_weather", R"({"city":"Paris"})"}, {"toolu_2", "get_weather", R"({"city":"Rome"})"}}},
      {Role::tool, "18C", {}, "toolu_1", "get_weather"},
      {Role::tool, "24C", {}, "toolu_2", "get_weather"},
      {Role::user, "And tomorrow?"},
  };
  req.tools = {{"get_weather", "Weather for a city", json::object{{"type", "object"}, {"properties", {{"city", {{"type", "string"}}}}}}}};
  req.stop = {"\nObservation:"};

  run_coroutine(provider_.chat(req, collect_));

  ASSERT_EQ(server_.request_count(), 1u);
  auto sent = server_.requests().front();
  EXPECT_EQ(sent.target, "/v1/messages");
  EXPECT_EQ(sent.header("x-api-key"), "sk-ant-test");
  EXPECT_EQ(sent.header("anthropic-version"), "2023-06-01");
  EXPECT_EQ(sent.header("authorization"), "");
  auto expected = json::parse(R"({
    "model": "claude-sonnet-4-5",
    "max_tokens": 4096,
    "messages": [
      {"role": "user", "content": [{"type": "text", "text": "Weather in Paris and Rome?"}]},
      {"role": "assistant", "content": [
        {"type": "text", "text": "Checking."},
        {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}},
        {"type": "tool_use", "id": "toolu_2", "name": "get_weather", "input": {"city": "Rome"}}]},
      {"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": "toolu_1", "content": "18C"},
        {"type": "tool_result", "tool_use_id": "toolu_2", "content": "24C"},
        {"type": "text", "text": "And tomorrow?"}]}
    ],
    "stream": true,
    "system": "Be brief.",
    "tools": [{"name": "get_weather", "description": "Weather for a city",
               "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}],
    "stop_sequences": ["\nObservation:"]
  })");
  EXPECT_EQ(sent.json, expected) << json::serialize(sent.json);
}

TEST_F(AnthropicProviderTest, ErrorEventMidStreamIsReported) {
  auto reply = FakeReply::text("Starting to", 2);
  reply.error_event = "overloaded_error";
  server_.enqueue(reply);
  auto req = request();
  auto error = llm_error_of(provider_.chat(req, collect_));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::server);
  EXPECT_TRUE(error->retryable());
  EXPECT_NE(std::string(error->what()).find("overloaded_error"), std::string::npos) << error->what();
  EXPECT_EQ(chunks_, (std::vector<std::string>{"Starti", "ng to"}));
}

TEST_F(AnthropicProviderTest, OverloadedStatusIsARetryableServerError) {
  server_.enqueue(FakeReply::error(529, R"({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})"));
  auto req = request();

  auto error = llm_error_of(provider_.chat(req, collect_));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::server);
  EXPECT_EQ(error->http_status(), 529);
  EXPECT_TRUE(error->retryable());
  EXPECT_NE(std::string(error->what()).find("Overloaded"), std::string::npos);

  RetryPolicy policy;
  policy.base_delay = 5ms;
  server_.enqueue(FakeReply::error(529, R"({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})"));
  server_.enqueue(FakeReply::text("recovered"));
  auto result = run_coroutine(chat_with_retries(provider_, req, collect_, policy));
  EXPECT_EQ(result.content, "recovered");
  EXPECT_EQ(server_.request_count(), 3u);
}

TEST_F(AnthropicProviderTest, AuthenticationAndUnknownModel) {
  server_.enqueue(FakeReply::error(401, R"({"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}})"));
  server_.enqueue(FakeReply::error(404, R"({"type": "error", "error": {"type": "not_found_error", "message": "model: claude-9"}})"));
  auto req = request();
  auto auth = llm_error_of(provider_.chat(req, collect_));
  ASSERT_TRUE(auth);
  EXPECT_EQ(auth->kind(), Kind::authentication);
  EXPECT_NE(std::string(auth->what()).find("invalid x-api-key"), std::string::npos);
  req.model = "claude-9";
  auto missing = llm_error_of(provider_.chat(req, collect_));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->kind(), Kind::model_not_found);
  EXPECT_NE(std::string(missing->what()).find("claude-9"), std::string::npos);
}

TEST_F(AnthropicProviderTest, StreamWithoutMessageStopIsMalformed) {
  auto reply = FakeReply::text("cut", 1);
  reply.omit_done = true;
  server_.enqueue(reply);
  auto req = request();
  auto error = llm_error_of(provider_.chat(req, collect_));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::malformed);
}

TEST_F(AnthropicProviderTest, MalformedEventIsAnError) {
  auto reply = FakeReply::text("abc", 3);
  reply.malformed_after = 3;
  server_.enqueue(reply);
  auto req = request();
  auto error = llm_error_of(provider_.chat(req, collect_));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), Kind::malformed);
}

TEST(AnthropicWire, MaxTokensFromTheRequestAndStopReasons) {
  ChatRequest req;
  req.model = "claude-haiku-4-5";
  req.messages = {{Role::user, "hi"}};
  req.max_tokens = 100;
  req.temperature = 0.5;
  auto body = anthropic_request_body(req);
  EXPECT_EQ(body.at("max_tokens").as_int64(), 100);
  EXPECT_EQ(body.at("temperature").as_double(), 0.5);
  EXPECT_FALSE(body.contains("system"));
  EXPECT_EQ(normalized_stop_reason("end_turn"), "stop");
  EXPECT_EQ(normalized_stop_reason("stop_sequence"), "stop");
  EXPECT_EQ(normalized_stop_reason("tool_use"), "tool_calls");
  EXPECT_EQ(normalized_stop_reason("max_tokens"), "length");
  EXPECT_EQ(normalized_stop_reason("refusal"), "refusal");
}

TEST(AnthropicWire, UsageInMessageDeltaReplacesEarlierCounts) {
  ChunkHandler none;
  AnthropicStreamAssembler assembler(none);
  auto feed = [&](const char* data) { assembler.on_message({"", data, ""}); };
  feed(R"({"type":"message_start","message":{"model":"m","usage":{"input_tokens":10,"cache_read_input_tokens":90,"cache_creation_input_tokens":5,"output_tokens":1}}})");
  feed(R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":42}})");
  feed(R"({"type":"message_stop"})");
  auto result = assembler.finish(false);
  EXPECT_EQ(result.usage.input_tokens, 105) << "uncached + cache reads + cache writes";
  EXPECT_EQ(result.usage.cached_input_tokens, 90);
  EXPECT_EQ(result.usage.output_tokens, 42);
}

}  // namespace

namespace {

// After max_iter the executor keeps the tools listed (the history refers to them) but forbids
// calling them; both wires must say so.
TEST(LlmWires, ForbiddenToolCallsSetToolChoiceNone) {
  using namespace aop::engine::llm;
  ChatRequest req;
  req.model = "m";
  req.messages = {{Role::user, "hi"}};
  req.tools.push_back({"echo", "Repeats", boost::json::object{{"type", "object"}}});
  EXPECT_FALSE(anthropic_request_body(req).contains("tool_choice"));
  EXPECT_FALSE(openai_request_body(req, {}).contains("tool_choice"));
  req.forbid_tool_calls = true;
  EXPECT_EQ(anthropic_request_body(req).at("tool_choice").at("type"), "none");
  EXPECT_EQ(openai_request_body(req, {}).at("tool_choice"), "none");
  EXPECT_EQ(openai_request_body(req, {}).at("tools").as_array().size(), 1u);
}

}  // namespace
