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

FailureKind Classify(std::string_view aws_code, int http_status, bool transport_error,
                     bool timed_out) {
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
  const std::optional<int> acquired = quota_.TryAcquire(kind);
  if (!acquired) {
    return GiveUp("retry quota exhausted");
  }
  last_acquired_ = *acquired;
  const std::chrono::milliseconds delay = Backoff(policy_, attempt_, random_);
  ++attempt_;
  return delay;
}

void RetryState::OnSuccess() {
  EC2M_CHECK(!finished_, "OnSuccess after the call finished");
  finished_ = true;
  quota_.OnSuccess(last_acquired_);
}

std::optional<std::chrono::milliseconds> RetryState::GiveUp(std::string reason) {
  finished_ = true;
  give_up_reason_ = std::move(reason);
  return std::nullopt;
}

}  // namespace ec2m::aws
