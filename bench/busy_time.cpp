#include "busy_time.hpp"

#include <chrono>
#include <utility>

namespace ec2m::bench {

void BusyTime::Enter() {
  const auto now = SteadyClock::now();
  std::lock_guard lock(mu_);
  if (in_flight_++ == 0) {
    since_ = now;
  }
}

void BusyTime::Leave() {
  const auto now = SteadyClock::now();
  std::lock_guard lock(mu_);
  if (--in_flight_ == 0) {
    ms_ += std::chrono::duration<double, std::milli>(now - since_).count();
  }
}

double BusyTime::TakeMs() {
  std::lock_guard lock(mu_);
  return std::exchange(ms_, 0);
}

}  // namespace ec2m::bench
