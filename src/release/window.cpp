#include "release/window.hpp"
#include "core/text.hpp"

#include <date/tz.h>
#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <exception>

namespace ec2m::release {
namespace {

using config::MaintenanceWindow;

// c_encoding order: date::weekday{0} is Sunday.
constexpr std::array<std::string_view, 7> kDayNames = {"sun", "mon", "tue", "wed",
                                                       "thu", "fri", "sat"};

// A window ends at the latest on the local day after the one it starts on, so the occurrences
// that can contain or follow `t` start on t's local day minus one or later.
constexpr int kDaysBefore = 1;
// How far NextWindowOpen looks: past a weekly window's next start, whatever the day.
constexpr int kLookAheadDays = 8;
constexpr std::chrono::hours kLookAhead{kLookAheadDays * 24};

// One occurrence of a window: [open, close).
struct Interval {
  TimePoint open;
  TimePoint close;

  bool Contains(TimePoint t) const { return open <= t && t < close; }
};

// "HH:MM" as the time after midnight; nullopt for anything else (config checks the shape, but
// windows can be built in code too).
std::optional<std::chrono::minutes> ClockTime(const std::string& text) {
  const auto digit = [&text](size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() != 5 || text[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) {
    return std::nullopt;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) {
    return std::nullopt;
  }
  return std::chrono::hours(hours) + std::chrono::minutes(minutes);
}

bool StartsOn(const MaintenanceWindow& w, date::weekday day) {
  const std::string_view name = kDayNames.at(day.c_encoding());
  return std::find(w.days.begin(), w.days.end(), name) != w.days.end();
}

// The occurrences of `w` that start on the local days from t's local day minus one to
// `days_ahead` days after it, in order. Empty when the zone cannot be loaded or the times are
// malformed.
std::vector<Interval> Occurrences(const MaintenanceWindow& w, TimePoint t, int days_ahead) {
  const auto start = ClockTime(w.start);
  const auto end = ClockTime(w.end);
  if (!start || !end) {
    return {};
  }
  std::vector<Interval> out;
  try {
    const date::time_zone* zone = date::locate_zone(w.time_zone);
    const auto first = date::floor<date::days>(zone->to_local(t)) - date::days(kDaysBefore);
    for (int i = 0; i <= kDaysBefore + days_ahead; ++i) {
      const date::local_days day = first + date::days(i);
      if (!StartsOn(w, date::weekday(day))) {
        continue;
      }
      const date::local_days end_day = *end <= *start ? day + date::days(1) : day;
      // With a choose, to_sys does not throw: a skipped time becomes the instant of the jump,
      // a repeated one its earliest (start) or latest (end) instant.
      const Interval interval{zone->to_sys(day + *start, date::choose::earliest),
                              zone->to_sys(end_day + *end, date::choose::latest)};
      if (interval.open < interval.close) {  // a window inside a skipped hour never opens
        out.push_back(interval);
      }
    }
  } catch (const std::exception&) {  // no such zone, or its file could not be read
    return {};
  }
  return out;
}

std::vector<Interval> AllOccurrences(const std::vector<MaintenanceWindow>& windows, TimePoint t,
                                     int days_ahead) {
  std::vector<Interval> out;
  for (const MaintenanceWindow& w : windows) {
    std::vector<Interval> some = Occurrences(w, t, days_ahead);
    out.insert(out.end(), some.begin(), some.end());
  }
  return out;
}

std::string DescribeDays(const std::vector<std::string>& days) {
  if (std::all_of(kDayNames.begin(), kDayNames.end(), [&days](std::string_view name) {
        return std::find(days.begin(), days.end(), name) != days.end();
      })) {
    return "every day";
  }
  std::string out;
  for (const std::string& day : days) {
    out += (out.empty() ? "" : ",") + day;
  }
  return out;
}

}  // namespace

bool InWindow(const std::vector<MaintenanceWindow>& windows, TimePoint t) {
  if (windows.empty()) {
    return true;
  }
  const std::vector<Interval> intervals = AllOccurrences(windows, t, 0);
  return std::any_of(intervals.begin(), intervals.end(),
                     [t](const Interval& i) { return i.Contains(t); });
}

std::optional<TimePoint> NextWindowOpen(const std::vector<MaintenanceWindow>& windows,
                                        TimePoint t) {
  if (windows.empty()) {
    return t;
  }
  std::optional<TimePoint> next;
  // One local day more than the look-ahead: a clock change can put t + 8 days on the local day
  // after t's local day + 8.
  for (const Interval& i : AllOccurrences(windows, t, kLookAheadDays + 1)) {
    if (i.Contains(t)) {
      return t;
    }
    if (i.open > t && i.open - t <= kLookAhead && (!next || i.open < *next)) {
      next = i.open;
    }
  }
  return next;
}

std::optional<TimePoint> WindowCloses(const std::vector<MaintenanceWindow>& windows, TimePoint t) {
  std::optional<TimePoint> close;
  for (const Interval& i : AllOccurrences(windows, t, 0)) {
    if (i.Contains(t) && (!close || i.close > *close)) {
      close = i.close;
    }
  }
  return close;
}

std::string DescribeWindows(const std::vector<MaintenanceWindow>& windows) {
  if (windows.empty()) {
    return "any time";
  }
  std::string out;
  for (const MaintenanceWindow& w : windows) {
    out += fmt::format("{}{} {}–{} {}", out.empty() ? "" : "; ", DescribeDays(w.days), w.start,
                       w.end, w.time_zone);
  }
  return out;
}

std::string_view EmergencyName(Emergency e) {
  switch (e) {
    case Emergency::kNone:
      return "";
    case Emergency::kSecurityPatch:
      return "security-patch";
    case Emergency::kCriticalBugfix:
      return "critical-bugfix";
    case Emergency::kDataIntegrity:
      return "data-integrity";
  }
  return "";
}

Result<Emergency> ParseEmergency(std::string_view text) {
  for (Emergency e : {Emergency::kNone, Emergency::kSecurityPatch, Emergency::kCriticalBugfix,
                      Emergency::kDataIntegrity}) {
    if (EmergencyName(e) == text) {
      return e;
    }
  }
  return Fail(ErrorCode::kInvalidArgument,
              fmt::format("emergency: expected security-patch, critical-bugfix or data-integrity, "
                          "got {}",
                          ShownValue(text)));
}

SignOff EmergencySignOff(Emergency e) {
  switch (e) {
    case Emergency::kNone:
    case Emergency::kSecurityPatch:
      return SignOff::kNone;
    case Emergency::kCriticalBugfix:
      return SignOff::kApprover;
    case Emergency::kDataIntegrity:
      return SignOff::kAdmin;
  }
  return SignOff::kAdmin;  // an out-of-range value asks for the most
}

}  // namespace ec2m::release
