#pragma once
// A value that satisfies a JSON Schema, made up deterministically from a seed: the simulated
// LLM uses it for tool arguments and structured answers, so a demo exercises the real path.
#include <cstdint>
#include <string_view>

#include <boost/json/value.hpp>

namespace aop::engine {

// Understands type (and type lists), enum, const, default, properties/required, items,
// minimum/maximum (also exclusive), minLength/maxLength, minItems/maxItems, anyOf/oneOf/allOf
// (first branch). `text` seeds string values ("about <text>").
boost::json::value example_for_schema(const boost::json::value& schema, std::uint64_t seed, std::string_view text);

// FNV-1a: a stable hash for seeds (std::hash may differ between builds).
std::uint64_t stable_hash(std::string_view text, std::uint64_t seed = 1469598103934665603ull);

}  // namespace aop::engine
