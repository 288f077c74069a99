#include "engine/interpolation.hpp"

#include <algorithm>
#include <charconv>

#include <boost/json/serialize.hpp>

#include "crews/crew_inputs.hpp"

namespace aop::engine {

std::string input_text(const boost::json::value& value) {
  if (value.is_string()) return std::string(value.get_string());
  if (value.is_null()) return {};
  if (value.is_double()) {
    // Shortest form that reads back the same ("0.5"); Boost.JSON would write "5E-1".
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.get_double());
    if (ec == std::errc()) return std::string(buffer, end);
  }
  return boost::json::serialize(value);
}

Interpolated interpolate(std::string_view text, const boost::json::object& inputs) {
  Interpolated out;
  out.text.reserve(text.size());
  std::size_t copied = 0;
  crews::for_each_placeholder(text, [&](std::string_view name, std::size_t begin, std::size_t end) {
    auto it = inputs.find(name);
    if (it == inputs.end()) {
      if (std::find(out.missing.begin(), out.missing.end(), name) == out.missing.end())
        out.missing.emplace_back(name);
      return;  // left in place; the caller refuses to run with it
    }
    out.text.append(text.substr(copied, begin - copied));
    out.text += input_text(it->value());
    copied = end;
  });
  out.text.append(text.substr(copied));
  return out;
}

}  // namespace aop::engine
