#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/environment.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/notifier.hpp"
#include "core/worker.hpp"
#include "monitor/metric_store.hpp"
#include "release/policy.hpp"
#include "release/release.hpp"
#include "release/triggers.hpp"
#include "stack/provisioner.hpp"

// Blue-green deployments of releases, advanced one idempotent step per pass by one background
// loop. A deployment's states:
//
//   queued → [awaiting_approval] → [awaiting_window] → launching → health_check → stabilizing
//          → switching → watching → retiring → succeeded
//   any step that fails, a rollback trigger, or an abort → rolling_back → rolled_back | aborted
//
// Launching takes the environment's apply lock and records the deployment as a change set (the
// config in force with the group's new image and user data), then launches green beside blue
// with ClientTokens derived from the deployment id, tagged with it (ec2m:deployment) but not yet
// with their logical ids, so plans do not see them. The switch moves the logical ids from blue
// to green (blue's first: never two live fleets); blue is terminated after the watch period.
// Rolling back moves the logical ids back if they moved, then terminates every instance tagged
// with the deployment and succeeds only once EC2 says they are terminated: green is never left
// behind. Each step is written to the deployment's document before the next begins, so a killed
// process resumes where it was (the same tokens find the same instances).
//
// An infrastructure change (`provision` or `rollback`) in an environment whose config in force
// requires approval is a deployment too (kind "infrastructure"), held to the same sign-off:
//
//   queued → awaiting_approval → [awaiting_window] → applying → succeeded | failed
//   before applying: a rejection or an abort ends it
//
// Once approved and inside a window it is handed to the provisioner as a change set that
// records it (ChangeSet::approval), and ends as that change set does. The rules it is held to
// are those in force (policy.hpp), never those of the config it proposes.
namespace ec2m::release {

using stack::kDeploymentTag;  // a green fleet's tags
using stack::kReleaseTag;

struct DeployerOptions {
  WorkerOptions worker{std::chrono::seconds(1), std::chrono::milliseconds(200)};
  std::chrono::milliseconds http_timeout{2000};  // of an HTTP health check
  // Steps one deployment may take in one pass while none has to wait (1: one step a pass).
  int steps_per_pass = 20;
  // Called after a deployment changed state (on the deployer's thread): the server audits,
  // notifies, counts and refreshes its inventory there.
  std::function<void(const Deployment&, const Release&, bool production)> on_transition;
};

// Who approves, rejects or aborts: their email and what their session allows.
struct Actor {
  std::string email;
  std::string role;  // their role in the deployment's environment ("approver", "admin", ...)
  bool admin = false;
  bool mfa_verified = false;
};

// The request of a deployment.
struct DeployRequest {
  std::string environment;
  std::string group;
  std::string release;
  std::string author;
  std::string emergency;  // "" or an Emergency's name
  std::string emergency_reason;
  std::string promoted_from;
  // The requester's session is MFA-verified (a promotion: the server's own, true). Needed where
  // the rules in force require MFA.
  bool mfa_verified = false;
};

// The request of an infrastructure change: what `POST .../provision` and `.../rollback` ask.
struct InfrastructureRequest {
  std::string environment;
  std::string author;
  std::string action;                      // "provision" or "rollback"
  std::optional<std::string> config_text;  // provision: nullopt applies the config in force
  bool allow_delete_retained = false;      // provision
  std::string target = "previous";         // rollback: as stack::Provisioner::RollbackTarget
  std::string emergency;                   // refused when set: only a release may be one
  bool mfa_verified = false;               // as DeployRequest's
};

// How an infrastructure change went on: applied at once (no approval required), with nothing to
// do (`started` without a change set), or held for approval (`held`).
struct InfrastructureOutcome {
  std::optional<stack::Started> started;
  std::optional<Deployment> held;
};

class Deployer {
 public:
  // `metrics` may be null (no rollback triggers, no baselines).
  Deployer(Releases& releases, stack::Provisioner& provisioner, const Clock& clock,
           monitor::MetricStore* metrics, DeployerOptions options = {});
  Deployer(const Deployer&) = delete;
  Deployer& operator=(const Deployer&) = delete;

  Releases& releases() { return releases_; }

  // Records a release for `group` of `r.environment`. Errors: kInvalidArgument naming the field
  // (no image and no user data, a malformed image id, text too long); kNotFound for an unknown
  // environment or a group its config in force does not have.
  Result<Release> CreateRelease(Release r);
  // Queues a deployment. Errors: kInvalidArgument for a bad emergency; kNotFound for an unknown
  // environment, group or release; kFailedPrecondition when the group already has a deployment
  // in progress in that environment, or the release is for another group.
  Result<Deployment> Deploy(const DeployRequest& request);
  // Applies an infrastructure change at once where the rules in force require no approval,
  // else records it as a deployment of kind infrastructure that waits for its approvals and a
  // window (its plan made now, so a change with nothing to do or a refused one is answered at
  // once). Errors: kInvalidArgument for an emergency (never for infrastructure), a bad config or
  // rollback target; kPermissionDenied without an MFA-verified session where the rules in force
  // require one; kFailedPrecondition when the plan deletes retained resources, another
  // infrastructure change of the environment is in progress, or (applied at once) the
  // environment is locked; kNotFound for an unknown environment or change set.
  Result<InfrastructureOutcome> ChangeInfrastructure(const InfrastructureRequest& request);
  // Errors: kFailedPrecondition when it does not wait for approval, or the actor already
  // approved, or is its author where approval is required, or lacks what an emergency needs
  // (an admin for data-integrity), or the environment requires MFA and the session has none.
  Result<Deployment> Approve(const std::string& id, const Actor& actor, const std::string& comment);
  // Errors: as Approve's; kInvalidArgument without a comment.
  Result<Deployment> Reject(const std::string& id, const Actor& actor, const std::string& comment);
  // Stops it: at once when nothing was launched yet, else by rolling back; while blue is being
  // retired it is too late, and the deployment ends as it would have. An infrastructure change
  // stops only before it applies. Errors: kFailedPrecondition when it has ended, or is an
  // infrastructure change being applied.
  Result<Deployment> Abort(const std::string& id, const Actor& actor);

  // One pass: every deployment not final, oldest first, advanced until a step waits (at most
  // options.steps_per_pass steps).
  void RunOnce();

  // The background loop (RunOnce every options.worker.every).
  void Start() { worker_.Start(); }
  void Pause() { worker_.Pause(); }
  void Resume() { worker_.Resume(); }
  void Stop() { worker_.Stop(); }
  void Wake() { worker_.Wake(); }

 private:
  using Env = InForce;
  Result<Env> ConfigInForce(const std::string& environment);
  // kPermissionDenied when the rules in force of `env` require MFA and the session has none.
  static Result<void> CheckMfa(const Env& env, const std::string& environment, bool mfa_verified);
  // The plan of an infrastructure change and, for a rollback, the change set it returns to.
  // Errors: as MakePlanFor's and RollbackTarget's; kFailedPrecondition for a refused plan.
  Result<std::pair<stack::PlanResult, std::string>> PlanChange(
      const InfrastructureRequest& request);
  // Records `change` as a deployment held for approval under the rules of `env`.
  Result<Deployment> HoldInfrastructure(const InfrastructureRequest& request, Infrastructure change,
                                        const Env& env);
  // An approver's decision on a deployment awaiting approval: `decide` changes it (given the
  // environment's config in force, read once), then it is saved and its transition reported.
  Result<Deployment> Decide(const std::string& id,
                            const std::function<Result<void>(Deployment&, const Env&)>& decide);
  // Read-modify-write of one deployment under its version, retried when it moved meanwhile.
  Result<Deployment> Update(const std::string& id,
                            const std::function<Result<void>(Deployment&)>& change);
  // Advances `d` by one step; returns whether it changed.
  Result<bool> Advance(Deployment& d);
  // The approvals and the window every deployment waits for: nullopt once it may go ahead,
  // else whether `d` changed (it waits).
  std::optional<bool> AwaitSignOff(Deployment& d, const Env& env);
  Result<bool> Start(Deployment& d, const Env& env, const Release& r);
  // An infrastructure deployment's steps (deployer_infrastructure.cpp).
  Result<bool> AdvanceInfrastructure(Deployment& d, const Env& env);
  Result<bool> StartInfrastructure(Deployment& d);
  Result<bool> Applied(Deployment& d);
  // The change set an earlier start of `d` recorded but did not write into `d` (the process
  // died, or an abort's write won), if any.
  Result<std::optional<stack::ChangeSet>> StartedChangeSet(const Deployment& d);
  // Ends `d` in `state` (succeeded, failed, aborted) with `reason` (also its last event).
  void End(Deployment& d, const std::string& state, const std::string& reason);
  // Puts `d` back in the queue waiting, with `message` as its last event (once); whether it
  // changed.
  bool WaitQueued(Deployment& d, const std::string& message);
  Result<bool> Launch(Deployment& d, const Env& env);
  Result<bool> CheckHealth(Deployment& d, const Env& env);
  Result<bool> Watch(Deployment& d, const Env& env, bool before_switch);
  Result<bool> Switch(Deployment& d, const Env& env);
  Result<bool> Retire(Deployment& d);
  Result<bool> RollBack(Deployment& d);
  // Ends `d` in `state` with `reason`: the change set, the lock, the events.
  Result<void> Finish(Deployment& d, const std::string& state, const std::string& reason);
  // Starts rolling back (from the next step on).
  void BeginRollback(Deployment& d, const std::string& reason, std::optional<Trip> trip = {});
  void Note(Deployment& d, const std::string& message);
  // What a successful deployment starts next: the promotion.
  void Promote(const Deployment& d, const Env& env);
  // Terminates the instances among `ids` not yet terminated; returns how many are still not.
  Result<int> Terminate(Ec2& ec2, const std::vector<std::string>& ids);
  Result<Deployment> DeployLocked(const DeployRequest& request);
  void RunOnceLocked();
  // Advances `d` one step and saves it; the deployment as saved, or nullopt when it did not
  // change (it waits), failed (reported), or lost its save to a request.
  std::optional<Deployment> Step(Deployment& d);
  void Pass();

  Releases& releases_;
  stack::Provisioner& provisioner_;
  const Clock& clock_;
  monitor::MetricStore* metrics_;
  DeployerOptions options_;
  // Requests change a deployment by versioned writes, never under a lock a pass holds (its
  // cloud calls can take long); a pass whose save loses to one redoes its step next time.
  std::mutex pass_mu_;    // one pass at a time in this process
  std::mutex deploy_mu_;  // one Deploy at a time: its one-per-group check
  Worker worker_;         // last: its thread stops before the members it uses go
};

// The HTTP half of a group's health check: GET http://host:port/path within `timeout`, healthy
// on a 2xx. Errors: kUnavailable saying what failed (no connection, a timeout, the status).
Result<void> HttpHealthCheck(const std::string& host, const config::HealthCheckConfig& check,
                             std::chrono::milliseconds timeout);

// The notification of a deployment's transition (kind "deployment"; the specification's payload:
// environment, status success|failure|cancelled|pending|queued, branch, author, commit,
// workflow_url; plus deployment, release, group, change set, reason). nullopt for transitions
// nobody is told about. A rollback in an environment that requires approval (production) is
// critical; so is an emergency security patch as it is requested (it skips approval: admins are
// told at once, with its reason). An infrastructure change is named as one (`r` is empty).
std::optional<Notification> DeploymentNotification(const Deployment& d, const Release& r,
                                                   bool production);

}  // namespace ec2m::release
