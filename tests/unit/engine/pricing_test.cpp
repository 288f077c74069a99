#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "engine/llm/pricing.hpp"

using namespace aop::engine;

namespace {

TEST(Pricing, ShippedTableKnowsTheCommonModels) {
  const auto& table = PriceTable::shipped();
  EXPECT_GE(table.size(), 40u);
  for (const char* model : {"openai/gpt-4o-mini", "openai/gpt-4.1", "anthropic/claude-3-5-sonnet-20241022",
                            "gemini/gemini-2.0-flash", "deepseek/deepseek-chat", "mistral/mistral-large-latest",
                            "groq/llama-3.3-70b-versatile"})
    EXPECT_TRUE(table.find(model)) << model;
  EXPECT_EQ(table.find("openai/gpt-4o-mini"), (ModelPrice{0.15, 0.60, 0.075}));
  EXPECT_EQ(table.find("ollama/llama3.1")->output, 0.0);
  EXPECT_FALSE(table.find("openai/gpt-9-imaginary"));
  EXPECT_FALSE(table.find("gpt-4o-mini"));
}

TEST(Pricing, CostCountsCachedInputAtItsOwnPrice) {
  const auto& table = PriceTable::shipped();
  // 1,000,000 prompt tokens of which 400,000 cached, 100,000 output, on gpt-4o-mini:
  // 0.6 M × 0.15 + 0.4 M × 0.075 + 0.1 M × 0.60 = 0.09 + 0.03 + 0.06
  auto cost = cost_of(table, "openai/gpt-4o-mini", {1'000'000, 100'000, 400'000});
  ASSERT_TRUE(cost);
  EXPECT_NEAR(*cost, 0.18, 1e-12);
  // Without a cached price, cached tokens cost the input price.
  auto plain = cost_of(table, "openai/gpt-4-turbo", {2000, 1000, 500});
  EXPECT_NEAR(*plain, (2000 * 10.0 + 1000 * 30.0) / 1e6, 1e-12);
  EXPECT_EQ(cost_of(table, "ollama/llama3.1", {5000, 5000, 0}), 0.0);
  EXPECT_FALSE(cost_of(table, "openai/unknown-model", {10, 10, 0})) << "unknown models cost null";
}

TEST(Pricing, TeamOverridesReplaceAndAddPrices) {
  auto overrides = boost::json::parse(R"({"openai/gpt-4o-mini": {"input": 0.1, "output": 0.2},
                                          "openai/ft:gpt-4o-mini:acme": {"input": 0.3, "output": 1.2}})")
                       .as_object();
  auto table = PriceTable::shipped().with_overrides(overrides);
  EXPECT_EQ(table.find("openai/gpt-4o-mini"), (ModelPrice{0.1, 0.2, std::nullopt}));
  EXPECT_TRUE(table.find("openai/ft:gpt-4o-mini:acme"));
  EXPECT_EQ(PriceTable::shipped().find("openai/gpt-4o-mini")->input, 0.15) << "the shipped table is unchanged";
}

TEST(Pricing, MalformedEntriesAreRefusedByName) {
  auto bad = [](const char* text) { return PriceTable::from_json(boost::json::parse(text).as_object()); };
  EXPECT_THROW(bad(R"({"models": {"gpt-4o": {"input": 1, "output": 2}}})"), std::invalid_argument);
  EXPECT_THROW(bad(R"({"models": {"openai/x": {"input": -1, "output": 2}}})"), std::invalid_argument);
  EXPECT_THROW(bad(R"({"models": {"openai/x": {"input": "1", "output": 2}}})"), std::invalid_argument);
  EXPECT_THROW(bad(R"({"wildcards": {"ollama": {"input": 0, "output": 0}}})"), std::invalid_argument);
  try {
    PriceTable::shipped().with_overrides(boost::json::parse(R"({"openai/y": {"output": 1}})").as_object());
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("openai/y"), std::string::npos) << e.what();
  }
}

}  // namespace
