#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "incidents/incident.hpp"

// The specification's two communication templates, rendered line for line, and the escalation
// message. Each value is put on one line (line breaks in a description become spaces), so the
// templates keep their shape whatever people typed.
namespace ec2m::incidents {

// The template's handle for an incident without a commander.
inline constexpr std::string_view kUnassignedCommander = "oncall-engineer";
// The resolution notice's "Post-mortem:" when no link was given.
inline constexpr std::string_view kNoPostmortem = "pending";
// The report's "Service:" when the incident names none: the control plane itself.
inline constexpr std::string_view kDefaultService = "EC2 Manager API";

// "Production" for prod (and production), "Staging", "Development" for dev (and development);
// any other environment's name as it is.
std::string EnvironmentTitle(std::string_view environment);

// "less than a minute", "1 minute", "45 minutes", "2 hours", "2 hours 5 minutes", "3 days",
// "1 day 4 hours": whole minutes under an hour; hours and minutes under a day; days and hours
// beyond (rounded down at every unit).
std::string FormatDuration(std::chrono::milliseconds duration);

// "🚨 INCIDENT ALERT 🚨" then Severity, Environment, Service, Description, Started
// ("2025-09-14 10:30 UTC"), Status and Incident Commander ("@handle", "@oncall-engineer" when
// unassigned), one per line, no line break at the end.
std::string RenderInitialReport(const Incident& incident);

// "✅ INCIDENT RESOLVED" then Incident ("#2025-0914-001"), Duration, Root Cause, Resolution and
// Post-mortem (the link, or "pending"). REQUIRES: the incident is resolved.
std::string RenderResolution(const Incident& incident);

// "⏫ INCIDENT ESCALATED" then Incident, Severity, Escalation, the response time missed, Title,
// Environment and Incident Commander.
std::string RenderEscalation(const Incident& incident);

}  // namespace ec2m::incidents
