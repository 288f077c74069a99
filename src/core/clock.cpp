#include "core/clock.hpp"

#include <cstdio>
#include <ctime>

namespace aop::core {

namespace {
// Proleptic Gregorian date of a day count since 1970-01-01, by 400-year eras (146,097 days
// each) so that no table or time-zone lookup is needed.
void civil_from_days(std::int64_t days, int& year, int& month, int& day) {
  days += 719468;  // shift the epoch to 0000-03-01: leap days then fall at the end of a year
  std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  auto day_of_era = static_cast<std::int64_t>(days - era * 146097);
  std::int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  std::int64_t shifted_month = (5 * day_of_year + 2) / 153;  // 0 = March
  day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  year = static_cast<int>(year_of_era + era * 400 + (month <= 2 ? 1 : 0));
}

void put_digits(char* out, int value, int width) {
  for (int i = width - 1; i >= 0; --i, value /= 10) out[i] = static_cast<char>('0' + value % 10);
}
}  // namespace

std::string format_iso8601(std::int64_t epoch_ms) {
  // Called for every timestamp of every listed object: no snprintf, no gmtime.
  std::int64_t seconds = epoch_ms >= 0 ? epoch_ms / 1000 : (epoch_ms - 999) / 1000;
  int millis = static_cast<int>(epoch_ms - seconds * 1000);
  std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  int second_of_day = static_cast<int>(seconds - days * 86400);
  int year = 0, month = 0, day = 0;
  civil_from_days(days, year, month, day);
  if (year < 0 || year > 9999) year = year < 0 ? 0 : 9999;  // outside ISO 8601's basic range
  std::string out = "0000-00-00T00:00:00.000Z";
  put_digits(&out[0], year, 4);
  put_digits(&out[5], month, 2);
  put_digits(&out[8], day, 2);
  put_digits(&out[11], second_of_day / 3600, 2);
  put_digits(&out[14], second_of_day / 60 % 60, 2);
  put_digits(&out[17], second_of_day % 60, 2);
  put_digits(&out[20], millis, 3);
  return out;
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
