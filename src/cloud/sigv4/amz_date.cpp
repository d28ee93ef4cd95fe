#include <array>
#include <cstdint>

#include "cloud/sigv4/sigv4.hpp"

namespace ec2m::sigv4 {
namespace {

// Parses exactly `len` decimal digits at `pos`; -1 when any is not a digit or out of bounds.
int Digits(std::string_view s, size_t pos, size_t len) {
  if (pos + len > s.size()) {
    return -1;
  }
  int v = 0;
  for (size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') {
      return -1;
    }
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Howard Hinnant's days_from_civil; core/clock.cpp holds the inverse.
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const auto mp = static_cast<unsigned>(m > 2 ? m - 3 : m + 9);
  const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int64_t>(era) * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::optional<TimePoint> FromCivil(int y, int mo, int d, int h, int mi, int s) {
  static constexpr std::array<int, 12> kDaysInMonth = {31, 28, 31, 30, 31, 30,
                                                       31, 31, 30, 31, 30, 31};
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) {
    return std::nullopt;
  }
  const int days_in_month = kDaysInMonth[mo - 1] + (mo == 2 && IsLeap(y) ? 1 : 0);
  if (d > days_in_month) {
    return std::nullopt;
  }
  const int64_t secs = DaysFromCivil(y, mo, d) * 86400 + int64_t{h} * 3600 + int64_t{mi} * 60 + s;
  return TimePoint(std::chrono::seconds(secs));
}

}  // namespace

std::optional<TimePoint> ParseAmzDate(std::string_view v) {
  if (v.size() != 16 || v[8] != 'T' || v[15] != 'Z') {
    return std::nullopt;
  }
  const int y = Digits(v, 0, 4);
  const int mo = Digits(v, 4, 2);
  const int d = Digits(v, 6, 2);
  const int h = Digits(v, 9, 2);
  const int mi = Digits(v, 11, 2);
  const int s = Digits(v, 13, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) {
    return std::nullopt;
  }
  return FromCivil(y, mo, d, h, mi, s);
}

std::optional<TimePoint> ParseHttpDate(std::string_view v) {
  // "Sun, 30 Aug 2015 12:36:00 GMT": the day name is not checked against the date.
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (v.size() != 29 || v[3] != ',' || v[4] != ' ' || v[7] != ' ' || v[11] != ' ' || v[16] != ' ' ||
      v[19] != ':' || v[22] != ':' || v.substr(25) != " GMT") {
    return std::nullopt;
  }
  int mo = -1;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (v.substr(8, 3) == kMonths[i]) {
      mo = static_cast<int>(i) + 1;
    }
  }
  const int d = Digits(v, 5, 2);
  const int y = Digits(v, 12, 4);
  const int h = Digits(v, 17, 2);
  const int mi = Digits(v, 20, 2);
  const int s = Digits(v, 23, 2);
  if (mo < 0 || y < 0 || d < 0 || h < 0 || mi < 0 || s < 0) {
    return std::nullopt;
  }
  return FromCivil(y, mo, d, h, mi, s);
}

}  // namespace ec2m::sigv4
