#include "engine/schema_example.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace aop::engine {

namespace json = boost::json;

namespace {

constexpr int k_max_depth = 16;

std::optional<double> number(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return std::nullopt;
}

std::string type_of(const json::object& o) {
  auto* t = o.if_contains("type");
  if (!t) {
    if (o.contains("properties")) return "object";
    if (o.contains("items")) return "array";
    return "string";
  }
  if (t->is_string()) return std::string(t->get_string());
  if (t->is_array()) {
    for (const auto& item : t->get_array())
      if (item.is_string() && item.get_string() != "null") return std::string(item.get_string());
    return "null";
  }
  return "string";
}

std::uint64_t mix(std::uint64_t seed, std::uint64_t salt) { return stable_hash(std::to_string(salt), seed); }

json::value make(const json::value& schema, std::uint64_t seed, std::string_view text, int depth) {
  const auto* o = schema.if_object();
  if (!o || depth > k_max_depth) return nullptr;
  if (auto* c = o->if_contains("const")) return *c;
  if (auto* e = o->if_contains("enum"); e && e->is_array() && !e->get_array().empty())
    return e->get_array()[seed % e->get_array().size()];
  if (auto* d = o->if_contains("default")) return *d;
  for (const char* key : {"allOf", "anyOf", "oneOf"}) {
    if (auto* branches = o->if_contains(key); branches && branches->is_array() && !branches->get_array().empty())
      return make(branches->get_array()[0], seed, text, depth + 1);
  }
  auto type = type_of(*o);
  if (type == "object") {
    json::object out;
    if (auto* props = o->if_contains("properties"); props && props->is_object()) {
      std::uint64_t i = 0;
      for (const auto& [name, sub] : props->get_object())
        out[name] = make(sub, mix(seed, ++i), std::string(name) + " " + std::string(text.substr(0, 60)), depth + 1);
    }
    return out;
  }
  if (type == "array") {
    auto min_items = static_cast<std::size_t>(number(*o, "minItems").value_or(0));
    auto max_items = static_cast<std::size_t>(number(*o, "maxItems").value_or(3));
    std::size_t n = std::clamp<std::size_t>(2, min_items, std::max(min_items, max_items));
    json::array out;
    const json::value* items = o->if_contains("items");
    for (std::size_t i = 0; i < n; ++i) out.push_back(items ? make(*items, mix(seed, i + 7), text, depth + 1) : json::value("item"));
    return out;
  }
  if (type == "integer" || type == "number") {
    double lo = number(*o, "minimum").value_or(number(*o, "exclusiveMinimum").value_or(0) + (o->contains("exclusiveMinimum") ? 1 : 0));
    double hi = number(*o, "maximum").value_or(number(*o, "exclusiveMaximum").value_or(lo + 100) - (o->contains("exclusiveMaximum") ? 1 : 0));
    if (hi < lo) hi = lo;
    if (type == "integer") {
      auto low = static_cast<std::int64_t>(std::ceil(lo));
      auto high = static_cast<std::int64_t>(std::floor(hi));
      if (high < low) high = low;
      return low + static_cast<std::int64_t>(seed % static_cast<std::uint64_t>(high - low + 1));
    }
    return lo + (hi - lo) * static_cast<double>(seed % 1000) / 1000.0;
  }
  if (type == "boolean") return (seed & 1) == 0;
  if (type == "null") return nullptr;
  // string
  std::string s = "about " + std::string(text.empty() ? "the task" : text);
  auto max_len = static_cast<std::size_t>(number(*o, "maxLength").value_or(200));
  auto min_len = static_cast<std::size_t>(number(*o, "minLength").value_or(0));
  if (s.size() > max_len) {
    std::size_t cut = max_len;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 characters only
    s.resize(cut);
  }
  while (s.size() < min_len) s += ".";
  return json::value(s);
}

}  // namespace

std::uint64_t stable_hash(std::string_view text, std::uint64_t seed) {
  std::uint64_t h = seed;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

json::value example_for_schema(const json::value& schema, std::uint64_t seed, std::string_view text) {
  return make(schema, seed, text, 0);
}

}  // namespace aop::engine
