#include "cloud/aws/retry.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include <fmt/core.h>

#include "core/check.hpp"

namespace ec2m::aws {
namespace {

// botocore's ThrottledRetryableChecker._THROTTLED_ERROR_CODES, in its order.
constexpr std::array<std::string_view, 14> kThrottlingCodes = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
};

// botocore's TransientRetryableChecker codes and statuses.
constexpr std::array<std::string_view, 3> kTransientCodes = {
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
};
constexpr std::array<int, 4> kTransientStatuses = {500, 502, 503, 504};

template <typename T, size_t N>
bool Contains(const std::array<T, N>& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

std::string_view FailureKindName(FailureKind kind) {
  switch (kind) {
    case FailureKind::kThrottling:
      return "throttling";
    case FailureKind::kTransient:
      return "transient";
    case FailureKind::kTimeout:
      return "timeout";
    case FailureKind::kNotRetryable:
      return "not_retryable";
  }
  return "unknown";
}

std::string_view RetryModeName(RetryMode mode) {
  switch (mode) {
    case RetryMode::kStandard:
      return "standard";
    case RetryMode::kLegacy:
      return "legacy";
    case RetryMode::kAdaptive:
      return "adaptive";
  }
  return "unknown";
}

std::optional<RetryMode> ParseRetryMode(std::string_view name) {
  for (RetryMode mode : {RetryMode::kStandard, RetryMode::kLegacy, RetryMode::kAdaptive}) {
    if (RetryModeName(mode) == name) {
      return mode;
    }
  }
  return std::nullopt;
}

RetryPolicy PolicyFor(RetryMode mode, int max_attempts) {
  RetryPolicy policy;
  policy.mode = mode;
  if (mode == RetryMode::kLegacy) {
    policy.max_attempts = 5;  // _retry.json's __default__ max_attempts
    policy.max_backoff = kLegacyMaxBackoff;
  }
  if (max_attempts > 0) {
    policy.max_attempts = max_attempts;
  }
  return policy;
}

FailureKind Classify(std::string_view aws_code, int http_status, bool transport_error,
                     bool timed_out, RetryMode mode) {
  // Timeouts first: the quota charges them more (botocore's _TIMEOUT_EXCEPTIONS).
  if (timed_out) {
    return FailureKind::kTimeout;
  }
  if (transport_error) {
    return FailureKind::kTransient;
  }
  // Throttling and transient cost the same quota; the distinction is for logs and metrics. EC2
  // sends RequestLimitExceeded with a 503, which is throttling.
  if (Contains(kThrottlingCodes, aws_code)) {
    return FailureKind::kThrottling;
  }
  if (Contains(kTransientCodes, aws_code) || Contains(kTransientStatuses, http_status)) {
    return FailureKind::kTransient;
  }
  // _retry.json's too_many_requests and limit_exceeded policies.
  if (mode == RetryMode::kLegacy && http_status == 429) {
    return FailureKind::kThrottling;
  }
  if (mode == RetryMode::kLegacy && http_status == 509) {
    return FailureKind::kTransient;
  }
  return FailureKind::kNotRetryable;
}

std::chrono::milliseconds Backoff(const RetryPolicy& policy, int failed_attempt, Random& random) {
  EC2M_CHECK(failed_attempt >= 1, "Backoff after attempt 0");
  // The cap applies after the jitter, as Debian's awscli copy of botocore and aws-sdk-cpp do.
  // In doubles, with the exponent clamped so the product stays finite (0 * inf would be NaN):
  // any nonzero draw (>= 2^-53) times 2^kMaxExponent is far above every cap.
  constexpr int kMaxExponent = 900;
  const double ceiling = static_cast<double>(policy.base.count()) *
                         std::exp2(std::min(failed_attempt - 1, kMaxExponent));
  const double delay =
      std::min(random.NextDouble() * ceiling, static_cast<double>(policy.max_backoff.count()));
  return std::chrono::milliseconds(static_cast<int64_t>(delay));
}

std::optional<int> RetryQuota::TryAcquire(FailureKind kind) {
  EC2M_CHECK(kind != FailureKind::kNotRetryable, "quota asked for a non-retryable failure");
  const int cost = kind == FailureKind::kTimeout ? kTimeoutRetryCost : kRetryCost;
  std::lock_guard<std::mutex> lock(mu_);
  if (cost > available_) {
    return std::nullopt;
  }
  available_ -= cost;
  return cost;
}

void RetryQuota::OnSuccess(int last_acquired) {
  EC2M_CHECK(last_acquired >= 0, "negative quota release");
  const int amount = last_acquired == 0 ? kNoRetryIncrement : last_acquired;
  std::lock_guard<std::mutex> lock(mu_);
  available_ = std::min(available_ + amount, kCapacity);
}

int RetryQuota::available() const {
  std::lock_guard<std::mutex> lock(mu_);
  return available_;
}

namespace {
// botocore's constants (adaptive.py, bucket.py, throttling.py).
constexpr double kSmoothing = 0.8;         // RateClocker._DEFAULT_SMOOTHING
constexpr double kBucketsPerSecond = 2;    // 1 / RateClocker._TIME_BUCKET_RANGE
constexpr double kCubicScale = 0.4;        // CubicCalculator._SCALE_CONSTANT
constexpr double kCubicBeta = 0.7;         // CubicCalculator._BETA
constexpr double kMinFillRate = 0.5;       // TokenBucket._MIN_RATE
constexpr double kMaxRateAdjustScale = 2;  // ClientRateLimiter._MAX_RATE_ADJUST_SCALE

double CubicZeroPoint(double w_max) { return std::cbrt(w_max * (1 - kCubicBeta) / kCubicScale); }
}  // namespace

ClientRateLimiter::ClientRateLimiter(double now_s)
    : last_bucket_(std::floor(now_s)), k_(CubicZeroPoint(0)), last_fail_(now_s) {
  SetMaxRate(1, now_s);  // TokenBucket(max_rate=1)
}

void ClientRateLimiter::Refill(double now_s) {
  if (last_refill_ < 0) {
    last_refill_ = now_s;
    return;
  }
  capacity_ = std::min(max_capacity_, capacity_ + (now_s - last_refill_) * fill_rate_);
  last_refill_ = now_s;
}

void ClientRateLimiter::SetMaxRate(double rate, double now_s) {
  // Tokens accrued so far count at the old rate.
  Refill(now_s);
  fill_rate_ = std::max(rate, kMinFillRate);
  max_capacity_ = std::max(rate, 1.0);
  capacity_ = std::min(capacity_, max_capacity_);
}

std::chrono::milliseconds ClientRateLimiter::BeforeSend(double now_s) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!enabled_) {
    return std::chrono::milliseconds(0);
  }
  Refill(now_s);
  // Reserve the token now; a negative capacity is the queue of senders waiting for tokens.
  const double wait_s = capacity_ >= 1 ? 0 : (1 - capacity_) / fill_rate_;
  capacity_ -= 1;
  return std::chrono::milliseconds(static_cast<int64_t>(std::ceil(wait_s * 1000)));
}

void ClientRateLimiter::OnResponse(bool throttled, double now_s) {
  std::lock_guard<std::mutex> lock(mu_);
  // RateClocker.record()
  const double bucket = std::floor(now_s * kBucketsPerSecond) / kBucketsPerSecond;
  ++count_;
  if (bucket > last_bucket_) {
    const double current = count_ / (bucket - last_bucket_);
    measured_rate_ = current * kSmoothing + measured_rate_ * (1 - kSmoothing);
    count_ = 0;
    last_bucket_ = bucket;
  }
  double new_rate = 0;
  if (!throttled) {
    // CubicCalculator.success_received()
    new_rate = kCubicScale * std::pow(now_s - last_fail_ - k_, 3) + w_max_;
  } else {
    // CubicCalculator.error_received()
    const double rate_to_use = enabled_ ? std::min(measured_rate_, fill_rate_) : measured_rate_;
    w_max_ = rate_to_use;
    k_ = CubicZeroPoint(w_max_);
    last_fail_ = now_s;
    new_rate = rate_to_use * kCubicBeta;
    enabled_ = true;
  }
  SetMaxRate(std::min(new_rate, kMaxRateAdjustScale * measured_rate_), now_s);
}

bool ClientRateLimiter::enabled() const {
  std::lock_guard<std::mutex> lock(mu_);
  return enabled_;
}

double ClientRateLimiter::fill_rate() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fill_rate_;
}

double ClientRateLimiter::measured_rate() const {
  std::lock_guard<std::mutex> lock(mu_);
  return measured_rate_;
}

RetryState::RetryState(const RetryPolicy& policy, RetryQuota& quota, Random& random)
    : policy_(policy), quota_(quota), random_(random) {
  EC2M_CHECK(policy.max_attempts >= 1, "RetryPolicy.max_attempts must be >= 1");
  EC2M_CHECK(policy.base.count() > 0, "RetryPolicy.base must be > 0");
  EC2M_CHECK(policy.max_backoff.count() >= 0, "RetryPolicy.max_backoff must be >= 0");
}

std::optional<std::chrono::milliseconds> RetryState::OnFailure(FailureKind kind) {
  EC2M_CHECK(!finished_, "OnFailure after the call finished");
  // botocore tests max attempts first; both checks give up the same way, and naming the
  // non-retryable error is the more useful reason.
  if (kind == FailureKind::kNotRetryable) {
    return GiveUp("not retryable");
  }
  if (attempt_ >= policy_.max_attempts) {
    return GiveUp(fmt::format("{} attempt{} made", attempt_, attempt_ == 1 ? "" : "s"));
  }
  if (policy_.mode != RetryMode::kLegacy) {
    const std::optional<int> acquired = quota_.TryAcquire(kind);
    if (!acquired) {
      return GiveUp("retry quota exhausted");
    }
    last_acquired_ = *acquired;
  }
  const std::chrono::milliseconds delay = Backoff(policy_, attempt_, random_);
  ++attempt_;
  return delay;
}

void RetryState::OnSuccess() {
  EC2M_CHECK(!finished_, "OnSuccess after the call finished");
  finished_ = true;
  if (policy_.mode != RetryMode::kLegacy) {
    quota_.OnSuccess(last_acquired_);
  }
}

std::optional<std::chrono::milliseconds> RetryState::GiveUp(std::string reason) {
  finished_ = true;
  give_up_reason_ = std::move(reason);
  return std::nullopt;
}

}  // namespace ec2m::aws
