#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/notifier.hpp"
#include "core/store.hpp"
#include "incidents/incident.hpp"
#include "incidents/severity.hpp"

namespace ec2m::incidents {

struct OpenRequest {
  Severity severity = Severity::kP1;
  std::string title;        // one line, 1..200 characters
  std::string environment;  // the environment it is about
  std::string service;      // "" → "EC2 Manager API" in the report
  std::string description;  // "" → the title
  std::string actor;        // who opens it
};

struct ResolveRequest {
  std::string root_cause;      // required
  std::string resolution;      // required
  std::string postmortem_url;  // optional; http:// or https://
};

struct ListQuery {
  std::string status = "all";  // "open", "resolved" or "all"
  std::string environment;     // "" = every environment
  std::optional<Severity> severity;
  int limit = 100;     // 1..1000
  std::string cursor;  // the next_cursor of the previous page: ids after it
  // Only incidents of these environments (the caller's roles); empty = no restriction.
  std::set<std::string> visible;
};

struct IncidentPage {
  std::vector<Incident> items;  // newest first, without timelines
  std::string next_cursor;      // "" when this is the last page
};

// The incidents of every environment over the store's documents: collection "incidents" keyed by
// the UTC day and that day's sequence (so keys sort by opening), "incidents_open" listing the
// open ones (what the escalation pass and open listings read), "incident_heads" (one per day,
// the sequence's head) and "incident_episodes" (alarm episode → incident). Every change is a
// read-modify-write guarded by the document's version and retried when another writer (thread
// or replica) got there first. Messages go to the Notifier after the change is stored; a
// notifier that fails (or none) never undoes the change: the timeline says what happened.
// Thread-safe if the store and the notifier are; borrows all three (the notifier may be null).
class Incidents {
 public:
  Incidents(Store& store, const Clock& clock, Notifier* notifier);

  // Opens an incident (status investigating, the opening on its timeline) with the next id of
  // the clock's UTC day, and hands the initial report to the notifier ("incident.opened").
  // Errors: kInvalidArgument naming the field (title, environment, service, description); the
  // store's.
  Result<Incident> Open(const OpenRequest& request);
  // Opens a P1 for an alarm episode once: a second call with the same `episode` returns the
  // incident the first one opened (and records nothing). Errors: as Open's; kInvalidArgument for
  // an empty alarm or episode.
  Result<Incident> OpenForAlarm(const std::string& alarm, const std::string& environment,
                                const std::string& episode, const std::string& description);

  // With its timeline. Errors: kInvalidArgument when `id` is not YYYY-MMDD-NNN; kNotFound.
  Result<Incident> Get(const std::string& id);
  // Errors: kInvalidArgument naming a bad status, limit or cursor; the store's.
  Result<IncidentPage> List(const ListQuery& query);

  // Each records a timeline entry by `actor` and returns the incident as stored. Errors: those of
  // Get; kFailedPrecondition when the incident is resolved (AddNote and RecordAlarm take resolved
  // incidents too), already acknowledged (Acknowledge), or the transition is not allowed
  // (SetStatus, see CheckTransition); kInvalidArgument naming an empty or bad field.
  Result<Incident> Acknowledge(const std::string& id, const std::string& actor);
  // `commander`: a handle, with or without "@".
  Result<Incident> Assign(const std::string& id, const std::string& commander,
                          const std::string& actor);
  Result<Incident> AddNote(const std::string& id, const std::string& text,
                           const std::string& actor);
  Result<Incident> SetStatus(const std::string& id, Status status, const std::string& actor);
  // Resolves it and hands the resolution notice to the notifier ("incident.resolved").
  Result<Incident> Resolve(const std::string& id, const ResolveRequest& request,
                           const std::string& actor);
  // An alarm transition ("HighErrorRate: ALARM → OK: 0 errors in 10 minutes") on the timeline.
  Result<Incident> RecordAlarm(const std::string& id, const std::string& transition);
  // The same for the incident an alarm episode opened. Errors: kNotFound when it opened none.
  Result<Incident> RecordEpisode(const std::string& episode, const std::string& transition);

  // One escalation pass: every open incident not acknowledged within its severity's response
  // time and not escalated yet is escalated once (an "escalation" timeline entry and an
  // "incident.escalated" notification naming the escalation). Returns how many were. Errors: the
  // store's (incidents escalated before the error stay escalated).
  Result<int> EscalateDue();

 private:
  using Change = std::function<Result<void>(Incident&)>;
  // Reads the incident, applies `change`, writes it back guarded by its version; retried from the
  // read when another writer won. Moves the open-index entry when the status changes to resolved.
  Result<Incident> Update(const std::string& id, const Change& change);
  // Stores a new incident with the next id of its day; `extra` writes go in the same WriteDocs.
  using ExtraWrites = std::function<Result<std::vector<DocWrite>>(const Incident&)>;
  Result<Incident> Insert(Incident incident, const ExtraWrites& extra);
  // Hands a message to the notifier (none: nothing) and records the hand-over, or its failure,
  // as an "action" on the timeline; returns the incident as stored after that.
  Incident Notify(Incident incident, const std::string& kind, const std::string& what,
                  const std::string& title, const std::string& text);
  // The incident stored under `key`. Errors: kNotFound naming `id`; kInternal when it does not
  // parse.
  Result<Incident> Load(const std::string& key, const std::string& id);

  Store& store_;
  const Clock& clock_;
  Notifier* notifier_;
};

}  // namespace ec2m::incidents
