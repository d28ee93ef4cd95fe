#include "auth/secure_random.hpp"

#include <gtest/gtest.h>

#include <set>

namespace ec2m::auth {
namespace {

TEST(SecureRandomTest, ValuesDoNotRepeat) {
  SecureRandom random;
  std::set<uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    seen.insert(random.Next());
  }
  EXPECT_EQ(seen.size(), 1000u);
  // Two instances share OpenSSL's generator, not a seed.
  SecureRandom other;
  EXPECT_EQ(seen.count(other.Next()), 0u);
}

TEST(SecureRandomTest, RandomBytesTakesEightBytesPerDrawLittleEndian) {
  DefaultRandom a(3);
  DefaultRandom b(3);
  const std::string bytes = RandomBytes(a, 11);
  ASSERT_EQ(bytes.size(), 11u);
  const uint64_t first = b.Next();
  for (size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(static_cast<unsigned char>(bytes[i]), (first >> (8 * i)) & 0xFF) << i;
  }
  const uint64_t second = b.Next();
  for (size_t i = 8; i < 11; ++i) {
    EXPECT_EQ(static_cast<unsigned char>(bytes[i]), (second >> (8 * (i - 8))) & 0xFF) << i;
  }
}

TEST(SecureRandomTest, RandomBytesHasTheAskedLength) {
  SecureRandom random;
  for (size_t n : {0, 1, 7, 8, 9, 16, 32, 33}) {
    EXPECT_EQ(RandomBytes(random, n).size(), n);
  }
}

}  // namespace
}  // namespace ec2m::auth
