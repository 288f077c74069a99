#include "crews/yaml_scalar.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace aop::crews {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// [-+]?[0-9]+
bool looks_integer(std::string_view t) {
  std::size_t i = (!t.empty() && (t[0] == '-' || t[0] == '+')) ? 1 : 0;
  if (i == t.size()) return false;
  for (; i < t.size(); ++i)
    if (!is_digit(t[i])) return false;
  return true;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool looks_float(std::string_view t) {
  std::size_t i = (!t.empty() && (t[0] == '-' || t[0] == '+')) ? 1 : 0;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < t.size() && is_digit(t[i])) ++i, ++int_digits;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && is_digit(t[i])) ++i, ++frac_digits;
    if (int_digits == 0 && frac_digits == 0) return false;
  } else if (int_digits == 0) {
    return false;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
    std::size_t exp_digits = 0;
    while (i < t.size() && is_digit(t[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == t.size();
}

std::string_view strip_plus(std::string_view t) {
  return !t.empty() && t[0] == '+' ? t.substr(1) : t;
}

bool parse_double(std::string_view t, double& out) {
  t = strip_plus(t);
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
  return ec == std::errc() && ptr == t.data() + t.size() && std::isfinite(out);
}

}  // namespace

boost::json::value resolve_plain_scalar(std::string_view t) {
  if (t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL") return nullptr;
  if (t == "true" || t == "True" || t == "TRUE") return true;
  if (t == "false" || t == "False" || t == "FALSE") return false;
  if (looks_integer(t)) {
    auto digits = strip_plus(t);
    std::int64_t i = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), i);
    if (ec == std::errc() && p == digits.data() + digits.size()) return i;
    if (digits[0] != '-') {
      std::uint64_t u = 0;
      auto [pu, ecu] = std::from_chars(digits.data(), digits.data() + digits.size(), u);
      if (ecu == std::errc() && pu == digits.data() + digits.size()) return u;
    }
    double d = 0;
    if (parse_double(t, d)) return d;
    return boost::json::string(t);
  }
  if (looks_float(t)) {
    double d = 0;
    if (parse_double(t, d)) return d;
  }
  return boost::json::string(t);
}

std::string format_double(double value) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value);
  std::string out(buf, ec == std::errc() ? ptr : buf);
  if (out.find_first_of(".eEn") == std::string::npos) out += ".0";  // keep it a float
  return out;
}

}  // namespace aop::crews
