#include "incidents/templates.hpp"

#include <gtest/gtest.h>

namespace ec2m::incidents {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// 2025-09-14 10:30 UTC, the specification's example.
const TimePoint kStarted = FromUnixMillis(1'757'845'800'000);

Incident SpecExample() {
  Incident i;
  i.id = "2025-0914-001";
  i.severity = Severity::kP1;
  i.title = "API errors";
  i.environment = "prod";
  i.service = "EC2 Manager API";
  i.description = "High error rate detected";
  i.opened_at = kStarted;
  return i;
}

// The specification's "Initial Incident Report", line for line.
TEST(TemplatesTest, InitialReportIsTheSpecificationsTemplate) {
  EXPECT_EQ(RenderInitialReport(SpecExample()),
            "🚨 INCIDENT ALERT 🚨\n"
            "Severity: P1\n"
            "Environment: Production\n"
            "Service: EC2 Manager API\n"
            "Description: High error rate detected\n"
            "Started: 2025-09-14 10:30 UTC\n"
            "Status: Investigating\n"
            "Incident Commander: @oncall-engineer");
}

TEST(TemplatesTest, InitialReportWithACommanderAndOtherValues) {
  Incident i = SpecExample();
  i.severity = Severity::kP3;
  i.environment = "eu-canary";
  i.service = "";
  i.description = "Slow\nlogins";
  i.status = Status::kIdentified;
  i.commander = "alice";
  i.opened_at = FromUnixMillis(1'757'894'399'000);  // 23:59:59 shows as 23:59
  EXPECT_EQ(RenderInitialReport(i),
            "🚨 INCIDENT ALERT 🚨\n"
            "Severity: P3\n"
            "Environment: eu-canary\n"
            "Service: EC2 Manager API\n"
            "Description: Slow logins\n"
            "Started: 2025-09-14 23:59 UTC\n"
            "Status: Identified\n"
            "Incident Commander: @alice");
}

// The specification's "Resolution Notification", line for line.
TEST(TemplatesTest, ResolutionIsTheSpecificationsTemplate) {
  Incident i = SpecExample();
  i.status = Status::kResolved;
  i.resolved_at = kStarted + minutes(45) + seconds(59);
  i.root_cause = "DynamoDB throttling";
  i.resolution = "Capacity increased";
  i.postmortem_url = "https://wiki.example.com/pm/2025-0914-001";
  EXPECT_EQ(RenderResolution(i),
            "✅ INCIDENT RESOLVED\n"
            "Incident: #2025-0914-001\n"
            "Duration: 45 minutes\n"
            "Root Cause: DynamoDB throttling\n"
            "Resolution: Capacity increased\n"
            "Post-mortem: https://wiki.example.com/pm/2025-0914-001");
  i.postmortem_url = "";
  EXPECT_NE(RenderResolution(i).find("\nPost-mortem: pending"), std::string::npos);
}

TEST(TemplatesTest, EscalationNamesTheActionAndTheResponseTime) {
  Incident i = SpecExample();
  i.severity = Severity::kP2;
  EXPECT_EQ(RenderEscalation(i),
            "⏫ INCIDENT ESCALATED\n"
            "Incident: #2025-0914-001\n"
            "Severity: P2\n"
            "Escalation: Manager notification\n"
            "Not acknowledged within 1 hour\n"
            "Title: API errors\n"
            "Environment: Production\n"
            "Incident Commander: @oncall-engineer");
}

TEST(TemplatesTest, EnvironmentTitles) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"prod", "Production"}, {"production", "Production"}, {"Prod", "Production"},
      {"staging", "Staging"}, {"dev", "Development"},       {"development", "Development"},
      {"qa", "qa"},           {"prod-eu", "prod-eu"},
  };
  for (const auto& [env, title] : cases) {
    EXPECT_EQ(EnvironmentTitle(env), title) << env;
  }
}

TEST(TemplatesTest, Durations) {
  const std::vector<std::pair<milliseconds, std::string>> cases = {
      {seconds(0), "less than a minute"},
      {seconds(59), "less than a minute"},
      {seconds(60), "1 minute"},
      {seconds(119), "1 minute"},
      {minutes(45), "45 minutes"},
      {minutes(59) + seconds(59), "59 minutes"},
      {hours(1), "1 hour"},
      {hours(1) + minutes(1), "1 hour 1 minute"},
      {hours(2) + minutes(5), "2 hours 5 minutes"},
      {hours(23) + minutes(59), "23 hours 59 minutes"},
      {hours(24), "1 day"},
      {hours(24) + minutes(59), "1 day"},
      {hours(28), "1 day 4 hours"},
      {hours(24 * 7), "7 days"},
      {hours(24 * 9 + 1), "9 days 1 hour"},
  };
  for (const auto& [duration, text] : cases) {
    EXPECT_EQ(FormatDuration(duration), text) << duration.count() << " ms";
  }
}

}  // namespace
}  // namespace ec2m::incidents
