#include "server/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include <fmt/format.h>

namespace ec2m::server {

namespace {

constexpr double kMicros = 1e6;

int64_t NowMicros(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::microseconds>(clock.Now().time_since_epoch())
      .count();
}

}  // namespace

RateLimiter::RateLimiter(const Clock& clock, RatePolicy policy) : clock_(clock), policy_(policy) {
  const int64_t now = NowMicros(clock_);
  for (Shard& shard : shards_) {
    shard.overflow = Bucket{static_cast<double>(policy_.burst), now};
  }
}

bool RateLimiter::Refill(Bucket& b, int64_t now_us) const {
  const double burst = static_cast<double>(policy_.burst);
  // A clock set back leaves the bucket as it was rather than draining or overfilling it.
  const double elapsed = static_cast<double>(std::max<int64_t>(0, now_us - b.at_us)) / kMicros;
  b.tokens = std::min(burst, b.tokens + elapsed * static_cast<double>(policy_.per_second));
  b.at_us = std::max(b.at_us, now_us);
  return b.tokens >= burst;
}

RateLimiter::Bucket& RateLimiter::Find(Shard& shard, const std::string& principal, int64_t now_us) {
  auto it = shard.buckets.find(principal);
  if (it != shard.buckets.end()) {
    return it->second;
  }
  const size_t share = std::max<size_t>(1, policy_.max_principals / kShards);
  if (shard.buckets.size() >= share) {
    for (auto at = shard.buckets.begin(); at != shard.buckets.end();) {
      at = Refill(at->second, now_us) ? shard.buckets.erase(at) : std::next(at);
    }
    if (shard.buckets.size() >= share) {
      return shard.overflow;
    }
  }
  return shard.buckets.emplace(principal, Bucket{static_cast<double>(policy_.burst), now_us})
      .first->second;
}

Result<void> RateLimiter::Take(const std::string& principal, const std::string& who) {
  if (policy_.per_second <= 0) {
    return {};
  }
  const int64_t now = NowMicros(clock_);
  Shard& shard = shards_[std::hash<std::string>{}(principal) % kShards];
  double wait_seconds = 0;
  {
    std::lock_guard lock(shard.mu);
    Bucket& b = Find(shard, principal, now);
    Refill(b, now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return {};
    }
    wait_seconds = (1 - b.tokens) / static_cast<double>(policy_.per_second);
  }
  refused_.fetch_add(1, std::memory_order_relaxed);
  const auto seconds = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait_seconds)));
  Error e{ErrorCode::kThrottled,
          fmt::format("too many requests from {}: the limit is {} a second (bursts of {}); retry "
                      "after {} s",
                      who, policy_.per_second, policy_.burst, seconds),
          "", ""};
  e.retry_after_seconds = seconds;
  return Fail(std::move(e));
}

}  // namespace ec2m::server
