#include "timing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ec2m::bench {

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) {
    return 0;
  }
  const auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

SteadyClock::time_point Deadline(SteadyClock::time_point start, double seconds) {
  return start +
         std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(seconds));
}

std::string TimingJsonMembers(const Timing& timing) {
  const auto& lat = timing.latencies_ms;
  const double mean =
      lat.empty() ? 0
                  : std::accumulate(lat.begin(), lat.end(), 0.0) / static_cast<double>(lat.size());
  const double ok_calls = static_cast<double>(timing.calls - timing.errors);
  return fmt::format(
      "\"calls\":{},\"seconds\":{:.3f},\"calls_per_s\":{:.4f},\"p50_ms\":{:.3f},"
      "\"p99_ms\":{:.3f},\"mean_ms\":{:.3f},\"max_ms\":{:.3f},\"errors\":{}",
      timing.calls, timing.seconds, timing.seconds > 0 ? ok_calls / timing.seconds : 0.0,
      Percentile(lat, 0.50), Percentile(lat, 0.99), mean, lat.empty() ? 0.0 : lat.back(),
      timing.errors);
}

Timing TimeLoop(const std::function<bool()>& call, int64_t iterations, double seconds, int warmup) {
  for (int i = 0; i < warmup; ++i) {
    (void)call();
  }
  Timing timing;
  timing.latencies_ms.reserve(static_cast<size_t>(std::max<int64_t>(0, iterations)));
  const auto start = SteadyClock::now();
  const auto deadline = Deadline(start, seconds);
  while (timing.calls < iterations && SteadyClock::now() < deadline) {
    const auto t0 = SteadyClock::now();
    const bool ok = call();
    const auto t1 = SteadyClock::now();
    timing.latencies_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    ++timing.calls;
    if (!ok) {
      ++timing.errors;
    }
  }
  timing.seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  std::sort(timing.latencies_ms.begin(), timing.latencies_ms.end());
  return timing;
}

}  // namespace ec2m::bench
