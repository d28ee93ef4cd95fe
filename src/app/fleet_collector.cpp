#include "app/fleet_collector.hpp"

#include <algorithm>

#include "sim/catalog.hpp"
#include "sim/utilization.hpp"

namespace ec2m::app {
namespace {

constexpr int64_t kMinuteMs = 60'000;
// The CPU figures filled in on a first run (or after a long pause): at most the last hour.
constexpr int64_t kMaxBackfillMs = 60 * kMinuteMs;

// Each running instance of `env`, page by page.
template <typename Fn>
void ForEachRunning(const server::Inventory& inventory, const std::string& env, Fn fn) {
  server::InstanceFilter running;
  running.env = env;
  running.state = "running";
  running.limit = 1000;
  for (std::string cursor;;) {
    running.cursor = cursor;
    auto page = inventory.List(running);
    if (!page) {
      return;
    }
    for (const server::InventoryItem* item : page->items) {
      fn(item->instance);
    }
    if (page->next_cursor.empty()) {
      return;
    }
    cursor = page->next_cursor;
  }
}

}  // namespace

void FleetCollector::Collect(monitor::MetricStore& metrics, TimePoint now) {
  const int64_t now_ms = ToUnixMillis(now);
  const int64_t since_ms =
      std::max(last_ ? ToUnixMillis(*last_) : now_ms - kMaxBackfillMs, now_ms - kMaxBackfillMs);
  last_ = now;
  for (const server::EnvironmentHandle& h : handles_) {
    const std::string& env = h.config.name;
    for (const auto& [state, n] : inventory_.CountByState(env)) {
      metrics.Put({env, "Instances", {{"State", state}}}, now, n);
    }
    const bool simulated = h.config.cloud.provider == "sim";
    double cost = 0;
    ForEachRunning(inventory_, env, [&](const Instance& i) {
      if (const auto* type = sim::FindInstanceType(i.instance_type)) {
        cost += type->on_demand_hourly_usd;
      }
      if (!simulated) {
        return;
      }
      // Every whole period that ended after the last run (and after the launch), stamped with
      // its start as CloudWatch stamps its points.
      const int64_t period = i.monitoring_enabled ? kMinuteMs : 5 * kMinuteMs;
      const int64_t from = std::max(since_ms, ToUnixMillis(i.launch_time));
      const monitor::SeriesId id{env, "CPUUtilization", {{"InstanceId", i.instance_id}}};
      for (int64_t end = (from / period + 1) * period; end <= now_ms; end += period) {
        const TimePoint start = FromUnixMillis(end - period);
        metrics.Put(id, start, sim::CpuUtilization(i.instance_id, start));
      }
    });
    metrics.Put({env, "EstimatedHourlyCost", {}}, now, cost);
  }
}

}  // namespace ec2m::app
