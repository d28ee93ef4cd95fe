#include "core/clock.hpp"

#include <cstdio>
#include <thread>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace ec2m {

void SystemClock::SleepFor(std::chrono::nanoseconds duration) const {
  std::this_thread::sleep_for(duration);
}

void ManualClock::SleepFor(std::chrono::nanoseconds duration) const {
  std::lock_guard lock(mu_);
  now_ += std::chrono::duration_cast<TimePoint::duration>(duration);
}

TimePoint ManualClock::Now() const {
  std::lock_guard lock(mu_);
  return now_;
}

void ManualClock::Advance(std::chrono::nanoseconds by) {
  std::lock_guard lock(mu_);
  now_ += std::chrono::duration_cast<TimePoint::duration>(by);
}

void ManualClock::Set(TimePoint to) {
  std::lock_guard lock(mu_);
  now_ = to;
}

namespace {
struct Civil {
  int year, month, day, hour, minute, second, millis;
};

// Howard Hinnant's days-from-civil inverse; avoids gmtime's global state.
Civil ToCivil(TimePoint t) {
  const int64_t ms = ToUnixMillis(t);
  int64_t days = ms >= 0 ? ms / 86400000 : (ms - 86399999) / 86400000;
  int64_t rem = ms - days * 86400000;
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
  return Civil{static_cast<int>(y),
               static_cast<int>(m),
               static_cast<int>(d),
               static_cast<int>(rem / 3600000),
               static_cast<int>(rem / 60000 % 60),
               static_cast<int>(rem / 1000 % 60),
               static_cast<int>(rem % 1000)};
}
}  // namespace

std::string FormatIso8601Millis(TimePoint t) {
  const Civil c = ToCivil(t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", c.year, c.month, c.day, c.hour,
                     c.minute, c.second, c.millis);
}

std::string FormatIso8601(TimePoint t) {
  const Civil c = ToCivil(t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.year, c.month, c.day, c.hour,
                     c.minute, c.second);
}

std::optional<TimePoint> ParseIso8601(const std::string& text) {
  int y = 0;
  int mo = 0;
  int d = 0;
  int h = 0;
  int mi = 0;
  int s = 0;
  int ms = 0;
  char z = 0;
  const int n =
      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &y, &mo, &d, &h, &mi, &s, &ms, &z);
  const int n2 =
      n == 8 ? 0
             : std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &z);
  if ((n != 8 && n2 != 7) || z != 'Z' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
      mi > 59 || s > 60) {
    return std::nullopt;
  }
  if (n != 8) {
    ms = 0;
  }
  const std::chrono::year_month_day date{std::chrono::year(y) / mo / d};
  if (!date.ok()) {
    return std::nullopt;  // 2001-02-30
  }
  const std::chrono::sys_days day{date};
  return TimePoint(day) + std::chrono::hours(h) + std::chrono::minutes(mi) +
         std::chrono::seconds(s) + std::chrono::milliseconds(ms);
}

std::string FormatAmzDate(TimePoint t) {
  const Civil c = ToCivil(t);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", c.year, c.month, c.day, c.hour, c.minute,
                     c.second);
}

int64_t ToUnixMillis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint FromUnixMillis(int64_t ms) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms)));
}

}  // namespace ec2m
