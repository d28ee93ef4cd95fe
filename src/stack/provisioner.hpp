#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/ec2.hpp"
#include "core/error.hpp"
#include "core/store.hpp"
#include "stack/apply.hpp"
#include "stack/changesets.hpp"
#include "stack/plan.hpp"

// The server side of environments as code: plans, applies in the background as change sets
// (one per environment at a time), rollbacks to an earlier change set or a point in time,
// drift, status, and recovery of applies a killed process left behind. The REST routes and, via
// them, the CLI and the console are its callers.
namespace ec2m::stack {

// An environment the provisioner can change: its name, the config the server was started with,
// and its cloud.
struct Target {
  std::string name;
  std::string config_text;
  std::string config_file;  // for messages ("config/dev.json")
  Ec2* ec2 = nullptr;
};

struct ProvisionerOptions {
  ApplyOptions apply;
  std::chrono::milliseconds lease{30'000};  // an apply not heard from this long is dead
  // Called (on the apply's thread) with the change set when an apply ended: the server audits
  // the result and refreshes its instance inventory.
  std::function<void(const ChangeSet&)> on_finished;
};

// A plan as the API shows it, with what it was made from.
struct PlanResult {
  Template desired;
  ActualState actual;
  Plan plan;
  std::string config_text;
  std::string config_version;
  // The config differs from the one in force, whether or not any resource changes (an
  // approval rule, an alarm): applying it records it as a change set even with an empty plan.
  bool config_changed = false;

  bool nothing_to_do() const { return plan.empty() && !config_changed; }
};

struct Started {
  std::optional<ChangeSet> change_set;  // nullopt: nothing to do
  PlanResult plan;
};

// A resource changed or deleted outside ec2m.
struct Drifted {
  std::string logical_id;
  std::string type;
  std::string physical_id;
  std::string kind;  // "modified", "deleted"
  std::vector<PropertyChange> properties;
};

struct CheckResult {
  std::string category;  // infrastructure, application, monitoring, security
  std::string status;    // HEALTHY, DEPLOYING, WARNING, UNHEALTHY
  std::string summary;
  std::vector<std::string> details;
};

struct StatusReport {
  std::string environment;
  std::string status;
  std::vector<CheckResult> checks;
  int drifted = 0;
};

// "HEALTHY" < "DEPLOYING" < "WARNING" < "UNHEALTHY": the worse of two.
std::string WorseStatus(const std::string& a, const std::string& b);
nlohmann::json DriftJson(const std::string& environment, const std::vector<Drifted>& drift);
nlohmann::json StatusJson(const StatusReport& report);

class Provisioner {
 public:
  Provisioner(Store& store, const Clock& clock, std::vector<Target> targets,
              ProvisionerOptions options = {});
  ~Provisioner();
  Provisioner(const Provisioner&) = delete;
  Provisioner& operator=(const Provisioner&) = delete;

  bool Has(const std::string& environment) const;
  // The environment's cloud, or null for an unknown environment.
  Ec2* Cloud(const std::string& environment) const;
  ChangeSets& change_sets() { return change_sets_; }
  EnvironmentLocks& locks() { return locks_; }

  // Who holds the environment's apply lock and renewed it within the lease (an apply or a
  // deployment at work); nullopt when it is free or its holder died (the next apply takes it).
  Result<std::optional<LockInfo>> LiveHolder(const std::string& environment);
  // The config in force: the last succeeded change set's, else the server's file.
  Result<std::pair<std::string, std::string>> CurrentConfig(const std::string& environment);
  // The plan of `config_text` (the config in force when nullopt) against the cloud. Errors:
  // kInvalidArgument naming the config's file, path and problem; kNotFound for an unknown
  // environment.
  Result<PlanResult> MakePlanFor(const std::string& environment,
                                 const std::optional<std::string>& config_text,
                                 bool allow_retained_deletes);
  // Plans and, when there is something to do, starts applying it as a new change set in the
  // background (Wait() or the change set's status tell when it ended); `approval` is recorded
  // on it (ChangeSet::approval). Errors: kFailedPrecondition when the plan is refused (retained
  // deletes) or the environment is locked; compliance failures as kInvalidArgument.
  Result<Started> Provision(const std::string& environment, const std::string& author,
                            const std::optional<std::string>& config_text,
                            bool allow_retained_deletes, const std::string& approval = "");
  // The known good state a rollback to `target` returns to: "previous" (the succeeded change set
  // before the last succeeded one with another config), a change set id, or an RFC 3339 time
  // (the one in force then). Errors: kNotFound for an unknown environment or change set;
  // kInvalidArgument for a malformed target or another environment's change set;
  // kFailedPrecondition when there is no such state or the change set did not succeed.
  Result<ChangeSet> RollbackTarget(const std::string& environment, const std::string& target);
  // Back to RollbackTarget(target). The current state is kept in the new change set's journal
  // first (a backup of what it replaces); `approval` as Provision's.
  Result<Started> Rollback(const std::string& environment, const std::string& author,
                           const std::string& target, const std::string& approval = "");
  Result<std::vector<Drifted>> Drift(const std::string& environment);
  // What the environment's cloud holds (ReadActual).
  Result<ActualState> Resources(const std::string& environment);
  // `check`: all, infrastructure, application, monitoring, security.
  Result<StatusReport> Status(const std::string& environment, const std::string& check);

  // Resumes the applies a stopped process left "applying", each under its own change set (the
  // same launch tokens) once its lock is free or dead. Returns how many it resumed.
  Result<int> RecoverInterrupted();
  // Waits for every background apply to end.
  void Wait();

 private:
  const Target* Find(const std::string& environment) const;
  Result<Started> Start(const Target& target, const std::string& author, PlanResult planned,
                        const std::string& rollback_of, const std::string& approval);
  // Runs RunApply on a thread of its own (joining the threads of applies that ended).
  void Launch(const Target& target, ChangeSet cs, PlanResult planned, std::string owner,
              bool resumed);
  // The body of a background apply: runs it, journals, finishes the change set, frees the lock.
  void RunApply(const Target& target, ChangeSet cs, const PlanResult& planned,
                const std::string& owner, bool resumed);

  Store& store_;
  const Clock& clock_;
  std::vector<Target> targets_;
  ProvisionerOptions options_;
  ChangeSets change_sets_;
  EnvironmentLocks locks_;
  std::mutex mu_;
  std::condition_variable idle_;
  int running_ = 0;
  std::map<std::thread::id, std::thread> threads_;
  std::vector<std::thread::id> ended_;  // threads_ whose apply ended, to join
};

}  // namespace ec2m::stack
