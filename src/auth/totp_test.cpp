#include "auth/totp.hpp"

#include <gtest/gtest.h>

#include "auth/base32.hpp"

namespace ec2m::auth {
namespace {

// The ASCII secret of RFC 4226 appendix D and RFC 6238 appendix B.
constexpr std::string_view kRfcKey = "12345678901234567890";

TimePoint AtUnixSeconds(int64_t seconds) { return TimePoint(std::chrono::seconds(seconds)); }

TEST(HotpTest, MatchesRfc4226AppendixD) {
  constexpr std::string_view kExpected[] = {"755224", "287082", "359152", "969429", "338314",
                                            "254676", "287922", "162583", "399871", "520489"};
  for (uint64_t counter = 0; counter < std::size(kExpected); ++counter) {
    EXPECT_EQ(Hotp(kRfcKey, counter, 6), kExpected[counter]) << counter;
  }
}

TEST(TotpTest, MatchesRfc6238AppendixBSha1) {
  struct Vector {
    int64_t unix_seconds;
    std::string_view code;
  };
  constexpr Vector kVectors[] = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"},
  };
  for (const auto& v : kVectors) {
    EXPECT_EQ(Totp(kRfcKey, AtUnixSeconds(v.unix_seconds), 8), v.code) << v.unix_seconds;
  }
  // T = 20000000000 (year 2603) is past what a TimePoint holds (nanoseconds in 64 bits end in
  // 2262), so that vector is checked at its step, 0x27BC86AA.
  EXPECT_EQ(Hotp(kRfcKey, 20000000000 / kTotpPeriodSeconds, 8), "65353130");
  // Six digits are the last six of the eight.
  EXPECT_EQ(Totp(kRfcKey, AtUnixSeconds(1111111109)), "081804");
}

TEST(TotpTest, StepIsFloorOfThirtySecondPeriods) {
  EXPECT_EQ(TotpStep(AtUnixSeconds(0)), 0);
  EXPECT_EQ(TotpStep(AtUnixSeconds(29)), 0);
  EXPECT_EQ(TotpStep(AtUnixSeconds(30)), 1);
  EXPECT_EQ(TotpStep(AtUnixSeconds(59) + std::chrono::milliseconds(999)), 1);
  EXPECT_EQ(TotpStep(AtUnixSeconds(1111111109)), 37037036);
  EXPECT_EQ(TotpStep(AtUnixSeconds(-1)), -1);
  EXPECT_EQ(TotpStep(AtUnixSeconds(-30)), -1);
  EXPECT_EQ(TotpStep(AtUnixSeconds(-31)), -2);
}

TEST(TotpTest, NewSecretIsTwentyRandomBytesInBase32) {
  DefaultRandom random(7);
  const std::string secret = NewTotpSecret(random);
  EXPECT_EQ(secret.size(), 32u);
  const auto key = Base32Decode(secret);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->size(), 20u);
  EXPECT_NE(NewTotpSecret(random), secret);
  DefaultRandom same_seed(7);
  EXPECT_EQ(NewTotpSecret(same_seed), secret);
}

TEST(TotpTest, OtpauthUriPercentEncodesLabelAndIssuer) {
  EXPECT_EQ(OtpauthUri("JBSWY3DPEHPK3PXP", kTotpIssuer, "alice@example.com"),
            "otpauth://totp/ec2m:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=ec2m"
            "&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(OtpauthUri("JBSWY3DPEHPK3PXP", "Acme Co: ops&dev", "bob+ci@x.io"),
            "otpauth://totp/Acme%20Co%3A%20ops%26dev:bob%2Bci%40x.io?secret=JBSWY3DPEHPK3PXP"
            "&issuer=Acme%20Co%3A%20ops%26dev&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(OtpauthUri("S", "é", "a.b_c-d~e"),
            "otpauth://totp/%C3%A9:a.b_c-d~e?secret=S&issuer=%C3%A9&algorithm=SHA1&digits=6"
            "&period=30");
}

class VerifyTotpTest : public ::testing::Test {
 protected:
  // A secret that is not the RFC's, so the test does not depend on its codes.
  const std::string secret_ = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  const std::string key_ = *Base32Decode(secret_);
  const TimePoint now_ = AtUnixSeconds(1'700'000'015);  // mid-step
  const int64_t step_ = TotpStep(now_);

  std::string CodeAt(int64_t step) const { return Hotp(key_, static_cast<uint64_t>(step), 6); }
};

TEST_F(VerifyTotpTest, AcceptsOneStepOfDriftEitherWayAndReturnsTheStep) {
  struct Case {
    int64_t offset;
    bool accepted;
  };
  constexpr Case kCases[] = {{-3, false}, {-2, false}, {-1, true}, {0, true},
                             {1, true},   {2, false},  {3, false}};
  for (const auto& c : kCases) {
    const auto matched = VerifyTotp(secret_, CodeAt(step_ + c.offset), now_, kNoTotpStepUsed);
    if (c.accepted) {
      EXPECT_EQ(matched, step_ + c.offset) << c.offset;
    } else {
      EXPECT_FALSE(matched.has_value()) << c.offset;
    }
  }
}

TEST_F(VerifyTotpTest, ACodeWorksOnceAndOlderStepsNeverAgain) {
  const auto first = VerifyTotp(secret_, CodeAt(step_), now_, kNoTotpStepUsed);
  ASSERT_EQ(first, step_);
  EXPECT_FALSE(VerifyTotp(secret_, CodeAt(step_), now_, *first).has_value());
  EXPECT_FALSE(VerifyTotp(secret_, CodeAt(step_ - 1), now_, *first).has_value());
  EXPECT_EQ(VerifyTotp(secret_, CodeAt(step_ + 1), now_, *first), step_ + 1);
  // Thirty seconds on, the code of the used step is still inside the window, and still refused.
  EXPECT_FALSE(
      VerifyTotp(secret_, CodeAt(step_), now_ + std::chrono::seconds(30), *first).has_value());
}

TEST_F(VerifyTotpTest, RejectsCodesThatAreNotSixAsciiDigits) {
  const std::string good = CodeAt(step_);
  ASSERT_TRUE(VerifyTotp(secret_, good, now_, kNoTotpStepUsed).has_value());
  const std::string cases[] = {"",
                               good.substr(0, 5),
                               good + "0",
                               " " + good.substr(1),
                               good.substr(0, 5) + "a",
                               "+" + good.substr(1),
                               "-" + good.substr(1),
                               good.substr(0, 5) + std::string(1, '\0'),
                               "\xEF\xBC\x91" + good.substr(1),  // a full-width digit one
                               CodeAt(step_ + 5)};
  for (const auto& code : cases) {
    EXPECT_FALSE(VerifyTotp(secret_, code, now_, kNoTotpStepUsed).has_value()) << code;
  }
}

TEST_F(VerifyTotpTest, RejectsEverythingForASecretThatDoesNotDecode) {
  EXPECT_FALSE(VerifyTotp("not base32!", CodeAt(step_), now_, kNoTotpStepUsed).has_value());
}

TEST_F(VerifyTotpTest, StepZeroHasNoPreviousStep) {
  const TimePoint epoch = AtUnixSeconds(10);
  EXPECT_EQ(VerifyTotp(secret_, CodeAt(0), epoch, kNoTotpStepUsed), 0);
  EXPECT_EQ(VerifyTotp(secret_, CodeAt(1), epoch, kNoTotpStepUsed), 1);
}

}  // namespace
}  // namespace ec2m::auth
