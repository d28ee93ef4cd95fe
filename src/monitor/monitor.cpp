#include "monitor/monitor.hpp"

#include "core/digest.hpp"
#include "core/json.hpp"
#include "core/text.hpp"

#include <fmt/core.h>

#include <cctype>
#include <cstdio>
#include <set>

#include <nlohmann/json.hpp>

namespace ec2m::monitor {
namespace {

constexpr const char* kStateCollection = "alarm_state";
constexpr const char* kHistoryCollection = "alarm_history";
constexpr int64_t kMinuteMs = 60'000;
constexpr auto kCompactEvery = std::chrono::hours(1);

std::string StateKey(const std::string& scope, const std::string& name) {
  return scope + "/" + name;
}

// "alarm-dev-Critical_API_Errors-1a2b3c4d-1-ALARM": ids take letters, digits and ._:@- only, so
// the name is spelt with '_' for the rest and a hash of the exact name keeps two names apart.
std::string NotificationId(const std::string& scope, const std::string& name, int64_t episode,
                           AlarmState state) {
  std::string spelt;
  for (char c : name) {
    const bool plain = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-';
    spelt += plain ? c : '_';
  }
  return fmt::format("alarm-{}-{}-{}-{}-{}", scope, spelt.substr(0, 80),
                     Sha256Hex(scope + "/" + name).substr(0, 8), episode, AlarmStateName(state));
}

nlohmann::json HistoryJson(const AlarmHistoryEntry& h) {
  return {{"time", ToUnixMillis(h.time)},
          {"kind", h.kind},
          {"summary", h.summary},
          {"from", h.from},
          {"to", h.to},
          {"actor", h.actor}};
}

}  // namespace

Monitor::Monitor(Store& store, MetricStore& metrics, const Clock& clock, Notifier* notifier)
    : store_(store), metrics_(metrics), clock_(clock), notifier_(notifier) {}

Monitor::~Monitor() { Stop(); }

Result<void> Monitor::SetAlarms(const std::string& scope, std::vector<AlarmSpec> alarms) {
  std::set<std::string> names;
  for (const AlarmSpec& spec : alarms) {
    EC2M_RETURN_IF_ERROR(ValidateAlarmSpec(spec));
    if (!names.insert(spec.name).second) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("{}: two alarms are named {}", scope, ShownValue(spec.name)));
    }
  }
  std::lock_guard lock(mu_);
  alarms_[scope] = std::move(alarms);
  return {};
}

std::vector<std::string> Monitor::Scopes() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [scope, list] : alarms_) {
    out.push_back(scope);
  }
  return out;
}

void Monitor::OnTransition(std::function<void(const AlarmTransition&)> fn) {
  std::lock_guard lock(mu_);
  on_transition_ = std::move(fn);
}

void Monitor::RecordRequest(const std::string& environment, const std::string& route,
                            const std::string& user, int status, double seconds) {
  const TimePoint now = clock_.Now();
  const double server_error = status >= 500 ? 1 : 0;
  const double auth_failure = status == 401 ? 1 : 0;
  auto record = [&](const std::string& scope) {
    metrics_.PutMany(scope,
                     {{"Requests", 1},
                      {"ServerErrors", server_error},
                      {"AuthFailures", auth_failure},
                      {"Latency", seconds}},
                     now);
  };
  record(kControlPlane);
  if (!environment.empty()) {
    record(environment);
  }
  // "GET /api/v1/instances/{env}" → "instances".
  constexpr std::string_view kApi = "/api/v1/";
  if (const size_t at = route.find(kApi); at != std::string::npos) {
    const size_t from = at + kApi.size();
    const std::string feature = route.substr(from, route.find('/', from) - from);
    metrics_.Put({kControlPlane, "FeatureUse", {{"Feature", feature}}}, now, 1);
  }
  if (route == "POST /api/v1/auth/login" && status == 200) {
    metrics_.Put({kControlPlane, "SignIns", {}}, now, 1);
  }
  if (!user.empty()) {
    std::lock_guard lock(mu_);
    active_users_.insert(user);
  }
}

void Monitor::SetCollector(std::chrono::seconds every, CollectFn collect) {
  collect_every_ = every;
  collect_ = std::move(collect);
}

void Monitor::Collect() {
  const TimePoint now = clock_.Now();
  size_t active = 0;
  {
    std::lock_guard lock(mu_);
    active = active_users_.size();
    active_users_.clear();
  }
  metrics_.Put({kControlPlane, "ActiveUsers", {}}, now, static_cast<double>(active));
  if (collect_) {
    collect_(metrics_, now);
  }
}

void RecordCloudCall(MetricStore& metrics, TimePoint time, const std::string& environment,
                     const std::string& error_code) {
  const bool throttled = error_code == "RequestLimitExceeded" || error_code == "Throttling";
  metrics.PutMany(environment,
                  {{"CloudCalls", 1},
                   {"CloudErrors", error_code.empty() ? 0.0 : 1.0},
                   {"Throttles", throttled ? 1.0 : 0.0}},
                  time);
}

std::string EpisodeId(const std::string& scope, const std::string& alarm, int64_t episode) {
  return fmt::format("{}/{}#{}", scope, alarm, episode);
}

std::optional<Monitor::Defined> Monitor::Find(const std::string& scope,
                                              const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = alarms_.find(scope);
  if (it == alarms_.end()) {
    return std::nullopt;
  }
  for (const AlarmSpec& spec : it->second) {
    if (spec.name == name) {
      return Defined{scope, spec};
    }
  }
  return std::nullopt;
}

Result<Monitor::Loaded> Monitor::LoadStatus(const std::string& scope, const AlarmSpec& spec) const {
  Loaded loaded;
  AlarmStatus& status = loaded.status;
  status.scope = scope;
  status.spec = spec;
  auto doc = store_.GetDoc(kStateCollection, StateKey(scope, spec.name));
  EC2M_RETURN_IF_ERROR(doc);
  if (!*doc) {
    return loaded;
  }
  loaded.version = (*doc)->version;
  auto j = ParseJsonOrDiscard((*doc)->body);
  try {
    status.state = ParseAlarmState(j.at("state").get<std::string>()).value();
    status.reason = j.at("reason").get<std::string>();
    status.since = FromUnixMillis(j.at("since").get<int64_t>());
    status.created = FromUnixMillis(j.value("created", j.at("since").get<int64_t>()));
    status.last_evaluated = FromUnixMillis(j.at("last_evaluated").get<int64_t>());
    status.episode = j.at("episode").get<int64_t>();
    status.muted = j.at("muted").get<bool>();
    status.acknowledged_by = j.at("acknowledged_by").get<std::string>();
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInternal,
                fmt::format("{}/{}: the stored state does not parse: {}", kStateCollection,
                            StateKey(scope, spec.name), e.what()));
  }
  return loaded;
}

Result<AlarmStatus> Monitor::ReadStatus(const std::string& scope, const AlarmSpec& spec) const {
  auto loaded = LoadStatus(scope, spec);
  EC2M_RETURN_IF_ERROR(loaded);
  return std::move(loaded->status);
}

Result<void> Monitor::WriteStatus(const AlarmStatus& status, int64_t version,
                                  const std::vector<AlarmHistoryEntry>& history) {
  const nlohmann::json body = {{"state", AlarmStateName(status.state)},
                               {"reason", status.reason},
                               {"since", ToUnixMillis(status.since)},
                               {"created", ToUnixMillis(status.created)},
                               {"last_evaluated", ToUnixMillis(status.last_evaluated)},
                               {"episode", status.episode},
                               {"muted", status.muted},
                               {"acknowledged_by", status.acknowledged_by}};
  const std::string key = StateKey(status.scope, status.spec.name);
  std::vector<DocWrite> writes = {{kStateCollection, key, body.dump(), version}};
  int n = 0;
  for (const AlarmHistoryEntry& h : history) {
    writes.push_back(
        {kHistoryCollection,
         fmt::format("{}/{:015d}-{:06d}-{}", key, ToUnixMillis(h.time), version + 1, n++),
         HistoryJson(h).dump(), 0});
  }
  EC2M_RETURN_IF_ERROR(store_.WriteDocs(writes));
  return {};
}

Result<bool> Monitor::EvaluateOne(const Defined& alarm, TimePoint now) {
  const AlarmSpec& spec = alarm.spec;
  auto loaded = LoadStatus(alarm.scope, spec);
  EC2M_RETURN_IF_ERROR(loaded);
  AlarmStatus* status = &loaded->status;
  // Periods end at the last whole minute, so a period is evaluated once it is complete.
  const int64_t end = ToUnixMillis(now) / kMinuteMs * kMinuteMs;
  const auto range = static_cast<size_t>(spec.EvaluationRange());
  const TimePoint start =
      FromUnixMillis(end - static_cast<int64_t>(range) * spec.period_seconds * 1000);
  const auto values = metrics_.Query(alarm.scope, spec.metric, spec.dimensions, spec.statistic,
                                     start, std::chrono::seconds(spec.period_seconds), range);
  if (loaded->version == 0) {
    status->created = now;
    status->since = now;
  }
  AlarmSpec evaluated = spec;
  const auto window = std::chrono::seconds(int64_t{spec.period_seconds} * spec.evaluation_periods);
  if (spec.missing == MissingData::kBreaching && now - status->created < window) {
    evaluated.missing = MissingData::kMissing;
  }
  const Evaluation e = Evaluate(evaluated, values, status->state);
  const AlarmState from = status->state;
  const bool changed = e.state != from;
  status->last_evaluated = now;
  status->reason = e.reason;
  std::vector<AlarmHistoryEntry> history;
  if (changed) {
    status->state = e.state;
    status->since = now;
    status->acknowledged_by.clear();
    if (e.state == AlarmState::kAlarm) {
      ++status->episode;
    }
    const bool was_muted = status->muted;
    if (e.state == AlarmState::kOk) {
      status->muted = false;  // "until resolved"
    }
    history.push_back(
        {now, "StateUpdate",
         fmt::format("Alarm updated from {} to {}", AlarmStateName(from), AlarmStateName(e.state)),
         std::string(AlarmStateName(from)), std::string(AlarmStateName(e.state)), ""});
    const bool notify = notifier_ != nullptr && !was_muted &&
                        !(from == AlarmState::kInsufficientData && e.state == AlarmState::kOk);
    if (notify) {
      Notification n;
      n.id = NotificationId(alarm.scope, spec.name, status->episode, e.state);
      n.kind = "alarm";
      n.environment = alarm.scope;
      n.severity = e.state == AlarmState::kAlarm ? spec.severity : "info";
      n.title = fmt::format("{}: \"{}\" in {}", AlarmStateName(e.state), spec.name, alarm.scope);
      n.text = e.reason;
      n.fields = {{"alarm", spec.name},
                  {"state", std::string(AlarmStateName(e.state))},
                  {"previous_state", std::string(AlarmStateName(from))},
                  {"environment", alarm.scope}};
      n.channels = spec.channels;
      auto sent = notifier_->Enqueue(n);
      history.push_back({now, "Action",
                         sent ? fmt::format("Notification {} queued", *sent)
                              : "Notification failed: " + sent.error().message,
                         "", "", ""});
    } else if (was_muted) {
      history.push_back(
          {now, "Action", "Notification muted until the alarm is resolved", "", "", ""});
    }
  }
  EC2M_RETURN_IF_ERROR(WriteStatus(*status, loaded->version, history));
  if (changed) {
    std::function<void(const AlarmTransition&)> fn;
    {
      std::lock_guard lock(mu_);
      fn = on_transition_;
    }
    if (fn) {
      fn(AlarmTransition{alarm.scope, spec, from, e.state, e.reason, now, status->episode});
    }
  }
  return changed;
}

Result<int> Monitor::EvaluateAll() {
  std::vector<Defined> all;
  {
    std::lock_guard lock(mu_);
    for (const auto& [scope, list] : alarms_) {
      for (const AlarmSpec& spec : list) {
        all.push_back(Defined{scope, spec});
      }
    }
  }
  std::lock_guard writer(write_mu_);
  const TimePoint now = clock_.Now();
  int changed = 0;
  std::optional<Error> first_error;
  for (const Defined& alarm : all) {
    auto r = EvaluateOne(alarm, now);
    if (!r) {
      // One alarm's failure (a lost race with a replica, a store hiccup) does not stop the others.
      if (!first_error) {
        first_error = r.error();
      }
      continue;
    }
    changed += *r ? 1 : 0;
  }
  if (first_error) {
    return Fail(*first_error);
  }
  return changed;
}

Result<std::vector<AlarmStatus>> Monitor::List(const std::string& scope) const {
  std::vector<Defined> all;
  {
    std::lock_guard lock(mu_);
    for (const auto& [s, list] : alarms_) {
      if (!scope.empty() && s != scope) {
        continue;
      }
      for (const AlarmSpec& spec : list) {
        all.push_back(Defined{s, spec});
      }
    }
  }
  std::vector<AlarmStatus> out;
  for (const Defined& alarm : all) {
    auto status = ReadStatus(alarm.scope, alarm.spec);
    EC2M_RETURN_IF_ERROR(status);
    out.push_back(std::move(*status));
  }
  return out;
}

Result<AlarmStatus> Monitor::Get(const std::string& scope, const std::string& name) const {
  auto alarm = Find(scope, name);
  if (!alarm) {
    return Fail(ErrorCode::kNotFound, fmt::format("no alarm {} in {}", ShownValue(name), scope));
  }
  return ReadStatus(scope, alarm->spec);
}

Result<std::vector<AlarmHistoryEntry>> Monitor::History(const std::string& scope,
                                                        const std::string& name, int limit) const {
  if (!Find(scope, name)) {
    return Fail(ErrorCode::kNotFound, fmt::format("no alarm {} in {}", ShownValue(name), scope));
  }
  DocQuery q;
  q.prefix = StateKey(scope, name) + "/";
  q.limit = limit;
  q.descending = true;
  auto docs = store_.ListDocs(kHistoryCollection, q);
  EC2M_RETURN_IF_ERROR(docs);
  std::vector<AlarmHistoryEntry> out;
  for (const Doc& doc : *docs) {
    auto j = ParseJsonOrDiscard(doc.body);
    if (!j.is_object()) {
      return Fail(ErrorCode::kInternal,
                  fmt::format("{}/{}: does not parse", kHistoryCollection, doc.key));
    }
    out.push_back({FromUnixMillis(j.value("time", int64_t{0})), j.value("kind", ""),
                   j.value("summary", ""), j.value("from", ""), j.value("to", ""),
                   j.value("actor", "")});
  }
  return out;
}

Result<AlarmStatus> Monitor::Update(
    const std::string& scope, const std::string& name,
    const std::function<Result<AlarmHistoryEntry>(AlarmStatus&)>& change) {
  auto alarm = Find(scope, name);
  if (!alarm) {
    return Fail(ErrorCode::kNotFound, fmt::format("no alarm {} in {}", ShownValue(name), scope));
  }
  std::lock_guard writer(write_mu_);
  auto loaded = LoadStatus(scope, alarm->spec);
  EC2M_RETURN_IF_ERROR(loaded);
  auto entry = change(loaded->status);
  EC2M_RETURN_IF_ERROR(entry);
  entry->time = clock_.Now();
  EC2M_RETURN_IF_ERROR(WriteStatus(loaded->status, loaded->version, {*entry}));
  return std::move(loaded->status);
}

Result<AlarmStatus> Monitor::Mute(const std::string& scope, const std::string& name,
                                  const std::string& actor) {
  return Update(scope, name, [&](AlarmStatus& status) -> Result<AlarmHistoryEntry> {
    status.muted = true;
    return AlarmHistoryEntry{{}, "Mute", "Notifications muted until the alarm is resolved",
                             "", "",     actor};
  });
}

Result<AlarmStatus> Monitor::Acknowledge(const std::string& scope, const std::string& name,
                                         const std::string& actor) {
  return Update(scope, name, [&](AlarmStatus& status) -> Result<AlarmHistoryEntry> {
    if (status.state != AlarmState::kAlarm) {
      return Fail(ErrorCode::kFailedPrecondition,
                  fmt::format("alarm {} in {} is {}, not ALARM: nothing to acknowledge",
                              ShownValue(name), scope, AlarmStateName(status.state)));
    }
    status.acknowledged_by = actor;
    return AlarmHistoryEntry{{}, "Acknowledge", "Alarm acknowledged", "", "", actor};
  });
}

void Monitor::Start(std::chrono::seconds interval, std::map<std::string, int64_t> retention_days) {
  std::lock_guard lock(loop_mu_);
  if (loop_.joinable()) {
    return;
  }
  stopping_ = false;
  loop_ = std::thread([this, interval, days = std::move(retention_days)] { Loop(interval, days); });
}

void Monitor::Pause() {
  std::lock_guard lock(loop_mu_);
  paused_ = true;
}

void Monitor::Resume() {
  {
    std::lock_guard lock(loop_mu_);
    paused_ = false;
  }
  loop_cv_.notify_all();
}

void Monitor::Stop() {
  {
    std::lock_guard lock(loop_mu_);
    stopping_ = true;
  }
  loop_cv_.notify_all();
  if (loop_.joinable()) {
    loop_.join();
  }
  (void)metrics_.Flush();
}

void Monitor::Loop(std::chrono::seconds interval,
                   const std::map<std::string, int64_t>& retention_days) {
  TimePoint last_compact = clock_.Now();
  // The first collection comes with the first evaluation, so the fleet's figures (instances by
  // state, cost) are there a minute after start rather than one collector interval.
  TimePoint last_collect = clock_.Now() - collect_every_;
  constexpr int64_t kDefaultRetentionDays = 7;
  while (true) {
    {
      std::unique_lock lock(loop_mu_);
      loop_cv_.wait_for(lock, interval, [this] { return stopping_; });
      loop_cv_.wait(lock, [this] { return stopping_ || !paused_; });
      if (stopping_) {
        return;
      }
    }
    try {
      if (auto r = EvaluateAll(); !r) {
        std::fprintf(stderr, "ec2m: alarms: %s\n", r.error().ToString().c_str());
      }
      if (auto r = metrics_.Flush(); !r) {
        std::fprintf(stderr, "ec2m: metrics: %s\n", r.error().ToString().c_str());
      }
      if (clock_.Now() - last_collect >= collect_every_) {
        last_collect = clock_.Now();
        Collect();
      }
      if (clock_.Now() - last_compact >= kCompactEvery) {
        last_compact = clock_.Now();
        if (auto r = metrics_.Compact(last_compact, retention_days, kDefaultRetentionDays); !r) {
          std::fprintf(stderr, "ec2m: metrics: %s\n", r.error().ToString().c_str());
        }
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "ec2m: monitor loop: %s\n", e.what());
    }
  }
}

}  // namespace ec2m::monitor
