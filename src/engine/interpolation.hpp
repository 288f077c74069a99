#pragma once
// Inputs into agent and task text, the way CrewAI does it: each {name} (name matching
// [A-Za-z_][A-Za-z0-9_-]*) is replaced by the input's value; every other brace, such as a
// JSON example in a description, is left alone. A placeholder without an input is an error,
// reported by name, rather than a prompt silently sent with "{topic}" in it.
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

namespace aop::engine {

struct Interpolated {
  std::string text;
  std::vector<std::string> missing;  // placeholder names with no input, first use first
  bool ok() const { return missing.empty(); }
};

// Strings are inserted as they are; numbers and booleans as JSON writes them; null as
// nothing; objects and arrays as compact JSON.
Interpolated interpolate(std::string_view text, const boost::json::object& inputs);

// The text an input value stands for in a prompt (see interpolate).
std::string input_text(const boost::json::value& value);

}  // namespace aop::engine
