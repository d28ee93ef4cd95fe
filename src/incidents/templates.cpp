#include "incidents/templates.hpp"

#include <fmt/core.h>

#include "core/check.hpp"
#include "core/text.hpp"

namespace ec2m::incidents {
namespace {

// One line: CR and LF become spaces, so a value never adds a line to a template.
std::string OneLine(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r') {
      c = ' ';
    }
  }
  return out;
}

std::string Plural(int64_t n, std::string_view unit) {
  return fmt::format("{} {}{}", n, unit, n == 1 ? "" : "s");
}

std::string Commander(const Incident& i) {
  return "@" + OneLine(i.commander.empty() ? std::string(kUnassignedCommander) : i.commander);
}

std::string Started(TimePoint t) {
  const std::string iso = FormatIso8601(t);  // 2025-09-14T10:30:00Z
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

}  // namespace

std::string EnvironmentTitle(std::string_view environment) {
  const std::string lower = AsciiLower(environment);
  if (lower == "prod" || lower == "production") {
    return "Production";
  }
  if (lower == "staging") {
    return "Staging";
  }
  if (lower == "dev" || lower == "development") {
    return "Development";
  }
  return std::string(environment);
}

std::string FormatDuration(std::chrono::milliseconds duration) {
  const int64_t minutes = std::chrono::duration_cast<std::chrono::minutes>(duration).count();
  constexpr int64_t kHour = 60;
  constexpr int64_t kDay = 24 * kHour;
  if (minutes < 1) {
    return "less than a minute";
  }
  if (minutes < kHour) {
    return Plural(minutes, "minute");
  }
  if (minutes < kDay) {
    const int64_t rest = minutes % kHour;
    return Plural(minutes / kHour, "hour") + (rest > 0 ? " " + Plural(rest, "minute") : "");
  }
  const int64_t hours = (minutes % kDay) / kHour;
  return Plural(minutes / kDay, "day") + (hours > 0 ? " " + Plural(hours, "hour") : "");
}

std::string RenderInitialReport(const Incident& i) {
  return fmt::format(
      "🚨 INCIDENT ALERT 🚨\n"
      "Severity: {}\n"
      "Environment: {}\n"
      "Service: {}\n"
      "Description: {}\n"
      "Started: {}\n"
      "Status: {}\n"
      "Incident Commander: {}",
      LevelOf(i.severity).name, OneLine(EnvironmentTitle(i.environment)),
      OneLine(i.service.empty() ? kDefaultService : i.service), OneLine(i.description),
      Started(i.opened_at), StatusTitle(i.status), Commander(i));
}

std::string RenderResolution(const Incident& i) {
  EC2M_CHECK(i.resolved_at.has_value(), "RenderResolution of an open incident");
  return fmt::format(
      "✅ INCIDENT RESOLVED\n"
      "Incident: #{}\n"
      "Duration: {}\n"
      "Root Cause: {}\n"
      "Resolution: {}\n"
      "Post-mortem: {}",
      i.id,
      FormatDuration(
          std::chrono::duration_cast<std::chrono::milliseconds>(*i.resolved_at - i.opened_at)),
      OneLine(i.root_cause), OneLine(i.resolution),
      OneLine(i.postmortem_url.empty() ? kNoPostmortem : i.postmortem_url));
}

std::string RenderEscalation(const Incident& i) {
  const SeverityLevel& level = LevelOf(i.severity);
  return fmt::format(
      "⏫ INCIDENT ESCALATED\n"
      "Incident: #{}\n"
      "Severity: {}\n"
      "Escalation: {}\n"
      "Not acknowledged within {}\n"
      "Title: {}\n"
      "Environment: {}\n"
      "Incident Commander: {}",
      i.id, level.name, level.escalation, FormatDuration(level.response_time), OneLine(i.title),
      OneLine(EnvironmentTitle(i.environment)), Commander(i));
}

}  // namespace ec2m::incidents
