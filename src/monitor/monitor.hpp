#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/notifier.hpp"
#include "core/store.hpp"
#include "monitor/alarm.hpp"
#include "monitor/metric_store.hpp"

namespace ec2m::monitor {

// Records a call to an environment's cloud at `time` (`error_code` "" = ok): CloudCalls,
// CloudErrors and Throttles in the environment's scope.
void RecordCloudCall(MetricStore& metrics, TimePoint time, const std::string& environment,
                     const std::string& error_code);

// The id of an alarm's episode, for the incident it opens: "dev/Critical API Errors#3".
std::string EpisodeId(const std::string& scope, const std::string& alarm, int64_t episode);

// An alarm as it stands.
struct AlarmStatus {
  std::string scope;
  AlarmSpec spec;
  AlarmState state = AlarmState::kInsufficientData;
  std::string reason = "Unchecked: initial alarm creation";
  TimePoint since{};            // when it entered `state`
  TimePoint created{};          // when this server first evaluated it
  TimePoint last_evaluated{};   // {} = never
  int64_t episode = 0;          // how many times it has entered ALARM
  bool muted = false;           // notifications off until it returns to OK
  std::string acknowledged_by;  // who acknowledged the current ALARM ("" = nobody)
};

// One entry of an alarm's history: a state change, a mute, an acknowledgement, an action.
struct AlarmHistoryEntry {
  TimePoint time{};
  std::string kind;  // "StateUpdate" | "Action" | "Mute" | "Acknowledge"
  std::string summary;
  std::string from;  // states, for StateUpdate
  std::string to;
  std::string actor;  // who, for Mute/Acknowledge
};

// What an alarm's transition hands on (to incidents).
struct AlarmTransition {
  std::string scope;
  AlarmSpec spec;
  AlarmState from = AlarmState::kInsufficientData;
  AlarmState to = AlarmState::kInsufficientData;
  std::string reason;
  TimePoint at{};
  int64_t episode = 0;
};

// Alarms over the metric store: their definitions by scope, their state and history in the
// store (collections "alarm_state", "alarm_history"), evaluation every minute on a background
// loop that can be paused, and the actions of each transition: a notification through the
// Notifier (unless muted) and the transition handed to `on_transition` (incidents).
// An alarm younger than its N periods treats missing data as missing even when it says
// breaching: a server that has just started has not seen two quiet hours yet. Thread-safe.
class Monitor {
 public:
  // Borrows everything; `notifier` may be null (transitions are only recorded).
  Monitor(Store& store, MetricStore& metrics, const Clock& clock, Notifier* notifier);
  ~Monitor();
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  MetricStore& metrics() { return metrics_; }
  const Clock& clock() const { return clock_; }

  // Sets a scope's alarms (replacing what it had). Errors: an invalid spec, naming it; two alarms
  // with one name.
  Result<void> SetAlarms(const std::string& scope, std::vector<AlarmSpec> alarms);
  std::vector<std::string> Scopes() const;
  // Called after every state change (from the evaluating thread).
  void OnTransition(std::function<void(const AlarmTransition&)> fn);

  // Records one request's figures in its environment's scope (if any) and the control plane's:
  // Requests, ServerErrors (5xx), AuthFailures (401), Latency (seconds); in the control plane's
  // also FeatureUse by Feature (the route's first segment under /api/v1: "instances", ...) and
  // SignIns (a successful POST /api/v1/auth/login). `route` is the route's label ("GET
  // /api/v1/instances"), `user` the caller's email ("" when not signed in).
  void RecordRequest(const std::string& environment, const std::string& route,
                     const std::string& user, int status, double seconds);

  // The collector: with the loop's first evaluation, then every `every`, `collect` publishes
  // what it gathers (the fleet's instances by
  // state, the estimated hourly cost) into the metric store, and the monitor adds ActiveUsers
  // (distinct signed-in users since the last collection) to the control plane's scope. Runs on
  // the monitor's loop (paused with it). Set before Start.
  using CollectFn = std::function<void(MetricStore& metrics, TimePoint now)>;
  void SetCollector(std::chrono::seconds every, CollectFn collect);
  // One collection now (the loop calls it when due; tests call it directly).
  void Collect();

  // The alarms of a scope ("" = every scope), by scope and name.
  Result<std::vector<AlarmStatus>> List(const std::string& scope) const;
  // Errors: kNotFound naming the alarm and scope.
  Result<AlarmStatus> Get(const std::string& scope, const std::string& name) const;
  // Newest first, at most `limit`.
  Result<std::vector<AlarmHistoryEntry>> History(const std::string& scope, const std::string& name,
                                                 int limit) const;
  // Notifications of the alarm off until it next returns to OK. Errors: kNotFound.
  Result<AlarmStatus> Mute(const std::string& scope, const std::string& name,
                           const std::string& actor);
  // Marks the current ALARM as seen by `actor`. Errors: kNotFound; kFailedPrecondition when the
  // alarm is not in ALARM.
  Result<AlarmStatus> Acknowledge(const std::string& scope, const std::string& name,
                                  const std::string& actor);

  // One evaluation of every alarm at the clock's time; returns how many changed state.
  Result<int> EvaluateAll();

  // The background loop: evaluates every `interval`, flushes the metric store, compacts hourly.
  void Start(std::chrono::seconds interval, std::map<std::string, int64_t> retention_days);
  void Pause();
  void Resume();
  void Stop();

 private:
  struct Defined {
    std::string scope;
    AlarmSpec spec;
  };
  // An alarm's status and its document's version (0: never written: the status is new).
  struct Loaded {
    AlarmStatus status;
    int64_t version = 0;
  };
  Result<Loaded> LoadStatus(const std::string& scope, const AlarmSpec& spec) const;
  Result<AlarmStatus> ReadStatus(const std::string& scope, const AlarmSpec& spec) const;
  // Applies `change` to a named alarm's status under the writer lock and writes it with the
  // history entry `change` returns (its time is set here); `change`'s error writes nothing.
  Result<AlarmStatus> Update(const std::string& scope, const std::string& name,
                             const std::function<Result<AlarmHistoryEntry>(AlarmStatus&)>& change);
  Result<void> WriteStatus(const AlarmStatus& status, int64_t version,
                           const std::vector<AlarmHistoryEntry>& history);
  Result<bool> EvaluateOne(const Defined& alarm, TimePoint now);
  std::optional<Defined> Find(const std::string& scope, const std::string& name) const;
  void Loop(std::chrono::seconds interval, const std::map<std::string, int64_t>& retention_days);

  Store& store_;
  MetricStore& metrics_;
  const Clock& clock_;
  Notifier* notifier_;
  mutable std::mutex mu_;
  std::map<std::string, std::vector<AlarmSpec>> alarms_;       // by scope; guarded by mu_
  std::function<void(const AlarmTransition&)> on_transition_;  // guarded by mu_
  std::set<std::string> active_users_;                         // guarded by mu_
  CollectFn collect_;                                          // set before Start
  std::chrono::seconds collect_every_{900};
  std::mutex write_mu_;  // one writer of alarm documents in this process at a time
  std::mutex loop_mu_;
  std::condition_variable loop_cv_;
  bool stopping_ = false;  // guarded by loop_mu_
  bool paused_ = false;    // guarded by loop_mu_
  std::thread loop_;
};

}  // namespace ec2m::monitor
