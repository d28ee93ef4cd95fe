#include "server/signin_throttle.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"

namespace ec2m::server {
namespace {

using std::chrono::seconds;

class SigninThrottleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::SqliteStore::Open(":memory:");
    ASSERT_TRUE(store);
    store_ = std::move(*store);
  }

  // Takes and fails an attempt; the error when it was refused.
  Result<void> Fail(SigninThrottle& t, const std::string& account, const std::string& source,
                    bool trusted = false) {
    auto ticket = t.Take(account, source, trusted);
    EC2M_RETURN_IF_ERROR(ticket);
    return {};
  }

  ManualClock clock_{FromUnixMillis(1'800'000'000'000)};
  std::unique_ptr<Store> store_;
};

TEST_F(SigninThrottleTest, OneAddressIsSlowedAfterFiveFailuresWithGrowingDelays) {
  SigninThrottle t(*store_, clock_);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Fail(t, "bob@example.com", "10.0.0.1")) << i;
  }
  auto refused = Fail(t, "bob@example.com", "10.0.0.1");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kThrottled);
  EXPECT_EQ(refused.error().message, "too many sign-in attempts: try again in 1 s");
  EXPECT_EQ(refused.error().retry_after_seconds, 1);
  // The real user from another address is not slowed by it.
  EXPECT_TRUE(Fail(t, "bob@example.com", "10.0.0.2"));
  // Delays double: 1 s, 2 s, 4 s after the 5th, 6th, 7th failures.
  for (int64_t wait : {1, 2, 4, 8}) {
    clock_.Advance(seconds(wait) - std::chrono::milliseconds(1));
    EXPECT_FALSE(Fail(t, "bob@example.com", "10.0.0.1")) << wait;
    clock_.Advance(std::chrono::milliseconds(1));
    EXPECT_TRUE(Fail(t, "bob@example.com", "10.0.0.1")) << wait;
  }
  // A day without failures forgets them.
  clock_.Advance(std::chrono::hours(25));
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(Fail(t, "bob@example.com", "10.0.0.1")) << i;
  }
}

TEST_F(SigninThrottleTest, ManyAddressesTogetherAreBoundedButATrustedOneIsNot) {
  SigninThrottle t(*store_, clock_);
  // Ten addresses with one guess each: the account's free failures.
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(Fail(t, "alice@example.com", "10.1.0." + std::to_string(i)));
  }
  // From here any address alice never signed in from waits (1 s, growing to a minute).
  auto next = Fail(t, "alice@example.com", "10.1.1.1");
  ASSERT_FALSE(next);
  EXPECT_EQ(next.error().retry_after_seconds, 1);
  // alice from her usual address signs in at once.
  auto ticket = t.Take("alice@example.com", "192.168.1.5", true);
  ASSERT_TRUE(ticket);
  ASSERT_TRUE(t.Refund(*ticket, true));
  EXPECT_EQ(t.Account("alice@example.com")->failures, 10);  // her attempt did not count
  // The cap: an attacker with any number of addresses gets one guess a minute.
  int guesses = 0;
  for (int s = 0; s < 3600; ++s) {
    clock_.Advance(seconds(1));
    guesses += Fail(t, "alice@example.com",
                    "172.16." + std::to_string(s / 250) + "." + std::to_string(s % 250))
                   ? 1
                   : 0;
  }
  EXPECT_LE(guesses, 60 + 7);  // the delays up to the cap (1+2+...+32 s), then one a minute
  EXPECT_GE(guesses, 55);
}

TEST_F(SigninThrottleTest, OneAddressCannotSprayAccounts) {
  SigninThrottle t(*store_, clock_);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(Fail(t, "user" + std::to_string(i) + "@example.com", "10.9.9.9"));
  }
  auto refused = Fail(t, "user99@example.com", "10.9.9.9");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kThrottled);
}

TEST_F(SigninThrottleTest, ARefundedSignInClearsTheAddressAndParallelAttemptsCountExactly) {
  SigninThrottle lenient(
      *store_, clock_,
      {.pair_free_failures = 1000, .account_free_failures = 1000, .source_free_failures = 1000});
  std::vector<std::thread> threads;
  for (int i = 0; i < 64; ++i) {
    threads.emplace_back(
        [&] { EXPECT_TRUE(lenient.Take("carol@example.com", "10.2.0.1", false)); });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(lenient.Account("carol@example.com")->failures, 64);
  auto ticket = lenient.Take("carol@example.com", "10.2.0.1", false);
  ASSERT_TRUE(ticket);
  ASSERT_TRUE(lenient.Refund(*ticket, true));
  EXPECT_EQ(lenient.Account("carol@example.com")->failures, 64);
  EXPECT_FALSE(store_->GetDoc("signin_throttle", "p/carol@example.com/10.2.0.1")->has_value());
}

}  // namespace
}  // namespace ec2m::server
