#include "server/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace ec2m::server {
namespace {

using std::chrono::milliseconds;

class RateLimiterTest : public ::testing::Test {
 protected:
  ManualClock clock_{TimePoint{} + std::chrono::hours(1000)};
};

TEST_F(RateLimiterTest, ABurstPassesThenTheRateHoldsAndTheRefusalSaysWhenToRetry) {
  RateLimiter limiter(clock_, {.per_second = 10, .burst = 5});
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(limiter.Take("user:a@x", "a@x")) << i;
  }
  auto refused = limiter.Take("user:a@x", "a@x");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kThrottled);
  EXPECT_EQ(refused.error().retry_after_seconds, 1);
  EXPECT_NE(refused.error().message.find("a@x"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("10 a second"), std::string::npos);
  EXPECT_EQ(limiter.refused(), 1U);
  // A tenth of a second gives back one request, not more.
  clock_.Advance(milliseconds(100));
  EXPECT_TRUE(limiter.Take("user:a@x", "a@x"));
  EXPECT_FALSE(limiter.Take("user:a@x", "a@x"));
  // A long pause refills the bucket to its burst, never beyond.
  clock_.Advance(std::chrono::hours(1));
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(limiter.Take("user:a@x", "a@x")) << i;
  }
  EXPECT_FALSE(limiter.Take("user:a@x", "a@x"));
}

TEST_F(RateLimiterTest, PrincipalsAreCountedApart) {
  RateLimiter limiter(clock_, {.per_second = 1, .burst = 2});
  EXPECT_TRUE(limiter.Take("user:a@x", "a@x"));
  EXPECT_TRUE(limiter.Take("user:a@x", "a@x"));
  EXPECT_FALSE(limiter.Take("user:a@x", "a@x"));
  EXPECT_TRUE(limiter.Take("user:b@x", "b@x"));
  EXPECT_TRUE(limiter.Take("address:10.0.0.1", "address 10.0.0.1"));
}

TEST_F(RateLimiterTest, ASlowRateSaysHowManySecondsToWait) {
  RateLimiter limiter(clock_, {.per_second = 1, .burst = 1});
  EXPECT_TRUE(limiter.Take("p", "p"));
  clock_.Advance(milliseconds(100));
  auto refused = limiter.Take("p", "p");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().retry_after_seconds, 1);
}

TEST_F(RateLimiterTest, ZeroTurnsTheLimitOff) {
  RateLimiter limiter(clock_, {.per_second = 0, .burst = 0});
  for (int i = 0; i < 10000; ++i) {
    ASSERT_TRUE(limiter.Take("p", "p"));
  }
}

TEST_F(RateLimiterTest, ASprayOfAddressesCannotGrowTheTableOrCrowdOutAKnownUser) {
  RateLimiter limiter(clock_, {.per_second = 1, .burst = 3, .max_principals = 160});
  EXPECT_TRUE(limiter.Take("user:a@x", "a@x"));
  // 100,000 made-up addresses, each calling twice within the same instant: the table keeps at
  // most its share per shard, the rest share an overflow bucket that soon refuses them.
  int refused = 0;
  for (int i = 0; i < 100000; ++i) {
    const std::string p = "address:10." + std::to_string(i);
    refused += limiter.Take(p, p) ? 0 : 1;
    refused += limiter.Take(p, p) ? 0 : 1;
  }
  EXPECT_GT(refused, 190000);
  // The user's own bucket was kept (it is not full) and still has two requests.
  EXPECT_TRUE(limiter.Take("user:a@x", "a@x"));
  EXPECT_TRUE(limiter.Take("user:a@x", "a@x"));
  EXPECT_FALSE(limiter.Take("user:a@x", "a@x"));
}

TEST_F(RateLimiterTest, ConcurrentCallersNeverGetMoreThanTheBurst) {
  RateLimiter limiter(clock_, {.per_second = 1, .burst = 100});
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        allowed += limiter.Take("user:a@x", "a@x") ? 1 : 0;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(allowed.load(), 100);
}

}  // namespace
}  // namespace ec2m::server
