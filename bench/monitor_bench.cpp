// monitor_bench: issue 6's two figures for the monitor (BENCHMARKS.md, "Monitoring").
// 1. Alarm evaluation keeping up with 1,000,000 datapoints a minute: one simulated minute of
//    datapoints spread over S series (Put into the MetricStore), then one evaluation of an alarm
//    per series (Query of its range + Evaluate), timed in wall-clock and CPU time.
// 2. A dashboard's metric queries: 20 series of 7 days of per-minute datapoints, compacted as
//    they would be (1-minute periods for 3 days, 5-minute after), queried at 5-minute periods
//    over 7 days (2,016 points each), all 20 per round; p50/p99 over the rounds.
//    Peer, in the same run: the same datapoints as rows of an SQLite table (series, minute,
//    value; an index on series and minute), the same 20 queries as GROUP BY the 5-minute period.
#include <fmt/core.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "flags.hpp"
#include "monitor/alarm.hpp"
#include "monitor/metric_store.hpp"
#include "timing.hpp"

namespace {

using ec2m::bench::Flags;
using ec2m::monitor::MetricStore;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr const char* kUsage = R"(usage:
  monitor_bench [--points N] [--series S] [--rounds R]
      Ingests N datapoints (default 1000000) of one minute over S series (default 1000) and
      evaluates one alarm per series; then times R rounds (default 50) of a dashboard's 20
      queries of 7 days at 5-minute points, against the MetricStore and against SQLite.
Prints one JSON object.
)";

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double Since(ec2m::bench::SteadyClock::time_point start) {
  return std::chrono::duration<double>(ec2m::bench::SteadyClock::now() - start).count();
}

const ec2m::TimePoint kStart = ec2m::FromUnixMillis(1'795'824'000'000);  // 2026-11-28T00:00Z

std::string Ingest(int64_t points, int series) {
  MetricStore store(nullptr);
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> latency(0.01, 0.4);
  std::vector<ec2m::monitor::SeriesId> ids;
  for (int s = 0; s < series; ++s) {
    ids.push_back(
        {"env" + std::to_string(s % 10), "Latency", {{"InstanceId", fmt::format("i-{:017x}", s)}}});
  }
  // The values are drawn before the clock starts: only the store's work is timed.
  std::vector<double> values(static_cast<size_t>(points));
  for (double& v : values) {
    v = latency(rng);
  }
  const double cpu0 = CpuSeconds();
  const auto t0 = ec2m::bench::SteadyClock::now();
  for (int64_t i = 0; i < points; ++i) {
    const auto at = kStart + std::chrono::milliseconds(i * 60'000 / points);
    store.Put(ids[static_cast<size_t>(i % series)], at, values[static_cast<size_t>(i)]);
  }
  const double ingest_s = Since(t0);
  const double ingest_cpu = CpuSeconds() - cpu0;

  ec2m::monitor::AlarmSpec spec;
  spec.name = "p99 latency";
  spec.metric = "Latency";
  spec.statistic = ec2m::monitor::ParseStatistic("p99").value();
  spec.period_seconds = 60;
  spec.evaluation_periods = 3;
  spec.datapoints_to_alarm = 2;
  spec.comparison = ec2m::monitor::Comparison::kGreaterThanThreshold;
  spec.threshold = 0.3;
  const double cpu1 = CpuSeconds();
  const auto t1 = ec2m::bench::SteadyClock::now();
  int alarms = 0;
  const auto range = static_cast<size_t>(spec.EvaluationRange());
  const auto from = kStart + minutes(1) - minutes(static_cast<int64_t>(range));
  for (const auto& id : ids) {
    spec.dimensions = id.dimensions;
    const auto values_in_range = store.Query(id.scope, spec.metric, spec.dimensions, spec.statistic,
                                             from, seconds(60), range);
    const auto e = ec2m::monitor::Evaluate(spec, values_in_range, ec2m::monitor::AlarmState::kOk);
    alarms += e.state == ec2m::monitor::AlarmState::kAlarm ? 1 : 0;
  }
  const double eval_s = Since(t1);
  const double eval_cpu = CpuSeconds() - cpu1;
  return fmt::format(
      R"("ingest":{{"points":{},"series":{},"seconds":{:.3f},"cpu_seconds":{:.3f},"points_per_s":{:.0f}}},)"
      R"("evaluate":{{"alarms":{},"in_alarm":{},"seconds":{:.3f},"cpu_seconds":{:.3f}}},)"
      R"("share_of_one_core_per_minute":{:.4f})",
      points, series, ingest_s, ingest_cpu, static_cast<double>(points) / ingest_s, ids.size(),
      alarms, eval_s, eval_cpu, (ingest_cpu + eval_cpu) / 60.0);
}

bool Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::fprintf(stderr, "monitor_bench: sqlite: %s\n", error);
    sqlite3_free(error);
    return false;
  }
  return true;
}

std::string Dashboard(int rounds) {
  constexpr int kSeries = 20;
  constexpr int kMinutes = 7 * 24 * 60;
  constexpr int kPoints = kMinutes / 5;  // 2,016 five-minute points
  const ec2m::TimePoint end = kStart + minutes(kMinutes);
  MetricStore store(nullptr);
  sqlite3* db = nullptr;
  sqlite3_open(":memory:", &db);
  Exec(db, "CREATE TABLE points(series INTEGER, minute INTEGER, value REAL);");
  Exec(db, "BEGIN;");
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO points VALUES(?,?,?)", -1, &insert, nullptr);
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> value(0, 100);
  for (int s = 0; s < kSeries; ++s) {
    const ec2m::monitor::SeriesId id{"prod", "Metric" + std::to_string(s), {}};
    for (int m = 0; m < kMinutes; ++m) {
      const double v = value(rng);
      store.Put(id, kStart + minutes(m), v);
      sqlite3_bind_int(insert, 1, s);
      sqlite3_bind_int(insert, 2, m);
      sqlite3_bind_double(insert, 3, v);
      sqlite3_step(insert);
      sqlite3_reset(insert);
    }
  }
  sqlite3_finalize(insert);
  Exec(db, "COMMIT;");
  Exec(db, "CREATE INDEX points_by_series ON points(series, minute);");
  // As a server holding a week of data has it: older than 3 days in 5-minute periods.
  (void)store.Compact(end, {}, 30);

  const ec2m::monitor::Statistic average = ec2m::monitor::ParseStatistic("Average").value();
  size_t answered = 0;
  ec2m::bench::Timing ours = ec2m::bench::TimeLoop(
      [&] {
        for (int s = 0; s < kSeries; ++s) {
          const auto points = store.Query("prod", "Metric" + std::to_string(s), {}, average, kStart,
                                          seconds(300), kPoints);
          answered += points.size();
        }
        return true;
      },
      rounds, 600, 2);
  sqlite3_stmt* query = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT minute / 5, avg(value) FROM points WHERE series = ? AND minute >= 0 "
                     "AND minute < ? GROUP BY minute / 5 ORDER BY 1",
                     -1, &query, nullptr);
  size_t rows = 0;
  ec2m::bench::Timing peer = ec2m::bench::TimeLoop(
      [&] {
        for (int s = 0; s < kSeries; ++s) {
          sqlite3_bind_int(query, 1, s);
          sqlite3_bind_int(query, 2, kMinutes);
          while (sqlite3_step(query) == SQLITE_ROW) {
            ++rows;
          }
          sqlite3_reset(query);
        }
        return true;
      },
      rounds, 600, 2);
  sqlite3_finalize(query);
  sqlite3_close(db);
  return fmt::format(
      R"("dashboard":{{"series":{},"points_per_series":{},"ec2m":{{{}}},"sqlite":{{{}}},"answered":{},"sqlite_rows":{}}})",
      kSeries, kPoints, ec2m::bench::TimingJsonMembers(ours), ec2m::bench::TimingJsonMembers(peer),
      answered, rows);
}

int Run(Flags flags) {
  std::string problem;
  double points = 1'000'000;
  double series = 1000;
  double rounds = 50;
  if (!ec2m::bench::TakeNumber(flags, "points", points, problem) ||
      !ec2m::bench::TakeNumber(flags, "series", series, problem) ||
      !ec2m::bench::TakeNumber(flags, "rounds", rounds, problem) || !flags.empty()) {
    return ec2m::bench::UsageError(
        "monitor_bench", kUsage,
        problem.empty() ? "unknown flag --" + flags.begin()->first : problem);
  }
  const std::string ingest = Ingest(static_cast<int64_t>(points), static_cast<int>(series));
  const std::string dashboard = Dashboard(static_cast<int>(rounds));
  std::printf("{%s,%s}\n", ingest.c_str(), dashboard.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return ec2m::bench::FlagsMain(argc, argv, "monitor_bench", kUsage, Run);
}
