#pragma once
// YAML 1.2 core-schema typing of plain (unquoted) scalars. The reader uses it to turn
// `max_iter: 25` into a number and `verbose: true` into a boolean; the writer uses the same
// function to decide which strings must be quoted, so what it writes reads back unchanged.
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace aop::crews {

// null (~, null, empty), booleans (true/false in three casings), integers (int64, then
// uint64, then double when out of range) and floats. Anything else, and numbers a double
// cannot hold, stay strings. `.inf` and `.nan` stay strings: JSON has no such numbers.
boost::json::value resolve_plain_scalar(std::string_view text);

// Shortest text that reads back as the same double and still looks like a float ("1.0",
// "2.5e+20").
std::string format_double(double value);

}  // namespace aop::crews
