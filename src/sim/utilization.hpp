#pragma once

#include <string_view>

#include "core/clock.hpp"

// The simulated region's CloudWatch figures for its instances: what AWS/EC2 CPUUtilization would
// report, made up but stable. The same instance and minute always give the same figure, so
// restarts, replicas and tests agree.
namespace ec2m::sim {

// Percent (0..100) for `instance_id` over the minute holding `at`: a base load of 5-40 % that
// is the instance's own, a daily swing of ±10 points peaking at 14:00 UTC, and per-minute
// noise of ±5 points.
double CpuUtilization(std::string_view instance_id, TimePoint at);

}  // namespace ec2m::sim
