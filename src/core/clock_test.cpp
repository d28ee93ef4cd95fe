#include "core/clock.hpp"

#include <gtest/gtest.h>

namespace ec2m {
namespace {

TEST(ClockTest, FormatsUtcTimes) {
  const TimePoint t = FromUnixMillis(1440938160123);  // 2015-08-30T12:36:00.123Z
  EXPECT_EQ(FormatIso8601Millis(t), "2015-08-30T12:36:00.123Z");
  EXPECT_EQ(FormatIso8601(t), "2015-08-30T12:36:00Z");
  EXPECT_EQ(FormatAmzDate(t), "20150830T123600Z");
  EXPECT_EQ(ToUnixMillis(t), 1440938160123);
}

TEST(ClockTest, FormatsLeapDayAndEpoch) {
  EXPECT_EQ(FormatIso8601(FromUnixMillis(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIso8601(FromUnixMillis(951782400000)), "2000-02-29T00:00:00Z");
}

TEST(ClockTest, ParsesWhatItFormats) {
  const TimePoint t = FromUnixMillis(1440938160123);
  EXPECT_EQ(ParseIso8601(FormatIso8601Millis(t)), t);
  EXPECT_EQ(ParseIso8601(FormatIso8601(t)), FromUnixMillis(1440938160000));
  EXPECT_EQ(ParseIso8601("2000-02-29T23:59:59Z"), FromUnixMillis(951868799000));
  for (const char* bad : {"", "2015-08-30", "2015-08-30T12:36:00", "2015-02-30T00:00:00Z",
                          "2015-13-01T00:00:00Z", "2015-08-30T24:00:00Z", "yesterday"}) {
    EXPECT_FALSE(ParseIso8601(bad)) << bad;
  }
}

TEST(ClockTest, ManualClockMovesOnlyWhenTold) {
  ManualClock clock(FromUnixMillis(1000));
  EXPECT_EQ(ToUnixMillis(clock.Now()), 1000);
  clock.Advance(std::chrono::seconds(2));
  EXPECT_EQ(ToUnixMillis(clock.Now()), 3000);
  clock.SleepFor(std::chrono::milliseconds(500));
  EXPECT_EQ(ToUnixMillis(clock.Now()), 3500);
  clock.Set(FromUnixMillis(5));
  EXPECT_EQ(ToUnixMillis(clock.Now()), 5);
}

}  // namespace
}  // namespace ec2m
