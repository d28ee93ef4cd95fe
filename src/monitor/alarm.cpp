#include "monitor/alarm.hpp"
#include "core/text.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace ec2m::monitor {
namespace {

constexpr int kSecondsPerDay = 86400;

template <typename E, size_t N>
Result<E> ParseName(std::string_view text, const std::pair<std::string_view, E> (&names)[N]) {
  std::string options;
  for (const auto& [name, value] : names) {
    if (text == name) {
      return value;
    }
    options += options.empty() ? "" : ", ";
    options += name;
  }
  return Fail(ErrorCode::kInvalidArgument,
              fmt::format("expected one of {}, got {}", options, ShownValue(text)));
}

constexpr std::pair<std::string_view, AlarmState> kStates[] = {
    {"OK", AlarmState::kOk},
    {"ALARM", AlarmState::kAlarm},
    {"INSUFFICIENT_DATA", AlarmState::kInsufficientData}};
constexpr std::pair<std::string_view, Comparison> kComparisons[] = {
    {"GreaterThanOrEqualToThreshold", Comparison::kGreaterThanOrEqualToThreshold},
    {"GreaterThanThreshold", Comparison::kGreaterThanThreshold},
    {"LessThanThreshold", Comparison::kLessThanThreshold},
    {"LessThanOrEqualToThreshold", Comparison::kLessThanOrEqualToThreshold}};
constexpr std::pair<std::string_view, MissingData> kMissing[] = {
    {"missing", MissingData::kMissing},
    {"notBreaching", MissingData::kNotBreaching},
    {"breaching", MissingData::kBreaching},
    {"ignore", MissingData::kIgnore}};

template <typename E, size_t N>
std::string_view NameOf(E value, const std::pair<std::string_view, E> (&names)[N]) {
  for (const auto& [name, v] : names) {
    if (v == value) {
      return name;
    }
  }
  return "";
}

AlarmSpec Spec(std::string name, std::string description, std::string metric, const char* statistic,
               int period, int n, int m, Comparison comparison, double threshold,
               MissingData missing, std::string severity) {
  AlarmSpec spec;
  spec.name = std::move(name);
  spec.description = std::move(description);
  spec.metric = std::move(metric);
  spec.statistic = ParseStatistic(statistic).value();
  spec.period_seconds = period;
  spec.evaluation_periods = n;
  spec.datapoints_to_alarm = m;
  spec.comparison = comparison;
  spec.threshold = threshold;
  spec.missing = missing;
  spec.severity = std::move(severity);
  return spec;
}

std::string FormatNumber(double v) { return fmt::format("{}", v); }

std::string_view ComparisonWords(Comparison c) {
  switch (c) {
    case Comparison::kGreaterThanOrEqualToThreshold:
      return "greater than or equal to";
    case Comparison::kGreaterThanThreshold:
      return "greater than";
    case Comparison::kLessThanThreshold:
      return "less than";
    case Comparison::kLessThanOrEqualToThreshold:
      return "less than or equal to";
  }
  return "compared with";
}

std::string Points(const std::vector<double>& points) {
  std::string out;
  for (double v : points) {
    out += out.empty() ? "" : ", ";
    out += FormatNumber(v);
  }
  return "[" + out + "]";
}

}  // namespace

std::vector<AlarmSpec> DefaultAlarms() {
  using C = Comparison;
  using M = MissingData;
  return {
      Spec("Critical API Errors", "3+ server errors in 10 minutes", "ServerErrors", "Sum", 600, 1,
           1, C::kGreaterThanOrEqualToThreshold, 3, M::kNotBreaching, "critical"),
      Spec("High Latency", "average response time over 2 s for 15 minutes", "Latency", "Average",
           300, 3, 3, C::kGreaterThanThreshold, 2, M::kMissing, "warning"),
      Spec("Throttling", "any store or cloud throttling in 5 minutes", "Throttles", "Sum", 300, 1,
           1, C::kGreaterThanThreshold, 0, M::kNotBreaching, "warning"),
      Spec("Security Alert", "10+ authentication failures in 5 minutes", "AuthFailures", "Sum", 300,
           1, 1, C::kGreaterThanOrEqualToThreshold, 10, M::kNotBreaching, "warning"),
      Spec("Low Activity", "under 1 request an hour for 2 hours", "Requests", "Sum", 3600, 2, 2,
           C::kLessThanThreshold, 1, M::kBreaching, "info"),
  };
}

std::string_view AlarmStateName(AlarmState s) { return NameOf(s, kStates); }
Result<AlarmState> ParseAlarmState(std::string_view text) { return ParseName(text, kStates); }
std::string_view ComparisonName(Comparison c) { return NameOf(c, kComparisons); }
Result<Comparison> ParseComparison(std::string_view text) { return ParseName(text, kComparisons); }
std::string_view MissingDataName(MissingData m) { return NameOf(m, kMissing); }
Result<MissingData> ParseMissingData(std::string_view text) { return ParseName(text, kMissing); }

std::string_view ComparisonSymbol(Comparison c) {
  switch (c) {
    case Comparison::kGreaterThanOrEqualToThreshold:
      return ">=";
    case Comparison::kGreaterThanThreshold:
      return ">";
    case Comparison::kLessThanThreshold:
      return "<";
    case Comparison::kLessThanOrEqualToThreshold:
      return "<=";
  }
  return "?";
}

bool Breaches(const AlarmSpec& spec, double value) {
  switch (spec.comparison) {
    case Comparison::kGreaterThanOrEqualToThreshold:
      return value >= spec.threshold;
    case Comparison::kGreaterThanThreshold:
      return value > spec.threshold;
    case Comparison::kLessThanThreshold:
      return value < spec.threshold;
    case Comparison::kLessThanOrEqualToThreshold:
      return value <= spec.threshold;
  }
  return false;
}

Result<void> ValidateAlarmSpec(const AlarmSpec& spec) {
  auto bad = [&](std::string_view field, const std::string& what) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("alarm {}: {}: {}", ShownValue(spec.name), field, what));
  };
  if (spec.name.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "alarm: name: expected a name, got \"\"");
  }
  if (spec.metric.empty()) {
    return bad("metric", "expected a metric name, got \"\"");
  }
  if (spec.period_seconds <= 0 || spec.period_seconds % 60 != 0) {
    return bad("period", fmt::format("expected a positive multiple of 60 seconds, got {}",
                                     spec.period_seconds));
  }
  if (spec.evaluation_periods < 1) {
    return bad("evaluationPeriods",
               fmt::format("expected at least 1, got {}", spec.evaluation_periods));
  }
  if (spec.datapoints_to_alarm < 1 || spec.datapoints_to_alarm > spec.evaluation_periods) {
    return bad("datapointsToAlarm", fmt::format("expected 1..{} (evaluationPeriods), got {}",
                                                spec.evaluation_periods, spec.datapoints_to_alarm));
  }
  if (static_cast<int64_t>(spec.period_seconds) * spec.evaluation_periods > kSecondsPerDay) {
    return bad("evaluationPeriods",
               fmt::format("period × evaluationPeriods must be at most one day, got {} s",
                           static_cast<int64_t>(spec.period_seconds) * spec.evaluation_periods));
  }
  if (spec.severity != "critical" && spec.severity != "warning" && spec.severity != "info") {
    return bad("severity", fmt::format("expected one of critical, warning, info, got {}",
                                       ShownValue(spec.severity)));
  }
  return {};
}

Evaluation Evaluate(const AlarmSpec& spec, std::span<const std::optional<double>> range,
                    AlarmState current) {
  const auto n = static_cast<size_t>(spec.evaluation_periods);
  const auto m = static_cast<size_t>(spec.datapoints_to_alarm);
  std::vector<double> existing;
  for (const auto& point : range) {
    if (point) {
      existing.push_back(*point);
    }
  }
  Evaluation out;
  auto decide = [&](std::vector<double> points, size_t fills) {
    const auto breaching = static_cast<size_t>(
        std::count_if(points.begin(), points.end(), [&](double v) { return Breaches(spec, v); }));
    out.state = breaching >= m ? AlarmState::kAlarm : AlarmState::kOk;
    out.reason = fmt::format(
        "Threshold {}: {} out of the last {} datapoints {} {} {} the threshold ({}){}",
        out.state == AlarmState::kAlarm ? "Crossed" : "not crossed", breaching, points.size(),
        Points(points), breaching == 1 ? "was" : "were", ComparisonWords(spec.comparison),
        FormatNumber(spec.threshold),
        fills > 0 ? fmt::format(" ({} missing treated as {})", fills, MissingDataName(spec.missing))
                  : "");
    out.evaluated = std::move(points);
    return out;
  };
  if (existing.size() >= n) {
    return decide(std::vector<double>(existing.end() - static_cast<ptrdiff_t>(n), existing.end()),
                  0);
  }
  const size_t fills = n - existing.size();
  const auto breaching = static_cast<size_t>(
      std::count_if(existing.begin(), existing.end(), [&](double v) { return Breaches(spec, v); }));
  const bool any_within = breaching < existing.size();
  switch (spec.missing) {
    case MissingData::kBreaching:
    case MissingData::kNotBreaching: {
      // A point that breaches: the threshold itself, nudged past it as the comparison needs.
      const bool fill_breaches = spec.missing == MissingData::kBreaching;
      const double fill = [&] {
        const bool above = spec.comparison == Comparison::kGreaterThanOrEqualToThreshold ||
                           spec.comparison == Comparison::kGreaterThanThreshold;
        const double step = std::max(1.0, std::abs(spec.threshold));
        return (above == fill_breaches) ? spec.threshold + step : spec.threshold - step;
      }();
      std::vector<double> points(fills, fill);
      points.insert(points.end(), existing.begin(), existing.end());
      return decide(std::move(points), fills);
    }
    case MissingData::kIgnore:
    case MissingData::kMissing:
      if (breaching >= m || any_within) {
        return decide(existing, 0);
      }
      break;
  }
  if (spec.missing == MissingData::kMissing && !range.empty() && range.front() &&
      Breaches(spec, *range.front()) && !existing.empty()) {
    out.state = AlarmState::kAlarm;
    out.reason = fmt::format(
        "Threshold Crossed: the metric stopped reporting while breaching: {} datapoints {} all "
        "{} the threshold ({}) and the rest missing",
        existing.size(), Points(existing), ComparisonWords(spec.comparison),
        FormatNumber(spec.threshold));
    out.evaluated = existing;
    return out;
  }
  if (spec.missing == MissingData::kIgnore) {
    out.state = current;
    out.reason = fmt::format(
        "Insufficient data: {} of {} datapoints present {}; missing data "
        "ignored, state kept",
        existing.size(), n, Points(existing));
    out.evaluated = existing;
    return out;
  }
  out.state = AlarmState::kInsufficientData;
  out.reason = fmt::format("Insufficient data: {} of {} datapoints present {}", existing.size(), n,
                           Points(existing));
  out.evaluated = existing;
  return out;
}

}  // namespace ec2m::monitor
