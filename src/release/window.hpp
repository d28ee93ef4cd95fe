#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/environment.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

// When a release may be deployed: an environment's maintenance windows, and the emergencies that
// may deploy outside them. Plain functions of their arguments; thread-safe.
namespace ec2m::release {

// How a config::MaintenanceWindow is read:
// - `days` are the local days on which the window *starts* (a window that runs past midnight
//   is still open on the next day);
// - it is open over [start, end) in the local time of `time_zone` (start inclusive, end
//   exclusive); an end at or before the start is on the next local day (end == start: 24 hours);
// - a local time that does not exist (the hour the clocks skip in spring) means the instant the
//   clocks jump: Sunday 2026-03-08 02:00–06:00 America/Los_Angeles opens at 03:00 PDT
//   (10:00 UTC) and lasts 3 hours;
// - a local time that happens twice (the hour repeated in autumn) means its first instant for
//   the start and its last for the end: 01:30–03:00 on 2026-11-01 in Los Angeles opens at
//   01:30 PDT and closes at 03:00 PST, 2.5 hours;
// - a window whose zone cannot be loaded, or whose start or end is not "HH:MM", never opens.
// The tz database is the system's (/usr/share/zoneinfo, Debian's tzdata). Its files list clock
// changes up to 2037 and a rule for the years after, which date 3.0.1 does not read: from 2038
// on, every zone keeps the offset of its last listed change (Los Angeles: PST all year).

// Whether `t` is inside one of `windows`. An empty list: always.
bool InWindow(const std::vector<config::MaintenanceWindow>& windows, TimePoint t);

// The earliest time >= `t` inside a window: `t` itself when it is inside one (an empty list
// included). nullopt when no window opens within 8 days of `t` (every window has no days, or
// none can be evaluated).
std::optional<TimePoint> NextWindowOpen(const std::vector<config::MaintenanceWindow>& windows,
                                        TimePoint t);

// When the window that `t` is in closes: the latest close among the windows containing `t`.
// Windows that merely follow one another are not joined. nullopt when `t` is in none of them or
// `windows` is empty (always open: nothing closes).
std::optional<TimePoint> WindowCloses(const std::vector<config::MaintenanceWindow>& windows,
                                      TimePoint t);

// The windows as text for messages: "sun 02:00–06:00 America/Los_Angeles", several joined by
// "; ", "every day" for all seven days, "any time" for an empty list.
std::string DescribeWindows(const std::vector<config::MaintenanceWindow>& windows);

// Whether `name` is a time zone of the tz database ("UTC", "America/Los_Angeles"). The one
// implementation is config's, which checks every window's timeZone when a config is read.
using config::IsTimeZone;

// Why a release is deployed outside its environment's windows.
enum class Emergency { kNone, kSecurityPatch, kCriticalBugfix, kDataIntegrity };

// "security-patch", "critical-bugfix", "data-integrity"; "" for kNone.
std::string_view EmergencyName(Emergency e);

// Reads what EmergencyName writes ("" is kNone). Errors: kInvalidArgument "emergency: expected
// security-patch, critical-bugfix or data-integrity, got \"x\"".
Result<Emergency> ParseEmergency(std::string_view text);

// Who must sign off an emergency deployment outside its environment's windows.
enum class SignOff {
  kNone,      // nobody: a security patch deploys at once
  kApprover,  // a user with the approver role (the DevOps lead): a critical bug fix
  kAdmin,     // a user with the admin role (the CTO): a data-integrity fix
};
// The sign-off `e` needs. Emergency::kNone gives SignOff::kNone as well, but it is no
// authorization: a release that is not an emergency waits for a window (callers check the
// emergency before the sign-off).
SignOff EmergencySignOff(Emergency e);

}  // namespace ec2m::release
