#include "incidents/incidents.hpp"

#include <cstdio>

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/json.hpp"
#include "core/sequence.hpp"
#include "core/text.hpp"
#include "incidents/templates.hpp"

namespace ec2m::incidents {
namespace {

constexpr const char* kIncidents = "incidents";
constexpr const char* kOpen = "incidents_open";
constexpr const char* kHeads = "incident_heads";
constexpr const char* kEpisodes = "incident_episodes";
constexpr const char* kSystem = "ec2m";
constexpr int kMaxRaces = 50;
constexpr int kMaxBackoffSteps = 20;
constexpr auto kBackoff = std::chrono::microseconds(100);
constexpr int kPage = 1000;
constexpr size_t kMaxTitle = 200;
constexpr size_t kMaxName = 100;
constexpr size_t kMaxText = 4000;

// A field's rule: required or not, one line or not, at most `max` bytes.
Result<void> CheckField(std::string_view field, std::string_view value, size_t max, bool required,
                        bool one_line) {
  if (required && value.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: required", field));
  }
  if (value.size() > max) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("{}: at most {} characters, got {}", field, max, value.size()));
  }
  if (one_line && value.find_first_of("\r\n") != std::string_view::npos) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: one line expected", field));
  }
  return {};
}

// "2025-0914": the UTC day part of the ids of incidents opened at `t`.
std::string Day(TimePoint t) { return IncidentId(t, 1).substr(0, 9); }

Result<std::string> KeyOf(const std::string& id) {
  auto parsed = ParseIncidentId(id);
  if (!parsed) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("{} is not an incident id (YYYY-MMDD-NNN)", ShownValue(id)));
  }
  return IncidentKey(parsed->first, parsed->second);
}

void AddEntry(Incident& i, TimePoint at, std::string kind, std::string actor, std::string text) {
  i.timeline.push_back({at, std::move(kind), std::move(actor), std::move(text)});
}

Unexpected<Error> Resolved(const Incident& i) {
  return Fail(ErrorCode::kFailedPrecondition, fmt::format("incident {} is resolved", i.id));
}

bool Matches(const Incident& i, const ListQuery& q) {
  return (q.status != "resolved" || !i.open()) && (q.status != "open" || i.open()) &&
         (q.environment.empty() || i.environment == q.environment) &&
         (!q.severity || i.severity == *q.severity) &&
         (q.visible.empty() || q.visible.count(i.environment) != 0);
}

bool Due(const Incident& i, TimePoint now) {
  return i.open() && !i.acknowledged_at && !i.escalated_at &&
         now - i.opened_at >= LevelOf(i.severity).response_time;
}

}  // namespace

Incidents::Incidents(Store& store, const Clock& clock, Notifier* notifier)
    : store_(store), clock_(clock), notifier_(notifier) {}

Result<Incident> Incidents::Open(const OpenRequest& r) {
  EC2M_RETURN_IF_ERROR(CheckField("title", r.title, kMaxTitle, true, true));
  EC2M_RETURN_IF_ERROR(CheckField("environment", r.environment, kMaxName, true, true));
  EC2M_RETURN_IF_ERROR(CheckField("service", r.service, kMaxName, false, true));
  EC2M_RETURN_IF_ERROR(CheckField("description", r.description, kMaxText, false, false));
  Incident i;
  i.severity = r.severity;
  i.title = r.title;
  i.environment = r.environment;
  i.service = r.service.empty() ? std::string(kDefaultService) : r.service;
  i.description = r.description.empty() ? r.title : r.description;
  i.opened_by = r.actor;
  i.opened_at = clock_.Now();
  AddEntry(i, i.opened_at, "opened", r.actor,
           fmt::format("{} incident opened: {}", LevelOf(i.severity).name, i.title));
  auto stored = Insert(std::move(i), nullptr);
  EC2M_RETURN_IF_ERROR(stored);
  const std::string title =
      fmt::format("{} incident {}: {}", LevelOf(stored->severity).name, stored->id, stored->title);
  const std::string text = RenderInitialReport(*stored);
  return Notify(std::move(*stored), "incident.opened", "the initial report", title, text);
}

Result<Incident> Incidents::OpenForAlarm(const std::string& alarm, const std::string& environment,
                                         const std::string& episode,
                                         const std::string& description) {
  EC2M_RETURN_IF_ERROR(CheckField("alarm", alarm, kMaxName, true, true));
  EC2M_RETURN_IF_ERROR(CheckField("episode", episode, kMaxName, true, true));
  EC2M_RETURN_IF_ERROR(CheckField("environment", environment, kMaxName, true, true));
  EC2M_RETURN_IF_ERROR(CheckField("description", description, kMaxText, false, false));
  Incident i;
  i.severity = Severity::kP1;
  i.title = "Alarm " + alarm;
  i.environment = environment;
  i.service = std::string(kDefaultService);
  i.description = description.empty() ? i.title : description;
  i.opened_by = "alarm:" + alarm;
  i.opened_at = clock_.Now();
  i.alarm = alarm;
  i.episode = episode;
  AddEntry(i, i.opened_at, "opened", i.opened_by,
           fmt::format("P1 incident opened by alarm {} (episode {})", alarm, episode));
  std::string existing;  // the incident an earlier call opened for the episode
  auto stored = Insert(std::move(i), [&](const Incident& fresh) -> Result<std::vector<DocWrite>> {
    auto doc = store_.GetDoc(kEpisodes, episode);
    EC2M_RETURN_IF_ERROR(doc);
    if (doc->has_value()) {
      auto j = ParseJsonOrDiscard((*doc)->body);
      existing = j.is_object() ? j.value("incident", "") : "";
      return Fail(ErrorCode::kAlreadyExists, "episode " + episode + " has its incident");
    }
    return std::vector<DocWrite>{
        {kEpisodes, episode, nlohmann::json{{"incident", fresh.id}}.dump(), 0}};
  });
  if (!existing.empty()) {
    return Get(existing);
  }
  EC2M_RETURN_IF_ERROR(stored);
  const std::string title = fmt::format("P1 incident {}: alarm {}", stored->id, alarm);
  const std::string text = RenderInitialReport(*stored);
  return Notify(std::move(*stored), "incident.opened", "the initial report", title, text);
}

Result<Incident> Incidents::Get(const std::string& id) {
  auto key = KeyOf(id);
  EC2M_RETURN_IF_ERROR(key);
  return Load(*key, id);
}

Result<Incident> Incidents::Load(const std::string& key, const std::string& id) {
  auto doc = store_.GetDoc(kIncidents, key);
  EC2M_RETURN_IF_ERROR(doc);
  if (!doc->has_value()) {
    return Fail(ErrorCode::kNotFound, fmt::format("incident {} not found", id));
  }
  auto incident = FromDocument(key, (*doc)->body);
  EC2M_RETURN_IF_ERROR(incident);
  incident->version = (*doc)->version;
  return incident;
}

Result<IncidentPage> Incidents::List(const ListQuery& q) {
  if (q.status != "open" && q.status != "resolved" && q.status != "all") {
    return Fail(
        ErrorCode::kInvalidArgument,
        fmt::format("status: expected open, resolved or all, got {}", ShownValue(q.status)));
  }
  if (q.limit < 1 || q.limit > kPage) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("limit: expected 1..{}, got {}", kPage, q.limit));
  }
  // Open incidents are few: their index is read, not every incident ever opened.
  const bool open_only = q.status == "open";
  DocQuery docs_query{.limit = kPage, .descending = true};
  if (!q.cursor.empty()) {
    auto key = KeyOf(q.cursor);
    if (!key) {
      return Fail(ErrorCode::kInvalidArgument, "cursor: " + key.error().message);
    }
    docs_query.after = *key;
  }
  IncidentPage page;
  for (;;) {
    auto docs = store_.ListDocs(open_only ? kOpen : kIncidents, docs_query);
    EC2M_RETURN_IF_ERROR(docs);
    for (const Doc& d : *docs) {
      auto i = open_only ? Load(d.key, d.key) : FromDocument(d.key, d.body);
      if (!i && i.error().code == ErrorCode::kNotFound) {
        continue;  // resolved between the two reads
      }
      if (!i && i.error().code == ErrorCode::kInternal) {
        // A damaged record does not hide the others; the log names it.
        std::fprintf(stderr, "ec2m: skipped %s\n", i.error().message.c_str());
        continue;
      }
      EC2M_RETURN_IF_ERROR(i);
      if (!Matches(*i, q)) {
        continue;
      }
      if (static_cast<int>(page.items.size()) == q.limit) {
        page.next_cursor = page.items.back().id;
        return page;
      }
      i->timeline.clear();
      page.items.push_back(std::move(*i));
    }
    if (static_cast<int>(docs->size()) < kPage) {
      return page;
    }
    docs_query.after = docs->back().key;
  }
}

Result<Incident> Incidents::Insert(Incident incident, const ExtraWrites& extra) {
  const std::string day = Day(incident.opened_at);
  auto taken =
      TakeNextNumber(store_, clock_, {kHeads, day},
                     [&](int64_t number) -> Result<std::vector<DocWrite>> {
                       incident.id = IncidentId(incident.opened_at, number);
                       const std::string key = IncidentKey(day, number);
                       std::vector<DocWrite> writes = {{kIncidents, key, ToDocument(incident), 0},
                                                       {kOpen, key, "{}", 0}};
                       if (extra) {
                         auto more = extra(incident);
                         EC2M_RETURN_IF_ERROR(more);
                         writes.insert(writes.end(), more->begin(), more->end());
                       }
                       return writes;
                     },
                     {.max_races = kMaxRaces, .what = "incidents of " + day});
  EC2M_RETURN_IF_ERROR(taken);
  incident.version = taken->versions.front();
  return incident;
}

Result<Incident> Incidents::Update(const std::string& id, const Change& change) {
  auto key = KeyOf(id);
  EC2M_RETURN_IF_ERROR(key);
  for (int race = 0; race < kMaxRaces; ++race) {
    if (race > 0) {
      clock_.SleepFor(kBackoff * std::min(race, kMaxBackoffSteps));
    }
    auto incident = Load(*key, id);
    EC2M_RETURN_IF_ERROR(incident);
    const bool was_open = incident->open();
    EC2M_RETURN_IF_ERROR(change(*incident));
    std::vector<DocWrite> writes = {{kIncidents, *key, ToDocument(*incident), incident->version}};
    if (was_open && !incident->open()) {
      writes.push_back({kOpen, *key, std::nullopt, DocWrite::kAnyVersion});
    }
    auto written = store_.WriteDocs(writes);
    if (written) {
      incident->version = written->front();
      return incident;
    }
    if (written.error().code != ErrorCode::kFailedPrecondition) {
      return Fail(written.error());
    }
  }
  return Fail(ErrorCode::kUnavailable,
              fmt::format("incident {}: lost {} races to change it; too many concurrent writers",
                          id, kMaxRaces));
}

Incident Incidents::Notify(Incident incident, const std::string& kind, const std::string& what,
                           const std::string& title, const std::string& text) {
  if (notifier_ == nullptr) {
    return incident;
  }
  const SeverityLevel& level = LevelOf(incident.severity);
  Notification n;
  // Stable: a message handed over twice (a retried request) is stored and delivered once.
  n.id = "incident-" + incident.id + "-" + kind.substr(kind.find('.') + 1);
  n.kind = kind;
  n.environment = incident.environment;
  n.severity = std::string(level.notify_severity);
  n.title = title;
  n.text = text;
  n.fields = {{"incident", incident.id},
              {"severity", std::string(level.name)},
              {"status", std::string(StatusName(incident.status))},
              {"environment", incident.environment},
              {"commander", incident.commander}};
  auto sent = notifier_->Enqueue(std::move(n));
  const std::string entry =
      sent ? fmt::format("{} was handed to the notification channels ({})", what, *sent)
           : fmt::format("{} could not be handed to the notification channels: {}", what,
                         sent.error().ToString());
  auto updated = Update(incident.id, [&](Incident& i) -> Result<void> {
    AddEntry(i, clock_.Now(), "action", kSystem, entry);
    return {};
  });
  return updated ? std::move(*updated) : incident;
}

Result<Incident> Incidents::Acknowledge(const std::string& id, const std::string& actor) {
  return Update(id, [&](Incident& i) -> Result<void> {
    if (!i.open()) {
      return Resolved(i);
    }
    if (i.acknowledged_at) {
      return Fail(ErrorCode::kFailedPrecondition,
                  fmt::format("incident {} was acknowledged by {} at {}", i.id, i.acknowledged_by,
                              FormatIso8601(*i.acknowledged_at)));
    }
    const TimePoint now = clock_.Now();
    const SeverityLevel& level = LevelOf(i.severity);
    i.acknowledged_by = actor;
    i.acknowledged_at = now;
    AddEntry(i, now, "acknowledged", actor,
             fmt::format("acknowledged after {} ({} response time: {})",
                         FormatDuration(std::chrono::duration_cast<std::chrono::milliseconds>(
                             now - i.opened_at)),
                         level.name, FormatDuration(level.response_time)));
    return {};
  });
}

Result<Incident> Incidents::Assign(const std::string& id, const std::string& commander,
                                   const std::string& actor) {
  const std::string handle = commander.starts_with('@') ? commander.substr(1) : commander;
  EC2M_RETURN_IF_ERROR(CheckField("commander", handle, kMaxName, true, true));
  if (handle.find_first_of(" \t") != std::string::npos) {
    return Fail(
        ErrorCode::kInvalidArgument,
        fmt::format("commander: a handle without spaces expected, got {}", ShownValue(commander)));
  }
  return Update(id, [&](Incident& i) -> Result<void> {
    if (!i.open()) {
      return Resolved(i);
    }
    if (i.commander == handle) {
      return Fail(ErrorCode::kFailedPrecondition,
                  fmt::format("@{} is already the incident commander of {}", handle, i.id));
    }
    const std::string was = i.commander.empty() ? "" : " (was @" + i.commander + ")";
    i.commander = handle;
    AddEntry(i, clock_.Now(), "commander", actor,
             fmt::format("incident commander: @{}{}", handle, was));
    return {};
  });
}

Result<Incident> Incidents::AddNote(const std::string& id, const std::string& text,
                                    const std::string& actor) {
  EC2M_RETURN_IF_ERROR(CheckField("text", text, kMaxText, true, false));
  return Update(id, [&](Incident& i) -> Result<void> {
    AddEntry(i, clock_.Now(), "note", actor, text);
    return {};
  });
}

Result<Incident> Incidents::SetStatus(const std::string& id, Status status,
                                      const std::string& actor) {
  return Update(id, [&](Incident& i) -> Result<void> {
    auto allowed = CheckTransition(i.status, status);
    if (!allowed) {
      return Fail(allowed.error().code,
                  fmt::format("incident {}: {}", i.id, allowed.error().message));
    }
    AddEntry(i, clock_.Now(), "status", actor,
             fmt::format("status: {} → {}", StatusName(i.status), StatusName(status)));
    i.status = status;
    return {};
  });
}

Result<Incident> Incidents::Resolve(const std::string& id, const ResolveRequest& r,
                                    const std::string& actor) {
  EC2M_RETURN_IF_ERROR(CheckField("root_cause", r.root_cause, kMaxText, true, false));
  EC2M_RETURN_IF_ERROR(CheckField("resolution", r.resolution, kMaxText, true, false));
  EC2M_RETURN_IF_ERROR(CheckField("postmortem_url", r.postmortem_url, kMaxText, false, true));
  if (!r.postmortem_url.empty() && !r.postmortem_url.starts_with("https://") &&
      !r.postmortem_url.starts_with("http://")) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("postmortem_url: expected an http:// or https:// link, got {}",
                            ShownValue(r.postmortem_url)));
  }
  auto resolved = Update(id, [&](Incident& i) -> Result<void> {
    if (!i.open()) {
      return Resolved(i);
    }
    const TimePoint now = clock_.Now();
    i.status = Status::kResolved;
    i.resolved_by = actor;
    i.resolved_at = now;
    i.root_cause = r.root_cause;
    i.resolution = r.resolution;
    i.postmortem_url = r.postmortem_url;
    AddEntry(i, now, "resolved", actor,
             fmt::format("resolved after {}: root cause: {}; resolution: {}",
                         FormatDuration(std::chrono::duration_cast<std::chrono::milliseconds>(
                             now - i.opened_at)),
                         r.root_cause, r.resolution));
    return {};
  });
  EC2M_RETURN_IF_ERROR(resolved);
  const std::string title = fmt::format("Resolved: incident {}: {}", resolved->id, resolved->title);
  const std::string text = RenderResolution(*resolved);
  return Notify(std::move(*resolved), "incident.resolved", "the resolution notice", title, text);
}

Result<Incident> Incidents::RecordAlarm(const std::string& id, const std::string& transition) {
  EC2M_RETURN_IF_ERROR(CheckField("transition", transition, kMaxText, true, false));
  return Update(id, [&](Incident& i) -> Result<void> {
    AddEntry(i, clock_.Now(), "alarm", i.alarm.empty() ? kSystem : "alarm:" + i.alarm, transition);
    return {};
  });
}

Result<Incident> Incidents::RecordEpisode(const std::string& episode,
                                          const std::string& transition) {
  auto doc = store_.GetDoc(kEpisodes, episode);
  EC2M_RETURN_IF_ERROR(doc);
  const auto j = doc->has_value() ? ParseJsonOrDiscard((*doc)->body) : nlohmann::json();
  if (!j.is_object() || !j.contains("incident")) {
    return Fail(ErrorCode::kNotFound, "alarm episode " + episode + " opened no incident");
  }
  return RecordAlarm(j.value("incident", ""), transition);
}

Result<int> Incidents::EscalateDue() {
  int escalated = 0;
  DocQuery query{.limit = kPage};
  for (;;) {
    auto open = store_.ListDocs(kOpen, query);
    EC2M_RETURN_IF_ERROR(open);
    for (const Doc& d : *open) {
      auto incident = Load(d.key, d.key);
      if (!incident || !Due(*incident, clock_.Now())) {
        continue;  // resolved meanwhile, acknowledged, escalated or not due yet
      }
      bool due = true;  // still, as another replica's pass may have got there first
      auto changed = Update(incident->id, [&](Incident& i) -> Result<void> {
        const TimePoint now = clock_.Now();
        due = Due(i, now);
        if (!due) {
          return Fail(ErrorCode::kFailedPrecondition, "no longer due");
        }
        const SeverityLevel& level = LevelOf(i.severity);
        i.escalated_at = now;
        AddEntry(i, now, "escalation", kSystem,
                 fmt::format("{}: not acknowledged within {} ({} response time)", level.escalation,
                             FormatDuration(level.response_time), level.name));
        return {};
      });
      if (!due) {
        continue;
      }
      EC2M_RETURN_IF_ERROR(changed);
      ++escalated;
      const SeverityLevel& level = LevelOf(changed->severity);
      const std::string title = fmt::format("Escalated ({}): {} incident {} not acknowledged",
                                            level.escalation, level.name, changed->id);
      const std::string text = RenderEscalation(*changed);
      Notify(std::move(*changed), "incident.escalated",
             fmt::format("the escalation ({})", level.escalation), title, text);
    }
    if (static_cast<int>(open->size()) < kPage) {
      return escalated;
    }
    query.after = open->back().key;
  }
}

}  // namespace ec2m::incidents
