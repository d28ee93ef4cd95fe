#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "incidents/severity.hpp"

// An incident as stored and as the REST API shows it.
namespace ec2m::incidents {

// One line of an incident's timeline.
struct TimelineEntry {
  TimePoint at;
  // "opened", "note", "status", "commander", "acknowledged", "alarm", "action", "escalation",
  // "resolved"
  std::string kind;
  std::string actor;  // a user's email, "alarm:<name>", or "ec2m"
  std::string text;
};

struct Incident {
  std::string id;  // "2025-0914-001": the UTC day it was opened and that day's sequence
  Severity severity = Severity::kP1;
  std::string title;
  std::string environment;
  std::string service;
  std::string description;
  Status status = Status::kInvestigating;
  std::string commander;  // the incident commander's handle, without "@"; "" unassigned
  std::string opened_by;
  TimePoint opened_at;
  std::string acknowledged_by;
  std::optional<TimePoint> acknowledged_at;
  std::optional<TimePoint> escalated_at;
  std::string resolved_by;
  std::optional<TimePoint> resolved_at;
  std::string root_cause;
  std::string resolution;
  std::string postmortem_url;
  std::string alarm;    // the alarm that opened it; "" when a person did
  std::string episode;  // that alarm's episode
  std::vector<TimelineEntry> timeline;
  int64_t version = 0;  // of the stored document (optimistic concurrency)

  bool open() const { return status != Status::kResolved; }
};

// "2025-0914-001" for the UTC day of `opened` and sequence 1 (at least three digits).
std::string IncidentId(TimePoint opened, int64_t sequence);
// The id's day ("2025-0914") and sequence; nullopt when `id` is not of the form YYYY-MMDD-NNN.
std::optional<std::pair<std::string, int64_t>> ParseIncidentId(std::string_view id);
// The store key of an id: the day, then the sequence zero-padded, so keys sort by opening.
std::string IncidentKey(const std::string& day, int64_t sequence);

// The stored document and back. Errors: kInternal naming the document.
std::string ToDocument(const Incident& incident);
Result<Incident> FromDocument(std::string_view key, std::string_view body);

// The REST API's shape (docs/api.md, "Incidents"); `with_timeline` adds the timeline.
nlohmann::json IncidentJson(const Incident& incident, bool with_timeline);

}  // namespace ec2m::incidents
