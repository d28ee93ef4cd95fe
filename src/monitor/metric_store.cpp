#include "monitor/metric_store.hpp"

#include <charconv>
#include <cstdio>
#include "core/json.hpp"
#include "core/text.hpp"

#include <fmt/core.h>

#include <nlohmann/json.hpp>

namespace ec2m::monitor {
namespace {

constexpr const char* kCollection = "metrics";

int64_t FloorTo(int64_t ms, int64_t step) {
  const int64_t r = ms % step;
  return r < 0 ? ms - r - step : ms - r;
}

// "<series key>@<hour start, zero-padded>": every document of a series sorts together, by hour.
std::string DocKey(const std::string& series_key, int64_t hour) {
  return fmt::format("{}@{:015d}", series_key, hour);
}

nlohmann::json SeriesJson(const SeriesId& id) {
  return {{"scope", id.scope}, {"metric", id.metric}, {"dimensions", id.dimensions}};
}

bool Includes(const std::map<std::string, std::string>& have,
              const std::map<std::string, std::string>& want) {
  for (const auto& [k, v] : want) {
    auto it = have.find(k);
    if (it == have.end() || it->second != v) {
      return false;
    }
  }
  return true;
}

// The resolution a period starting at `start` is kept at when it is `age` old.
int64_t ResolutionAt(int64_t age) {
  if (age < MetricStore::kMinuteResolutionFor) {
    return MetricStore::kMinute;
  }
  if (age < MetricStore::kFiveMinuteResolutionFor) {
    return MetricStore::kFiveMinutes;
  }
  return MetricStore::kHour;
}

}  // namespace

Result<std::map<std::string, std::string>> ParseDimensions(const std::string& text) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(',', pos);
    end = end == std::string::npos ? text.size() : end;
    const std::string pair = text.substr(pos, end - pos);
    const size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Fail(ErrorCode::kInvalidArgument,
                  "expected Name=Value pairs separated by commas, got " + ShownValue(text));
    }
    out[pair.substr(0, eq)] = pair.substr(eq + 1);
    pos = end + 1;
  }
  return out;
}

namespace {

void AppendKey(std::string& key, std::string_view scope, std::string_view metric,
               const std::map<std::string, std::string>& dimensions) {
  key.append(scope).append("|").append(metric).append("|");
  bool first = true;
  for (const auto& [k, v] : dimensions) {
    key.append(first ? "" : ",").append(k).append("=").append(v);
    first = false;
  }
}

}  // namespace

std::string SeriesId::Key() const {
  std::string key;
  AppendKey(key, scope, metric, dimensions);
  return key;
}

MetricStore::Series* MetricStore::SeriesFor(const std::string& scope, std::string_view metric,
                                            const std::map<std::string, std::string>& dimensions,
                                            bool capped) {
  thread_local std::string key;
  key.clear();
  AppendKey(key, scope, metric, dimensions);
  auto it = series_.find(key);
  if (it == series_.end()) {
    if (capped) {
      size_t& held = scope_series_[scope];
      if (held >= max_series_per_scope_) {
        ++dropped_[scope];
        return nullptr;
      }
      ++held;
    }
    it = series_.emplace(key, Series{SeriesId{scope, std::string(metric), dimensions}, key, {}})
             .first;
    it->second.published = capped;
  }
  return &it->second;
}

void MetricStore::AddSample(Series& s, int64_t minute, int64_t hour, double value) {
  auto last = s.periods.empty() ? s.periods.end() : std::prev(s.periods.end());
  if (last != s.periods.end() && last->first == minute) {
    last->second.Add(value);  // the common case: this minute's period exists
  } else {
    s.periods[minute].Add(value);
  }
  if (store_ != nullptr && s.marked_hour != hour) {
    dirty_hours_.emplace(s.key, hour);
    s.marked_hour = hour;
  }
}

void MetricStore::PutPublished(const SeriesId& series, TimePoint time, double value) {
  const int64_t minute = FloorTo(ToUnixMillis(time), kMinute);
  std::lock_guard lock(mu_);
  if (Series* s = SeriesFor(series.scope, series.metric, series.dimensions, true)) {
    AddSample(*s, minute, FloorTo(minute, kHour), value);
  }
}

void MetricStore::Put(const SeriesId& series, TimePoint time, double value) {
  PutMany(series.scope, {{series.metric, value}}, time, series.dimensions);
}

void MetricStore::PutMany(const std::string& scope, std::initializer_list<Sample> samples,
                          TimePoint time, const std::map<std::string, std::string>& dimensions) {
  const int64_t minute = FloorTo(ToUnixMillis(time), kMinute);
  const int64_t hour = FloorTo(minute, kHour);
  std::lock_guard lock(mu_);
  for (const Sample& sample : samples) {
    AddSample(*SeriesFor(scope, sample.metric, dimensions), minute, hour, sample.value);
  }
}

std::vector<std::optional<double>> MetricStore::Query(
    const std::string& scope, const std::string& metric,
    const std::map<std::string, std::string>& dimensions, const Statistic& statistic,
    TimePoint start, std::chrono::seconds period, size_t count) const {
  const int64_t from = ToUnixMillis(start);
  const int64_t step = std::chrono::duration_cast<Millis>(period).count();
  // Percentiles need the samples merged; the other statistics only four numbers per period.
  const bool percentile = statistic.kind == Statistic::Kind::kPercentile;
  std::vector<Aggregate> merged(percentile ? count : 0);
  std::vector<Summary> summed(percentile ? 0 : count);
  std::lock_guard lock(mu_);
  for (const auto& [key, s] : series_) {
    if (s.id.scope != scope || s.id.metric != metric || !Includes(s.id.dimensions, dimensions)) {
      continue;
    }
    for (auto it = s.periods.lower_bound(from); it != s.periods.end(); ++it) {
      const auto k = static_cast<size_t>((it->first - from) / step);
      if (k >= count) {
        break;
      }
      if (percentile) {
        merged[k].Merge(it->second);
        continue;
      }
      const Aggregate& a = it->second;
      Summary& sum = summed[k];
      sum.count += a.count();
      sum.sum += a.sum();
      sum.min = std::min(sum.min, a.min());
      sum.max = std::max(sum.max, a.max());
    }
  }
  std::vector<std::optional<double>> out;
  out.reserve(count);
  for (size_t k = 0; k < count; ++k) {
    out.push_back(percentile ? merged[k].Value(statistic) : summed[k].Value(statistic));
  }
  return out;
}

std::vector<SeriesId> MetricStore::List(const std::string& scope) const {
  std::lock_guard lock(mu_);
  std::vector<SeriesId> out;
  for (const auto& [key, s] : series_) {
    if (scope.empty() || s.id.scope == scope) {
      out.push_back(s.id);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

size_t MetricStore::series_count() const {
  std::lock_guard lock(mu_);
  return series_.size();
}

Result<void> MetricStore::Flush() {
  if (store_ == nullptr) {
    return {};
  }
  std::vector<DocWrite> writes;
  std::set<std::pair<std::string, int64_t>> flushing;
  {
    std::lock_guard lock(mu_);
    flushing.swap(dirty_hours_);
    for (const auto& [key, hour] : flushing) {
      auto found = series_.find(key);
      if (found == series_.end()) {
        continue;
      }
      Series& s = found->second;
      s.marked_hour = -1;  // the next put marks its hour again
      nlohmann::json periods = nlohmann::json::object();
      for (auto it = s.periods.lower_bound(hour); it != s.periods.end() && it->first < hour + kHour;
           ++it) {
        periods[std::to_string(it->first)] = it->second.ToJson();
      }
      nlohmann::json body = SeriesJson(s.id);
      if (s.published) {
        body["published"] = true;  // counted against its scope's cap again after a restart
      }
      body["periods"] = std::move(periods);
      writes.push_back(DocWrite{kCollection, DocKey(key, hour), body.dump()});
    }
  }
  if (writes.empty()) {
    return {};
  }
  auto written = store_->WriteDocs(writes);
  if (!written) {
    std::lock_guard lock(mu_);
    dirty_hours_.insert(flushing.begin(), flushing.end());
    return Fail(written.error());
  }
  return {};
}

Result<void> MetricStore::LoadDoc(const Doc& doc) {
  auto damaged = [&doc](const std::string& what) {
    return Fail(ErrorCode::kInternal, "metrics/" + doc.key + ": " + what);
  };
  const nlohmann::json j = ParseJsonOrDiscard(doc.body);
  if (!j.is_object() || !j.contains("periods") || !j["periods"].is_object()) {
    return damaged("does not parse");
  }
  SeriesId id;
  try {
    id.scope = j.at("scope").get<std::string>();
    id.metric = j.at("metric").get<std::string>();
    id.dimensions = j.at("dimensions").get<std::map<std::string, std::string>>();
  } catch (const nlohmann::json::exception&) {
    return damaged("does not parse");
  }
  std::map<int64_t, Aggregate> periods;
  for (const auto& [start, aggregate] : j["periods"].items()) {
    int64_t ms = 0;
    auto [end, ec] = std::from_chars(start.data(), start.data() + start.size(), ms);
    auto a = Aggregate::FromJson(aggregate);
    if (ec != std::errc() || end != start.data() + start.size() || !a) {
      return damaged("a period does not parse");
    }
    periods[ms] = std::move(*a);
  }
  Series* s = SeriesFor(id.scope, id.metric, id.dimensions, j.value("published", false));
  if (s != nullptr) {
    s->periods.merge(periods);
  }
  return {};
}

Result<void> MetricStore::Load() {
  if (store_ == nullptr) {
    return {};
  }
  auto docs = store_->ListDocs(kCollection, DocQuery{});
  EC2M_RETURN_IF_ERROR(docs);
  std::lock_guard lock(mu_);
  for (const Doc& doc : *docs) {
    if (auto loaded = LoadDoc(doc); !loaded) {
      // A damaged record costs its own series, not the start.
      std::fprintf(stderr, "ec2m: skipped %s\n", loaded.error().message.c_str());
    }
  }
  return {};
}

std::string MetricStore::RenderCardinality() const {
  std::lock_guard lock(mu_);
  std::string out =
      "# HELP ec2m_metric_series Series the metric store holds, per scope.\n"
      "# TYPE ec2m_metric_series gauge\n";
  for (const auto& [scope, n] : scope_series_) {
    out += fmt::format("ec2m_metric_series{{scope=\"{}\"}} {}\n", scope, n);
  }
  out +=
      "# HELP ec2m_metric_samples_dropped_total Samples dropped because their scope held its "
      "maximum of series.\n"
      "# TYPE ec2m_metric_samples_dropped_total counter\n";
  for (const auto& [scope, n] : dropped_) {
    out += fmt::format("ec2m_metric_samples_dropped_total{{scope=\"{}\"}} {}\n", scope, n);
  }
  return out;
}

Result<void> MetricStore::Compact(TimePoint now,
                                  const std::map<std::string, int64_t>& retention_days,
                                  int64_t default_days) {
  const int64_t now_ms = ToUnixMillis(now);
  std::vector<DocWrite> deletes;
  {
    std::lock_guard lock(mu_);
    for (auto& [key, s] : series_) {
      auto days = retention_days.find(s.id.scope);
      const int64_t keep =
          (days == retention_days.end() ? default_days : days->second) * 24 * kHour;
      std::map<int64_t, Aggregate> compacted;
      std::set<int64_t> changed_hours;
      for (auto& [start, aggregate] : s.periods) {
        const int64_t age = now_ms - start;
        if (age >= keep) {
          changed_hours.insert(FloorTo(start, kHour));
          continue;
        }
        const int64_t to = FloorTo(start, ResolutionAt(age));
        if (to != start) {
          changed_hours.insert(FloorTo(start, kHour));
        }
        compacted[to].Merge(aggregate);
      }
      s.periods = std::move(compacted);
      for (int64_t hour : changed_hours) {
        if (s.periods.lower_bound(hour) == s.periods.lower_bound(hour + kHour)) {
          deletes.push_back(DocWrite{kCollection, DocKey(key, hour), std::nullopt});
          dirty_hours_.erase({key, hour});
          s.marked_hour = -1;
        } else if (store_ != nullptr) {
          dirty_hours_.emplace(key, hour);
        }
      }
    }
    std::erase_if(series_, [this](const auto& entry) {
      if (!entry.second.periods.empty()) {
        return false;
      }
      if (entry.second.published) {
        --scope_series_[entry.second.id.scope];
      }
      return true;
    });
  }
  if (store_ != nullptr && !deletes.empty()) {
    EC2M_RETURN_IF_ERROR(store_->WriteDocs(deletes));
  }
  return Flush();
}

}  // namespace ec2m::monitor
