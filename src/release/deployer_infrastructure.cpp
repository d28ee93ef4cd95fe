// The deployer's infrastructure changes: `provision` and `rollback` of an environment whose
// config in force requires approval, held as deployments of kind infrastructure until approved
// inside a window, then applied by the provisioner as a change set (deployer.hpp).

#include <fmt/core.h>
#include <fmt/format.h>

#include "release/deployer.hpp"
#include "release/window.hpp"

namespace ec2m::release {
namespace {

constexpr const char* kProvision = "provision";
constexpr const char* kRollback = "rollback";

// "+1 ~0 -/+2 -0": a plan's counts as `ec2m changesets list` shows them.
std::string Counts(const nlohmann::json& summary) {
  return fmt::format("+{} ~{} -/+{} -{}", summary.value("create", 0), summary.value("update", 0),
                     summary.value("replace", 0), summary.value("delete", 0));
}

Result<void> CheckRequest(const InfrastructureRequest& request) {
  if (!request.emergency.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "emergency: an infrastructure change is never an emergency: only a release (a "
                "new image or user data) may skip approval; this change waits for its approvals "
                "and the maintenance window");
  }
  if (request.action != kProvision && request.action != kRollback) {
    return Fail(ErrorCode::kInvalidArgument, "action: expected provision or rollback");
  }
  return {};
}

}  // namespace

Result<InfrastructureOutcome> Deployer::ChangeInfrastructure(const InfrastructureRequest& request) {
  EC2M_RETURN_IF_ERROR(CheckRequest(request));
  auto env = ConfigInForce(request.environment);
  EC2M_RETURN_IF_ERROR(env);
  EC2M_RETURN_IF_ERROR(CheckMfa(*env, request.environment, request.mfa_verified));
  if (!env->policy.approval_required) {
    auto started = request.action == kRollback
                       ? provisioner_.Rollback(request.environment, request.author, request.target)
                       : provisioner_.Provision(request.environment, request.author,
                                                request.config_text, request.allow_delete_retained);
    EC2M_RETURN_IF_ERROR(started);
    return InfrastructureOutcome{std::move(*started), std::nullopt};
  }
  std::lock_guard lock(deploy_mu_);  // the one-at-a-time check and the write together
  auto active = releases_.ListActive();
  EC2M_RETURN_IF_ERROR(active);
  for (const Deployment& other : *active) {
    if (other.environment == request.environment && other.kind == kKindInfrastructure) {
      return Fail(ErrorCode::kFailedPrecondition,
                  fmt::format("{} has infrastructure change {} in progress ({}): one at a time; "
                              "`ec2m deploy abort {}` withdraws it before it applies",
                              request.environment, other.id, other.state, other.id));
    }
  }
  // Planned now: a refused plan or one with nothing to do is answered at once.
  auto planned = PlanChange(request);
  EC2M_RETURN_IF_ERROR(planned);
  if (planned->first.nothing_to_do()) {
    return InfrastructureOutcome{stack::Started{std::nullopt, std::move(planned->first)},
                                 std::nullopt};
  }
  const stack::PlanResult& plan = planned->first;
  const std::string& target = planned->second;
  Infrastructure change{request.action,
                        plan.config_text,
                        plan.config_version,
                        target,
                        target.empty() && request.allow_delete_retained,
                        plan.plan.Render(),
                        plan.plan.ToJson().value("summary", nlohmann::json::object()),
                        {}};
  auto proposed =
      config::ParseEnvironmentConfig(plan.config_text, "config/" + request.environment + ".json");
  EC2M_RETURN_IF_ERROR(proposed);
  change.lowers = Lowered(env->policy, PolicyOf(*proposed));
  auto held = HoldInfrastructure(request, std::move(change), *env);
  EC2M_RETURN_IF_ERROR(held);
  return InfrastructureOutcome{std::nullopt, std::move(*held)};
}

Result<std::pair<stack::PlanResult, std::string>> Deployer::PlanChange(
    const InfrastructureRequest& request) {
  std::optional<stack::ChangeSet> to;
  if (request.action == kRollback) {
    auto target = provisioner_.RollbackTarget(request.environment, request.target);
    EC2M_RETURN_IF_ERROR(target);
    to = std::move(*target);
  }
  auto planned = provisioner_.MakePlanFor(
      request.environment, to ? std::optional<std::string>(to->config_text) : request.config_text,
      to ? false : request.allow_delete_retained);
  EC2M_RETURN_IF_ERROR(planned);
  if (planned->plan.refused()) {
    return Fail(ErrorCode::kFailedPrecondition,
                fmt::format("the plan for {} deletes resources kept by RemovalPolicy RETAIN; "
                            "nothing was changed (allow_delete_retained overrides)",
                            request.environment));
  }
  return std::pair(std::move(*planned), to ? to->id : std::string());
}

Result<Deployment> Deployer::HoldInfrastructure(const InfrastructureRequest& request,
                                                Infrastructure change, const Env& env) {
  Deployment d;
  d.kind = kKindInfrastructure;
  d.environment = request.environment;
  d.author = request.author;
  d.required_approvals = env.policy.approvals;
  d.window = DescribeWindows(env.config.maintenance_windows);
  const std::string what = change.action == kRollback
                               ? "rollback of " + d.environment + " to " + change.target
                               : "provision of " + d.environment;
  d.events.push_back(
      {FormatIso8601(clock_.Now()), kQueued,
       fmt::format(
           "{} requested {} (config {}, plan {}): {} approval(s) required by the rules in "
           "force ({})",
           d.author, what, change.config_version, Counts(change.summary), d.required_approvals,
           env.policy.change_set.empty() ? "the server's config file" : env.policy.change_set)});
  if (!change.lowers.empty()) {
    d.events.push_back({FormatIso8601(clock_.Now()), kQueued,
                        fmt::format("it lowers the sign-off rules ({}): approved under the rules "
                                    "it replaces",
                                    fmt::join(change.lowers, "; "))});
  }
  d.infrastructure = std::move(change);
  auto created = releases_.CreateDeployment(std::move(d));
  EC2M_RETURN_IF_ERROR(created);
  worker_.Wake();
  return created;
}

Result<bool> Deployer::AdvanceInfrastructure(Deployment& d, const Env& env) {
  if (!d.infrastructure) {
    End(d, kFailed, "an infrastructure deployment without its change (a damaged document)");
    return true;
  }
  if (d.state == kApplying) {
    return Applied(d);
  }
  // A start whose write was lost (the process died, or an abort's write won): it applies, and
  // nothing stops an apply halfway.
  auto started = StartedChangeSet(d);
  EC2M_RETURN_IF_ERROR(started);
  if (*started) {
    d.change_set = (*started)->id;
    d.started_at = FormatIso8601(clock_.Now());
    d.state = kApplying;
    Note(d, fmt::format("applying as {}{}", d.change_set,
                        d.abort_requested_by.empty() ? "" : " (the abort came too late)"));
    return true;
  }
  if (!d.abort_requested_by.empty()) {
    End(d, kAborted, "aborted by " + d.abort_requested_by);
    return true;
  }
  if (auto waits = AwaitSignOff(d, env)) {
    return *waits;
  }
  d.window_opens_at.clear();
  return StartInfrastructure(d);
}

Result<bool> Deployer::StartInfrastructure(Deployment& d) {
  // Another apply or deployment at work: wait for it (one change at a time).
  const auto locked = [&](const stack::LockInfo& holder) {
    return WaitQueued(d, "waiting: environment " + d.environment + " is locked by " + holder.owner +
                             " (one change at a time)");
  };
  auto holder = provisioner_.LiveHolder(d.environment);
  EC2M_RETURN_IF_ERROR(holder);
  if (holder->has_value()) {
    return locked(**holder);
  }
  const Infrastructure& change = *d.infrastructure;
  auto started = change.action == kRollback
                     ? provisioner_.Rollback(d.environment, d.author, change.target, d.id)
                     : provisioner_.Provision(d.environment, d.author, change.config_text,
                                              change.allow_delete_retained, d.id);
  if (!started) {
    auto now_held = provisioner_.LiveHolder(d.environment);  // taken meanwhile?
    if (now_held && now_held->has_value()) {
      return locked(**now_held);
    }
    End(d, kFailed, "not applied: " + started.error().message);
    return true;
  }
  d.started_at = FormatIso8601(clock_.Now());
  if (!started->change_set) {
    End(d, kSucceeded, "nothing to do: " + d.environment + " already is as the change says");
    return true;
  }
  d.change_set = started->change_set->id;
  d.state = kApplying;
  Note(d, fmt::format("approved and inside the window: applying as {}", d.change_set));
  return true;
}

Result<bool> Deployer::Applied(Deployment& d) {
  auto cs = provisioner_.change_sets().Get(d.change_set);
  EC2M_RETURN_IF_ERROR(cs);
  if (cs->status == "applying" || cs->status == "planned") {
    return false;  // the provisioner's apply (or its resume after a restart) is at work
  }
  if (cs->status == "succeeded") {
    End(d, kSucceeded, fmt::format("{} succeeded: {}", cs->id, cs->result));
  } else {
    End(d, kFailed, fmt::format("{} {}: {}", cs->id, cs->status, cs->result));
  }
  return true;
}

Result<std::optional<stack::ChangeSet>> Deployer::StartedChangeSet(const Deployment& d) {
  auto recent = provisioner_.change_sets().List(d.environment, 5);
  EC2M_RETURN_IF_ERROR(recent);
  for (stack::ChangeSet& cs : *recent) {
    if (cs.approval == d.id) {
      return std::optional<stack::ChangeSet>(std::move(cs));
    }
  }
  return std::optional<stack::ChangeSet>();
}

}  // namespace ec2m::release
