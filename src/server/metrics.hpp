#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

// ec2m's own metrics in the Prometheus text format (GET /metrics): request counts by route and
// status, latency histograms by route, sign-in failures, cloud calls and their errors and
// throttles, store errors.
namespace ec2m::server {

class Metrics {
 public:
  // Request latency buckets, in seconds (Prometheus' default set, cut at 10 s).
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1,    10};

  void ObserveRequest(const std::string& route, int status, double seconds);
  void AuthFailure() { auth_failures_.fetch_add(1, std::memory_order_relaxed); }
  // One call to an environment's cloud; `error_code` is the EC2 code of a failure ("" = ok).
  void CloudCall(const std::string& env, const std::string& error_code);
  void StoreError() { store_errors_.fetch_add(1, std::memory_order_relaxed); }
  // A request refused by the per-principal rate limit; `user`: the caller was signed in (else the
  // limit was its address's).
  void RateLimited(bool user) {
    (user ? rate_limited_users_ : rate_limited_addresses_).fetch_add(1, std::memory_order_relaxed);
  }

  // The exposition text. Thread-safe, like everything here.
  std::string Render() const;

  // For tests and the alarms of a later issue.
  uint64_t requests(const std::string& route, int status) const;
  uint64_t auth_failures() const { return auth_failures_.load(); }

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  struct Cloud {
    uint64_t calls = 0;
    uint64_t errors = 0;
    uint64_t throttles = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;  // guarded by mu_
  std::map<std::string, Histogram> latency_;                  // guarded by mu_
  std::map<std::string, Cloud> cloud_;                        // guarded by mu_
  std::atomic<uint64_t> auth_failures_{0};
  std::atomic<uint64_t> store_errors_{0};
  std::atomic<uint64_t> rate_limited_users_{0};
  std::atomic<uint64_t> rate_limited_addresses_{0};
};

}  // namespace ec2m::server
