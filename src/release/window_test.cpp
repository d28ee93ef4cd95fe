#include "release/window.hpp"

#include <gtest/gtest.h>

namespace ec2m::release {
namespace {

using config::MaintenanceWindow;

const std::vector<std::string> kEveryDay = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
const char* const kLosAngeles = "America/Los_Angeles";

// The specification's windows (config/prod.json, config/staging.json).
const MaintenanceWindow kProd = {{"sun"}, "02:00", "06:00", kLosAngeles};
const MaintenanceWindow kStaging = {kEveryDay, "18:00", "08:00", kLosAngeles};

TimePoint At(const char* iso) {
  auto t = ParseIso8601(iso);
  EXPECT_TRUE(t) << iso;
  return t.value_or(TimePoint{});
}

// "2026-01-04T10:00:00Z", or "none", so a failing row shows both sides readably.
std::string Show(std::optional<TimePoint> t) { return t ? FormatIso8601(*t) : "none"; }

// One instant and what the three functions say about it.
struct Row {
  const char* at;     // a UTC instant
  bool in_window;     // InWindow
  const char* next;   // NextWindowOpen ("none": nullopt)
  const char* close;  // WindowCloses ("none": nullopt)
};

struct Case {
  const char* name;
  std::vector<MaintenanceWindow> windows;
  std::vector<Row> rows;
};

// 2026-01-04, 2026-07-05, 2026-03-08 (clocks forward at 02:00) and 2026-11-01 (clocks back at
// 02:00) are Sundays; Los Angeles is UTC-8 in winter (PST) and UTC-7 in summer (PDT). Starts are
// inclusive, ends exclusive.
const std::vector<Case> kCases = {
    {"prod in winter: 02:00-06:00 PST = 10:00-14:00 UTC",
     {kProd},
     {
         {"2026-01-04T03:00:00Z", false, "2026-01-04T10:00:00Z", "none"},  // saturday night
         {"2026-01-04T09:59:59Z", false, "2026-01-04T10:00:00Z", "none"},
         {"2026-01-04T10:00:00Z", true, "2026-01-04T10:00:00Z", "2026-01-04T14:00:00Z"},
         {"2026-01-04T13:59:59Z", true, "2026-01-04T13:59:59Z", "2026-01-04T14:00:00Z"},
         {"2026-01-04T14:00:00Z", false, "2026-01-11T10:00:00Z", "none"},
         {"2026-01-05T12:00:00Z", false, "2026-01-11T10:00:00Z", "none"},  // from a monday
     }},
    {"prod in summer: 02:00-06:00 PDT = 09:00-13:00 UTC",
     {kProd},
     {
         {"2026-07-05T08:59:59Z", false, "2026-07-05T09:00:00Z", "none"},
         {"2026-07-05T09:00:00Z", true, "2026-07-05T09:00:00Z", "2026-07-05T13:00:00Z"},
         {"2026-07-05T13:00:00Z", false, "2026-07-12T09:00:00Z", "none"},
     }},
    // 02:00 PST does not exist: the window opens at the jump, 03:00 PDT.
    {"prod, clocks forward: 10:00-13:00 UTC",
     {kProd},
     {
         {"2026-03-02T12:00:00Z", false, "2026-03-08T10:00:00Z", "none"},  // from a monday
         {"2026-03-08T09:59:59Z", false, "2026-03-08T10:00:00Z", "none"},  // 01:59:59 PST
         {"2026-03-08T10:00:00Z", true, "2026-03-08T10:00:00Z", "2026-03-08T13:00:00Z"},
         {"2026-03-08T12:59:59Z", true, "2026-03-08T12:59:59Z", "2026-03-08T13:00:00Z"},
         {"2026-03-08T13:00:00Z", false, "2026-03-15T09:00:00Z", "none"},
     }},
    {"an end that is skipped closes at the jump",
     {{{"sun"}, "01:00", "02:30", kLosAngeles}},
     {
         {"2026-03-08T09:30:00Z", true, "2026-03-08T09:30:00Z", "2026-03-08T10:00:00Z"},
     }},
    {"a window all skipped never opens that day",
     {{{"sun"}, "02:00", "02:30", kLosAngeles}},
     {
         {"2026-03-08T09:00:00Z", false, "2026-03-15T09:00:00Z", "none"},
     }},
    // 01:00-02:00 happens twice; 02:00 and 06:00 are PST.
    {"prod, clocks back: 10:00-14:00 UTC, 4 hours",
     {kProd},
     {
         {"2026-11-01T09:30:00Z", false, "2026-11-01T10:00:00Z", "none"},  // 01:30 PST
         {"2026-11-01T10:00:00Z", true, "2026-11-01T10:00:00Z", "2026-11-01T14:00:00Z"},
         {"2026-11-01T14:00:00Z", false, "2026-11-08T10:00:00Z", "none"},
     }},
    {"a repeated start is its first instant, 01:30 PDT",
     {{{"sun"}, "01:30", "03:00", kLosAngeles}},
     {
         {"2026-11-01T08:29:59Z", false, "2026-11-01T08:30:00Z", "none"},
         {"2026-11-01T08:30:00Z", true, "2026-11-01T08:30:00Z", "2026-11-01T11:00:00Z"},
     }},
    {"a repeated end is its last instant, 01:30 PST",
     {{{"sun"}, "00:00", "01:30", kLosAngeles}},
     {
         {"2026-11-01T09:00:00Z", true, "2026-11-01T09:00:00Z", "2026-11-01T09:30:00Z"},
         {"2026-11-01T09:30:00Z", false, "2026-11-08T08:00:00Z", "none"},
     }},
    {"staging: every day 18:00-08:00 PST = 02:00-16:00 UTC the next day",
     {kStaging},
     {
         {"2026-01-07T20:00:00Z", false, "2026-01-08T02:00:00Z", "none"},  // wednesday noon
         {"2026-01-10T01:59:59Z", false, "2026-01-10T02:00:00Z", "none"},  // friday 17:59:59
         {"2026-01-10T02:00:00Z", true, "2026-01-10T02:00:00Z", "2026-01-10T16:00:00Z"},
         {"2026-01-10T08:00:00Z", true, "2026-01-10T08:00:00Z", "2026-01-10T16:00:00Z"},
         {"2026-01-10T15:59:59Z", true, "2026-01-10T15:59:59Z", "2026-01-10T16:00:00Z"},
         {"2026-01-10T16:00:00Z", false, "2026-01-11T02:00:00Z", "none"},  // saturday 08:00
     }},
    // Days are the days a window starts: friday's evening runs into saturday morning.
    {"weekday evenings 18:00-08:00 PST",
     {{{"mon", "tue", "wed", "thu", "fri"}, "18:00", "08:00", kLosAngeles}},
     {
         {"2026-01-10T15:00:00Z", true, "2026-01-10T15:00:00Z", "2026-01-10T16:00:00Z"},
         {"2026-01-10T20:00:00Z", false, "2026-01-13T02:00:00Z", "none"},  // saturday noon
     }},
    {"utc: monday and wednesday 22:00-02:00",
     {{{"mon", "wed"}, "22:00", "02:00", "UTC"}},
     {
         {"2026-01-04T23:00:00Z", false, "2026-01-05T22:00:00Z", "none"},
         {"2026-01-05T22:00:00Z", true, "2026-01-05T22:00:00Z", "2026-01-06T02:00:00Z"},
         {"2026-01-06T01:59:59Z", true, "2026-01-06T01:59:59Z", "2026-01-06T02:00:00Z"},
         {"2026-01-06T02:00:00Z", false, "2026-01-07T22:00:00Z", "none"},
     }},
    {"end == start: 24 hours",
     {{{"sun"}, "12:00", "12:00", "UTC"}},
     {
         {"2026-01-05T11:59:59Z", true, "2026-01-05T11:59:59Z", "2026-01-05T12:00:00Z"},
         {"2026-01-05T12:00:00Z", false, "2026-01-11T12:00:00Z", "none"},
     }},
    {"several: the latest close among those containing the instant, the earliest next open",
     {kProd, {{"sun"}, "13:00", "16:00", "UTC"}, {{"wed"}, "12:00", "13:00", "UTC"}},
     {
         {"2026-01-04T11:00:00Z", true, "2026-01-04T11:00:00Z", "2026-01-04T14:00:00Z"},
         {"2026-01-04T13:30:00Z", true, "2026-01-04T13:30:00Z", "2026-01-04T16:00:00Z"},
         {"2026-01-04T15:00:00Z", true, "2026-01-04T15:00:00Z", "2026-01-04T16:00:00Z"},
         {"2026-01-04T16:00:00Z", false, "2026-01-07T12:00:00Z", "none"},
         {"2026-01-07T13:00:00Z", false, "2026-01-11T10:00:00Z", "none"},
     }},
    {"no windows: any time, and nothing closes",
     {},
     {
         {"2026-01-07T12:00:00Z", true, "2026-01-07T12:00:00Z", "none"},
     }},
    {"no days", {{{}, "02:00", "06:00", "UTC"}}, {{"2026-01-04T03:00:00Z", false, "none", "none"}}},
    {"an unknown zone",
     {{{"sun"}, "02:00", "06:00", "Mars/Base"}},
     {{"2026-01-04T03:00:00Z", false, "none", "none"}}},
    {"a malformed time",
     {{{"sun"}, "2:00", "06:00", "UTC"}},
     {{"2026-01-04T03:00:00Z", false, "none", "none"}}},
    {"a window that cannot open does not hide one that can",
     {{{"sun"}, "02:00", "06:00", "Mars/Base"}, kProd},
     {
         {"2026-01-04T10:00:00Z", true, "2026-01-04T10:00:00Z", "2026-01-04T14:00:00Z"},
     }},
};

TEST(WindowTest, InWindowNextOpenAndClose) {
  for (const Case& c : kCases) {
    for (const Row& row : c.rows) {
      SCOPED_TRACE(std::string(c.name) + " at " + row.at);
      const TimePoint t = At(row.at);
      EXPECT_EQ(InWindow(c.windows, t), row.in_window);
      EXPECT_EQ(Show(NextWindowOpen(c.windows, t)), row.next);
      EXPECT_EQ(Show(WindowCloses(c.windows, t)), row.close);
    }
  }
}

TEST(WindowTest, DescribesWindows) {
  EXPECT_EQ(DescribeWindows({}), "any time");
  EXPECT_EQ(DescribeWindows({kProd}), "sun 02:00–06:00 America/Los_Angeles");
  EXPECT_EQ(DescribeWindows({kStaging, {{"mon", "wed"}, "22:00", "02:00", "UTC"}}),
            "every day 18:00–08:00 America/Los_Angeles; mon,wed 22:00–02:00 UTC");
}

TEST(WindowTest, KnowsTheTzDatabase) {
  for (const char* zone : {"UTC", "America/Los_Angeles", "Europe/Berlin", "Etc/UTC"}) {
    EXPECT_TRUE(IsTimeZone(zone)) << zone;
  }
  for (const char* zone : {"", "Mars/Base", "america/los_angeles", "PST", "localtime",
                           "../../etc/passwd", "right/UTC", "zone.tab"}) {
    EXPECT_FALSE(IsTimeZone(zone)) << zone;
  }
}

TEST(EmergencyTest, NamesAndSignOffs) {
  struct Row {
    Emergency emergency;
    const char* name;
    SignOff sign_off;
  };
  const std::vector<Row> rows = {
      {Emergency::kNone, "", SignOff::kNone},
      {Emergency::kSecurityPatch, "security-patch", SignOff::kNone},        // immediate
      {Emergency::kCriticalBugfix, "critical-bugfix", SignOff::kApprover},  // the DevOps lead
      {Emergency::kDataIntegrity, "data-integrity", SignOff::kAdmin},       // the CTO
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(EmergencyName(row.emergency), row.name);
    auto parsed = ParseEmergency(row.name);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, row.emergency);
    EXPECT_EQ(EmergencySignOff(row.emergency), row.sign_off);
  }
}

TEST(EmergencyTest, RefusesOtherReasons) {
  for (const char* bad : {"x", "security", "Security-Patch", "security_patch", " data-integrity"}) {
    auto parsed = ParseEmergency(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(parsed.error().message,
              std::string("emergency: expected security-patch, critical-bugfix or "
                          "data-integrity, got \"") +
                  bad + "\"");
  }
}

}  // namespace
}  // namespace ec2m::release
