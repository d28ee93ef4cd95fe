#include "incidents/incidents.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "incidents/templates.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ec2m::incidents {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// 2025-09-14 10:30 UTC.
const TimePoint kStart = FromUnixMillis(1'757'845'800'000);

// Keeps what it is handed; fails while `fail` is set. Thread-safe.
class RecordingNotifier final : public Notifier {
 public:
  Result<std::string> Enqueue(Notification n) override {
    std::lock_guard lock(mu_);
    if (fail) {
      return Fail(ErrorCode::kUnavailable, "the outbox is down");
    }
    sent_.push_back(n);
    return n.id;
  }
  std::vector<Notification> sent() const {
    std::lock_guard lock(mu_);
    return sent_;
  }
  bool fail = false;

 private:
  mutable std::mutex mu_;
  std::vector<Notification> sent_;
};

class IncidentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::SqliteStore::Open(":memory:");
    ASSERT_TRUE(store);
    store_ = std::move(*store);
    incidents_ = std::make_unique<Incidents>(*store_, clock_, &notifier_);
  }

  Incident Open(Severity severity = Severity::kP2, const std::string& env = "prod",
                const std::string& title = "API errors") {
    auto opened = incidents_->Open({severity, title, env, "", "", "alice@example.com"});
    EXPECT_TRUE(opened) << opened.error().ToString();
    return opened ? *opened : Incident{};
  }

  std::vector<std::string> Kinds(const std::string& id) {
    std::vector<std::string> kinds;
    auto incident = incidents_->Get(id);
    for (const TimelineEntry& e : incident->timeline) {
      kinds.push_back(e.kind);
    }
    return kinds;
  }

  ManualClock clock_{kStart};
  std::unique_ptr<Store> store_;
  RecordingNotifier notifier_;
  std::unique_ptr<Incidents> incidents_;
};

TEST_F(IncidentsTest, IdsAreTheUtcDayAndItsSequenceFrom001) {
  struct Step {
    TimePoint at;
    std::string id;
  };
  const TimePoint next_day = FromUnixMillis(1'757'894'400'000);  // 2025-09-15 00:00 UTC
  const std::vector<Step> steps = {
      {kStart, "2025-0914-001"},
      {kStart, "2025-0914-002"},
      {next_day - std::chrono::milliseconds(1), "2025-0914-003"},
      {next_day, "2025-0915-001"},
      {next_day + hours(23), "2025-0915-002"},
      {FromUnixMillis(1'767'225'599'000), "2025-1231-001"},  // 2025-12-31 23:59:59
      {FromUnixMillis(1'767'225'600'000), "2026-0101-001"},
  };
  for (const Step& s : steps) {
    clock_.Set(s.at);
    EXPECT_EQ(Open().id, s.id);
  }
  auto got = incidents_->Get("2025-0914-003");
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(got->opened_at, next_day - std::chrono::milliseconds(1));
  EXPECT_EQ(incidents_->Get("2025-0914-9").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(incidents_->Get("2025-0914-004").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(incidents_->Get("2025-0914-004").error().message, "incident 2025-0914-004 not found");
  EXPECT_EQ(incidents_->Get("x").error().message, "\"x\" is not an incident id (YYYY-MMDD-NNN)");
}

TEST_F(IncidentsTest, ConcurrentOpensNeverShareAnId) {
  constexpr int kThreads = 4;
  constexpr int kEach = 10;
  std::mutex mu;
  std::set<std::string> ids;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      // Each thread has its own service over the shared store, as replicas would.
      Incidents mine(*store_, clock_, nullptr);
      for (int i = 0; i < kEach; ++i) {
        auto opened = mine.Open({Severity::kP3, "disk full", "dev", "", "", "ci"});
        ASSERT_TRUE(opened) << opened.error().ToString();
        std::lock_guard lock(mu);
        EXPECT_TRUE(ids.insert(opened->id).second) << opened->id;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  ASSERT_EQ(ids.size(), static_cast<size_t>(kThreads * kEach));
  // One day's sequence without gaps (the clock may have moved a little on lost races).
  for (const std::string& id : ids) {
    auto parsed = ParseIncidentId(id);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->first, "2025-0914");
    EXPECT_LE(parsed->second, kThreads * kEach);
  }
}

TEST_F(IncidentsTest, OpenNamesTheBadField) {
  struct Case {
    OpenRequest request;
    std::string message;
  };
  const std::string long_title(201, 'x');
  const std::vector<Case> cases = {
      {{Severity::kP1, "", "prod", "", "", "a"}, "title: required"},
      {{Severity::kP1, "  ", "prod", "", "", "a"}, "title: required"},
      {{Severity::kP1, "two\nlines", "prod", "", "", "a"}, "title: one line expected"},
      {{Severity::kP1, long_title, "prod", "", "", "a"}, "title: at most 200 characters, got 201"},
      {{Severity::kP1, "t", "", "", "", "a"}, "environment: required"},
      {{Severity::kP1, "t", "prod", "a\nb", "", "a"}, "service: one line expected"},
      {{Severity::kP1, "t", "prod", "", std::string(4001, 'd'), "a"},
       "description: at most 4000 characters, got 4001"},
  };
  for (const Case& c : cases) {
    auto opened = incidents_->Open(c.request);
    ASSERT_FALSE(opened) << c.message;
    EXPECT_EQ(opened.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(opened.error().message, c.message);
  }
  EXPECT_TRUE(notifier_.sent().empty());
}

TEST_F(IncidentsTest, OpenFillsDefaultsAndSendsTheInitialReport) {
  const Incident i = Open(Severity::kP2, "prod", "Checkout broken");
  EXPECT_EQ(i.status, Status::kInvestigating);
  EXPECT_EQ(i.service, "EC2 Manager API");
  EXPECT_EQ(i.description, "Checkout broken");
  EXPECT_EQ(i.opened_by, "alice@example.com");
  ASSERT_EQ(notifier_.sent().size(), 1u);
  const Notification n = notifier_.sent()[0];
  EXPECT_EQ(n.id, "incident-2025-0914-001-opened");
  EXPECT_EQ(n.kind, "incident.opened");
  EXPECT_EQ(n.environment, "prod");
  EXPECT_EQ(n.severity, "critical");
  EXPECT_EQ(n.title, "P2 incident 2025-0914-001: Checkout broken");
  EXPECT_EQ(n.text, RenderInitialReport(i));
  EXPECT_EQ(n.fields.at("incident"), "2025-0914-001");
  // The hand-over is on the timeline.
  ASSERT_EQ(i.timeline.size(), 2u);
  EXPECT_EQ(i.timeline[1].kind, "action");
  EXPECT_EQ(i.timeline[1].text,
            "the initial report was handed to the notification channels "
            "(incident-2025-0914-001-opened)");
}

TEST_F(IncidentsTest, NotificationSeverityFollowsTheIncidentsSeverity) {
  const std::vector<std::pair<Severity, std::string>> cases = {{Severity::kP1, "critical"},
                                                               {Severity::kP2, "critical"},
                                                               {Severity::kP3, "warning"},
                                                               {Severity::kP4, "warning"}};
  for (const auto& [severity, expected] : cases) {
    Open(severity);
    EXPECT_EQ(notifier_.sent().back().severity, expected) << LevelOf(severity).name;
  }
}

TEST_F(IncidentsTest, AFailingNotifierIsRecordedNotFatal) {
  notifier_.fail = true;
  const Incident i = Open();
  EXPECT_EQ(i.id, "2025-0914-001");
  ASSERT_EQ(i.timeline.size(), 2u);
  EXPECT_EQ(i.timeline[1].text,
            "the initial report could not be handed to the notification channels: unavailable: "
            "the outbox is down");
  Incidents quiet(*store_, clock_, nullptr);
  auto opened = quiet.Open({Severity::kP4, "typo", "dev", "", "", "bob"});
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->timeline.size(), 1u);
}

TEST_F(IncidentsTest, TheLifecycleAndItsTimeline) {
  const std::string id = Open(Severity::kP1).id;
  clock_.Advance(minutes(3));
  auto acked = incidents_->Acknowledge(id, "bob@example.com");
  ASSERT_TRUE(acked) << acked.error().ToString();
  EXPECT_EQ(acked->acknowledged_by, "bob@example.com");
  EXPECT_EQ(acked->timeline.back().text,
            "acknowledged after 3 minutes (P1 response time: 15 minutes)");
  auto again = incidents_->Acknowledge(id, "carol@example.com");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(again.error().message,
            "incident 2025-0914-001 was acknowledged by bob@example.com at 2025-09-14T10:33:00Z");

  auto assigned = incidents_->Assign(id, "@bob", "bob@example.com");
  ASSERT_TRUE(assigned) << assigned.error().ToString();
  EXPECT_EQ(assigned->commander, "bob");
  EXPECT_NE(RenderInitialReport(*assigned).find("Incident Commander: @bob"), std::string::npos);
  EXPECT_EQ(incidents_->Assign(id, "bob", "x").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(incidents_->Assign(id, "carol", "x")->timeline.back().text,
            "incident commander: @carol (was @bob)");
  EXPECT_EQ(incidents_->Assign(id, "two words", "x").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(incidents_->Assign(id, "@", "x").error().message, "commander: required");

  ASSERT_TRUE(incidents_->AddNote(id, "error rate 40% on /api/v1/instances", "bob@example.com"));
  EXPECT_EQ(incidents_->AddNote(id, "", "bob").error().message, "text: required");
  ASSERT_TRUE(incidents_->SetStatus(id, Status::kIdentified, "bob@example.com"));
  ASSERT_TRUE(incidents_->SetStatus(id, Status::kMonitoring, "bob@example.com"));
  auto back = incidents_->SetStatus(id, Status::kIdentified, "bob@example.com");
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(back.error().message.find("incident 2025-0914-001: status moves forward only"),
            std::string::npos);
  EXPECT_FALSE(incidents_->SetStatus(id, Status::kResolved, "bob"));

  EXPECT_EQ(incidents_->Resolve(id, {"", "r", ""}, "bob").error().message, "root_cause: required");
  EXPECT_EQ(incidents_->Resolve(id, {"c", "", ""}, "bob").error().message, "resolution: required");
  EXPECT_EQ(incidents_->Resolve(id, {"c", "r", "wiki/pm"}, "bob").error().message,
            "postmortem_url: expected an http:// or https:// link, got \"wiki/pm\"");
  clock_.Set(kStart + minutes(45));
  auto resolved = incidents_->Resolve(
      id, {"DynamoDB throttling", "Capacity increased", "https://wiki/pm/1"}, "bob@example.com");
  ASSERT_TRUE(resolved) << resolved.error().ToString();
  EXPECT_EQ(resolved->status, Status::kResolved);
  EXPECT_EQ(resolved->resolved_at, kStart + minutes(45));
  const Notification n = notifier_.sent().back();
  EXPECT_EQ(n.kind, "incident.resolved");
  EXPECT_EQ(n.id, "incident-2025-0914-001-resolved");
  EXPECT_EQ(n.text,
            "✅ INCIDENT RESOLVED\nIncident: #2025-0914-001\nDuration: 45 minutes\nRoot Cause: "
            "DynamoDB throttling\nResolution: Capacity increased\nPost-mortem: https://wiki/pm/1");
  EXPECT_EQ(IncidentJson(*resolved, false)["duration_minutes"], 45);

  // A resolved incident takes notes and alarm transitions, nothing else.
  for (const auto& refused : {incidents_->Acknowledge(id, "x"), incidents_->Assign(id, "dave", "x"),
                              incidents_->SetStatus(id, Status::kMonitoring, "x"),
                              incidents_->Resolve(id, {"c", "r", ""}, "x")}) {
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  }
  ASSERT_TRUE(incidents_->AddNote(id, "post-incident review on Monday", "bob@example.com"));
  EXPECT_EQ(Kinds(id),
            (std::vector<std::string>{"opened", "action", "acknowledged", "commander", "commander",
                                      "note", "status", "status", "resolved", "action", "note"}));
  auto incident = incidents_->Get(id);
  for (const TimelineEntry& e : incident->timeline) {
    EXPECT_FALSE(e.actor.empty()) << e.kind;
  }
}

TEST_F(IncidentsTest, ListFiltersNewestFirstAndPages) {
  Open(Severity::kP1, "prod", "one");      // 001
  Open(Severity::kP2, "dev", "two");       // 002
  Open(Severity::kP3, "prod", "three");    // 003
  Open(Severity::kP1, "staging", "four");  // 004
  Open(Severity::kP4, "prod", "five");     // 005
  ASSERT_TRUE(incidents_->Resolve("2025-0914-003", {"c", "r", ""}, "bob"));
  auto ids = [&](ListQuery q) {
    auto page = incidents_->List(q);
    EXPECT_TRUE(page) << page.error().ToString();
    std::vector<std::string> out;
    for (const Incident& i : page->items) {
      out.push_back(i.id.substr(10));
      EXPECT_TRUE(i.timeline.empty());
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids({}), (V{"005", "004", "003", "002", "001"}));
  EXPECT_EQ(ids({.status = "open"}), (V{"005", "004", "002", "001"}));
  EXPECT_EQ(ids({.status = "resolved"}), (V{"003"}));
  EXPECT_EQ(ids({.environment = "prod"}), (V{"005", "003", "001"}));
  EXPECT_EQ(ids({.status = "open", .environment = "prod"}), (V{"005", "001"}));
  EXPECT_EQ(ids({.severity = Severity::kP1}), (V{"004", "001"}));
  EXPECT_EQ(ids({.visible = {"dev", "staging"}}), (V{"004", "002"}));

  auto first = incidents_->List({.status = "open", .limit = 2});
  ASSERT_TRUE(first);
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->next_cursor, "2025-0914-004");
  EXPECT_EQ(ids({.status = "open", .limit = 2, .cursor = first->next_cursor}), (V{"002", "001"}));
  auto last = incidents_->List({.status = "open", .limit = 2, .cursor = first->next_cursor});
  EXPECT_EQ(last->next_cursor, "");
  EXPECT_EQ(ids({.limit = 3, .cursor = "2025-0914-005"}), (V{"004", "003", "002"}));

  EXPECT_EQ(incidents_->List({.status = "closed"}).error().message,
            "status: expected open, resolved or all, got \"closed\"");
  EXPECT_EQ(incidents_->List({.limit = 0}).error().message, "limit: expected 1..1000, got 0");
  EXPECT_EQ(incidents_->List({.cursor = "abc"}).error().message,
            "cursor: \"abc\" is not an incident id (YYYY-MMDD-NNN)");
}

TEST_F(IncidentsTest, UnacknowledgedIncidentsEscalateOncePastTheirResponseTime) {
  for (const SeverityLevel& level : SeverityTable()) {
    SCOPED_TRACE(std::string(level.name));
    clock_.Set(kStart);
    const std::string id = Open(level.severity).id;
    clock_.Advance(level.response_time - seconds(1));
    EXPECT_EQ(*incidents_->EscalateDue(), 0);
    clock_.Advance(seconds(1));
    EXPECT_EQ(*incidents_->EscalateDue(), 1);
    EXPECT_EQ(*incidents_->EscalateDue(), 0);  // never twice
    clock_.Advance(hours(24 * 30));
    EXPECT_EQ(*incidents_->EscalateDue(), 0);
    auto escalated = incidents_->Get(id);
    ASSERT_TRUE(escalated);
    EXPECT_EQ(escalated->escalated_at, kStart + level.response_time);
    const Notification n = notifier_.sent().back();
    EXPECT_EQ(n.kind, "incident.escalated");
    EXPECT_EQ(n.id, "incident-" + id + "-escalated");
    EXPECT_EQ(n.severity, level.notify_severity);
    EXPECT_NE(n.text.find("Escalation: " + std::string(level.escalation)), std::string::npos)
        << n.text;
    EXPECT_EQ(n.text, RenderEscalation(*escalated));
    ASSERT_TRUE(incidents_->Resolve(id, {"c", "r", ""}, "bob"));
  }
  // The timeline entry names the escalation.
  auto p1 = incidents_->Get("2025-0914-001");
  bool found = false;
  for (const TimelineEntry& e : p1->timeline) {
    if (e.kind == "escalation") {
      found = true;
      EXPECT_EQ(e.text, "Immediate page: not acknowledged within 15 minutes (P1 response time)");
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(IncidentsTest, AcknowledgedOrResolvedIncidentsDoNotEscalate) {
  const std::string acked = Open(Severity::kP1).id;
  const std::string resolved = Open(Severity::kP1).id;
  ASSERT_TRUE(incidents_->Acknowledge(acked, "bob"));
  ASSERT_TRUE(incidents_->Resolve(resolved, {"c", "r", ""}, "bob"));
  clock_.Advance(hours(1));
  EXPECT_EQ(*incidents_->EscalateDue(), 0);
  EXPECT_FALSE(incidents_->Get(acked)->escalated_at);
}

TEST_F(IncidentsTest, AnAlarmEpisodeOpensOneP1AndCollectsItsTransitions) {
  auto first = incidents_->OpenForAlarm("HighErrorRate", "prod", "prod/HighErrorRate/1",
                                        "3+ server errors in 10 minutes");
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(first->severity, Severity::kP1);
  EXPECT_EQ(first->title, "Alarm HighErrorRate");
  EXPECT_EQ(first->opened_by, "alarm:HighErrorRate");
  EXPECT_EQ(first->description, "3+ server errors in 10 minutes");
  clock_.Advance(minutes(1));
  auto again = incidents_->OpenForAlarm("HighErrorRate", "prod", "prod/HighErrorRate/1", "x");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(notifier_.sent().size(), 1u);
  auto page = incidents_->List({});
  EXPECT_EQ(page->items.size(), 1u);

  auto recorded = incidents_->RecordEpisode("prod/HighErrorRate/1", "HighErrorRate: ALARM → OK");
  ASSERT_TRUE(recorded) << recorded.error().ToString();
  EXPECT_EQ(recorded->timeline.back().kind, "alarm");
  EXPECT_EQ(recorded->timeline.back().actor, "alarm:HighErrorRate");
  EXPECT_EQ(recorded->timeline.back().text, "HighErrorRate: ALARM → OK");
  EXPECT_EQ(incidents_->RecordEpisode("nope", "t").error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(incidents_->RecordAlarm(first->id, "HighErrorRate: OK → ALARM"));

  auto next = incidents_->OpenForAlarm("HighErrorRate", "prod", "prod/HighErrorRate/2", "");
  ASSERT_TRUE(next);
  EXPECT_NE(next->id, first->id);
  EXPECT_EQ(incidents_->OpenForAlarm("", "prod", "e", "").error().message, "alarm: required");
  EXPECT_EQ(incidents_->OpenForAlarm("A", "prod", "", "").error().message, "episode: required");
}

TEST_F(IncidentsTest, ConcurrentOpensOfOneEpisodeOpenOneIncident) {
  constexpr int kThreads = 4;
  std::mutex mu;
  std::set<std::string> ids;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      Incidents mine(*store_, clock_, nullptr);
      auto opened = mine.OpenForAlarm("Latency", "prod", "prod/Latency/7", "");
      ASSERT_TRUE(opened) << opened.error().ToString();
      std::lock_guard lock(mu);
      ids.insert(opened->id);
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(incidents_->List({})->items.size(), 1u);
}

TEST_F(IncidentsTest, TheRestShape) {
  Incident i = Open(Severity::kP3, "dev", "Slow search");
  const nlohmann::json j = IncidentJson(i, true);
  EXPECT_EQ(j["id"], "2025-0914-001");
  EXPECT_EQ(j["severity"], "P3");
  EXPECT_EQ(j["severity_label"], "Medium");
  EXPECT_EQ(j["response_time_minutes"], 240);
  EXPECT_EQ(j["escalation"], "Next business day");
  EXPECT_EQ(j["status"], "investigating");
  EXPECT_TRUE(j["commander"].is_null());
  EXPECT_EQ(j["opened_at"], "2025-09-14T10:30:00.000Z");
  EXPECT_FALSE(j.contains("duration_minutes"));
  EXPECT_EQ(j["timeline"][0]["kind"], "opened");
  EXPECT_EQ(j["timeline"][0]["text"], "P3 incident opened: Slow search");
  EXPECT_FALSE(IncidentJson(i, false).contains("timeline"));
}

}  // namespace
}  // namespace ec2m::incidents
