#include "incidents/severity.hpp"

#include <gtest/gtest.h>

namespace ec2m::incidents {
namespace {

using std::chrono::minutes;

TEST(SeverityTest, TheSpecificationsTable) {
  struct Row {
    const char* name;
    const char* label;
    minutes response;
    const char* escalation;
    const char* notify;
  };
  const std::vector<Row> expected = {
      {"P1", "Critical", minutes(15), "Immediate page", "critical"},
      {"P2", "High", minutes(60), "Manager notification", "critical"},
      {"P3", "Medium", minutes(4 * 60), "Next business day", "warning"},
      {"P4", "Low", minutes(7 * 24 * 60), "Sprint planning", "warning"},
  };
  ASSERT_EQ(SeverityTable().size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const SeverityLevel& level = SeverityTable()[i];
    EXPECT_EQ(level.name, expected[i].name);
    EXPECT_EQ(level.label, expected[i].label);
    EXPECT_EQ(level.response_time, expected[i].response);
    EXPECT_EQ(level.escalation, expected[i].escalation);
    EXPECT_EQ(level.notify_severity, expected[i].notify);
    EXPECT_EQ(&LevelOf(level.severity), &level);
    EXPECT_EQ(ParseSeverity(level.name), level.severity);
  }
}

TEST(SeverityTest, ParsesSeveritiesAndStatuses) {
  EXPECT_EQ(ParseSeverity("p2"), Severity::kP2);
  for (const char* bad : {"", "P0", "P5", "P", "P11", "critical", "1"}) {
    EXPECT_FALSE(ParseSeverity(bad)) << bad;
  }
  for (Status s :
       {Status::kInvestigating, Status::kIdentified, Status::kMonitoring, Status::kResolved}) {
    EXPECT_EQ(ParseStatus(StatusName(s)), s);
  }
  EXPECT_EQ(ParseStatus("Identified"), Status::kIdentified);
  EXPECT_EQ(StatusTitle(Status::kInvestigating), "Investigating");
  EXPECT_FALSE(ParseStatus("open"));
}

TEST(SeverityTest, StatusesMoveForwardOnly) {
  using S = Status;
  struct Case {
    S from;
    S to;
    bool allowed;
  };
  const std::vector<Case> cases = {
      {S::kInvestigating, S::kIdentified, true},  {S::kInvestigating, S::kMonitoring, true},
      {S::kIdentified, S::kMonitoring, true},     {S::kInvestigating, S::kInvestigating, false},
      {S::kIdentified, S::kInvestigating, false}, {S::kMonitoring, S::kIdentified, false},
      {S::kMonitoring, S::kMonitoring, false},    {S::kInvestigating, S::kResolved, false},
      {S::kMonitoring, S::kResolved, false},      {S::kResolved, S::kMonitoring, false},
      {S::kResolved, S::kInvestigating, false},
  };
  for (const Case& c : cases) {
    auto checked = CheckTransition(c.from, c.to);
    EXPECT_EQ(static_cast<bool>(checked), c.allowed)
        << StatusName(c.from) << " → " << StatusName(c.to);
    if (!checked) {
      EXPECT_EQ(checked.error().code, ErrorCode::kFailedPrecondition);
    }
  }
  EXPECT_EQ(CheckTransition(S::kMonitoring, S::kIdentified).error().message,
            "status moves forward only (investigating → identified → monitoring → resolved): "
            "monitoring cannot go back to identified");
}

}  // namespace
}  // namespace ec2m::incidents
