#include "monitor/monitor.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "store/sqlite/sqlite_store.hpp"

namespace ec2m::monitor {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

// Notifications as the Notifier received them (the outbox has its own tests against real
// receivers).
class RecordingNotifier : public Notifier {
 public:
  Result<std::string> Enqueue(Notification n) override {
    std::lock_guard lock(mu_);
    sent.push_back(n);
    return n.id;
  }
  std::mutex mu_;
  std::vector<Notification> sent;
};

class MonitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::SqliteStore::Open(":memory:");
    ASSERT_TRUE(store);
    store_ = std::move(*store);
    metrics_ = std::make_unique<MetricStore>(store_.get());
    monitor_ = std::make_unique<Monitor>(*store_, *metrics_, clock_, &notifier_);
    ASSERT_TRUE(monitor_->SetAlarms("dev", DefaultAlarms()));
  }
  // `n` requests in the current minute, `errors` of them 5xx, then a minute on.
  void Minute(int n, int errors, double latency = 0.05) {
    for (int i = 0; i < n; ++i) {
      monitor_->RecordRequest("dev", "GET /api/v1/instances/{env}", "alice", i < errors ? 500 : 200,
                              latency);
    }
    clock_.Advance(minutes(1));
  }
  AlarmStatus Status(const std::string& name) { return monitor_->Get("dev", name).value(); }

  // 2026-11-28T00:00:00Z: minute-aligned.
  ManualClock clock_{FromUnixMillis(1'795'824'000'000)};
  std::unique_ptr<Store> store_;
  RecordingNotifier notifier_;
  std::unique_ptr<MetricStore> metrics_;
  std::unique_ptr<Monitor> monitor_;
};

TEST_F(MonitorTest, ThreeServerErrorsInTenMinutesFireTheCriticalAlarmOnce) {
  Minute(10, 1);
  ASSERT_TRUE(monitor_->EvaluateAll());
  EXPECT_EQ(Status("Critical API Errors").state, AlarmState::kOk);
  Minute(10, 1);
  Minute(10, 1);
  auto changed = monitor_->EvaluateAll();
  ASSERT_TRUE(changed) << changed.error().ToString();
  const AlarmStatus s = Status("Critical API Errors");
  EXPECT_EQ(s.state, AlarmState::kAlarm);
  EXPECT_EQ(s.episode, 1);
  EXPECT_NE(s.reason.find("1 out of the last 1 datapoints [3] was greater than or equal to the "
                          "threshold (3)"),
            std::string::npos)
      << s.reason;
  // Evaluating again in the same state changes nothing and notifies nobody twice.
  ASSERT_TRUE(monitor_->EvaluateAll());
  size_t alarm_notes = 0;
  for (const auto& n : notifier_.sent) {
    if (n.fields.at("alarm") == "Critical API Errors" && n.fields.at("state") == "ALARM") {
      ++alarm_notes;
      EXPECT_EQ(n.severity, "critical");
      EXPECT_EQ(n.kind, "alarm");
      EXPECT_EQ(n.id.rfind("alarm-dev-Critical_API_Errors-", 0), 0U) << n.id;
      EXPECT_EQ(n.id.substr(n.id.size() - 8), "-1-ALARM") << n.id;
    }
  }
  EXPECT_EQ(alarm_notes, 1U);
  // Ten quiet minutes later the window holds no errors: back to OK, in the history.
  for (int i = 0; i < 10; ++i) {
    Minute(5, 0);
  }
  ASSERT_TRUE(monitor_->EvaluateAll());
  EXPECT_EQ(Status("Critical API Errors").state, AlarmState::kOk);
  auto history = monitor_->History("dev", "Critical API Errors", 10);
  ASSERT_TRUE(history);
  ASSERT_GE(history->size(), 3U);
  // Newest first: the notification of the change, then the change.
  EXPECT_EQ((*history)[0].summary.rfind("Notification alarm-dev-Critical_API_Errors-", 0), 0U)
      << (*history)[0].summary;
  EXPECT_EQ((*history)[1].summary, "Alarm updated from ALARM to OK");
  EXPECT_EQ((*history)[1].to, "OK");
}

TEST_F(MonitorTest, TransitionsReachTheHookWithTheEpisode) {
  std::vector<AlarmTransition> seen;
  monitor_->OnTransition([&](const AlarmTransition& t) { seen.push_back(t); });
  Minute(3, 3);
  ASSERT_TRUE(monitor_->EvaluateAll());
  ASSERT_FALSE(seen.empty());
  const auto it = std::find_if(seen.begin(), seen.end(), [](const AlarmTransition& t) {
    return t.spec.name == "Critical API Errors";
  });
  ASSERT_NE(it, seen.end());
  EXPECT_EQ(it->to, AlarmState::kAlarm);
  EXPECT_EQ(it->episode, 1);
  EXPECT_EQ(it->scope, "dev");
}

TEST_F(MonitorTest, MuteSilencesUntilResolvedAndAcknowledgeNeedsAnAlarm) {
  auto ack = monitor_->Acknowledge("dev", "Critical API Errors", "alice");
  ASSERT_FALSE(ack);
  EXPECT_EQ(ack.error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(monitor_->Mute("dev", "Critical API Errors", "alice"));
  Minute(4, 4);
  ASSERT_TRUE(monitor_->EvaluateAll());
  EXPECT_EQ(Status("Critical API Errors").state, AlarmState::kAlarm);
  for (const auto& n : notifier_.sent) {
    EXPECT_NE(n.fields.at("alarm"), "Critical API Errors") << "muted, yet notified";
  }
  ack = monitor_->Acknowledge("dev", "Critical API Errors", "bob");
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->acknowledged_by, "bob");
  for (int i = 0; i < 11; ++i) {
    Minute(1, 0);
  }
  ASSERT_TRUE(monitor_->EvaluateAll());
  const AlarmStatus s = Status("Critical API Errors");
  EXPECT_EQ(s.state, AlarmState::kOk);
  EXPECT_FALSE(s.muted) << "muted until resolved: resolved now";
  EXPECT_EQ(s.acknowledged_by, "");
  EXPECT_FALSE(monitor_->Mute("dev", "No Such Alarm", "alice"));
}

TEST_F(MonitorTest, LowActivityAfterTwoQuietHoursNotAtStart) {
  // Just started: no request yet, but two quiet hours have not been seen either.
  ASSERT_TRUE(monitor_->EvaluateAll());
  EXPECT_EQ(Status("Low Activity").state, AlarmState::kInsufficientData);
  Minute(1, 0);
  ASSERT_TRUE(monitor_->EvaluateAll());
  EXPECT_EQ(Status("Low Activity").state, AlarmState::kOk);
  for (int i = 0; i < 60; ++i) {
    ASSERT_TRUE(monitor_->EvaluateAll());
    clock_.Advance(minutes(5));
  }
  EXPECT_EQ(Status("Low Activity").state, AlarmState::kAlarm);
  EXPECT_EQ(Status("High Latency").state, AlarmState::kInsufficientData);
}

TEST_F(MonitorTest, StateAndMetricsSurviveARestart) {
  Minute(3, 3);
  ASSERT_TRUE(monitor_->EvaluateAll());
  ASSERT_TRUE(metrics_->Flush());
  MetricStore reloaded(store_.get());
  ASSERT_TRUE(reloaded.Load());
  EXPECT_EQ(reloaded.series_count(), metrics_->series_count());
  Monitor again(*store_, reloaded, clock_, nullptr);
  ASSERT_TRUE(again.SetAlarms("dev", DefaultAlarms()));
  EXPECT_EQ(again.Get("dev", "Critical API Errors")->state, AlarmState::kAlarm);
  const TimePoint start = clock_.Now() - minutes(1);
  EXPECT_EQ(reloaded.Query("dev", "ServerErrors", {}, ParseStatistic("Sum").value(), start,
                           seconds(60), 1)[0],
            3);
}

TEST_F(MonitorTest, InvalidAlarmsAreRefusedNamingThem) {
  auto specs = DefaultAlarms();
  specs[1].datapoints_to_alarm = 9;
  auto r = monitor_->SetAlarms("dev", specs);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "alarm \"High Latency\": datapointsToAlarm: expected 1..3 (evaluationPeriods), got 9");
  specs = DefaultAlarms();
  specs.push_back(specs[0]);
  EXPECT_FALSE(monitor_->SetAlarms("dev", specs));
  // The alarms in force are still the defaults.
  EXPECT_EQ(monitor_->List("dev")->size(), 5U);
}

TEST_F(MonitorTest, TheCollectorPublishesBusinessMetrics) {
  monitor_->RecordRequest("", "POST /api/v1/auth/login", "", 200, 0.2);
  monitor_->RecordRequest("", "POST /api/v1/auth/login", "", 401, 0.2);
  Minute(3, 0);
  monitor_->RecordRequest("dev", "GET /api/v1/alarms", "bob", 200, 0.01);
  monitor_->SetCollector(minutes(15), [](MetricStore& m, TimePoint now) {
    m.Put({"dev", "Instances", {{"State", "running"}}}, now, 4);
  });
  monitor_->Collect();
  const TimePoint start = clock_.Now() - minutes(5);
  const Statistic sum = ParseStatistic("Sum").value();
  auto one = [&](const std::string& scope, const std::string& metric,
                 const std::map<std::string, std::string>& dims = {}) {
    return metrics_->Query(scope, metric, dims, sum, start, minutes(10), 1)[0];
  };
  EXPECT_EQ(one(kControlPlane, "SignIns"), 1);
  EXPECT_EQ(one(kControlPlane, "AuthFailures"), 1);
  EXPECT_EQ(one(kControlPlane, "ActiveUsers"), 2) << "alice and bob";
  EXPECT_EQ(one(kControlPlane, "FeatureUse", {{"Feature", "instances"}}), 3);
  EXPECT_EQ(one(kControlPlane, "FeatureUse", {{"Feature", "auth"}}), 2);
  EXPECT_EQ(one("dev", "Instances", {{"State", "running"}}), 4);
  EXPECT_EQ(one("dev", "Requests"), 4);
  monitor_->Collect();
  EXPECT_EQ(one(kControlPlane, "ActiveUsers"), 2) << "nobody new since: a 0 datapoint added";
}

TEST_F(MonitorTest, TheLoopCollectsWithItsFirstEvaluation) {
  std::atomic<int> collected{0};
  monitor_->SetCollector(minutes(15), [&](MetricStore&, TimePoint) { ++collected; });
  monitor_->Start(std::chrono::seconds(1), {});
  for (int i = 0; i < 300 && collected == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  monitor_->Stop();
  EXPECT_EQ(collected.load(), 1) << "not 15 minutes of the clock later";
}

TEST(MetricStore, DimensionsParseFromText) {
  EXPECT_TRUE(ParseDimensions("")->empty());
  auto two = ParseDimensions("InstanceId=i-1,Group=web");
  ASSERT_TRUE(two);
  EXPECT_EQ(two->at("Group"), "web");
  EXPECT_EQ(ParseDimensions("=x").error().message,
            "expected Name=Value pairs separated by commas, got \"=x\"");
  EXPECT_FALSE(ParseDimensions("Group"));
}

// Samples put after a Flush within the same hour (and into an earlier hour) are written by the
// next Flush: a series marks its hour dirty once, and a Flush unmarks it.
TEST_F(MonitorTest, EveryFlushWritesWhatCameSinceTheLastOne) {
  const TimePoint t = clock_.Now();
  const Statistic sum = ParseStatistic("Sum").value();
  auto stored = [&](TimePoint at) {
    MetricStore reloaded(store_.get());
    EXPECT_TRUE(reloaded.Load());
    return reloaded.Query("dev", "Requests", {}, sum, at, seconds(60), 1)[0];
  };
  metrics_->Put({"dev", "Requests", {}}, t, 1);
  ASSERT_TRUE(metrics_->Flush());
  metrics_->Put({"dev", "Requests", {}}, t + seconds(10), 1);
  ASSERT_TRUE(metrics_->Flush());
  EXPECT_EQ(stored(t), 2);
  metrics_->Put({"dev", "Requests", {}}, t - std::chrono::hours(2), 5);
  metrics_->Put({"dev", "Requests", {}}, t + seconds(20), 1);
  ASSERT_TRUE(metrics_->Flush());
  EXPECT_EQ(stored(t), 3);
  EXPECT_EQ(stored(t - std::chrono::hours(2)), 5);
}

TEST(MetricStore, QueriesMergeSeriesAndPeriodsAndCompactionDownsamples) {
  MetricStore store(nullptr);
  const TimePoint t0 = FromUnixMillis(1'795'824'000'000);
  for (int minute = 0; minute < 10; ++minute) {
    store.Put({"dev", "Latency", {{"InstanceId", "i-1"}}}, t0 + minutes(minute), minute);
    store.Put({"dev", "Latency", {{"InstanceId", "i-2"}}}, t0 + minutes(minute), 100);
  }
  const Statistic max = ParseStatistic("Maximum").value();
  const Statistic count = ParseStatistic("SampleCount").value();
  auto five = store.Query("dev", "Latency", {}, count, t0, seconds(300), 3);
  EXPECT_EQ(five[0], 10);
  EXPECT_EQ(five[1], 10);
  EXPECT_FALSE(five[2]);
  auto one = store.Query("dev", "Latency", {{"InstanceId", "i-1"}}, max, t0, seconds(300), 2);
  EXPECT_EQ(one[0], 4);
  EXPECT_EQ(one[1], 9);
  EXPECT_EQ(store.List("dev").size(), 2U);
  // Four days on: 1-minute periods become 5-minute ones, the answers over 5 minutes stay.
  ASSERT_TRUE(store.Compact(t0 + std::chrono::hours(24 * 4), {}, 7));
  one = store.Query("dev", "Latency", {{"InstanceId", "i-1"}}, max, t0, seconds(300), 2);
  EXPECT_EQ(one[0], 4);
  EXPECT_EQ(one[1], 9);
  // Past the scope's retention: gone.
  ASSERT_TRUE(store.Compact(t0 + std::chrono::hours(24 * 8), {{"dev", 7}}, 30));
  EXPECT_EQ(store.series_count(), 0U);
}

}  // namespace
}  // namespace ec2m::monitor

namespace ec2m::monitor {
namespace {

TEST(MetricStoreLimitsTest, AScopeHoldsAtMostItsSeriesAndCountsTheRest) {
  MetricStore metrics(nullptr, 3);
  const TimePoint now = FromUnixMillis(1'800'000'000'000);
  for (int i = 0; i < 10; ++i) {
    metrics.PutPublished({"dev", "Requests", {{"Path", "/made-up/" + std::to_string(i)}}}, now, 1);
  }
  metrics.PutPublished({"prod", "Requests", {}}, now, 1);
  metrics.PutPublished({"dev", "Requests", {{"Path", "/made-up/0"}}}, now, 1);  // it exists
  // ec2m's own figures still get their series in a full scope: its alarms are not blinded.
  metrics.Put({"dev", "ServerErrors", {}}, now, 1);
  EXPECT_EQ(metrics.List("dev").size(), 4u);
  EXPECT_EQ(metrics.List("prod").size(), 1u);
  const std::string text = metrics.RenderCardinality();
  EXPECT_NE(text.find("ec2m_metric_series{scope=\"dev\"} 3"), std::string::npos) << text;
  EXPECT_NE(text.find("ec2m_metric_samples_dropped_total{scope=\"dev\"} 7"), std::string::npos);
}

TEST(MetricStoreLimitsTest, ADamagedStoredSeriesIsSkippedNotFatal) {
  auto store = store::SqliteStore::Open(":memory:");
  ASSERT_TRUE(store);
  {
    MetricStore metrics(store->get());
    metrics.Put({"dev", "Requests", {}}, FromUnixMillis(1'800'000'000'000), 1);
    ASSERT_TRUE(metrics.Flush());
  }
  ASSERT_TRUE((*store)->WriteDocs(std::vector<DocWrite>{
      {"metrics", "bad-1", "not json", 0},
      {"metrics", "bad-2", R"({"scope":"dev","metric":"X","dimensions":{},"periods":{"soon":{}}})",
       0},
      {"metrics", "bad-3", "[" + std::string(100000, '[') + "]", 0}}));
  MetricStore reloaded(store->get());
  ASSERT_TRUE(reloaded.Load());
  EXPECT_EQ(reloaded.List("dev").size(), 1u);
}

}  // namespace
}  // namespace ec2m::monitor
