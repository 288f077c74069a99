#pragma once
// What an LLM call cost: tokens × the model's price per million tokens, from the shipped
// price table (data/model_prices.json, compiled in) with per-team overrides. A model without
// a price costs null (unknown), never a made-up number.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace aop::engine {

struct ModelPrice {
  double input = 0;   // USD per million input tokens
  double output = 0;  // USD per million output tokens
  std::optional<double> cached_input;  // per million cached input tokens; absent = input price
  bool operator==(const ModelPrice&) const = default;
};

// Token counts of one call, normalized across providers: input_tokens counts every prompt
// token, cached ones included (OpenAI reports it so; the Anthropic adapter adds cache reads).
struct TokenUsage {
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  std::int64_t cached_input_tokens = 0;  // part of input_tokens
};

class PriceTable {
 public:
  // {"models": {"provider/model": {input, output, cached_input?}}, "wildcards": {"provider/*": {...}}}.
  // Throws std::invalid_argument naming the entry that is malformed.
  static PriceTable from_json(const boost::json::object& doc);
  // The table compiled into the binary.
  static const PriceTable& shipped();

  // Exact "provider/model" first, then the provider's wildcard.
  std::optional<ModelPrice> find(std::string_view model) const;
  // A copy where the entries of `overrides` (same shape as "models") replace or add prices.
  PriceTable with_overrides(const boost::json::object& overrides) const;
  std::size_t size() const { return models_.size(); }

 private:
  std::map<std::string, ModelPrice, std::less<>> models_;
  std::map<std::string, ModelPrice, std::less<>> wildcards_;  // by provider
};

// One price entry {input, output, cached_input?}; throws std::invalid_argument naming `name`
// when it is malformed.
ModelPrice parse_model_price(std::string_view name, const boost::json::value& v);

// USD, or nullopt when the model has no price.
std::optional<double> cost_of(const PriceTable& prices, std::string_view model, const TokenUsage& usage);

}  // namespace aop::engine
