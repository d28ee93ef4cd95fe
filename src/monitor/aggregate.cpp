#include "monitor/aggregate.hpp"
#include "core/text.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace ec2m::monitor {
namespace {

// Bucket i holds (gamma^(i-1), gamma^i]; answering with the bucket's midpoint in relative terms
// keeps every answer within 1 % of a sample of that bucket.
constexpr double kGamma = 1.02;
const double kLogGamma = std::log(kGamma);

int32_t BucketOf(double value) {
  return static_cast<int32_t>(std::ceil(std::log(value) / kLogGamma));
}
double BucketValue(int32_t bucket) { return 2 * std::pow(kGamma, bucket) / (kGamma + 1); }

}  // namespace

std::string Statistic::Name() const {
  switch (kind) {
    case Kind::kSum:
      return "Sum";
    case Kind::kAverage:
      return "Average";
    case Kind::kMinimum:
      return "Minimum";
    case Kind::kMaximum:
      return "Maximum";
    case Kind::kSampleCount:
      return "SampleCount";
    case Kind::kPercentile:
      return fmt::format("p{}", percentile);
  }
  return "Average";
}

Result<Statistic> ParseStatistic(std::string_view text) {
  static constexpr std::pair<std::string_view, Statistic::Kind> kNamed[] = {
      {"Sum", Statistic::Kind::kSum},
      {"Average", Statistic::Kind::kAverage},
      {"Minimum", Statistic::Kind::kMinimum},
      {"Maximum", Statistic::Kind::kMaximum},
      {"SampleCount", Statistic::Kind::kSampleCount}};
  for (const auto& [name, kind] : kNamed) {
    if (text == name) {
      return Statistic{kind, 0};
    }
  }
  if (text.size() > 1 && text[0] == 'p') {
    double p = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data() + 1, end, p);
    if (ec == std::errc() && ptr == end && p > 0 && p < 100) {
      return Statistic{Statistic::Kind::kPercentile, p};
    }
  }
  return Fail(ErrorCode::kInvalidArgument,
              fmt::format("expected one of Sum, Average, Minimum, Maximum, SampleCount or a "
                          "percentile p0..p100 (p90, p99.9), got {}",
                          ShownValue(text)));
}

std::optional<double> Summary::Value(const Statistic& s) const {
  if (count == 0) {
    return std::nullopt;
  }
  switch (s.kind) {
    case Statistic::Kind::kSum:
      return sum;
    case Statistic::Kind::kAverage:
      return sum / static_cast<double>(count);
    case Statistic::Kind::kMinimum:
      return min;
    case Statistic::Kind::kMaximum:
      return max;
    case Statistic::Kind::kSampleCount:
      return static_cast<double>(count);
    case Statistic::Kind::kPercentile:
      break;
  }
  return std::nullopt;
}

void Aggregate::Add(double value) {
  ++count_;
  sum_ += value;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
  if (count_ <= kExactSamples) {
    exact_.push_back(value);
    return;
  }
  if (!exact_.empty()) {
    // Past the exact limit: the kept samples move into the sketch once.
    for (double v : exact_) {
      AddToSketch(v, 1);
    }
    exact_.clear();
    exact_.shrink_to_fit();
  }
  AddToSketch(value, 1);
}

void Aggregate::AddToSketch(double value, uint64_t n) {
  if (value <= 0) {
    non_positive_ += n;
    return;
  }
  sketch_[BucketOf(value)] += n;
}

void Aggregate::Merge(const Aggregate& other) {
  if (other.count_ == 0) {
    return;
  }
  const bool stays_exact = count_ + other.count_ <= kExactSamples;
  if (!stays_exact) {
    for (double v : exact_) {
      AddToSketch(v, 1);
    }
    exact_.clear();
    for (double v : other.exact_) {
      AddToSketch(v, 1);
    }
    for (const auto& [bucket, n] : other.sketch_) {
      sketch_[bucket] += n;
    }
    non_positive_ += other.non_positive_;
  } else {
    exact_.insert(exact_.end(), other.exact_.begin(), other.exact_.end());
  }
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

double Aggregate::Percentile(double p) const {
  // Nearest rank: the smallest sample with at least p % of the samples at or below it.
  const auto rank =
      static_cast<uint64_t>(std::max(1.0, std::ceil(p / 100 * static_cast<double>(count_))));
  if (!exact_.empty()) {
    std::vector<double> sorted = exact_;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<ptrdiff_t>(rank - 1),
                     sorted.end());
    return sorted[rank - 1];
  }
  if (rank <= non_positive_) {
    return std::min(0.0, max_);
  }
  uint64_t seen = non_positive_;
  for (const auto& [bucket, n] : sketch_) {
    seen += n;
    if (seen >= rank) {
      return std::clamp(BucketValue(bucket), min_, max_);
    }
  }
  return max_;
}

std::optional<double> Aggregate::Value(const Statistic& s) const {
  if (count_ == 0) {
    return std::nullopt;
  }
  switch (s.kind) {
    case Statistic::Kind::kSum:
      return sum_;
    case Statistic::Kind::kAverage:
      return sum_ / static_cast<double>(count_);
    case Statistic::Kind::kMinimum:
      return min_;
    case Statistic::Kind::kMaximum:
      return max_;
    case Statistic::Kind::kSampleCount:
      return static_cast<double>(count_);
    case Statistic::Kind::kPercentile:
      return Percentile(s.percentile);
  }
  return std::nullopt;
}

nlohmann::json Aggregate::ToJson() const {
  nlohmann::json j = {{"n", count_}, {"sum", sum_}};
  if (count_ > 0) {
    j["min"] = min_;
    j["max"] = max_;
  }
  if (!exact_.empty()) {
    j["v"] = exact_;
  }
  if (!sketch_.empty() || non_positive_ > 0) {
    nlohmann::json buckets = nlohmann::json::array();
    for (const auto& [bucket, n] : sketch_) {
      buckets.push_back({bucket, n});
    }
    j["b"] = std::move(buckets);
    j["z"] = non_positive_;
  }
  return j;
}

Result<Aggregate> Aggregate::FromJson(const nlohmann::json& j) {
  try {
    Aggregate a;
    a.count_ = j.at("n").get<uint64_t>();
    a.sum_ = j.at("sum").get<double>();
    if (a.count_ > 0) {
      a.min_ = j.at("min").get<double>();
      a.max_ = j.at("max").get<double>();
    }
    if (j.contains("v")) {
      a.exact_ = j["v"].get<std::vector<double>>();
    }
    if (j.contains("b")) {
      for (const auto& pair : j["b"]) {
        a.sketch_[pair.at(0).get<int32_t>()] = pair.at(1).get<uint64_t>();
      }
      a.non_positive_ = j.at("z").get<uint64_t>();
    }
    return a;
  } catch (const nlohmann::json::exception& e) {
    return Fail(ErrorCode::kInternal,
                std::string("a stored metric period does not parse: ") + e.what());
  }
}

}  // namespace ec2m::monitor
