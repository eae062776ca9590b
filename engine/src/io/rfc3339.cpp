#include "io/rfc3339.hpp"

namespace podium::io::detail {
namespace {

bool two_digits(std::string_view s, std::size_t at, int& out) {
  if (at + 2 > s.size()) return false;
  const char a = s[at], b = s[at + 1];
  if (a < '0' || a > '9' || b < '0' || b > '9') return false;
  out = (a - '0') * 10 + (b - '0');
  return true;
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(std::int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

std::optional<std::int64_t> parse_rfc3339_ns(std::string_view s, std::string* error) {
  auto fail = [&](const char* why) -> std::optional<std::int64_t> {
    if (error) *error = std::string("invalid RFC 3339 time \"") + std::string(s) + "\": " + why;
    return std::nullopt;
  };
  int c1 = 0, c2 = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!two_digits(s, 0, c1) || !two_digits(s, 2, c2) || s.size() < 5 || s[4] != '-' ||
      !two_digits(s, 5, month) || s.size() < 8 || s[7] != '-' || !two_digits(s, 8, day) ||
      s.size() < 11 || s[10] != 'T' || !two_digits(s, 11, hour) || s.size() < 14 || s[13] != ':' ||
      !two_digits(s, 14, minute) || s.size() < 17 || s[16] != ':' || !two_digits(s, 17, second)) {
    return fail("want YYYY-MM-DDTHH:MM:SS");
  }
  const std::int64_t year = c1 * 100 + c2;
  if (month < 1 || month > 12) return fail("month out of range");
  if (day < 1 || day > days_in_month(year, month)) return fail("day out of range");
  if (hour > 23) return fail("hour out of range");
  if (minute > 59) return fail("minute out of range");
  if (second > 59) return fail("second out of range");

  std::size_t pos = 19;
  std::int64_t nanos = 0;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',') && pos + 1 < s.size() && s[pos + 1] >= '0' &&
      s[pos + 1] <= '9') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 9) {
        nanos = nanos * 10 + (s[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    for (; digits < 9; ++digits) nanos *= 10;
  }

  std::int64_t offset_seconds = 0;
  if (pos < s.size() && s[pos] == 'Z') {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh = 0, om = 0;
    if (!two_digits(s, pos + 1, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !two_digits(s, pos + 4, om)) {
      return fail("want a zone Z or +hh:mm");
    }
    if (oh > 23 || om > 59) return fail("time zone offset out of range");
    offset_seconds = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return fail("want a zone Z or +hh:mm");
  }
  if (pos != s.size()) return fail("extra text after the time");

  const std::int64_t seconds =
      days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  std::int64_t ns = 0;
  if (__builtin_mul_overflow(seconds, std::int64_t{1'000'000'000}, &ns) || __builtin_add_overflow(ns, nanos, &ns)) {
    return fail("outside the range of int64 nanoseconds since 1970");
  }
  return ns;
}

}  // namespace podium::io::detail
