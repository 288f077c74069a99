#include "engine/llm/pricing.hpp"

#include <stdexcept>

#include <boost/json/parse.hpp>

#include "core/resources.hpp"

namespace aop::engine {

namespace {

std::optional<double> number_at(const boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return std::nullopt;
}

}  // namespace

ModelPrice parse_model_price(std::string_view name, const boost::json::value& v) {
  const auto* o = v.if_object();
  auto input = o ? number_at(*o, "input") : std::nullopt;
  auto output = o ? number_at(*o, "output") : std::nullopt;
  if (!input || !output || *input < 0 || *output < 0)
    throw std::invalid_argument("price of \"" + std::string(name) +
                                "\" needs non-negative numbers \"input\" and \"output\" (USD per million tokens)");
  ModelPrice p{*input, *output, number_at(*o, "cached_input")};
  if (p.cached_input && *p.cached_input < 0)
    throw std::invalid_argument("price of \"" + std::string(name) + "\": cached_input must not be negative");
  return p;
}

namespace {

void read_models(const boost::json::object& models, std::map<std::string, ModelPrice, std::less<>>& into) {
  for (const auto& [name, value] : models) {
    if (name.find('/') == std::string_view::npos)
      throw std::invalid_argument("price entry \"" + std::string(name) + "\" must be named provider/model");
    into.insert_or_assign(std::string(name), parse_model_price(name, value));
  }
}

}  // namespace

PriceTable PriceTable::from_json(const boost::json::object& doc) {
  PriceTable table;
  if (auto* models = doc.if_contains("models")) {
    if (!models->is_object()) throw std::invalid_argument("\"models\" must be an object");
    read_models(models->get_object(), table.models_);
  }
  if (auto* wildcards = doc.if_contains("wildcards")) {
    if (!wildcards->is_object()) throw std::invalid_argument("\"wildcards\" must be an object");
    for (const auto& [pattern, value] : wildcards->get_object()) {
      if (!pattern.ends_with("/*")) throw std::invalid_argument("wildcard \"" + std::string(pattern) + "\" must be provider/*");
      table.wildcards_.insert_or_assign(std::string(pattern.substr(0, pattern.size() - 2)), parse_model_price(pattern, value));
    }
  }
  return table;
}

const PriceTable& PriceTable::shipped() {
  static const PriceTable table = [] {
    auto text = resources::find("data/model_prices.json");
    if (!text) throw std::logic_error("data/model_prices.json is not compiled in");
    return from_json(boost::json::parse(*text).as_object());
  }();
  return table;
}

std::optional<ModelPrice> PriceTable::find(std::string_view model) const {
  if (auto it = models_.find(model); it != models_.end()) return it->second;
  auto slash = model.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  if (auto it = wildcards_.find(model.substr(0, slash)); it != wildcards_.end()) return it->second;
  return std::nullopt;
}

PriceTable PriceTable::with_overrides(const boost::json::object& overrides) const {
  PriceTable copy = *this;
  read_models(overrides, copy.models_);
  return copy;
}

std::optional<double> cost_of(const PriceTable& prices, std::string_view model, const TokenUsage& usage) {
  auto price = prices.find(model);
  if (!price) return std::nullopt;
  auto cached = std::min(usage.cached_input_tokens, usage.input_tokens);
  double usd = static_cast<double>(usage.input_tokens - cached) * price->input +
               static_cast<double>(cached) * price->cached_input.value_or(price->input) +
               static_cast<double>(usage.output_tokens) * price->output;
  return usd / 1'000'000.0;
}

}  // namespace aop::engine
