#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "monitor/aggregate.hpp"

// CloudWatch-style alarms: what an alarm watches and how one evaluation decides its state.
namespace ec2m::monitor {

// The control plane's own scope: alarms on ec2m's API as a whole (every request, sign-ins).
inline constexpr const char* kControlPlane = "ec2m";

enum class AlarmState { kOk, kAlarm, kInsufficientData };
std::string_view AlarmStateName(AlarmState s);  // "OK", "ALARM", "INSUFFICIENT_DATA"
Result<AlarmState> ParseAlarmState(std::string_view text);

enum class Comparison {
  kGreaterThanOrEqualToThreshold,
  kGreaterThanThreshold,
  kLessThanThreshold,
  kLessThanOrEqualToThreshold,
};
std::string_view ComparisonName(Comparison c);    // CloudWatch's names
std::string_view ComparisonSymbol(Comparison c);  // ">=", ">", "<", "<="
Result<Comparison> ParseComparison(std::string_view text);

// CloudWatch's TreatMissingData.
enum class MissingData { kMissing, kNotBreaching, kBreaching, kIgnore };
std::string_view MissingDataName(MissingData m);  // "missing", "notBreaching", ...
Result<MissingData> ParseMissingData(std::string_view text);

// One alarm: a metric of an environment (name + dimensions), the statistic over each period,
// and the M-out-of-N rule.
struct AlarmSpec {
  std::string name;
  std::string description;
  std::string metric;                             // "ServerErrors"
  std::map<std::string, std::string> dimensions;  // must all match a series' dimensions
  Statistic statistic;
  int period_seconds = 60;      // a multiple of 60
  int evaluation_periods = 1;   // N
  int datapoints_to_alarm = 1;  // M, 1..N
  Comparison comparison = Comparison::kGreaterThanOrEqualToThreshold;
  double threshold = 0;
  MissingData missing = MissingData::kMissing;
  std::string severity = "warning";   // "critical" opens a P1 incident when it fires
  std::vector<std::string> channels;  // where transitions are notified (names)

  // How many periods one evaluation looks at: N plus two, as CloudWatch's documented examples do
  // (3 evaluation periods → the 5 most recent datapoints).
  int EvaluationRange() const { return evaluation_periods + 2; }
};

// Errors (kInvalidArgument, naming the field): empty name or metric, a period not a positive
// multiple of 60, N < 1, M outside 1..N, N periods longer than a day (CloudWatch's limit).
Result<void> ValidateAlarmSpec(const AlarmSpec& spec);

// The outcome of one evaluation.
struct Evaluation {
  AlarmState state = AlarmState::kInsufficientData;
  std::string reason;  // CloudWatch-like: "Threshold Crossed: 2 out of the last 3 datapoints ..."
  std::vector<double> evaluated;  // the datapoints the decision used, oldest first (fills too)
};

// Decides the alarm's state from the evaluation range's datapoints (oldest first, nullopt =
// missing; at most spec.EvaluationRange() of them, the newest last) and its current state, by
// CloudWatch's documented rules:
// - if at least N datapoints exist, the N most recent existing ones are evaluated (the missing
//   data treatment is not needed);
// - otherwise the existing ones are evaluated with the fewest fills the treatment gives:
//   breaching / notBreaching fill with breaching / non-breaching points; `ignore` keeps the
//   current state unless the existing points decide it; `missing` goes to INSUFFICIENT_DATA
//   when nothing decides it, except that a range whose oldest point exists and breaches, with no
//   point within the threshold, stays in ALARM (the metric stopped while breaching);
// then ALARM when at least M evaluated points breach, else OK. The tables of "How alarm state
// is evaluated when data is missing" are tests (tests/data/alarm_eval).
Evaluation Evaluate(const AlarmSpec& spec, std::span<const std::optional<double>> range,
                    AlarmState current);

// The specification's five alarms ("Alert Categories and Thresholds"), present in every scope
// unless its config overrides them: Critical API Errors (3+ server errors in 10 minutes,
// critical: opens a P1), High Latency (average over 2 s for 15 minutes), Throttling (any store or
// cloud throttling in 5 minutes), Security Alert (10+ auth failures in 5 minutes), Low Activity
// (under 1 request an hour for 2 hours).
std::vector<AlarmSpec> DefaultAlarms();

// Whether `value` breaches the spec's threshold.
bool Breaches(const AlarmSpec& spec, double value);

}  // namespace ec2m::monitor
