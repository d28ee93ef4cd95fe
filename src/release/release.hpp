#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/store.hpp"

// Releases and deployments as store documents. A release is a new image and/or user data for an
// instance group; a deployment carries one release to one environment's group, blue-green, and
// is advanced one step at a time by the deployer (deployer.hpp). Both are versioned documents, so
// replicas share them and a killed process resumes where the last write left it.
namespace ec2m::release {

struct Release {
  std::string id;           // "r-42"
  int64_t number = 0;       // from 1, across environments
  std::string group;        // the instance group it is for ("web")
  std::string environment;  // the environment it was made against (the pipeline's start)
  std::string image;        // "" keeps the group's image
  std::optional<std::string> user_data;  // nullopt keeps the group's user data
  std::string commit;
  std::string branch;
  std::string author;
  std::string workflow_url;
  std::string created_at;
};

// One event of a deployment's timeline.
struct Event {
  std::string at;
  std::string state;
  std::string message;
};

struct Approval {
  std::string by;
  std::string role;  // the approver's role in the environment when they approved
  std::string at;
  std::string comment;
};

// An instance of a fleet and the logical id it stands for.
struct Member {
  std::string id;
  std::string logical_id;
};

// The rollback trigger that fired.
struct Trip {
  std::string name;     // "health", "latency", "error_rate", "throughput", "health_check"
  std::string message;  // "Latency average 480 ms > 2 × baseline 120 ms in 3 of 3 periods"
  std::vector<double> values;
  double threshold = 0;
};

// The group's figures over a stretch of time (before the deployment, after it).
struct Performance {
  std::optional<double> latency_ms;           // average
  std::optional<double> requests_per_minute;  // average
  std::optional<double> error_rate;           // server errors per 100 requests
};

inline constexpr const char* kQueued = "queued";
inline constexpr const char* kAwaitingApproval = "awaiting_approval";
inline constexpr const char* kAwaitingWindow = "awaiting_window";
inline constexpr const char* kLaunching = "launching";
inline constexpr const char* kHealthCheck = "health_check";
inline constexpr const char* kStabilizing = "stabilizing";
inline constexpr const char* kSwitching = "switching";
inline constexpr const char* kWatching = "watching";
inline constexpr const char* kRetiring = "retiring";
inline constexpr const char* kApplying = "applying";  // an infrastructure change's change set
inline constexpr const char* kRollingBack = "rolling_back";
inline constexpr const char* kSucceeded = "succeeded";
inline constexpr const char* kRolledBack = "rolled_back";
inline constexpr const char* kFailed = "failed";
inline constexpr const char* kRejected = "rejected";
inline constexpr const char* kAborted = "aborted";

// Whether a deployment in `state` has ended.
bool IsFinal(const std::string& state);

// What a deployment carries: a release (blue-green), or an infrastructure change (a config or a
// rollback, applied as a change set) held for approval in an environment whose config requires
// it.
inline constexpr const char* kKindRelease = "release";
inline constexpr const char* kKindInfrastructure = "infrastructure";

// What an infrastructure deployment applies once approved, inside a window.
struct Infrastructure {
  std::string action;          // "provision" or "rollback"
  std::string config_text;     // provision: the config it applies
  std::string config_version;  // of the config it applies (12 hex of its SHA-256)
  std::string target;          // rollback: the change set it returns to ("cs-prod-3")
  bool allow_delete_retained = false;
  std::string plan;                 // the plan when it was requested, as `ec2m diff` renders it
  nlohmann::json summary;           // that plan's counts ({"create","update","replace","delete"})
  std::vector<std::string> lowers;  // the sign-off rules in force it lowers (release::Lowered)
};

struct Deployment {
  std::string id;  // "d-17"
  int64_t number = 0;
  std::string kind = kKindRelease;
  std::optional<Infrastructure> infrastructure;  // kind infrastructure
  std::string release;                           // kind release
  std::string environment;
  std::string group;  // kind release
  std::string state = kQueued;
  std::string author;
  std::string promoted_from;  // the deployment whose success started this one
  std::string emergency;      // "", "security-patch", "critical-bugfix", "data-integrity"
  std::string emergency_reason;
  int required_approvals = 0;
  std::vector<Approval> approvals;
  std::string rejected_by;
  std::string window;           // the environment's windows as text
  std::string window_opens_at;  // while awaiting_window
  std::string change_set;       // the change set that records it
  std::vector<Member> blue;     // the fleet it replaces
  std::vector<Member> green;    // the fleet it launched
  bool switched = false;        // green is live (carries the logical ids), blue is not
  std::string reason;           // why it failed, rolled back, was rejected or aborted
  std::optional<Trip> trigger;
  std::optional<Performance> baseline;
  std::optional<Performance> comparison;
  std::string abort_requested_by;
  std::string outcome;     // the final state a rollback ends in: rolled_back or aborted
  std::string step_until;  // when the current wait ends (health deadline, stabilization, watch)
  std::string live_since;  // when green's traffic started counting (stabilization's start)
  std::string created_at;
  std::string started_at;
  std::string finished_at;
  std::vector<Event> events;
  int64_t version = 0;  // of the stored document
};

// The REST API's shapes (docs/api.md, "Releases and deployments").
nlohmann::json ReleaseJson(const Release& r);
nlohmann::json DeploymentJson(const Deployment& d);

// "d-17" → 17, "r-42" → 42 with the prefix given; nullopt otherwise.
std::optional<int64_t> ParseId(const std::string& id, char prefix);

// Thread-safe as the store is.
class Releases {
 public:
  Releases(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Records `r` with the next release number; returns it with id, number and created_at.
  Result<Release> CreateRelease(Release r);
  // Errors: kNotFound naming the id; kInvalidArgument for a malformed id.
  Result<Release> GetRelease(const std::string& id);
  // Newest first, at most `limit`.
  Result<std::vector<Release>> ListReleases(int limit);

  Result<Deployment> CreateDeployment(Deployment d);
  Result<Deployment> GetDeployment(const std::string& id);
  // Writes `d` back if nobody changed it since it was read (kFailedPrecondition otherwise);
  // returns it with its new version.
  Result<Deployment> SaveDeployment(const Deployment& d);
  // Newest first, at most `limit`; of one environment unless `environment` is empty.
  Result<std::vector<Deployment>> ListDeployments(const std::string& environment, int limit);
  // Those not final, oldest first.
  Result<std::vector<Deployment>> ListActive();

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace ec2m::release
