#include "sim/utilization.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

namespace ec2m::sim {
namespace {

// FNV-1a, 64-bit: a fixed hash (std::hash may differ between builds).
uint64_t Fnv1a(std::string_view text, uint64_t h = 14695981039346656037ULL) {
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

// splitmix64's finalizer: spreads a counter's bits.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// [0, 1) from the top 53 bits.
double Unit(uint64_t x) { return static_cast<double>(x >> 11) * 0x1.0p-53; }

}  // namespace

double CpuUtilization(std::string_view instance_id, TimePoint at) {
  const uint64_t id = Fnv1a(instance_id);
  const int64_t minute = ToUnixMillis(at) / 60'000;
  const double base = 5.0 + 35.0 * Unit(Mix(id));
  constexpr int64_t kMinutesPerDay = 24 * 60;
  constexpr int64_t kPeakMinute = 14 * 60;
  const double day_phase =
      static_cast<double>(((minute - kPeakMinute) % kMinutesPerDay + kMinutesPerDay) %
                          kMinutesPerDay) /
      kMinutesPerDay;
  const double daily = 10.0 * std::cos(2.0 * std::numbers::pi * day_phase);
  const double noise = 10.0 * Unit(Mix(id ^ static_cast<uint64_t>(minute))) - 5.0;
  return std::clamp(base + daily + noise, 0.0, 100.0);
}

}  // namespace ec2m::sim
