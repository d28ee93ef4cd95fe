#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace ec2m::server {

// How fast one principal may call the REST API: a token bucket of `burst` requests refilled at
// `per_second`. per_second 0 turns the limit off.
struct RatePolicy {
  int64_t per_second = 100;
  int64_t burst = 200;
  // Principals remembered at once. A table full of busy principals shares one bucket for the rest
  // (an attacker spraying addresses then slows only that shared bucket, never a known user).
  size_t max_principals = 10000;
};

// The REST API's per-principal request limit, in the manner of AWS API throttling: each signed-in
// user, or for requests that sign in no one each client address, has a token bucket; a request
// that finds it empty is refused with kThrottled and the seconds until a token is back (the API
// answers 429 with Retry-After). The limit is this process's: replicas each count their own.
//
// Thread-safe: principals are spread over shards with a mutex each, so requests of different
// principals rarely wait on one another.
class RateLimiter {
 public:
  RateLimiter(const Clock& clock, RatePolicy policy);

  // Takes one request's token from `principal` ("user:a@b.c", "source:10.0.0.1"). Errors:
  // kThrottled naming `who` (how the answer describes the caller: "a@b.c", "address 10.0.0.1")
  // with retry_after_seconds set.
  Result<void> Take(const std::string& principal, const std::string& who);

  // Requests refused since start.
  uint64_t refused() const { return refused_.load(std::memory_order_relaxed); }
  const RatePolicy& policy() const { return policy_; }

 private:
  struct Bucket {
    double tokens = 0;
    int64_t at_us = 0;  // when `tokens` was last brought up to date
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Bucket> buckets;  // guarded by mu
    Bucket overflow;                                  // guarded by mu
  };
  static constexpr size_t kShards = 16;

  // Brings `b` up to `now_us`; whether it was full (so forgetting it loses nothing).
  bool Refill(Bucket& b, int64_t now_us) const;
  // The bucket of `principal` in `shard`, made full when new; the shard's overflow bucket when
  // the shard is at its share of max_principals even after forgetting its full buckets.
  Bucket& Find(Shard& shard, const std::string& principal, int64_t now_us);

  const Clock& clock_;
  const RatePolicy policy_;
  std::array<Shard, kShards> shards_;
  std::atomic<uint64_t> refused_{0};
};

}  // namespace ec2m::server
