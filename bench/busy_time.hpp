#pragma once

#include <mutex>

#include "timing.hpp"

namespace ec2m::bench {

// The wall time during which at least one of a set of calls was in flight: the union of their
// intervals, which is less than their sum when calls overlap. Each call brackets itself with
// Enter and Leave, from any thread. Thread-safe (one mutex).
class BusyTime {
 public:
  void Enter();
  // REQUIRES: a matching Enter.
  void Leave();
  // The busy time since the last Take, in milliseconds, and starts over. REQUIRES: no call in
  // flight (its time would be split between two Takes).
  double TakeMs();

 private:
  std::mutex mu_;
  int in_flight_ = 0;                // guarded by mu_
  SteadyClock::time_point since_{};  // guarded by mu_: when in_flight_ last left 0
  double ms_ = 0;                    // guarded by mu_
};

}  // namespace ec2m::bench
