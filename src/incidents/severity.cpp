#include "incidents/severity.hpp"

#include <fmt/core.h>

#include <array>

#include "core/text.hpp"

namespace ec2m::incidents {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr std::array<SeverityLevel, 4> kLevels = {{
    {Severity::kP1, "P1", "Critical", "System down, data loss", minutes(15), "Immediate page",
     "critical"},
    {Severity::kP2, "P2", "High", "Major feature broken", hours(1), "Manager notification",
     "critical"},
    {Severity::kP3, "P3", "Medium", "Minor feature issue", hours(4), "Next business day",
     "warning"},
    {Severity::kP4, "P4", "Low", "Cosmetic or documentation", hours(24 * 7), "Sprint planning",
     "warning"},
}};

struct StatusNames {
  Status status;
  std::string_view name;
  std::string_view title;
};

constexpr std::array<StatusNames, 4> kStatuses = {{
    {Status::kInvestigating, "investigating", "Investigating"},
    {Status::kIdentified, "identified", "Identified"},
    {Status::kMonitoring, "monitoring", "Monitoring"},
    {Status::kResolved, "resolved", "Resolved"},
}};

}  // namespace

std::span<const SeverityLevel> SeverityTable() { return kLevels; }

const SeverityLevel& LevelOf(Severity severity) {
  return kLevels.at(static_cast<size_t>(severity));
}

std::optional<Severity> ParseSeverity(std::string_view text) {
  const std::string upper = text.size() == 2 && (text[0] == 'p' || text[0] == 'P')
                                ? "P" + std::string(text.substr(1))
                                : std::string(text);
  for (const SeverityLevel& level : kLevels) {
    if (level.name == upper) {
      return level.severity;
    }
  }
  return std::nullopt;
}

std::string_view StatusName(Status status) {
  return kStatuses.at(static_cast<size_t>(status)).name;
}

std::string_view StatusTitle(Status status) {
  return kStatuses.at(static_cast<size_t>(status)).title;
}

std::optional<Status> ParseStatus(std::string_view text) {
  const std::string lower = AsciiLower(text);
  for (const StatusNames& s : kStatuses) {
    if (s.name == lower) {
      return s.status;
    }
  }
  return std::nullopt;
}

Result<void> CheckTransition(Status from, Status to) {
  if (from == Status::kResolved) {
    return Fail(ErrorCode::kFailedPrecondition, "the incident is resolved");
  }
  if (to == Status::kResolved) {
    return Fail(ErrorCode::kFailedPrecondition,
                "an incident is resolved with its root cause and resolution (resolve), not by "
                "setting its status");
  }
  if (to == from) {
    return Fail(ErrorCode::kFailedPrecondition,
                fmt::format("the incident is already {}", StatusName(from)));
  }
  if (to < from) {
    return Fail(ErrorCode::kFailedPrecondition,
                fmt::format("status moves forward only (investigating → identified → monitoring "
                            "→ resolved): {} cannot go back to {}",
                            StatusName(from), StatusName(to)));
  }
  return {};
}

}  // namespace ec2m::incidents
