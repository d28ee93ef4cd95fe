#include "incidents/incident.hpp"
#include "core/json.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>

namespace ec2m::incidents {
namespace {

using nlohmann::json;

json Millis(const std::optional<TimePoint>& t) {
  return t ? json(ToUnixMillis(*t)) : json(nullptr);
}

std::optional<TimePoint> OptTime(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) {
    return std::nullopt;
  }
  return FromUnixMillis(it->get<int64_t>());
}

json Iso(const std::optional<TimePoint>& t) {
  return t ? json(FormatIso8601Millis(*t)) : json(nullptr);
}

bool Digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string IncidentId(TimePoint opened, int64_t sequence) {
  const std::string iso = FormatIso8601(opened);  // 2025-09-14T10:30:00Z
  return fmt::format("{}-{}{}-{:03d}", iso.substr(0, 4), iso.substr(5, 2), iso.substr(8, 2),
                     sequence);
}

std::optional<std::pair<std::string, int64_t>> ParseIncidentId(std::string_view id) {
  // YYYY-MMDD-NNN: 4 digits, '-', 4 digits, '-', at least 3 digits.
  if (id.size() < 13 || id.size() > 19 || id[4] != '-' || id[9] != '-' ||
      !Digits(id.substr(0, 4)) || !Digits(id.substr(5, 4)) || !Digits(id.substr(10))) {
    return std::nullopt;
  }
  int64_t sequence = 0;
  const std::string_view digits = id.substr(10);
  std::from_chars(digits.data(), digits.data() + digits.size(), sequence);
  if (sequence < 1) {
    return std::nullopt;
  }
  return std::pair(std::string(id.substr(0, 9)), sequence);
}

std::string IncidentKey(const std::string& day, int64_t sequence) {
  return fmt::format("{}-{:09d}", day, sequence);
}

std::string ToDocument(const Incident& i) {
  json timeline = json::array();
  for (const TimelineEntry& e : i.timeline) {
    timeline.push_back(
        {{"at", ToUnixMillis(e.at)}, {"kind", e.kind}, {"actor", e.actor}, {"text", e.text}});
  }
  return json{{"id", i.id},
              {"severity", LevelOf(i.severity).name},
              {"title", i.title},
              {"environment", i.environment},
              {"service", i.service},
              {"description", i.description},
              {"status", StatusName(i.status)},
              {"commander", i.commander},
              {"opened_by", i.opened_by},
              {"opened_at", ToUnixMillis(i.opened_at)},
              {"acknowledged_by", i.acknowledged_by},
              {"acknowledged_at", Millis(i.acknowledged_at)},
              {"escalated_at", Millis(i.escalated_at)},
              {"resolved_by", i.resolved_by},
              {"resolved_at", Millis(i.resolved_at)},
              {"root_cause", i.root_cause},
              {"resolution", i.resolution},
              {"postmortem_url", i.postmortem_url},
              {"alarm", i.alarm},
              {"episode", i.episode},
              {"timeline", timeline}}
      .dump();
}

Result<Incident> FromDocument(std::string_view key, std::string_view body) {
  auto j = ParseJsonOrDiscard(body);
  auto severity = j.is_object() ? ParseSeverity(j.value("severity", "")) : std::nullopt;
  auto status = j.is_object() ? ParseStatus(j.value("status", "")) : std::nullopt;
  if (!severity || !status || !j["opened_at"].is_number_integer() || !j["timeline"].is_array()) {
    return Fail(ErrorCode::kInternal, fmt::format("incident {} does not parse", key));
  }
  Incident i;
  i.id = j.value("id", "");
  i.severity = *severity;
  i.title = j.value("title", "");
  i.environment = j.value("environment", "");
  i.service = j.value("service", "");
  i.description = j.value("description", "");
  i.status = *status;
  i.commander = j.value("commander", "");
  i.opened_by = j.value("opened_by", "");
  i.opened_at = FromUnixMillis(j["opened_at"].get<int64_t>());
  i.acknowledged_by = j.value("acknowledged_by", "");
  i.acknowledged_at = OptTime(j, "acknowledged_at");
  i.escalated_at = OptTime(j, "escalated_at");
  i.resolved_by = j.value("resolved_by", "");
  i.resolved_at = OptTime(j, "resolved_at");
  i.root_cause = j.value("root_cause", "");
  i.resolution = j.value("resolution", "");
  i.postmortem_url = j.value("postmortem_url", "");
  i.alarm = j.value("alarm", "");
  i.episode = j.value("episode", "");
  for (const json& e : j["timeline"]) {
    if (!e.is_object()) {
      return Fail(ErrorCode::kInternal,
                  fmt::format("incident {}: a timeline entry does not parse", key));
    }
    i.timeline.push_back({FromUnixMillis(e.value("at", int64_t{0})), e.value("kind", ""),
                          e.value("actor", ""), e.value("text", "")});
  }
  return i;
}

json IncidentJson(const Incident& i, bool with_timeline) {
  const SeverityLevel& level = LevelOf(i.severity);
  json out = {
      {"id", i.id},
      {"severity", level.name},
      {"severity_label", level.label},
      {"response_time_minutes", level.response_time.count()},
      {"escalation", level.escalation},
      {"title", i.title},
      {"environment", i.environment},
      {"service", i.service},
      {"description", i.description},
      {"status", StatusName(i.status)},
      {"commander", i.commander.empty() ? json(nullptr) : json(i.commander)},
      {"opened_by", i.opened_by},
      {"opened_at", FormatIso8601Millis(i.opened_at)},
      {"acknowledged_by", i.acknowledged_by.empty() ? json(nullptr) : json(i.acknowledged_by)},
      {"acknowledged_at", Iso(i.acknowledged_at)},
      {"escalated_at", Iso(i.escalated_at)},
      {"resolved_by", i.resolved_by.empty() ? json(nullptr) : json(i.resolved_by)},
      {"resolved_at", Iso(i.resolved_at)},
      {"root_cause", i.root_cause},
      {"resolution", i.resolution},
      {"postmortem_url", i.postmortem_url},
      {"alarm", i.alarm.empty() ? json(nullptr) : json(i.alarm)},
      {"episode", i.episode.empty() ? json(nullptr) : json(i.episode)}};
  if (i.resolved_at) {
    out["duration_minutes"] =
        std::chrono::duration_cast<std::chrono::minutes>(*i.resolved_at - i.opened_at).count();
  }
  if (with_timeline) {
    json timeline = json::array();
    for (const TimelineEntry& e : i.timeline) {
      timeline.push_back({{"at", FormatIso8601Millis(e.at)},
                          {"kind", e.kind},
                          {"actor", e.actor},
                          {"text", e.text}});
    }
    out["timeline"] = timeline;
  }
  return out;
}

}  // namespace ec2m::incidents
