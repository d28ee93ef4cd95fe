#pragma once

#include <optional>
#include <vector>

#include "core/clock.hpp"
#include "monitor/metric_store.hpp"
#include "server/inventory.hpp"

namespace ec2m::app {

// What `ec2m serve`'s collector publishes for the fleet (monitor::Monitor::SetCollector), each
// run: every environment's instances by state and estimated hourly cost at the catalog's
// on-demand prices; and for environments on the simulated region, each running instance's
// CPUUtilization (dimension InstanceId) for every period since the last run: 1-minute periods
// with detailed monitoring, 5-minute ones without, as CloudWatch's AWS/EC2 namespace has them.
// On real EC2 those figures live in CloudWatch, which ec2m does not read (yet).
class FleetCollector {
 public:
  FleetCollector(const server::Inventory& inventory,
                 const std::vector<server::EnvironmentHandle>& handles)
      : inventory_(inventory), handles_(handles) {}

  // Not thread-safe: the monitor's loop is its only caller.
  void Collect(monitor::MetricStore& metrics, TimePoint now);

 private:
  const server::Inventory& inventory_;
  const std::vector<server::EnvironmentHandle>& handles_;
  std::optional<TimePoint> last_;  // the previous run; CPU points fill the time since
};

}  // namespace ec2m::app
