#include "sim/utilization.hpp"

#include <gtest/gtest.h>

#include <set>

namespace ec2m::sim {
namespace {

TEST(CpuUtilizationTest, StablePerInstanceAndMinuteAndWithinRange) {
  const TimePoint t = FromUnixMillis(1'795'000'020'000);  // a whole minute
  // The same minute, whatever the second: the same figure.
  EXPECT_EQ(CpuUtilization("i-0123456789abcdef0", t),
            CpuUtilization("i-0123456789abcdef0", t + std::chrono::seconds(59)));
  std::set<double> seen;
  double low = 100;
  double high = 0;
  for (int m = 0; m < 24 * 60; ++m) {
    const double v = CpuUtilization("i-0123456789abcdef0", t + std::chrono::minutes(m));
    ASSERT_GE(v, 0.0);
    ASSERT_LE(v, 100.0);
    seen.insert(v);
    low = std::min(low, v);
    high = std::max(high, v);
  }
  EXPECT_GT(seen.size(), 1000u);  // it moves minute by minute
  EXPECT_GT(high - low, 15.0);    // and over the day
  EXPECT_LT(high - low, 31.0);    // ±10 daily, ±5 noise
  // Instances differ.
  EXPECT_NE(CpuUtilization("i-0123456789abcdef0", t), CpuUtilization("i-0fedcba987654321f", t));
}

}  // namespace
}  // namespace ec2m::sim
