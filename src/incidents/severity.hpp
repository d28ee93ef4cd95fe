#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string_view>

#include "core/error.hpp"

// The specification's incident classification (severities with their response times and
// escalations) and the statuses an incident moves through, as data.
namespace ec2m::incidents {

enum class Severity { kP1, kP2, kP3, kP4 };

// One row of the specification's severity table.
struct SeverityLevel {
  Severity severity;
  std::string_view name;         // "P1"
  std::string_view label;        // "Critical"
  std::string_view description;  // "System down, data loss"
  // How long the incident may stay unacknowledged before it escalates.
  std::chrono::minutes response_time;
  std::string_view escalation;  // "Immediate page"
  // The notification severity of its messages: "critical" (P1, P2) or "warning".
  std::string_view notify_severity;
};

// P1..P4 in order: 15 minutes / immediate page, 1 hour / manager notification, 4 hours / next
// business day, 1 week / sprint planning.
std::span<const SeverityLevel> SeverityTable();
const SeverityLevel& LevelOf(Severity severity);
// "P1".."P4" (also "p1"); nullopt for anything else.
std::optional<Severity> ParseSeverity(std::string_view text);

enum class Status { kInvestigating, kIdentified, kMonitoring, kResolved };

// "investigating", "identified", "monitoring", "resolved": the API's and the CLI's names.
std::string_view StatusName(Status status);
// "Investigating", ...: the templates' form.
std::string_view StatusTitle(Status status);
std::optional<Status> ParseStatus(std::string_view text);

// Whether SetStatus may move an incident from `from` to `to`: forward only (Investigating →
// Identified → Monitoring; skipping is allowed), never back, never to the same status, and
// never to Resolved (Resolve does that, with a root cause and a resolution). Errors:
// kFailedPrecondition saying why.
Result<void> CheckTransition(Status from, Status to);

}  // namespace ec2m::incidents
