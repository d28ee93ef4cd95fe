#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/notifier.hpp"
#include "core/store.hpp"

// The record of every change to an environment (a change set) and the one-apply-at-a-time lock,
// kept as store documents so replicas share them and a crash loses nothing: the apply writes the
// journal after every step, and the next `provision` (or a resume) reads where it stopped.
namespace ec2m::stack {

// One step of an apply, as journaled: written when it starts (pending) and when it ends.
struct StepRecord {
  int seq = 0;  // its place in the journal, from 1
  std::string logical_id;
  std::string action;       // create, update, replace, delete
  std::string status;       // pending, done, failed
  std::string physical_id;  // what the step made or changed
  std::string error;        // when failed
  std::string at;           // when the status was last set (ISO 8601)
};

struct ChangeSet {
  std::string id;  // "cs-<environment>-<number>", e.g. "cs-prod-42"
  std::string environment;
  int64_t number = 0;          // per environment, from 1
  std::string config_version;  // the first 12 hex of the config text's SHA-256
  std::string author;
  std::string created_at;
  std::string config_text;         // the config as applied: what a rollback goes back to
  nlohmann::json plan;             // Plan::ToJson()
  std::string status = "planned";  // planned, applying, succeeded, failed, interrupted
  std::vector<StepRecord> journal;
  std::string started_at;
  std::string finished_at;
  int64_t duration_ms = 0;
  std::string result;       // a line saying how it ended
  std::string rollback_of;  // the change set whose config this one restored, if any
  std::string deployment;   // the blue-green deployment it records ("d-17"), which applies it
  // The infrastructure deployment ("d-18") whose approval it carries out, in an environment
  // whose config requires approval; the provisioner applies it as any other.
  std::string approval;
  int64_t version = 0;  // of the stored document (optimistic concurrency)
};

// The REST API's shape of a change set (docs/api.md); `full` adds the plan and the config text.
nlohmann::json ChangeSetJson(const ChangeSet& cs, bool full);

// The message a finished change set sends (kind "deployment"): its id is stable per change set
// and outcome, so a retried hand-over is delivered once; fields carry the specification's
// payload (environment, status success|failure|cancelled, author) and the change set's id and
// config version.
Notification DeploymentNotification(const ChangeSet& cs);

// "cs-prod-42" → ("prod", 42); nullopt when it is not a change set id.
std::optional<std::pair<std::string, int64_t>> ParseChangeSetId(const std::string& id);

// Thread-safe as the store is.
class ChangeSets {
 public:
  ChangeSets(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Records a new change set with the environment's next number (replicas never take the same
  // one: the number comes from a head document written in the same transaction).
  Result<ChangeSet> Create(const std::string& environment, const std::string& author,
                           const std::string& config_text, const nlohmann::json& plan,
                           const std::string& rollback_of = "");
  // With its journal. Errors: kNotFound naming the id.
  Result<ChangeSet> Get(const std::string& id);
  // Writes `cs` (not its journal) back if nobody changed it since it was read
  // (kFailedPrecondition otherwise) and returns it with its new version.
  Result<ChangeSet> Save(const ChangeSet& cs);
  // Writes one journal entry of `cs` (a document of its own, so a step costs one small write
  // however long the journal grows); a later write of the same seq replaces it.
  Result<void> Record(const ChangeSet& cs, const StepRecord& step);
  // Newest first, without journals; at most `limit` (1..1000), those numbered below `before`
  // when it is > 0.
  Result<std::vector<ChangeSet>> List(const std::string& environment, int limit,
                                      int64_t before = 0);
  // The newest succeeded change set created at or before `time`, or nullopt.
  Result<std::optional<ChangeSet>> LastSucceededAt(const std::string& environment, TimePoint time);

 private:
  Store& store_;
  const Clock& clock_;
};

// Who holds an environment's apply lock and since when.
struct LockInfo {
  std::string owner;  // "alice@example.com (cs-prod-42)"
  std::string acquired_at;
  int64_t age_seconds = 0;
  int64_t idle_seconds = 0;  // since the holder last renewed it
};

// One apply per environment at a time, across replicas. The holder renews the lock while it
// works; a lock not renewed for `lease` belongs to an apply that died (a killed process) and the
// next Acquire takes it over.
class EnvironmentLocks {
 public:
  static constexpr std::chrono::seconds kDefaultLease{60};
  EnvironmentLocks(Store& store, const Clock& clock,
                   std::chrono::milliseconds lease = kDefaultLease)
      : store_(store), clock_(clock), lease_(lease) {}

  // Returns the dead holder's lock when it took one over (or its own, when `owner` held it
  // already: a restarted process taking back its work). Errors: kFailedPrecondition
  // "environment prod is locked by ... since ... (N s ago); `ec2m unlock prod` frees it" when a
  // live holder has it.
  Result<std::optional<LockInfo>> Acquire(const std::string& environment, const std::string& owner);
  // Keeps the lease. kFailedPrecondition when `owner` no longer holds the lock (it was broken).
  Result<void> Renew(const std::string& environment, const std::string& owner);
  // Frees the lock if `owner` holds it (a no-op otherwise, so a stale holder cannot free a lock
  // taken after it was broken).
  Result<void> Release(const std::string& environment, const std::string& owner);
  // `ec2m unlock`: frees it whoever holds it; returns who did.
  Result<std::optional<LockInfo>> Break(const std::string& environment);
  Result<std::optional<LockInfo>> Holder(const std::string& environment);

 private:
  Result<std::optional<std::pair<LockInfo, int64_t>>> Read(const std::string& environment);
  Store& store_;
  const Clock& clock_;
  std::chrono::milliseconds lease_;
};

}  // namespace ec2m::stack
