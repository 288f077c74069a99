// Row accessors: the drivers return whatever type the database reported, so reads coerce
// between representations where no information is lost (SQLite has no boolean type,
// PostgreSQL's SUM(bigint) is numeric, an id may be stored as text, ...).
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

#include "store/database.hpp"

namespace aop::store {
namespace {

const std::string& column_name(const Rows& rows, std::size_t col) {
  static const std::string unknown = "?";
  return col < rows.columns().size() ? rows.columns()[col] : unknown;
}

[[noreturn]] void throw_null(const Rows& rows, std::size_t col) {
  throw DatabaseError("column \"" + column_name(rows, col) + "\" is NULL");
}

[[noreturn]] void throw_coercion(const Rows& rows, std::size_t col, std::string_view wanted,
                                 std::string_view got) {
  throw DatabaseError("column \"" + column_name(rows, col) + "\": cannot read " + std::string(got) +
                      " as " + std::string(wanted));
}

std::optional<std::int64_t> integral_double(double d) {
  // 2^63 is exactly representable; anything at or above it does not fit in int64.
  constexpr double limit = 9223372036854775808.0;
  if (!std::isfinite(d) || d != std::trunc(d) || d >= limit || d < -limit) return std::nullopt;
  return static_cast<std::int64_t>(d);
}

std::optional<double> parse_double(std::string_view s) {
  double d = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return d;
}

std::optional<std::int64_t> parse_i64(std::string_view s) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) return v;
  // PostgreSQL renders numeric aggregates as "42" or "42.000"; accept integral decimals.
  if (auto d = parse_double(s)) return integral_double(*d);
  return std::nullopt;
}

std::string format_double(double d) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);  // shortest round-trip form
  return std::string(buf, ec == std::errc() ? end : buf);
}

std::string quoted(std::string_view s) {
  constexpr std::size_t max = 40;
  return "text \"" + std::string(s.substr(0, max)) + (s.size() > max ? "...\"" : "\"");
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

const Value& Row::value(std::size_t col) const {
  if (col >= rows_->columns().size() || index_ >= rows_->size())
    throw std::out_of_range("row " + std::to_string(index_) + ", column " + std::to_string(col) +
                            " out of range");
  return rows_->cell(index_, col);
}

bool Row::is_null(std::size_t col) const {
  return std::holds_alternative<std::nullptr_t>(value(col));
}

std::size_t Row::col(std::string_view name) const {
  const auto& cols = rows_->columns();
  for (std::size_t i = 0; i < cols.size(); ++i)
    if (cols[i] == name) return i;
  throw std::out_of_range("no column named \"" + std::string(name) + "\"");
}

std::optional<std::int64_t> Row::opt_i64(std::size_t col) const {
  const Value& v = value(col);
  if (std::holds_alternative<std::nullptr_t>(v)) return std::nullopt;
  if (auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (auto* b = std::get_if<bool>(&v)) return *b ? 1 : 0;
  if (auto* d = std::get_if<double>(&v)) {
    if (auto i = integral_double(*d)) return i;
    throw_coercion(*rows_, col, "integer", "real " + format_double(*d));
  }
  const auto& s = std::get<std::string>(v);
  if (auto i = parse_i64(s)) return i;
  throw_coercion(*rows_, col, "integer", quoted(s));
}

std::optional<double> Row::opt_f64(std::size_t col) const {
  const Value& v = value(col);
  if (std::holds_alternative<std::nullptr_t>(v)) return std::nullopt;
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (auto* b = std::get_if<bool>(&v)) return *b ? 1.0 : 0.0;
  const auto& s = std::get<std::string>(v);
  if (auto d = parse_double(s)) return d;
  throw_coercion(*rows_, col, "real", quoted(s));
}

std::optional<std::string> Row::opt_text(std::size_t col) const {
  const Value& v = value(col);
  if (std::holds_alternative<std::nullptr_t>(v)) return std::nullopt;
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) return format_double(*d);
  return std::get<bool>(v) ? "true" : "false";
}

std::int64_t Row::i64(std::size_t col) const {
  if (auto v = opt_i64(col)) return *v;
  throw_null(*rows_, col);
}

double Row::f64(std::size_t col) const {
  if (auto v = opt_f64(col)) return *v;
  throw_null(*rows_, col);
}

std::string Row::text(std::size_t col) const {
  if (auto v = opt_text(col)) return std::move(*v);
  throw_null(*rows_, col);
}

bool Row::boolean(std::size_t col) const {
  const Value& v = value(col);
  if (std::holds_alternative<std::nullptr_t>(v)) throw_null(*rows_, col);
  if (auto* b = std::get_if<bool>(&v)) return *b;
  if (auto* i = std::get_if<std::int64_t>(&v)) return *i != 0;
  if (auto* s = std::get_if<std::string>(&v)) {
    if (*s == "t" || *s == "1" || iequals(*s, "true")) return true;
    if (*s == "f" || *s == "0" || iequals(*s, "false")) return false;
    throw_coercion(*rows_, col, "boolean", quoted(*s));
  }
  throw_coercion(*rows_, col, "boolean", "real " + format_double(std::get<double>(v)));
}

}  // namespace aop::store
