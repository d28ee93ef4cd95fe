#include "load_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace ec2m::bench {
namespace {

int64_t CountElements(const std::string& xml, const std::string& tag) {
  const std::string open = "<" + tag + ">";
  int64_t n = 0;
  for (auto at = xml.find(open); at != std::string::npos; at = xml.find(open, at + open.size())) {
    ++n;
  }
  return n;
}

std::string DescribeFailure(const aws::HttpResult& r) {
  if (r.status == 0) {
    return "no response: " + r.transport_error;
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

void Worker(RunState& state, aws::HttpClient& http) {
  std::vector<double> latencies;
  int64_t errors = 0;
  uint64_t bytes = 0;
  std::string first_error;
  int64_t items = -1;
  while (state.issued.fetch_add(1) < state.options.iterations &&
         SteadyClock::now() < state.deadline) {
    const auto start = SteadyClock::now();
    const aws::HttpResult r = PostSigned(http, state.endpoint, state.options.form_body);
    const auto end = SteadyClock::now();
    latencies.push_back(std::chrono::duration<double, std::milli>(end - start).count());
    bytes += r.body.size();
    if (!state.options.count_tag.empty()) {
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
  Timing& timing = state.report.timing;
  timing.calls += static_cast<int64_t>(latencies.size());
  timing.errors += errors;
  timing.latencies_ms.insert(timing.latencies_ms.end(), latencies.begin(), latencies.end());
  state.report.bytes += bytes;
  if (state.report.first_error.empty()) {
    state.report.first_error = first_error;
  }
  state.report.items = std::max(state.report.items, items);
}

}  // namespace

LoadReport RunLoad(const EndpointConfig& endpoint, const LoadOptions& options) {
  const int threads = std::max(1, options.concurrency);
  // Built on this thread: the first HttpClient runs curl_global_init, which is not thread-safe.
  std::vector<std::unique_ptr<aws::HttpClient>> clients;
  clients.reserve(threads);
  for (int i = 0; i < threads; ++i) {
    clients.push_back(std::make_unique<aws::HttpClient>(HttpOptions(endpoint)));
    for (int w = 0; w < options.warmup; ++w) {
      (void)PostSigned(*clients.back(), endpoint, options.form_body);
    }
  }
  RunState state{.endpoint = endpoint, .options = options, .deadline = {}};
  const auto start = SteadyClock::now();
  state.deadline = Deadline(start, options.seconds);
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&state, &clients, i] { Worker(state, *clients[i]); });
  }
  for (auto& t : pool) {
    t.join();
  }
  Timing& timing = state.report.timing;
  timing.seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  std::sort(timing.latencies_ms.begin(), timing.latencies_ms.end());
  return std::move(state.report);
}

std::string ReportJson(const LoadReport& report, const LoadOptions& options) {
  return fmt::format("{{{},\"bytes\":{},\"concurrency\":{}{}}}", TimingJsonMembers(report.timing),
                     report.bytes, options.concurrency,
                     report.items >= 0 ? fmt::format(",\"items\":{}", report.items) : "");
}

}  // namespace ec2m::bench
