#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ec2m::bench {

using SteadyClock = std::chrono::steady_clock;

// The latencies of one closed-loop run and what they add up to. A value type.
struct Timing {
  int64_t calls = 0;
  int64_t errors = 0;                // failed calls; their latencies are included
  double seconds = 0;                // wall-clock time of the timed loop
  std::vector<double> latencies_ms;  // sorted ascending once the run is over
};

// The nearest-rank percentile `p` (0..1) of sorted `values`; 0 when empty.
double Percentile(const std::vector<double>& sorted, double p);

// The steady-clock time `seconds` from `start`.
SteadyClock::time_point Deadline(SteadyClock::time_point start, double seconds);

// The run's figures as JSON members without the braces, so callers can add their own:
// "calls", "seconds", "calls_per_s" (successful calls over `seconds`), "p50_ms", "p99_ms",
// "mean_ms", "max_ms", "errors". REQUIRES: timing.latencies_ms is sorted.
std::string TimingJsonMembers(const Timing& timing);

// Runs `call` back to back on this thread: `warmup` untimed calls, then timed calls until
// `iterations` were made or `seconds` have passed, whichever comes first. `call` returns false
// for a failed call (counted in errors, and the loop goes on). Returns sorted latencies.
Timing TimeLoop(const std::function<bool()>& call, int64_t iterations, double seconds, int warmup);

}  // namespace ec2m::bench
