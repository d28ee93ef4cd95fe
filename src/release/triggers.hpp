#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/environment.hpp"
#include "core/clock.hpp"
#include "monitor/alarm.hpp"
#include "monitor/metric_store.hpp"
#include "release/release.hpp"

// The automatic rollback triggers of the specification ("Automated Rollback Triggers"), read from
// the group's application metrics in the environment's scope — the series with dimension
// {"Group": group}: `ServerErrors` (a count), `Latency` (ms) and `Requests` (a count), published
// by the application (POST /api/v1/metrics) or by the collector. Each trigger is an alarm of the
// alarm engine (monitor::Evaluate, its M-of-N rule), over 1-minute periods since green went live:
//   health      ServerErrors Sum >= 5 for 2 periods
//   latency     Latency Average > 2 × baseline for `consecutive_breaches` periods in a row
//   error_rate  ServerErrors / Requests > 10 % for 5 periods (5 minutes)
//   throughput  Requests Sum < 50 % of the baseline's per minute for 10 periods (10 minutes)
// Missing periods do not breach, except that throughput's do (no requests is a drop); the
// latency and throughput triggers need a baseline and are off without one.
namespace ec2m::release {

inline constexpr const char* kGroupDimension = "Group";

// The group's figures over [from, to).
Performance Measure(const monitor::MetricStore& metrics, const std::string& environment,
                    const std::string& group, TimePoint from, TimePoint to);

// One trigger as an alarm of the engine (exposed for the table-driven tests).
struct Trigger {
  std::string name;
  monitor::AlarmSpec spec;
  bool derived_error_rate = false;  // the series is ServerErrors / Requests × 100
};
// The triggers that apply given the baseline (those needing a missing figure are left out).
std::vector<Trigger> Triggers(const config::DeploymentConfig& settings,
                              const std::optional<Performance>& baseline);

// The first trigger whose alarm is in ALARM over the complete periods between `live_since` and
// `now` (earlier periods are not green's and count as missing); nullopt when none fires.
std::optional<Trip> CheckTriggers(const monitor::MetricStore& metrics,
                                  const std::string& environment, const std::string& group,
                                  const std::vector<Trigger>& triggers, TimePoint live_since,
                                  TimePoint now);

}  // namespace ec2m::release
