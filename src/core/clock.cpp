#include "core/clock.hpp"

#include <cstdio>
#include <ctime>

namespace aop::core {

std::string format_iso8601(std::int64_t epoch_ms) {
  std::int64_t seconds = epoch_ms >= 0 ? epoch_ms / 1000 : (epoch_ms - 999) / 1000;
  int millis = static_cast<int>(epoch_ms - seconds * 1000);
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

namespace {
bool read_digits(std::string_view s, std::size_t& pos, int count, int& out) {
  out = 0;
  for (int i = 0; i < count; ++i, ++pos) {
    if (pos >= s.size() || s[pos] < '0' || s[pos] > '9') return false;
    out = out * 10 + (s[pos] - '0');
  }
  return true;
}
bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || (s[pos] != c && !(c == 'T' && (s[pos] == 't' || s[pos] == ' '))))
    return false;
  ++pos;
  return true;
}
}  // namespace

bool parse_iso8601(std::string_view s, std::int64_t& epoch_ms) {
  std::size_t pos = 0;
  int year, month, day, hour = 0, minute = 0, second = 0, millis = 0;
  if (!read_digits(s, pos, 4, year) || !expect(s, pos, '-') || !read_digits(s, pos, 2, month) ||
      !expect(s, pos, '-') || !read_digits(s, pos, 2, day))
    return false;
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  int offset_minutes = 0;
  if (pos < s.size()) {
    if (!expect(s, pos, 'T') || !read_digits(s, pos, 2, hour) || !expect(s, pos, ':') ||
        !read_digits(s, pos, 2, minute))
      return false;
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!read_digits(s, pos, 2, second)) return false;
      if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int scale = 100;
        bool any = false;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
          millis += (s[pos] - '0') * scale;
          scale /= 10;
          ++pos;
          any = true;
        }
        if (!any) return false;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return false;
    if (pos >= s.size()) return false;  // a time needs an explicit zone
    if (s[pos] == 'Z' || s[pos] == 'z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int sign = s[pos] == '-' ? -1 : 1;
      ++pos;
      int oh, om;
      if (!read_digits(s, pos, 2, oh)) return false;
      if (pos < s.size() && s[pos] == ':') ++pos;
      if (!read_digits(s, pos, 2, om)) return false;
      offset_minutes = sign * (oh * 60 + om);
    } else {
      return false;
    }
    if (pos != s.size()) return false;
  }
  // Days from civil (Howard Hinnant's algorithm).
  int y = year - (month <= 2);
  int era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = static_cast<unsigned>(y - era * 400);
  unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  std::int64_t days = static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
  std::int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  epoch_ms = secs * 1000 + millis;
  return true;
}

}  // namespace aop::core
