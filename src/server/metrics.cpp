#include "server/metrics.hpp"

#include <fmt/core.h>

namespace ec2m::server {

void Metrics::ObserveRequest(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, status}];
  Histogram& h = latency_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++h.buckets[i];
    }
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::CloudCall(const std::string& env, const std::string& error_code) {
  std::lock_guard lock(mu_);
  Cloud& c = cloud_[env];
  ++c.calls;
  if (!error_code.empty()) {
    ++c.errors;
    if (error_code == "RequestLimitExceeded" || error_code == "Throttling") {
      ++c.throttles;
    }
  }
}

uint64_t Metrics::requests(const std::string& route, int status) const {
  std::lock_guard lock(mu_);
  auto it = requests_.find({route, status});
  return it == requests_.end() ? 0 : it->second;
}

std::string Metrics::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  out += "# HELP ec2m_http_requests_total REST API requests by route and status.\n";
  out += "# TYPE ec2m_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out += fmt::format("ec2m_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first,
                       key.second, n);
  }
  out += "# HELP ec2m_http_request_duration_seconds REST API latency by route.\n";
  out += "# TYPE ec2m_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format("ec2m_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                         route, kBuckets[i], h.buckets[i]);
    }
    out += fmt::format("ec2m_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                       route, h.count);
    out += fmt::format("ec2m_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route, h.sum);
    out += fmt::format("ec2m_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route,
                       h.count);
  }
  out += "# HELP ec2m_auth_failures_total Failed sign-ins and rejected tokens.\n";
  out += "# TYPE ec2m_auth_failures_total counter\n";
  out += fmt::format("ec2m_auth_failures_total {}\n", auth_failures_.load());
  out += "# HELP ec2m_cloud_calls_total Calls to environments' clouds.\n";
  out += "# TYPE ec2m_cloud_calls_total counter\n";
  for (const auto& [env, c] : cloud_) {
    out += fmt::format("ec2m_cloud_calls_total{{env=\"{}\"}} {}\n", env, c.calls);
  }
  out += "# HELP ec2m_cloud_errors_total Failed calls to environments' clouds.\n";
  out += "# TYPE ec2m_cloud_errors_total counter\n";
  for (const auto& [env, c] : cloud_) {
    out += fmt::format("ec2m_cloud_errors_total{{env=\"{}\"}} {}\n", env, c.errors);
  }
  out += "# HELP ec2m_cloud_throttles_total Throttled calls to environments' clouds.\n";
  out += "# TYPE ec2m_cloud_throttles_total counter\n";
  for (const auto& [env, c] : cloud_) {
    out += fmt::format("ec2m_cloud_throttles_total{{env=\"{}\"}} {}\n", env, c.throttles);
  }
  out += "# HELP ec2m_store_errors_total Store operations that failed.\n";
  out += "# TYPE ec2m_store_errors_total counter\n";
  out += fmt::format("ec2m_store_errors_total {}\n", store_errors_.load());
  out +=
      "# HELP ec2m_http_rate_limited_total Requests refused 429 by the per-principal rate limit.\n";
  out += "# TYPE ec2m_http_rate_limited_total counter\n";
  out += fmt::format("ec2m_http_rate_limited_total{{principal=\"user\"}} {}\n",
                     rate_limited_users_.load());
  out += fmt::format("ec2m_http_rate_limited_total{{principal=\"address\"}} {}\n",
                     rate_limited_addresses_.load());
  return out;
}

}  // namespace ec2m::server
