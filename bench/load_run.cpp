#include "load_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>
#include <numeric>
#include <thread>

namespace ec2m::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

int64_t CountElements(const std::string& xml, const std::string& tag) {
  const std::string open = "<" + tag + ">";
  int64_t n = 0;
  for (auto at = xml.find(open); at != std::string::npos; at = xml.find(open, at + open.size())) {
    ++n;
  }
  return n;
}

std::string DescribeFailure(const CallResult& r) {
  if (r.status == 0) {
    return "no response: " + r.error;
  }
  return fmt::format("HTTP {}: {}", r.status, r.body.substr(0, 300));
}

// Shared by the worker threads of one run.
struct RunState {
  const EndpointConfig& endpoint;
  const LoadOptions& options;
  SteadyClock::time_point deadline;
  std::atomic<int64_t> issued{0};
  std::mutex mu;
  LoadReport report;  // guarded by mu
};

void Worker(RunState& state, QueryClient& client) {
  std::vector<double> latencies;
  int64_t errors = 0;
  uint64_t bytes = 0;
  std::string first_error;
  int64_t items = -1;
  const bool counting = !state.options.count_tag.empty();
  while (state.issued.fetch_add(1) < state.options.iterations &&
         SteadyClock::now() < state.deadline) {
    const auto start = SteadyClock::now();
    CallResult r = client.Call(state.options.form_body, counting ? SIZE_MAX : 512);
    const auto end = SteadyClock::now();
    latencies.push_back(std::chrono::duration<double, std::milli>(end - start).count());
    bytes += r.bytes;
    if (counting) {
      items = CountElements(r.body, state.options.count_tag);
    }
    if (r.status != 200) {
      ++errors;
      if (first_error.empty()) {
        first_error = DescribeFailure(r);
      }
    }
  }
  std::lock_guard lock(state.mu);
  state.report.calls += static_cast<int64_t>(latencies.size());
  state.report.errors += errors;
  state.report.bytes += bytes;
  state.report.latencies_ms.insert(state.report.latencies_ms.end(), latencies.begin(),
                                   latencies.end());
  if (state.report.first_error.empty()) {
    state.report.first_error = first_error;
  }
  state.report.items = std::max(state.report.items, items);
}

}  // namespace

LoadReport RunLoad(const EndpointConfig& endpoint, const LoadOptions& options) {
  const int threads = std::max(1, options.concurrency);
  std::vector<std::unique_ptr<QueryClient>> clients;
  for (int i = 0; i < threads; ++i) {
    clients.push_back(std::make_unique<QueryClient>(endpoint));
    for (int w = 0; w < options.warmup; ++w) {
      (void)clients.back()->Call(options.form_body);
    }
  }
  RunState state{.endpoint = endpoint, .options = options, .deadline = {}};
  const auto start = SteadyClock::now();
  state.deadline = start + std::chrono::duration_cast<SteadyClock::duration>(
                               std::chrono::duration<double>(options.seconds));
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&state, &clients, i] { Worker(state, *clients[i]); });
  }
  for (auto& t : pool) {
    t.join();
  }
  state.report.seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  std::sort(state.report.latencies_ms.begin(), state.report.latencies_ms.end());
  return std::move(state.report);
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) {
    return 0;
  }
  const auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

std::string ReportJson(const LoadReport& report, const LoadOptions& options) {
  const auto& lat = report.latencies_ms;
  const double mean =
      lat.empty() ? 0
                  : std::accumulate(lat.begin(), lat.end(), 0.0) / static_cast<double>(lat.size());
  const double ok_calls = static_cast<double>(report.calls - report.errors);
  return fmt::format(
      "{{\"calls\":{},\"seconds\":{:.3f},\"calls_per_s\":{:.4f},\"p50_ms\":{:.3f},"
      "\"p99_ms\":{:.3f},\"mean_ms\":{:.3f},\"max_ms\":{:.3f},\"errors\":{},\"bytes\":{},"
      "\"concurrency\":{}{}}}",
      report.calls, report.seconds, report.seconds > 0 ? ok_calls / report.seconds : 0.0,
      Percentile(lat, 0.50), Percentile(lat, 0.99), mean, lat.empty() ? 0.0 : lat.back(),
      report.errors, report.bytes, options.concurrency,
      report.items >= 0 ? fmt::format(",\"items\":{}", report.items) : "");
}

}  // namespace ec2m::bench
