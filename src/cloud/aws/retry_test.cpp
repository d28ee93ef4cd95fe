#include "cloud/aws/retry.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <limits>
#include <string>
#include <thread>
#include <vector>

namespace ec2m::aws {
namespace {

using std::chrono::milliseconds;

// The largest double NextDouble() can return: (2^53 - 1) / 2^53.
constexpr double kAlmostOne = 1.0 - 0x1.0p-53;

// Returns a scripted sequence of NextDouble() values, then aborts the test if asked for more.
class ScriptedRandom final : public Random {
 public:
  explicit ScriptedRandom(std::vector<double> values) : values_(std::move(values)) {}
  uint64_t Next() override {
    EXPECT_LT(next_, values_.size()) << "ScriptedRandom ran out of values";
    const double d = next_ < values_.size() ? values_[next_] : 0.0;
    ++next_;
    // NextDouble() keeps the top 53 bits.
    return static_cast<uint64_t>(d * 0x1.0p53) << 11;
  }
  size_t used() const { return next_; }

 private:
  std::vector<double> values_;
  size_t next_ = 0;
};

TEST(ScriptedRandomTest, NextDoubleReturnsTheScript) {
  ScriptedRandom random({0.0, 0.5, 0.25, kAlmostOne});
  EXPECT_EQ(random.NextDouble(), 0.0);
  EXPECT_EQ(random.NextDouble(), 0.5);
  EXPECT_EQ(random.NextDouble(), 0.25);
  EXPECT_EQ(random.NextDouble(), kAlmostOne);
}

// --- Classification -----------------------------------------------------------------------

struct ClassifyCase {
  std::string aws_code;
  int http_status;
  bool transport_error;
  bool timed_out;
  FailureKind expected;
};

std::vector<ClassifyCase> ClassifyCases() {
  std::vector<ClassifyCase> cases;
  // Every throttling code of botocore's list, with the status EC2 sends (400, 503 for
  // RequestLimitExceeded) and with a 5xx, which does not change the kind.
  for (const char* code :
       {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException"}) {
    cases.push_back({code, 400, false, false, FailureKind::kThrottling});
    cases.push_back({code, 503, false, false, FailureKind::kThrottling});
  }
  // The transient codes (PriorRequestNotComplete, in both lists, is above).
  for (const char* code : {"RequestTimeout", "RequestTimeoutException"}) {
    cases.push_back({code, 400, false, false, FailureKind::kTransient});
    cases.push_back({code, 408, false, false, FailureKind::kTransient});
  }
  // The transient statuses, with and without a code in the body.
  for (int status : {500, 502, 503, 504}) {
    cases.push_back({"", status, false, false, FailureKind::kTransient});
    cases.push_back({"InternalError", status, false, false, FailureKind::kTransient});
    cases.push_back({"Unavailable", status, false, false, FailureKind::kTransient});
  }
  // Other statuses without a throttling or transient code are not retried, 429 and 408
  // included (botocore looks at codes, not at those statuses).
  for (int status : {400, 401, 403, 404, 408, 409, 412, 429, 501, 505}) {
    cases.push_back({"", status, false, false, FailureKind::kNotRetryable});
  }
  // Non-retryable EC2 errors.
  for (const char* code :
       {"AuthFailure", "InvalidParameterValue", "IdempotentParameterMismatch", "DryRunOperation",
        "UnauthorizedOperation", "InvalidInstanceID.NotFound", "IncorrectInstanceState",
        "InsufficientInstanceCapacity", "MissingParameter", "SignatureDoesNotMatch"}) {
    cases.push_back({code, 400, false, false, FailureKind::kNotRetryable});
  }
  // Codes match exactly, as in botocore.
  cases.push_back({"throttling", 400, false, false, FailureKind::kNotRetryable});
  cases.push_back({"RequestLimitExceeded ", 400, false, false, FailureKind::kNotRetryable});
  // No response.
  cases.push_back({"", 0, true, false, FailureKind::kTransient});
  cases.push_back({"", 0, false, true, FailureKind::kTimeout});
  cases.push_back({"", 0, true, true, FailureKind::kTimeout});
  cases.push_back({"", 0, false, false, FailureKind::kNotRetryable});
  // A transport error or a timeout wins over whatever a partial response said.
  cases.push_back({"AuthFailure", 401, true, false, FailureKind::kTransient});
  cases.push_back({"Throttling", 400, false, true, FailureKind::kTimeout});
  return cases;
}

TEST(ClassifyTest, Table) {
  for (const ClassifyCase& c : ClassifyCases()) {
    EXPECT_EQ(FailureKindName(Classify(c.aws_code, c.http_status, c.transport_error, c.timed_out)),
              FailureKindName(c.expected))
        << "code '" << c.aws_code << "' status " << c.http_status << " transport "
        << c.transport_error << " timed_out " << c.timed_out;
  }
}

TEST(ClassifyTest, KindNames) {
  EXPECT_EQ(FailureKindName(FailureKind::kThrottling), "throttling");
  EXPECT_EQ(FailureKindName(FailureKind::kTransient), "transient");
  EXPECT_EQ(FailureKindName(FailureKind::kTimeout), "timeout");
  EXPECT_EQ(FailureKindName(FailureKind::kNotRetryable), "not_retryable");
}

// --- Backoff --------------------------------------------------------------------------------

struct BackoffCase {
  int base_ms;
  int failed_attempt;
  double random;
  int64_t expected_ms;
};

TEST(BackoffTest, FullJitterCappedAt20Seconds) {
  const BackoffCase cases[] = {
      {1000, 1, 0.0, 0},
      {1000, 1, 0.5, 500},
      {1000, 1, kAlmostOne, 999},
      {1000, 2, 0.5, 1000},
      {1000, 2, kAlmostOne, 1999},
      {1000, 3, 0.25, 1000},
      {1000, 3, kAlmostOne, 3999},
      {1000, 5, 0.5, 8000},
      {1000, 6, 0.5, 16000},
      {1000, 6, 0.625, 20000},
      {1000, 6, kAlmostOne, 20000},
      {1000, 7, 0.25, 16000},
      {1000, 7, 0.5, 20000},
      {1000, 100, 0.5, 20000},
      {1000, 2000, kAlmostOne, 20000},
      {1000, 2000, 0.0, 0},
      {100, 1, 0.5, 50},
      {100, 4, kAlmostOne, 799},
  };
  for (const BackoffCase& c : cases) {
    ScriptedRandom random({c.random});
    const RetryPolicy policy{.max_attempts = 3, .base = milliseconds(c.base_ms)};
    EXPECT_EQ(Backoff(policy, c.failed_attempt, random).count(), c.expected_ms)
        << "base " << c.base_ms << " attempt " << c.failed_attempt << " random " << c.random;
    EXPECT_EQ(random.used(), 1u);
  }
}

TEST(BackoffTest, StaysWithinBounds) {
  DefaultRandom random(1);
  const RetryPolicy policy;
  for (int attempt = 1; attempt <= 12; ++attempt) {
    const int64_t ceiling = std::min<int64_t>(int64_t{1000} << (attempt - 1), 20000);
    int64_t largest = 0;
    for (int i = 0; i < 2000; ++i) {
      const int64_t ms = Backoff(policy, attempt, random).count();
      ASSERT_GE(ms, 0) << "attempt " << attempt;
      ASSERT_LE(ms, ceiling) << "attempt " << attempt;
      largest = std::max(largest, ms);
    }
    // Full jitter spreads over the whole range.
    EXPECT_GT(largest, ceiling * 9 / 10) << "attempt " << attempt;
  }
}

// --- Attempts -------------------------------------------------------------------------------

TEST(RetryStateTest, CountsAttemptsUpToTheMaximum) {
  for (int max_attempts : {1, 3, 5}) {
    RetryQuota quota;
    ScriptedRandom random(std::vector<double>(10, 0.5));
    RetryState retry(RetryPolicy{.max_attempts = max_attempts}, quota, random);
    std::vector<int64_t> delays;
    EXPECT_EQ(retry.attempt(), 1);
    for (;;) {
      const std::optional<milliseconds> delay = retry.OnFailure(FailureKind::kTransient);
      if (!delay) {
        break;
      }
      delays.push_back(delay->count());
    }
    const std::vector<int64_t> all = {500, 1000, 2000, 4000};
    EXPECT_EQ(delays, std::vector<int64_t>(all.begin(), all.begin() + (max_attempts - 1)))
        << "max_attempts " << max_attempts;
    EXPECT_EQ(retry.attempt(), max_attempts);
    EXPECT_EQ(random.used(), static_cast<size_t>(max_attempts - 1));
    EXPECT_EQ(quota.available(), RetryQuota::kCapacity - 5 * (max_attempts - 1));
  }
}

TEST(RetryStateTest, EveryRetryableKindIsRetried) {
  for (FailureKind kind :
       {FailureKind::kThrottling, FailureKind::kTransient, FailureKind::kTimeout}) {
    RetryQuota quota;
    ScriptedRandom random({0.5});
    RetryState retry(RetryPolicy{}, quota, random);
    const std::optional<milliseconds> delay = retry.OnFailure(kind);
    ASSERT_TRUE(delay.has_value()) << FailureKindName(kind);
    EXPECT_EQ(delay->count(), 500);
    EXPECT_EQ(retry.attempt(), 2);
    EXPECT_EQ(retry.give_up_reason(), "");
  }
}

TEST(RetryStateTest, NotRetryableGivesUpAtOnceWithoutQuotaOrRandom) {
  RetryQuota quota;
  ScriptedRandom random({});
  RetryState retry(RetryPolicy{}, quota, random);
  EXPECT_FALSE(retry.OnFailure(FailureKind::kNotRetryable).has_value());
  EXPECT_EQ(retry.attempt(), 1);
  EXPECT_EQ(quota.available(), RetryQuota::kCapacity);
  EXPECT_EQ(random.used(), 0u);
}

// --- Give-up reasons ------------------------------------------------------------------------

struct GiveUpCase {
  int max_attempts;
  int quota_drained_by;  // tokens taken from the quota before the call
  std::vector<FailureKind> failures;
  std::string expected_reason;  // after the last failure; "" = still retrying
};

TEST(RetryStateTest, GiveUpReasons) {
  const FailureKind kT = FailureKind::kTransient;
  const FailureKind kO = FailureKind::kTimeout;
  const FailureKind kN = FailureKind::kNotRetryable;
  const GiveUpCase cases[] = {
      {3, 0, {kT}, ""},
      {3, 0, {kN}, "not retryable"},
      {3, 0, {kT, kN}, "not retryable"},
      {1, 0, {kN}, "not retryable"},
      {1, 0, {kT}, "1 attempt made"},
      {3, 0, {kT, kT, kT}, "3 attempts made"},
      {5, 0, {kT, kO, kT, kT, kT}, "5 attempts made"},
      {3, 500, {kT}, "retry quota exhausted"},
      {3, 496, {kT}, "retry quota exhausted"},
      {3, 495, {kT}, ""},
      {3, 495, {kT, kT}, "retry quota exhausted"},
      {3, 491, {kO}, "retry quota exhausted"},
      {3, 491, {kT}, ""},
  };
  for (const GiveUpCase& c : cases) {
    RetryQuota quota;
    // Empty the bucket, then give back one token per first-try success.
    while (quota.TryAcquire(FailureKind::kTransient).has_value()) {
    }
    for (int refund = 0; refund < RetryQuota::kCapacity - c.quota_drained_by; ++refund) {
      quota.OnSuccess(0);
    }
    ASSERT_EQ(quota.available(), RetryQuota::kCapacity - c.quota_drained_by);
    DefaultRandom random(3);
    RetryState retry(RetryPolicy{.max_attempts = c.max_attempts}, quota, random);
    std::optional<milliseconds> delay;
    for (FailureKind kind : c.failures) {
      delay = retry.OnFailure(kind);
    }
    EXPECT_EQ(delay.has_value(), c.expected_reason.empty())
        << c.expected_reason << " max_attempts " << c.max_attempts;
    EXPECT_EQ(retry.give_up_reason(), c.expected_reason) << "max_attempts " << c.max_attempts;
  }
}

TEST(RetryStateTest, NoReasonAfterSuccess) {
  RetryQuota quota;
  DefaultRandom random(4);
  RetryState retry(RetryPolicy{}, quota, random);
  ASSERT_TRUE(retry.OnFailure(FailureKind::kThrottling).has_value());
  retry.OnSuccess();
  EXPECT_EQ(retry.give_up_reason(), "");
  EXPECT_EQ(retry.attempt(), 2);
}

// --- Quota ----------------------------------------------------------------------------------

TEST(RetryQuotaTest, HundredRetriesDrainIt) {
  RetryQuota quota;
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(quota.TryAcquire(FailureKind::kThrottling), std::optional<int>(5)) << i;
  }
  EXPECT_EQ(quota.available(), 0);
  EXPECT_EQ(quota.TryAcquire(FailureKind::kTransient), std::nullopt);
  EXPECT_EQ(quota.available(), 0);
}

TEST(RetryQuotaTest, TimeoutsCostTen) {
  RetryQuota quota;
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(quota.TryAcquire(FailureKind::kTimeout), std::optional<int>(10)) << i;
  }
  EXPECT_EQ(quota.TryAcquire(FailureKind::kTimeout), std::nullopt);
  // 7 tokens: too few for a timeout retry, enough for another.
  for (int i = 0; i < 7; ++i) {
    quota.OnSuccess(0);
  }
  EXPECT_EQ(quota.TryAcquire(FailureKind::kTimeout), std::nullopt);
  EXPECT_EQ(quota.available(), 7);
  EXPECT_EQ(quota.TryAcquire(FailureKind::kTransient), std::optional<int>(5));
  EXPECT_EQ(quota.available(), 2);
}

TEST(RetryQuotaTest, SuccessRefillsAndCaps) {
  RetryQuota quota;
  quota.OnSuccess(0);
  EXPECT_EQ(quota.available(), 500);  // capped
  ASSERT_TRUE(quota.TryAcquire(FailureKind::kTimeout).has_value());
  ASSERT_TRUE(quota.TryAcquire(FailureKind::kTransient).has_value());
  EXPECT_EQ(quota.available(), 485);
  quota.OnSuccess(0);
  EXPECT_EQ(quota.available(), 486);
  quota.OnSuccess(5);
  EXPECT_EQ(quota.available(), 491);
  quota.OnSuccess(10);
  quota.OnSuccess(10);
  EXPECT_EQ(quota.available(), 500);  // 511 capped
}

TEST(RetryQuotaTest, CallsSettleAsTheSdksDo) {
  RetryQuota quota;
  DefaultRandom random(5);
  {
    // Two retries (5 then 10), then success: the last acquisition (10) comes back.
    RetryState retry(RetryPolicy{}, quota, random);
    ASSERT_TRUE(retry.OnFailure(FailureKind::kTransient).has_value());
    ASSERT_TRUE(retry.OnFailure(FailureKind::kTimeout).has_value());
    EXPECT_EQ(quota.available(), 485);
    retry.OnSuccess();
    EXPECT_EQ(quota.available(), 495);
  }
  {
    // A final failure gives nothing back.
    RetryState retry(RetryPolicy{}, quota, random);
    ASSERT_TRUE(retry.OnFailure(FailureKind::kThrottling).has_value());
    ASSERT_TRUE(retry.OnFailure(FailureKind::kThrottling).has_value());
    EXPECT_FALSE(retry.OnFailure(FailureKind::kThrottling).has_value());
    EXPECT_EQ(quota.available(), 485);
  }
  {
    // Success at once: 1 comes back.
    RetryState retry(RetryPolicy{}, quota, random);
    retry.OnSuccess();
    EXPECT_EQ(quota.available(), 486);
  }
  {
    // Not retryable: nothing taken, nothing back.
    RetryState retry(RetryPolicy{}, quota, random);
    EXPECT_FALSE(retry.OnFailure(FailureKind::kNotRetryable).has_value());
    EXPECT_EQ(quota.available(), 486);
  }
}

TEST(RetryQuotaTest, DrainedByOneLongCallThenRefilledBySuccesses) {
  RetryQuota quota;
  DefaultRandom random(6);
  RetryState retry(RetryPolicy{.max_attempts = 1000}, quota, random);
  int retries = 0;
  while (retry.OnFailure(FailureKind::kThrottling).has_value()) {
    ++retries;
  }
  EXPECT_EQ(retries, 100);
  EXPECT_EQ(retry.attempt(), 101);
  EXPECT_EQ(retry.give_up_reason(), "retry quota exhausted");
  EXPECT_EQ(quota.available(), 0);

  // Four first-try successes are not enough for a retry; the fifth is.
  for (int i = 0; i < 4; ++i) {
    RetryState ok(RetryPolicy{}, quota, random);
    ok.OnSuccess();
  }
  RetryState refused(RetryPolicy{}, quota, random);
  EXPECT_FALSE(refused.OnFailure(FailureKind::kTransient).has_value());
  EXPECT_EQ(refused.give_up_reason(), "retry quota exhausted");
  RetryState ok(RetryPolicy{}, quota, random);
  ok.OnSuccess();
  RetryState retried(RetryPolicy{}, quota, random);
  EXPECT_TRUE(retried.OnFailure(FailureKind::kTransient).has_value());
  EXPECT_EQ(quota.available(), 0);
}

TEST(RetryQuotaTest, ThreadSafe) {
  RetryQuota quota;
  constexpr int kThreads = 8;
  // Every thread tries 100 acquisitions: exactly 100 succeed in all.
  std::atomic<int> acquired{0};
  {
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 100; ++i) {
          if (quota.TryAcquire(FailureKind::kTransient)) {
            acquired.fetch_add(1);
          }
        }
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
  }
  EXPECT_EQ(acquired.load(), 100);
  EXPECT_EQ(quota.available(), 0);

  // Refill concurrently, then retry-and-succeed concurrently: the bucket ends full.
  {
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 1000; ++i) {
          quota.OnSuccess(0);
          if (const std::optional<int> got = quota.TryAcquire(FailureKind::kTimeout)) {
            quota.OnSuccess(*got);
          }
        }
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
  }
  EXPECT_EQ(quota.available(), RetryQuota::kCapacity);
}

// --- Modes -----------------------------------------------------------------------------------

TEST(RetryModeTest, NamesRoundTripAndNothingElseParses) {
  for (RetryMode mode : {RetryMode::kStandard, RetryMode::kLegacy, RetryMode::kAdaptive}) {
    EXPECT_EQ(ParseRetryMode(RetryModeName(mode)), mode);
  }
  EXPECT_EQ(ParseRetryMode("Standard"), std::nullopt);
  EXPECT_EQ(ParseRetryMode(""), std::nullopt);
  EXPECT_EQ(ParseRetryMode("standard "), std::nullopt);
}

TEST(RetryModeTest, PolicyDefaults) {
  EXPECT_EQ(PolicyFor(RetryMode::kStandard).max_attempts, 3);
  EXPECT_EQ(PolicyFor(RetryMode::kStandard).max_backoff, milliseconds(20000));
  EXPECT_EQ(PolicyFor(RetryMode::kAdaptive).max_attempts, 3);
  EXPECT_EQ(PolicyFor(RetryMode::kAdaptive).mode, RetryMode::kAdaptive);
  EXPECT_EQ(PolicyFor(RetryMode::kLegacy).max_attempts, 5);
  EXPECT_EQ(PolicyFor(RetryMode::kLegacy).max_backoff, kLegacyMaxBackoff);
  EXPECT_EQ(PolicyFor(RetryMode::kLegacy, 2).max_attempts, 2);
  EXPECT_EQ(PolicyFor(RetryMode::kStandard, 7).max_attempts, 7);
}

TEST(RetryModeTest, LegacyAlsoRetries429And509) {
  EXPECT_EQ(Classify("", 429, false, false), FailureKind::kNotRetryable);
  EXPECT_EQ(Classify("", 429, false, false, RetryMode::kAdaptive), FailureKind::kNotRetryable);
  EXPECT_EQ(Classify("", 429, false, false, RetryMode::kLegacy), FailureKind::kThrottling);
  EXPECT_EQ(Classify("", 509, false, false), FailureKind::kNotRetryable);
  EXPECT_EQ(Classify("", 509, false, false, RetryMode::kLegacy), FailureKind::kTransient);
  EXPECT_EQ(Classify("RequestLimitExceeded", 503, false, false, RetryMode::kLegacy),
            FailureKind::kThrottling);
  EXPECT_EQ(Classify("InvalidParameterValue", 400, false, false, RetryMode::kLegacy),
            FailureKind::kNotRetryable);
}

TEST(RetryModeTest, LegacyHasNoQuotaAndNoCap) {
  RetryQuota quota;
  // Drain the quota: legacy retries must not care.
  while (quota.TryAcquire(FailureKind::kTransient)) {
  }
  const int drained = quota.available();
  ScriptedRandom random(std::vector<double>(9, kAlmostOne));
  RetryState retry(PolicyFor(RetryMode::kLegacy, 10), quota, random);
  std::vector<int64_t> delays;
  while (auto delay = retry.OnFailure(FailureKind::kThrottling)) {
    delays.push_back(delay->count());
  }
  EXPECT_EQ(retry.give_up_reason(), "10 attempts made");
  ASSERT_EQ(delays.size(), 9u);
  // rand * 2^(n-1) seconds, uncapped: the ninth retry waits ~256 s, far beyond standard's 20.
  EXPECT_EQ(delays[0], 999);
  EXPECT_EQ(delays[8], 255999);
  EXPECT_EQ(quota.available(), drained);
  RetryState ok(PolicyFor(RetryMode::kLegacy), quota, random);
  ok.OnSuccess();
  EXPECT_EQ(quota.available(), drained) << "legacy mode must not refill a quota it never used";
}

// Every figure below was computed by botocore 1.43's own ClientRateLimiter (adaptive.py with
// RateClocker, CubicCalculator and TokenBucket) fed the same events on a fake clock.
struct LimiterStep {
  double t;
  bool throttled;
  double measured_rate;
  double fill_rate;
};

TEST(ClientRateLimiterTest, FollowsBotocoreStepByStep) {
  const std::vector<LimiterStep> steps = {
      {1000.1, false, 0, 0.5},
      {1000.6, false, 3.2, 0.5},
      {1001.1, false, 2.24, 0.5324000000000331},
      {1001.2, false, 2.24, 0.6912000000000786},
      {1001.7, false, 3.648, 1.965200000000158},
      {1002.2, true, 2.3296, 1.63072},
      {1002.3, false, 2.3296, 1.7907445042468813},
      {1002.8, true, 3.6659200000000003, 1.2535211529728167},
      {1003.5, false, 1.5331839999999999, 1.7645033427170789},
      {1004.0, false, 1.9066368, 1.791106063316903},
      {1005.0, false, 1.18132736, 2.3183501100443342},
      {1007.0, false, 0.6362654719999999, 1.2725309439999999},
      {1010.0, false, 0.3939197610666666, 0.7878395221333332},
  };
  ClientRateLimiter limiter(1000.0);
  EXPECT_FALSE(limiter.enabled());
  for (const LimiterStep& step : steps) {
    limiter.OnResponse(step.throttled, step.t);
    EXPECT_NEAR(limiter.measured_rate(), step.measured_rate, 1e-9) << "t=" << step.t;
    EXPECT_NEAR(limiter.fill_rate(), step.fill_rate, 1e-9) << "t=" << step.t;
  }
  EXPECT_TRUE(limiter.enabled());
}

TEST(ClientRateLimiterTest, PacesSendersOnlyAfterAThrottle) {
  ClientRateLimiter limiter(1000.0);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(limiter.BeforeSend(1000.0), milliseconds(0)) << "not throttled yet";
  }
  for (double t : {1000.1, 1000.6, 1001.1, 1001.2, 1001.7}) {
    limiter.OnResponse(false, t);
  }
  limiter.OnResponse(true, 1002.2);
  // botocore's bucket now holds 1.63072 tokens filling at 1.63072/s: the first sender goes at
  // once, the next ones queue one token-time (1/1.63072 s) apart.
  EXPECT_EQ(limiter.BeforeSend(1002.2), milliseconds(0));
  EXPECT_EQ(limiter.BeforeSend(1002.2), milliseconds(227));  // (1 - 0.63072) / 1.63072 s
  EXPECT_EQ(limiter.BeforeSend(1002.2), milliseconds(840));  // (1 + 0.36928) / 1.63072 s
  // Time refills the bucket: a full token accrues in 1/1.63072 s.
  EXPECT_EQ(limiter.BeforeSend(1002.2 + 2 / 1.63072 + 1.0), milliseconds(0));
}

TEST(ClientRateLimiterTest, ThreadSafe) {
  ClientRateLimiter limiter(0);
  limiter.OnResponse(true, 0.5);
  std::vector<std::thread> threads;
  std::atomic<int64_t> total_wait_ms{0};
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 250; ++i) {
        total_wait_ms += limiter.BeforeSend(1.0).count();
        limiter.OnResponse(i % 50 == 0, 1.0);
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_GT(total_wait_ms.load(), 0);
  EXPECT_GE(limiter.fill_rate(), 0.5);
}

// --- Programmer errors ----------------------------------------------------------------------

TEST(RetryStateDeathTest, MisuseAborts) {
  RetryQuota quota;
  DefaultRandom random(7);
  EXPECT_DEATH({ RetryState retry(RetryPolicy{.max_attempts = 0}, quota, random); },
               "max_attempts");
  EXPECT_DEATH(
      {
        RetryState retry(RetryPolicy{}, quota, random);
        retry.OnSuccess();
        retry.OnSuccess();
      },
      "finished");
  EXPECT_DEATH(
      {
        RetryState retry(RetryPolicy{}, quota, random);
        (void)retry.OnFailure(FailureKind::kNotRetryable);
        (void)retry.OnFailure(FailureKind::kTransient);
      },
      "finished");
}

}  // namespace
}  // namespace ec2m::aws
