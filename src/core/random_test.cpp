#include "core/random.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace ec2m {
namespace {

TEST(RandomTest, ResourceIdsHaveEc2Shape) {
  DefaultRandom random(42);
  const std::regex shape("i-[0-9a-f]{17}");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewResourceId(random, "i");
    EXPECT_TRUE(std::regex_match(id, shape)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(RandomTest, SeededRandomRepeats) {
  DefaultRandom a(7);
  DefaultRandom b(7);
  EXPECT_EQ(NewUuid(a), NewUuid(b));
  const double d = a.NextDouble();
  EXPECT_GE(d, 0.0);
  EXPECT_LT(d, 1.0);
}

TEST(RandomTest, UuidIsVersion4) {
  DefaultRandom random(1);
  const std::string uuid = NewUuid(random);
  EXPECT_TRUE(std::regex_match(
      uuid, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << uuid;
}

}  // namespace
}  // namespace ec2m
