#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "engine/json_schema.hpp"
#include "engine/llm/simulated_provider.hpp"
#include "engine/schema_example.hpp"
#include "engine_test_support.hpp"

using namespace aop::engine;
using namespace aop::engine::llm;

namespace {

const auto k_review_schema = boost::json::parse(R"({
  "type": "object",
  "properties": {
    "sentiment": {"type": "string", "enum": ["positive", "neutral", "negative"]},
    "score": {"type": "integer", "minimum": 1, "maximum": 5},
    "issues": {"type": "array", "items": {"type": "string", "maxLength": 12}, "minItems": 1}
  },
  "required": ["sentiment", "score", "issues"]
})");

ChatRequest task_request(std::string task) {
  ChatRequest r;
  r.model = "demo";
  r.messages = {{Role::system, "You are a researcher.", {}, {}, {}}, {Role::user, std::move(task), {}, {}, {}}};
  return r;
}

TEST(SchemaExample, ValuesSatisfyTheirSchemaForManySeeds) {
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    auto value = example_for_schema(k_review_schema, seed, "a long review text that is more than twelve bytes é");
    auto check = check_against_schema(value, k_review_schema);
    ASSERT_TRUE(check.ok()) << boost::json::serialize(value) << "\n" << check.errors.front();
  }
  EXPECT_EQ(example_for_schema(k_review_schema, 3, "x"), example_for_schema(k_review_schema, 3, "x"));
}

TEST(SimulatedProvider, StreamsAMarkedAnswerWithTokenCounts) {
  SimulatedProvider provider;
  std::string streamed;
  auto result = aop::test::run_to_completion(
      provider.chat(task_request("Research the history of the printing press"), [&](std::string_view t) { streamed += t; }));
  EXPECT_TRUE(result.simulated);
  EXPECT_TRUE(result.content.starts_with("[simulated]")) << result.content;
  EXPECT_NE(result.content.find("printing press"), std::string::npos);
  EXPECT_EQ(streamed, result.content);
  EXPECT_GT(result.usage.input_tokens, 5);
  EXPECT_GT(result.usage.output_tokens, 5);
  EXPECT_EQ(result.finish_reason, "stop");
  // Deterministic.
  auto again = aop::test::run_to_completion(provider.chat(task_request("Research the history of the printing press"), {}));
  EXPECT_EQ(again.content, result.content);
}

TEST(SimulatedProvider, CallsTheFirstToolOnceWithValidArgumentsThenAnswers) {
  SimulatedProvider provider;
  auto request = task_request("Compute the total");
  ToolDefinition calc{"calculator", "Evaluates arithmetic",
                      boost::json::parse(R"({"type":"object","properties":{"expression":{"type":"string"}},"required":["expression"]})")
                          .as_object()};
  request.tools.push_back(calc);
  auto first = aop::test::run_to_completion(provider.chat(request, {}));
  ASSERT_EQ(first.tool_calls.size(), 1u);
  EXPECT_EQ(first.tool_calls[0].name, "calculator");
  auto args = boost::json::parse(first.tool_calls[0].arguments);
  EXPECT_TRUE(check_against_schema(args, boost::json::value(calc.parameters)).ok());
  EXPECT_EQ(first.finish_reason, "tool_calls");

  request.messages.push_back({Role::assistant, "", first.tool_calls, {}, {}});
  request.messages.push_back({Role::tool, "42", {}, first.tool_calls[0].id, "calculator"});
  auto second = aop::test::run_to_completion(provider.chat(request, {}));
  EXPECT_TRUE(second.tool_calls.empty());
  EXPECT_FALSE(second.content.empty());
}

TEST(SimulatedProvider, AnswersWithSchemaValidJsonWhenAskedTo) {
  SimulatedProvider provider;
  auto request = task_request("Analyse this review: it broke after a day");
  request.response_schema = k_review_schema;
  auto result = aop::test::run_to_completion(provider.chat(request, {}));
  auto parsed = boost::json::parse(result.content);
  EXPECT_TRUE(check_against_schema(parsed, k_review_schema).ok()) << result.content;
}

TEST(SimulatedProvider, LatencyIsConfigurableAndCancellationStopsIt) {
  SimulatedProvider slow({std::chrono::milliseconds(50), std::chrono::milliseconds(0), true});
  auto start = std::chrono::steady_clock::now();
  aop::test::run_to_completion(slow.chat(task_request("wait"), {}));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(50));

  SimulatedProvider very_slow({std::chrono::seconds(10), std::chrono::milliseconds(0), true});
  auto request = task_request("never finishes");
  request.cancel = std::make_shared<CancelToken>();
  std::thread canceller([token = request.cancel] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    token->cancel();
  });
  start = std::chrono::steady_clock::now();
  try {
    aop::test::run_to_completion(very_slow.chat(request, {}));
    ADD_FAILURE() << "no exception";
  } catch (const LlmError& e) {
    EXPECT_EQ(e.kind(), LlmError::Kind::cancelled);
  }
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
}

}  // namespace
