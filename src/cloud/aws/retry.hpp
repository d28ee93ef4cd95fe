#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/random.hpp"

// The AWS SDKs' "standard" retry mode (reference/ec2-protocol.md §9; botocore retries/standard.py
// and quota.py): which failures are retried, how long to wait, and the per-client retry quota.
// Pure and deterministic: no I/O and no sleeping; the caller sleeps for the delay it is given.
namespace ec2m::aws {

// How a failed attempt may be retried.
enum class FailureKind {
  kThrottling,    // a throttling error code (RequestLimitExceeded, Throttling, SlowDown, ...)
  kTransient,     // a transient code, HTTP 500/502/503/504, or a connection error
  kTimeout,       // the connect or read timed out; transient, but a retry costs more quota
  kNotRetryable,  // anything else (AuthFailure, InvalidParameterValue, other 4xx, ...)
};

// "throttling", "transient", "timeout", "not_retryable" — for logs.
std::string_view FailureKindName(FailureKind kind);

// Classifies a failed attempt. `aws_code` is the error code of the EC2 error body (empty when
// there was none), `http_status` the response status (0 when there was no response),
// `transport_error` whether the connection failed (refused, reset, TLS), `timed_out` whether the
// connect or the read timed out. A timeout wins over everything; a throttling code wins over a
// transient status. HTTP 429 without a throttling code is not retryable, as in botocore.
// Thread-safe, stateless.
FailureKind Classify(std::string_view aws_code, int http_status, bool transport_error,
                     bool timed_out);

// Settings of one client's retries. Defaults are botocore's standard mode.
// REQUIRES: max_attempts >= 1, base > 0, max_backoff >= 0 (checked by RetryState).
struct RetryPolicy {
  int max_attempts = 3;  // 1 try + 2 retries
  std::chrono::milliseconds base{1000};
  std::chrono::milliseconds max_backoff{20000};
};

// Full-jitter exponential backoff before the retry that follows attempt `failed_attempt`
// (1-based): min(random * base * 2^(failed_attempt-1), max_backoff), truncated to milliseconds.
// Draws exactly one NextDouble() from `random`. REQUIRES: failed_attempt >= 1.
std::chrono::milliseconds Backoff(const RetryPolicy& policy, int failed_attempt, Random& random);

// The retry quota: a token bucket shared by every call of one client, so that a failing endpoint
// stops being retried by all of them. Starts full. Thread-safe (one mutex).
class RetryQuota {
 public:
  static constexpr int kCapacity = 500;         // INITIAL_RETRY_TOKENS
  static constexpr int kRetryCost = 5;          // RETRY_COST
  static constexpr int kTimeoutRetryCost = 10;  // TIMEOUT_RETRY_COST
  static constexpr int kNoRetryIncrement = 1;   // NO_RETRY_INCREMENT

  RetryQuota() = default;
  RetryQuota(const RetryQuota&) = delete;
  RetryQuota& operator=(const RetryQuota&) = delete;

  // Takes the cost of one retry after a failure of `kind` (kTimeoutRetryCost for kTimeout, else
  // kRetryCost) and returns the amount taken, or nullopt (taking nothing) when fewer tokens are
  // left. REQUIRES: kind != kNotRetryable.
  std::optional<int> TryAcquire(FailureKind kind);

  // Called once when a call succeeded (2xx). `last_acquired` is what the call's last retry
  // acquired, 0 when it needed no retry: returns that amount, or kNoRetryIncrement for 0, capped
  // at kCapacity. A call that finally fails returns nothing. REQUIRES: last_acquired >= 0.
  void OnSuccess(int last_acquired);

  int available() const;

 private:
  mutable std::mutex mu_;
  int available_ = kCapacity;  // guarded by mu_
};

// The retry state of one call: counts its attempts, decides after each failure whether to retry
// and after what delay, and settles with the quota at the end. Copies the policy; holds
// references to the quota and the random source, which must outlive it. Not thread-safe: one per
// call.
//
//   RetryState retry(policy, quota, random);
//   for (;;) {
//     auto response = Send();
//     if (ok) { retry.OnSuccess(); return response; }
//     auto delay = retry.OnFailure(Classify(...));
//     if (!delay) { return Fail(..., retry.give_up_reason()); }
//     Sleep(*delay);
//   }
class RetryState {
 public:
  // REQUIRES: the policy is valid (see RetryPolicy).
  RetryState(const RetryPolicy& policy, RetryQuota& quota, Random& random);

  // Attempt number attempt() failed with `kind`. Returns the delay before the next attempt
  // (and attempt() moves on), or nullopt to give up: the failure is not retryable, max_attempts
  // attempts were made, or the quota refused; give_up_reason() then says which.
  // REQUIRES: neither OnSuccess() nor a give-up happened before.
  std::optional<std::chrono::milliseconds> OnFailure(FailureKind kind);

  // The attempt in progress succeeded: releases to the quota as the SDKs do.
  // REQUIRES: neither OnSuccess() nor a give-up happened before.
  void OnSuccess();

  // 1-based number of the attempt in progress (or of the last one, once finished).
  int attempt() const { return attempt_; }

  // Empty until OnFailure() gave up; then "not retryable", "3 attempts made" or
  // "retry quota exhausted". Valid as long as this object.
  std::string_view give_up_reason() const { return give_up_reason_; }

 private:
  std::optional<std::chrono::milliseconds> GiveUp(std::string reason);

  const RetryPolicy policy_;
  RetryQuota& quota_;
  Random& random_;
  int attempt_ = 1;
  int last_acquired_ = 0;  // what the last retry took from the quota; 0 before any retry
  bool finished_ = false;
  std::string give_up_reason_;
};

}  // namespace ec2m::aws
