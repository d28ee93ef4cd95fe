#include "release/triggers.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace ec2m::release {
namespace {

using monitor::Comparison;
using monitor::MissingData;
using monitor::Statistic;

constexpr std::chrono::seconds kPeriod{60};

Statistic Stat(Statistic::Kind kind) { return Statistic{kind, 0}; }

std::map<std::string, std::string> GroupDimensions(const std::string& group) {
  return {{kGroupDimension, group}};
}

Trigger Make(std::string name, std::string metric, Statistic::Kind kind, int periods,
             Comparison comparison, double threshold, MissingData missing) {
  Trigger t;
  t.name = std::move(name);
  t.spec.name = t.name;
  t.spec.metric = std::move(metric);
  t.spec.statistic = Stat(kind);
  t.spec.period_seconds = static_cast<int>(kPeriod.count());
  t.spec.evaluation_periods = periods;
  t.spec.datapoints_to_alarm = periods;
  t.spec.comparison = comparison;
  t.spec.threshold = threshold;
  t.spec.missing = missing;
  return t;
}

std::string Values(const std::vector<double>& values, const char* unit) {
  std::string out;
  for (double v : values) {
    out += fmt::format("{}{:.4g}{}", out.empty() ? "" : ", ", v, unit);
  }
  return out;
}

std::string Describe(const Trigger& t, const std::vector<double>& values) {
  const int n = t.spec.evaluation_periods;
  if (t.name == "health") {
    return fmt::format("health alarm: server errors {} >= {:.4g} in {} periods of 1 minute",
                       Values(values, ""), t.spec.threshold, n);
  }
  if (t.name == "latency") {
    return fmt::format(
        "response time: average {} > 2 × baseline ({:.4g} ms) in {} periods of 1 minute in a row",
        Values(values, " ms"), t.spec.threshold, n);
  }
  if (t.name == "error_rate") {
    return fmt::format("error rate: {} > {:.4g} % for {} minutes", Values(values, " %"),
                       t.spec.threshold, n);
  }
  return fmt::format(
      "throughput drop: requests per minute {} < 50 % of the baseline ({:.4g}) for {} minutes",
      Values(values, ""), t.spec.threshold, n);
}

}  // namespace

Performance Measure(const monitor::MetricStore& metrics, const std::string& environment,
                    const std::string& group, TimePoint from, TimePoint to) {
  const auto span = std::chrono::duration_cast<std::chrono::seconds>(to - from);
  Performance p;
  if (span.count() <= 0) {
    return p;
  }
  auto one = [&](const char* metric, Statistic::Kind kind) {
    auto v = metrics.Query(environment, metric, GroupDimensions(group), Stat(kind), from, span, 1);
    return v.empty() ? std::nullopt : v.front();
  };
  p.latency_ms = one("Latency", Statistic::Kind::kAverage);
  const auto requests = one("Requests", Statistic::Kind::kSum);
  if (requests) {
    p.requests_per_minute = *requests * 60.0 / static_cast<double>(span.count());
    const auto errors = one("ServerErrors", Statistic::Kind::kSum);
    if (*requests > 0) {
      p.error_rate = errors.value_or(0) * 100.0 / *requests;
    }
  }
  return p;
}

std::vector<Trigger> Triggers(const config::DeploymentConfig& settings,
                              const std::optional<Performance>& baseline) {
  using K = Statistic::Kind;
  std::vector<Trigger> out;
  out.push_back(Make("health", "ServerErrors", K::kSum, 2,
                     Comparison::kGreaterThanOrEqualToThreshold, 5, MissingData::kNotBreaching));
  if (baseline && baseline->latency_ms) {
    out.push_back(Make(
        "latency", "Latency", K::kAverage, std::max(1, settings.consecutive_breaches),
        Comparison::kGreaterThanThreshold, 2 * *baseline->latency_ms, MissingData::kNotBreaching));
  }
  Trigger errors = Make("error_rate", "ServerErrors", K::kSum, 5, Comparison::kGreaterThanThreshold,
                        10, MissingData::kNotBreaching);
  errors.derived_error_rate = true;
  out.push_back(std::move(errors));
  if (baseline && baseline->requests_per_minute && *baseline->requests_per_minute > 0) {
    out.push_back(Make("throughput", "Requests", K::kSum, 10, Comparison::kLessThanThreshold,
                       *baseline->requests_per_minute / 2, MissingData::kBreaching));
  }
  return out;
}

std::optional<Trip> CheckTriggers(const monitor::MetricStore& metrics,
                                  const std::string& environment, const std::string& group,
                                  const std::vector<Trigger>& triggers, TimePoint live_since,
                                  TimePoint now) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  const int64_t period_ms = duration_cast<milliseconds>(kPeriod).count();
  // Complete periods only: the one `now` is in is still filling.
  const int64_t end_ms = ToUnixMillis(now) / period_ms * period_ms;
  const int64_t live_ms = ToUnixMillis(live_since);
  for (const Trigger& t : triggers) {
    const auto count = static_cast<size_t>(t.spec.EvaluationRange());
    const TimePoint start = FromUnixMillis(end_ms - static_cast<int64_t>(count) * period_ms);
    auto range = metrics.Query(environment, t.spec.metric, GroupDimensions(group), t.spec.statistic,
                               start, kPeriod, count);
    if (t.derived_error_rate) {
      auto requests = metrics.Query(environment, "Requests", GroupDimensions(group),
                                    Stat(Statistic::Kind::kSum), start, kPeriod, count);
      for (size_t i = 0; i < range.size(); ++i) {
        range[i] = requests[i] && *requests[i] > 0
                       ? std::optional<double>(range[i].value_or(0) * 100.0 / *requests[i])
                       : std::nullopt;
      }
    }
    // Periods that began before green went live are blue's: only green's are judged, and a
    // trigger waits for N complete periods of green before it judges at all.
    size_t blue_periods = 0;
    while (blue_periods < range.size() &&
           ToUnixMillis(start) + static_cast<int64_t>(blue_periods) * period_ms < live_ms) {
      ++blue_periods;
    }
    range.erase(range.begin(), range.begin() + static_cast<std::ptrdiff_t>(blue_periods));
    if (range.size() < static_cast<size_t>(t.spec.evaluation_periods)) {
      continue;
    }
    const monitor::Evaluation e = monitor::Evaluate(t.spec, range, monitor::AlarmState::kOk);
    if (e.state == monitor::AlarmState::kAlarm) {
      return Trip{t.name, Describe(t, e.evaluated), e.evaluated, t.spec.threshold};
    }
  }
  return std::nullopt;
}

}  // namespace ec2m::release
