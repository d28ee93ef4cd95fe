#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/random.hpp"

// The AWS SDKs' retry modes, as the AWS CLI selects them with `retry_mode`:
//  - standard (reference/ec2-protocol.md §9; botocore retries/standard.py and quota.py): 3
//    attempts, full-jitter backoff capped at 20 s, a per-client retry quota;
//  - legacy (botocore retryhandler.py with data/_retry.json): 5 attempts, the same jitter with no
//    cap and no quota, and HTTP 429 and 509 retried as well;
//  - adaptive (botocore retries/adaptive.py, bucket.py, throttling.py): standard, plus a client
//    side rate limiter that, once the endpoint throttled, paces every attempt of the client.
// Which failures are retried, how long to wait, the quota and the rate limiter. Pure and
// deterministic: no I/O, no sleeping and no clock; callers pass the time and sleep for the
// delays they are given.
namespace ec2m::aws {

enum class RetryMode { kStandard, kLegacy, kAdaptive };

// "standard", "legacy", "adaptive".
std::string_view RetryModeName(RetryMode mode);
// The inverse of RetryModeName; nullopt for anything else (the CLI is case-sensitive too).
std::optional<RetryMode> ParseRetryMode(std::string_view name);

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
// transient status. HTTP 429 without a throttling code is not retryable in standard and adaptive
// modes, as in botocore; legacy mode retries 429 (as throttling) and 509 (as transient).
// Thread-safe, stateless.
FailureKind Classify(std::string_view aws_code, int http_status, bool transport_error,
                     bool timed_out, RetryMode mode = RetryMode::kStandard);

// Settings of one client's retries. Defaults are botocore's standard mode; PolicyFor() gives
// each mode's. REQUIRES: max_attempts >= 1, base > 0, max_backoff >= 0 (checked by RetryState).
struct RetryPolicy {
  RetryMode mode = RetryMode::kStandard;
  int max_attempts = 3;  // 1 try + 2 retries
  std::chrono::milliseconds base{1000};
  std::chrono::milliseconds max_backoff{20000};
};

// Legacy mode has no cap on the backoff; this bound only keeps the arithmetic finite (it is
// reached from the 18th retry on, far beyond legacy's 5 attempts).
inline constexpr std::chrono::milliseconds kLegacyMaxBackoff = std::chrono::hours(72);

// The policy of `mode` with the SDK's defaults: 3 attempts (legacy 5) unless `max_attempts` > 0
// says otherwise, 1 s base, 20 s cap (legacy: kLegacyMaxBackoff).
RetryPolicy PolicyFor(RetryMode mode, int max_attempts = 0);

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

// Adaptive mode's client-side rate limiter (botocore's ClientRateLimiter with its RateClocker,
// CubicCalculator and TokenBucket, same constants): off until the first throttling response;
// from then on every attempt takes a token from a bucket whose fill rate follows CUBIC — cut to
// 70 % of the measured send rate on each throttle, growing back along a cubic curve, never above
// twice the measured rate, never below 0.5/s. One per client, shared by all its calls.
// Times are seconds on the caller's clock. Thread-safe (one mutex).
//
// Unlike botocore, which blocks the sender on a condition variable, BeforeSend() reserves the
// token at once and returns how long to wait for it; a later rate change does not shorten a wait
// already handed out.
class ClientRateLimiter {
 public:
  explicit ClientRateLimiter(double now_s);
  ClientRateLimiter(const ClientRateLimiter&) = delete;
  ClientRateLimiter& operator=(const ClientRateLimiter&) = delete;

  // Before an attempt is sent at `now_s`: the delay to sleep first (zero while not throttled).
  std::chrono::milliseconds BeforeSend(double now_s);
  // After every attempt's outcome at `now_s`; `throttled` = it failed with kThrottling.
  void OnResponse(bool throttled, double now_s);

  bool enabled() const;
  double fill_rate() const;      // tokens per second
  double measured_rate() const;  // smoothed attempts per second

 private:
  void Refill(double now_s);                   // REQUIRES: mu_ held
  void SetMaxRate(double rate, double now_s);  // REQUIRES: mu_ held

  mutable std::mutex mu_;
  bool enabled_ = false;
  // RateClocker: attempts counted in half-second buckets, smoothed.
  double measured_rate_ = 0;
  double last_bucket_;
  int count_ = 0;
  // CubicCalculator
  double w_max_ = 0;
  double k_ = 0;
  double last_fail_;
  // TokenBucket
  double fill_rate_ = 0;
  double max_capacity_ = 0;
  double capacity_ = 0;
  double last_refill_ = -1;  // < 0: never refilled
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

  // The attempt in progress succeeded: releases to the quota as the SDKs do (legacy mode has no
  // quota).
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
