#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

// The statistics of one period of one metric, CloudWatch's way: Sum, Average, Minimum, Maximum,
// SampleCount and percentiles (p90, p99, p99.9, ...).
namespace ec2m::monitor {

// A statistic to compute over a period's samples.
struct Statistic {
  enum class Kind { kSum, kAverage, kMinimum, kMaximum, kSampleCount, kPercentile };
  Kind kind = Kind::kAverage;
  double percentile = 0;  // 0 < p < 100, for kPercentile

  // "Sum", "Average", "Minimum", "Maximum", "SampleCount", "p90", "p99.9".
  std::string Name() const;
};

// Sum, Average, Minimum, Maximum and SampleCount of merged periods, without the samples a
// percentile needs: what a query for those statistics accumulates. A value type.
struct Summary {
  uint64_t count = 0;
  double sum = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();

  // REQUIRES: s is not a percentile. nullopt when count is 0.
  std::optional<double> Value(const struct Statistic& s) const;
};

// Parses a statistic's name as Name() writes it. Errors: kInvalidArgument naming what it takes.
Result<Statistic> ParseStatistic(std::string_view text);

// The samples of one period of one series, kept so every statistic can be answered and periods
// merged (a 5-minute point from five 1-minute ones). Percentiles are exact up to kExactSamples
// samples (nearest rank over the values themselves); past that, from a log-bucketed sketch with
// 1 % relative accuracy (values <= 0 count in one bucket answered as 0). A value type; not
// thread-safe.
class Aggregate {
 public:
  static constexpr size_t kExactSamples = 64;

  void Add(double value);
  void Merge(const Aggregate& other);
  // The statistic's value; nullopt when there are no samples (a missing datapoint).
  std::optional<double> Value(const Statistic& s) const;

  uint64_t count() const { return count_; }
  double sum() const { return sum_; }
  double min() const { return min_; }
  double max() const { return max_; }

  nlohmann::json ToJson() const;
  // Errors: kInternal naming the field when `j` is not what ToJson writes.
  static Result<Aggregate> FromJson(const nlohmann::json& j);

 private:
  void AddToSketch(double value, uint64_t n);
  double Percentile(double p) const;

  uint64_t count_ = 0;
  double sum_ = 0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
  std::vector<double> exact_;           // every sample while count_ <= kExactSamples
  std::map<int32_t, uint64_t> sketch_;  // bucket → samples, once past kExactSamples
  uint64_t non_positive_ = 0;           // sketch samples <= 0
};

}  // namespace ec2m::monitor
