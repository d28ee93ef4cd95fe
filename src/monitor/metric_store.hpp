#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/store.hpp"
#include "monitor/aggregate.hpp"

namespace ec2m::monitor {

// One time series: a metric of a scope (an environment, or "ec2m" for the control plane itself)
// with its dimensions ({"InstanceId": "i-0abc"}, {} for the scope as a whole).
struct SeriesId {
  std::string scope;
  std::string metric;
  std::map<std::string, std::string> dimensions;

  // "dev|ServerErrors|InstanceId=i-1,Route=GET /x": the series' key in memory and in the store.
  std::string Key() const;
  bool operator<(const SeriesId& o) const { return Key() < o.Key(); }
};

// "Key=Value,Key2=Value2" (empty: none) → dimensions. Errors: kInvalidArgument when a pair has no
// '=' or no name.
Result<std::map<std::string, std::string>> ParseDimensions(const std::string& text);

// The datapoints of ec2m's metrics, per minute, kept in memory and written to the store (one
// document per series and hour, collection "metrics") so a restart keeps them. Older data is
// downsampled: 1-minute periods for 3 days, 5-minute ones to 15 days, hourly ones after that,
// until the scope's retention (an environment's monitoring.logRetentionDays) drops them.
// Thread-safe: one mutex over the series.
class MetricStore {
 public:
  static constexpr int64_t kMinute = 60'000;  // ms
  static constexpr int64_t kFiveMinutes = 5 * kMinute;
  static constexpr int64_t kHour = 60 * kMinute;
  static constexpr int64_t kMinuteResolutionFor = 3 * 24 * kHour;
  static constexpr int64_t kFiveMinuteResolutionFor = 15 * 24 * kHour;

  // A scope takes at most this many series published by clients (PutPublished): samples of
  // further ones (new dimension values a client makes up, say) are dropped and counted, so what
  // clients publish cannot grow memory without bound. ec2m's own series (Put, PutMany: a fixed
  // set per route, alarm and instance) are not capped, so a full scope never blinds its alarms.
  static constexpr size_t kDefaultMaxSeriesPerScope = 5000;

  // `store` may be null (nothing is persisted: benchmarks, tests).
  explicit MetricStore(Store* store, size_t max_series_per_scope = kDefaultMaxSeriesPerScope)
      : store_(store), max_series_per_scope_(max_series_per_scope) {}

  // Records one sample at `time`.
  void Put(const SeriesId& series, TimePoint time, double value);
  // The same for a series a client published (POST /api/v1/metrics): subject to the cap.
  void PutPublished(const SeriesId& series, TimePoint time, double value);
  // Records one sample of each metric of `scope` at `time` under one lock (a request's figures).
  struct Sample {
    std::string_view metric;
    double value = 0;
  };
  void PutMany(const std::string& scope, std::initializer_list<Sample> samples, TimePoint time,
               const std::map<std::string, std::string>& dimensions = {});

  // The statistic of each period [start + k·period, start + (k+1)·period), k < count, over the
  // series of `scope` and `metric` whose dimensions include `dimensions` (every series of the
  // metric when empty), merged. nullopt: no sample in that period.
  std::vector<std::optional<double>> Query(const std::string& scope, const std::string& metric,
                                           const std::map<std::string, std::string>& dimensions,
                                           const Statistic& statistic, TimePoint start,
                                           std::chrono::seconds period, size_t count) const;

  // The series of a scope ("" = every scope), by key.
  std::vector<SeriesId> List(const std::string& scope) const;

  // Writes the hours changed since the last Flush to the store. Errors: the store's (the hours
  // stay marked and are written next time).
  Result<void> Flush();
  // Reads what the store holds (at start). A document that does not parse is reported on stderr
  // and skipped: no stored record stops a start. Errors: the store's.
  Result<void> Load();
  // Downsamples what is old enough and drops what is older than its scope's retention
  // (`retention_days`, by scope; scopes not named keep `default_days`), in memory and in the store.
  Result<void> Compact(TimePoint now, const std::map<std::string, int64_t>& retention_days,
                       int64_t default_days);

  size_t series_count() const;
  // Prometheus text: the series held and the samples dropped by the cap, per scope.
  std::string RenderCardinality() const;

 private:
  struct Series {
    SeriesId id;
    std::string key;                       // id.Key()
    std::map<int64_t, Aggregate> periods;  // period start (ms since the epoch) → samples
    // The hour last put in dirty_hours_ (-1: none since the last Flush): a request's samples
    // then cost no set insertion.
    int64_t marked_hour = -1;
    bool published = false;  // counted against the scope's cap
  };
  // REQUIRES: mu_ held. Builds the key in a reused buffer; a SeriesId only for a new series.
  // Null (and the sample counted as dropped) when `capped` and the scope holds its maximum of
  // published series.
  Series* SeriesFor(const std::string& scope, std::string_view metric,
                    const std::map<std::string, std::string>& dimensions, bool capped = false);
  // REQUIRES: mu_ held. Adds one sample to a series.
  void AddSample(Series& s, int64_t minute, int64_t hour, double value);
  // REQUIRES: mu_ held. Loads one stored document.
  Result<void> LoadDoc(const Doc& doc);

  Store* store_;
  const size_t max_series_per_scope_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, size_t> scope_series_;   // guarded by mu_
  std::unordered_map<std::string, uint64_t> dropped_;      // samples; guarded by mu_
  std::unordered_map<std::string, Series> series_;         // by key; guarded by mu_
  std::set<std::pair<std::string, int64_t>> dirty_hours_;  // (key, hour start); guarded by mu_
};

}  // namespace ec2m::monitor
