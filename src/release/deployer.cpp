#include "release/deployer.hpp"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <regex>
#include <set>

#include "cloud/aws/http_client.hpp"
#include "core/json.hpp"
#include "core/paging.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "release/window.hpp"
#include "stack/actual.hpp"
#include "stack/apply.hpp"
#include "stack/template.hpp"

namespace ec2m::release {
namespace {

constexpr int kMaxRaces = 20;
constexpr size_t kMaxText = 16 * 1024;
constexpr int kParallelism = 16;      // EC2 calls in flight at once, as an apply's
constexpr size_t kStatusChunk = 100;  // ids per DescribeInstanceStatus (EC2's limit)

std::string Now(const Clock& clock) { return FormatIso8601(clock.Now()); }

TimePoint At(const std::string& iso) { return ParseIso8601(iso).value_or(TimePoint{}); }

std::string Owner(const Deployment& d) { return fmt::format("deployer ({})", d.id); }

// The config text with the group's image and user data replaced by the release's.
Result<std::string> WithRelease(const std::string& text, const Release& r) {
  auto doc = JsonNestsDeeperThan(text, kMaxJsonDepth)
                 ? nlohmann::ordered_json(nlohmann::ordered_json::value_t::discarded)
                 : nlohmann::ordered_json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.contains("instanceGroups")) {
    return Fail(ErrorCode::kInternal, "the config in force does not parse");
  }
  for (auto& g : doc["instanceGroups"]) {
    if (g.value("name", "") == r.group) {
      if (!r.image.empty()) {
        g["image"] = r.image;
      }
      if (r.user_data) {
        g["userData"] = *r.user_data;
      }
      return doc.dump(2) + "\n";
    }
  }
  return Fail(ErrorCode::kNotFound, "instance group " + r.group + " not found");
}

const config::InstanceGroupConfig* FindGroup(const config::EnvironmentConfig& e,
                                             const std::string& group) {
  for (const auto& g : e.instance_groups) {
    if (g.name == group) {
      return &g;
    }
  }
  return nullptr;
}

std::vector<std::string> Ids(const std::vector<Member>& members) {
  std::vector<std::string> out;
  out.reserve(members.size());
  for (const Member& m : members) {
    out.push_back(m.id);
  }
  return out;
}

// The emergency `request` names, checked: a known one, with its reason.
Result<Emergency> RequestedEmergency(const DeployRequest& request) {
  auto emergency = ParseEmergency(request.emergency);
  EC2M_RETURN_IF_ERROR(emergency);
  if (*emergency != Emergency::kNone &&
      request.emergency_reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument,
                "emergency_reason: an emergency deployment names its reason (the CVE, the bug, "
                "the data at stake)");
  }
  return emergency;
}

}  // namespace

Result<void> HttpHealthCheck(const std::string& ip, const config::HealthCheckConfig& check,
                             std::chrono::milliseconds timeout) {
  // A client (and so a connection) of its own per check: an instance that stopped accepting
  // connections must not pass on one kept alive from the check before.
  aws::HttpClient client(aws::HttpClientOptions{timeout, timeout, true});
  const std::string url = fmt::format("http://{}:{}{}", ip, check.port, check.path);
  const aws::HttpResult res = client.Send("GET", url, {}, "");
  if (res.status == 0) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("GET {}: {}", url,
                            res.timed_out ? fmt::format("timed out after {} ms", timeout.count())
                                          : res.transport_error));
  }
  if (res.status < 200 || res.status >= 300) {
    return Fail(ErrorCode::kUnavailable, fmt::format("GET {}: HTTP {}", url, res.status));
  }
  return {};
}

// EC2's status checks of `ids`, stopped and pending ones included.
Result<std::vector<InstanceStatus>> Statuses(Ec2& ec2, const std::vector<std::string>& ids) {
  std::vector<InstanceStatus> out;
  for (size_t at = 0; at < ids.size(); at += kStatusChunk) {
    DescribeInstanceStatusRequest req;
    req.base.ids.assign(
        ids.begin() + static_cast<std::ptrdiff_t>(at),
        ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), at + kStatusChunk)));
    req.include_all_instances = true;
    auto chunk = DescribeAll(req.base, [&](const DescribeRequest& page) {
      DescribeInstanceStatusRequest one = req;
      one.base = page;
      return ec2.DescribeInstanceStatus(one);
    });
    EC2M_RETURN_IF_ERROR(chunk);
    out.insert(out.end(), chunk->begin(), chunk->end());
  }
  return out;
}

// The instances of `ids`, in chunks EC2 takes.
Result<std::vector<Instance>> Instances(Ec2& ec2, const std::vector<std::string>& ids) {
  std::vector<Instance> out;
  for (size_t at = 0; at < ids.size(); at += kStatusChunk) {
    DescribeRequest req;
    req.ids.assign(
        ids.begin() + static_cast<std::ptrdiff_t>(at),
        ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), at + kStatusChunk)));
    auto reservations =
        DescribeAll(req, [&](const DescribeRequest& page) { return ec2.DescribeInstances(page); });
    EC2M_RETURN_IF_ERROR(reservations);
    for (Reservation& r : *reservations) {
      out.insert(out.end(), std::make_move_iterator(r.instances.begin()),
                 std::make_move_iterator(r.instances.end()));
    }
  }
  return out;
}

// Tags each member with its logical id (one call each: the values differ), side by side.
Result<void> TagLive(Ec2& ec2, const std::vector<Member>& members) {
  Result<void> failed;
  std::mutex mu;
  ParallelFor(members.size(), kParallelism, [&](size_t i) {
    CreateTagsRequest tag;
    tag.resource_ids = {members[i].id};
    tag.tags = {{stack::kLogicalIdTag, members[i].logical_id}};
    auto tagged = ec2.CreateTags(tag);
    if (!tagged) {
      std::lock_guard lock(mu);
      failed = tagged;
    }
  });
  return failed;
}

Deployer::Deployer(Releases& releases, stack::Provisioner& provisioner, const Clock& clock,
                   monitor::MetricStore* metrics, DeployerOptions options)
    : releases_(releases),
      provisioner_(provisioner),
      clock_(clock),
      metrics_(metrics),
      options_(std::move(options)),
      worker_(
          "deployer", clock, [this] { Pass(); }, options_.worker) {}

Result<Deployer::Env> Deployer::ConfigInForce(const std::string& environment) {
  return release::ConfigInForce(provisioner_, environment);
}

Result<void> Deployer::CheckMfa(const Env& env, const std::string& environment, bool mfa_verified) {
  if (env.policy.mfa_required && !mfa_verified) {
    return Fail(
        ErrorCode::kPermissionDenied,
        fmt::format("environment {} requires an MFA-verified session for changes "
                    "(cognito.mfaRequired in force{}): sign in with your MFA code",
                    environment,
                    env.policy.change_set.empty() ? "" : ", since " + env.policy.change_set));
  }
  return {};
}

Result<Release> Deployer::CreateRelease(Release r) {
  static const std::regex kImage("ami-[0-9a-f]{8}([0-9a-f]{9})?");
  if (r.image.empty() && !r.user_data) {
    return Fail(ErrorCode::kInvalidArgument,
                "a release needs an image (\"image\") or user data (\"user_data\"), or both");
  }
  if (!r.image.empty() && !std::regex_match(r.image, kImage)) {
    return Fail(
        ErrorCode::kInvalidArgument,
        "image: expected an AMI id (ami- and 8 or 17 hex digits), got " + ShownValue(r.image));
  }
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string*>{"commit", &r.commit},
        {"branch", &r.branch},
        {"workflow_url", &r.workflow_url}}) {
    if (value->size() > 1024) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: longer than 1024", field));
    }
  }
  if (r.user_data && r.user_data->size() > kMaxText) {
    return Fail(ErrorCode::kInvalidArgument, "user_data: longer than 16 KiB (EC2's limit)");
  }
  auto env = ConfigInForce(r.environment);
  EC2M_RETURN_IF_ERROR(env);
  if (FindGroup(env->config, r.group) == nullptr) {
    return Fail(ErrorCode::kNotFound,
                fmt::format("instance group {} not found in {}'s config", r.group, r.environment));
  }
  return releases_.CreateRelease(std::move(r));
}

Result<Deployment> Deployer::Deploy(const DeployRequest& request) {
  std::lock_guard lock(deploy_mu_);
  return DeployLocked(request);
}

Result<Deployment> Deployer::DeployLocked(const DeployRequest& request) {
  auto emergency = RequestedEmergency(request);
  EC2M_RETURN_IF_ERROR(emergency);
  auto r = releases_.GetRelease(request.release);
  EC2M_RETURN_IF_ERROR(r);
  if (!request.group.empty() && request.group != r->group) {
    return Fail(
        ErrorCode::kFailedPrecondition,
        fmt::format("release {} is for instance group {}, not {}", r->id, r->group, request.group));
  }
  auto env = ConfigInForce(request.environment);
  EC2M_RETURN_IF_ERROR(env);
  if (env->policy.change_set.empty()) {
    // Nothing of its config exists yet: green would launch into subnets and security groups
    // that are not there.
    return Fail(
        ErrorCode::kFailedPrecondition,
        fmt::format("environment {} was never provisioned: its instance groups, subnets and "
                    "security groups do not exist yet; `ec2m provision {}` creates them",
                    request.environment, request.environment));
  }
  EC2M_RETURN_IF_ERROR(CheckMfa(*env, request.environment, request.mfa_verified));
  if (FindGroup(env->config, r->group) == nullptr) {
    return Fail(ErrorCode::kNotFound, fmt::format("instance group {} not found in {}'s config",
                                                  r->group, request.environment));
  }
  auto active = releases_.ListActive();
  EC2M_RETURN_IF_ERROR(active);
  for (const Deployment& other : *active) {
    if (other.environment == request.environment && other.group == r->group) {
      return Fail(ErrorCode::kFailedPrecondition,
                  fmt::format("instance group {} of {} has deployment {} in progress ({}): one "
                              "at a time; `ec2m deploy abort {}` stops it",
                              r->group, request.environment, other.id, other.state, other.id));
    }
  }
  Deployment d;
  d.release = r->id;
  d.environment = request.environment;
  d.group = r->group;
  d.author = request.author;
  d.promoted_from = request.promoted_from;
  d.emergency = std::string(EmergencyName(*emergency));
  d.emergency_reason = request.emergency_reason;
  const config::ApprovalRule& rule = env->config.approval;
  d.required_approvals = rule.required ? rule.approvals : 0;
  if (EmergencySignOff(*emergency) != SignOff::kNone) {
    d.required_approvals = std::max(d.required_approvals, 1);
  } else if (*emergency == Emergency::kSecurityPatch) {
    d.required_approvals = 0;  // "immediate deployment authorized"
  }
  d.window = DescribeWindows(env->config.maintenance_windows);
  d.events.push_back(
      {Now(clock_), kQueued,
       d.promoted_from.empty()
           ? fmt::format("{} requested {} of {} to {}", d.author, r->id, r->group, d.environment)
           : fmt::format("promoted from {} after its success", d.promoted_from)});
  if (*emergency != Emergency::kNone) {
    d.events.push_back(
        {Now(clock_), kQueued,
         fmt::format("emergency deployment ({}): {}", d.emergency,
                     d.emergency_reason.empty() ? "no reason given" : d.emergency_reason)});
  }
  auto created = releases_.CreateDeployment(std::move(d));
  EC2M_RETURN_IF_ERROR(created);
  // Told at once: a security patch that skips approval is announced as it is requested.
  if (options_.on_transition) {
    options_.on_transition(*created, *r, rule.required);
  }
  worker_.Wake();
  return created;
}

Result<Deployment> Deployer::Update(const std::string& id,
                                    const std::function<Result<void>(Deployment&)>& change) {
  for (int race = 0; race < kMaxRaces; ++race) {
    auto d = releases_.GetDeployment(id);
    EC2M_RETURN_IF_ERROR(d);
    EC2M_RETURN_IF_ERROR(change(*d));
    auto saved = releases_.SaveDeployment(*d);
    if (saved || saved.error().code != ErrorCode::kFailedPrecondition) {
      return saved;
    }
  }
  return Fail(ErrorCode::kUnavailable, "deployment " + id + " keeps changing; try again");
}

Result<Deployment> Deployer::Decide(
    const std::string& id, const std::function<Result<void>(Deployment&, const Env&)>& decide) {
  Release release;
  bool production = false;
  auto updated = Update(id, [&](Deployment& d) -> Result<void> {
    if (d.state != kAwaitingApproval) {
      return Fail(ErrorCode::kFailedPrecondition,
                  fmt::format("deployment {} is {}, not awaiting_approval", d.id, d.state));
    }
    auto env = ConfigInForce(d.environment);
    EC2M_RETURN_IF_ERROR(env);
    production = env->config.approval.required;
    EC2M_RETURN_IF_ERROR(decide(d, *env));
    if (d.kind != kKindRelease) {
      return {};
    }
    auto r = releases_.GetRelease(d.release);
    EC2M_RETURN_IF_ERROR(r);
    release = std::move(*r);
    return {};
  });
  EC2M_RETURN_IF_ERROR(updated);
  if (options_.on_transition) {
    options_.on_transition(*updated, release, production);
  }
  worker_.Wake();
  return updated;
}

Result<Deployment> Deployer::Approve(const std::string& id, const Actor& actor,
                                     const std::string& comment) {
  return Decide(id, [&](Deployment& d, const Env& env) -> Result<void> {
    if (env.config.mfa_required && !actor.mfa_verified) {
      return Fail(ErrorCode::kFailedPrecondition,
                  fmt::format("{} requires MFA: approve from a session signed in with an MFA code",
                              d.environment));
    }
    if (actor.email == d.author) {
      return Fail(
          ErrorCode::kFailedPrecondition,
          fmt::format("{} requested deployment {}: someone else approves it", d.author, d.id));
    }
    for (const Approval& a : d.approvals) {
      if (a.by == actor.email) {
        return Fail(ErrorCode::kFailedPrecondition,
                    fmt::format("{} already approved deployment {}", actor.email, d.id));
      }
    }
    if (d.emergency == "data-integrity" && !actor.admin) {
      return Fail(ErrorCode::kFailedPrecondition,
                  fmt::format("a data-integrity emergency deployment is approved by an admin "
                              "(the CTO's sign-off); {} is {}",
                              actor.email, actor.role));
    }
    d.approvals.push_back({actor.email, actor.role, Now(clock_), comment});
    const int count = static_cast<int>(d.approvals.size());
    Note(d, fmt::format("approved by {} ({} of {}){}", actor.email, count, d.required_approvals,
                        comment.empty() ? "" : ": " + comment));
    if (count >= d.required_approvals) {
      d.state = kQueued;
    }
    return {};
  });
}

Result<Deployment> Deployer::Reject(const std::string& id, const Actor& actor,
                                    const std::string& comment) {
  if (comment.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "comment: a rejection says why (--comment \"...\")");
  }
  return Decide(id, [&](Deployment& d, const Env&) -> Result<void> {
    d.rejected_by = actor.email;
    End(d, kRejected, fmt::format("rejected by {}: {}", actor.email, comment));
    return {};
  });
}

Result<Deployment> Deployer::Abort(const std::string& id, const Actor& actor) {
  auto updated = Update(id, [&](Deployment& d) -> Result<void> {
    if (IsFinal(d.state)) {
      return Fail(ErrorCode::kFailedPrecondition,
                  fmt::format("deployment {} has ended ({})", d.id, d.state));
    }
    if (d.kind == kKindInfrastructure && d.state == kApplying) {
      return Fail(ErrorCode::kFailedPrecondition,
                  fmt::format("deployment {} is applying as {}: an infrastructure change is not "
                              "stopped halfway; `ec2m rollback {}` after it ends",
                              d.id, d.change_set, d.environment));
    }
    if (!d.abort_requested_by.empty()) {
      return {};  // already on its way out
    }
    d.abort_requested_by = actor.email;
    Note(d, "abort requested by " + actor.email);
    return {};
  });
  EC2M_RETURN_IF_ERROR(updated);
  worker_.Wake();
  return updated;
}

void Deployer::Note(Deployment& d, const std::string& message) {
  d.events.push_back({Now(clock_), d.state, message});
}

void Deployer::End(Deployment& d, const std::string& state, const std::string& reason) {
  d.state = state;
  d.reason = state == kSucceeded ? "" : reason;  // a reason says why it did not succeed
  d.finished_at = Now(clock_);
  Note(d, reason);
}

bool Deployer::WaitQueued(Deployment& d, const std::string& message) {
  if (!d.events.empty() && d.events.back().message == message) {
    return d.state != kQueued ? (d.state = kQueued, true) : false;
  }
  d.state = kQueued;
  Note(d, message);
  return true;
}

void Deployer::BeginRollback(Deployment& d, const std::string& reason, std::optional<Trip> trip) {
  // A switch may have moved the tags without its document being saved (an abort or an approval
  // wrote first, or the process died): undo it as if it had been recorded.
  d.switched = d.switched || d.state == kSwitching;
  d.reason = reason;
  d.trigger = std::move(trip);
  if (d.outcome.empty()) {
    d.outcome = d.abort_requested_by.empty() ? kRolledBack : kAborted;
  }
  d.state = kRollingBack;
  Note(d, "rolling back: " + reason);
}

void Deployer::Pass() { RunOnce(); }

void Deployer::RunOnce() {
  std::lock_guard lock(pass_mu_);
  RunOnceLocked();
}

void Deployer::RunOnceLocked() {
  auto active = releases_.ListActive();
  if (!active) {
    std::fprintf(stderr, "ec2m: deployer: %s\n", active.error().ToString().c_str());
    return;
  }
  for (Deployment& d : *active) {
    // Steps that need no waiting follow each other in one pass; a step that waits (for a
    // check, a period, an approval) ends it.
    for (int step = 0; step < options_.steps_per_pass && !IsFinal(d.state); ++step) {
      auto next = Step(d);
      if (!next) {
        break;
      }
      d = std::move(*next);
    }
  }
}

std::optional<Deployment> Deployer::Step(Deployment& d) {
  const std::string before = d.state;
  auto changed = Advance(d);
  if (!changed) {
    std::fprintf(stderr, "ec2m: deployer: %s: %s\n", d.id.c_str(),
                 changed.error().ToString().c_str());
    return std::nullopt;
  }
  if (!*changed) {
    return std::nullopt;
  }
  auto saved = releases_.SaveDeployment(d);
  if (!saved) {
    // Someone approved or aborted meanwhile: the next pass starts from what they wrote.
    if (saved.error().code != ErrorCode::kFailedPrecondition) {
      std::fprintf(stderr, "ec2m: deployer: %s: %s\n", d.id.c_str(),
                   saved.error().ToString().c_str());
    }
    return std::nullopt;
  }
  if (saved->state != before) {
    auto env = ConfigInForce(saved->environment);
    const bool infrastructure = saved->kind == kKindInfrastructure;
    if (options_.on_transition) {
      auto r = infrastructure ? Result<Release>(Release{}) : releases_.GetRelease(saved->release);
      if (r) {
        options_.on_transition(*saved, *r, env && env->config.approval.required);
      }
    }
    if (saved->state == kSucceeded && env && !infrastructure) {
      Promote(*saved, *env);
    }
  }
  return std::move(*saved);
}

Result<bool> Deployer::Advance(Deployment& d) {
  if (d.kind == kKindInfrastructure) {
    auto env = ConfigInForce(d.environment);
    EC2M_RETURN_IF_ERROR(env);
    return AdvanceInfrastructure(d, *env);
  }
  // Once blue is being retired there is nothing to go back to: an abort then comes too late.
  if (!d.abort_requested_by.empty() && d.state != kRollingBack && d.state != kRetiring) {
    if (d.green.empty() && d.change_set.empty()) {
      End(d, kAborted, "aborted by " + d.abort_requested_by);
      return true;
    }
    BeginRollback(d, "aborted by " + d.abort_requested_by);
    return true;
  }
  auto env = ConfigInForce(d.environment);
  EC2M_RETURN_IF_ERROR(env);
  if (d.state == kQueued || d.state == kAwaitingApproval || d.state == kAwaitingWindow) {
    auto r = releases_.GetRelease(d.release);
    EC2M_RETURN_IF_ERROR(r);
    return Start(d, *env, *r);
  }
  // A deployment in flight keeps its environment's lock (a restart finds it under its owner).
  if (d.state != kRollingBack || !d.change_set.empty()) {
    (void)provisioner_.locks().Renew(d.environment, Owner(d));
  }
  if (d.state == kLaunching) {
    return Launch(d, *env);
  }
  if (d.state == kRollingBack) {
    return RollBack(d);
  }
  if (d.state == kHealthCheck) {
    return CheckHealth(d, *env);
  }
  if (d.state == kStabilizing) {
    return Watch(d, *env, true);
  }
  if (d.state == kSwitching) {
    return Switch(d, *env);
  }
  if (d.state == kWatching) {
    return Watch(d, *env, false);
  }
  if (d.state == kRetiring) {
    return Retire(d);
  }
  return false;
}

std::optional<bool> Deployer::AwaitSignOff(Deployment& d, const Env& env) {
  const TimePoint now = clock_.Now();
  if (static_cast<int>(d.approvals.size()) < d.required_approvals) {
    if (d.state == kAwaitingApproval) {
      return false;
    }
    d.state = kAwaitingApproval;
    Note(d, fmt::format("waiting for {} approval(s) by an approver{}", d.required_approvals,
                        d.emergency == "data-integrity" ? " (an admin)" : ""));
    return true;
  }
  const auto& windows = env.config.maintenance_windows;
  if (d.emergency.empty() && !InWindow(windows, now)) {
    const auto opens = NextWindowOpen(windows, now);
    const std::string at = opens ? FormatIso8601(*opens) : "";
    if (d.state == kAwaitingWindow && d.window_opens_at == at) {
      return false;
    }
    d.state = kAwaitingWindow;
    d.window_opens_at = at;
    Note(d, fmt::format("waiting for the maintenance window ({}), next at {}", d.window,
                        at.empty() ? "never" : at));
    return true;
  }
  return std::nullopt;
}

Result<bool> Deployer::Start(Deployment& d, const Env& env, const Release& r) {
  if (auto waits = AwaitSignOff(d, env)) {
    return *waits;
  }
  const TimePoint now = clock_.Now();
  const auto& windows = env.config.maintenance_windows;
  const bool outside_window = !d.emergency.empty() && !InWindow(windows, now);
  d.window_opens_at.clear();
  // The environment's apply lock: one change at a time, whether an apply or a deployment.
  auto locked = provisioner_.locks().Acquire(d.environment, Owner(d));
  if (!locked) {
    return WaitQueued(d, "waiting: " + locked.error().message);
  }
  auto text = WithRelease(env.text, r);
  if (!text) {
    (void)provisioner_.locks().Release(d.environment, Owner(d));
    End(d, kFailed, "the release does not apply to the config in force: " + text.error().message);
    return true;
  }
  auto checked = config::ParseEnvironmentConfig(*text, "config/" + d.environment + ".json");
  if (!checked) {
    (void)provisioner_.locks().Release(d.environment, Owner(d));
    End(d, kFailed, "the config with the release is invalid: " + checked.error().message);
    return true;
  }
  // Blue: the group's instances that carry its logical ids now.
  auto desired = stack::Synth(env.config);
  EC2M_RETURN_IF_ERROR(desired);
  std::set<std::string> logical;
  for (const stack::Resource& res : desired->resources) {
    if (res.group == d.group) {
      logical.insert(res.logical_id);
    }
  }
  Ec2* ec2 = provisioner_.Cloud(d.environment);
  auto actual = stack::ReadActual(*ec2, d.environment);
  EC2M_RETURN_IF_ERROR(actual);
  d.blue.clear();
  for (const stack::Found& f : actual->resources) {
    if (logical.count(f.logical_id) && f.state != "terminated" && f.state != "shutting-down") {
      d.blue.push_back({f.physical_id, f.logical_id});
    }
  }
  const nlohmann::json plan = {{"deployment", d.id},
                               {"release", r.id},
                               {"group", d.group},
                               {"strategy", "blue-green"},
                               {"summary", {{"replace", logical.size()}}}};
  // A process killed between recording the change set and saving the deployment left one
  // applying for it: that one is its record.
  std::optional<stack::ChangeSet> cs;
  auto recent = provisioner_.change_sets().List(d.environment, 5);
  EC2M_RETURN_IF_ERROR(recent);
  for (const stack::ChangeSet& c : *recent) {
    if (c.deployment == d.id && c.status == "applying") {
      cs = c;
    }
  }
  if (!cs) {
    auto created = provisioner_.change_sets().Create(d.environment, d.author, *text, plan);
    EC2M_RETURN_IF_ERROR(created);
    cs = std::move(*created);
  }
  cs->status = "applying";
  cs->deployment = d.id;
  cs->started_at = FormatIso8601Millis(now);
  auto saved = provisioner_.change_sets().Save(*cs);
  EC2M_RETURN_IF_ERROR(saved);
  d.change_set = cs->id;
  if (metrics_ != nullptr) {
    const auto minutes = std::chrono::minutes(env.config.deployment.baseline_minutes);
    d.baseline = Measure(*metrics_, d.environment, d.group, now - minutes, now);
  }
  if (outside_window) {
    Note(d, fmt::format("outside the maintenance window ({}): going ahead as an emergency ({})",
                        d.window, d.emergency));
  }
  d.started_at = FormatIso8601(now);
  d.state = kLaunching;
  Note(d, fmt::format("recorded as {}; replacing {} instance(s) of {}", d.change_set, d.blue.size(),
                      d.group));
  return true;
}

Result<bool> Deployer::Launch(Deployment& d, const Env& env) {
  auto cs = provisioner_.change_sets().Get(d.change_set);
  EC2M_RETURN_IF_ERROR(cs);
  auto cfg = config::ParseEnvironmentConfig(cs->config_text, "config/" + d.environment + ".json");
  EC2M_RETURN_IF_ERROR(cfg);
  auto desired = stack::Synth(*cfg);
  EC2M_RETURN_IF_ERROR(desired);
  Ec2* ec2 = provisioner_.Cloud(d.environment);
  auto actual = stack::ReadActual(*ec2, d.environment);
  EC2M_RETURN_IF_ERROR(actual);
  std::map<std::string, std::string> physical;
  for (const stack::Found& f : actual->resources) {
    physical.emplace(f.logical_id, f.physical_id);
  }
  const stack::PhysicalIdOf resolve = [&](const std::string& logical_id) {
    auto it = physical.find(logical_id);
    return it == physical.end() ? std::string() : it->second;
  };
  std::vector<const stack::Resource*> members;
  for (const stack::Resource& res : desired->resources) {
    if (res.group == d.group) {
      members.push_back(&res);
    }
  }
  // The launches run side by side (RunInstances is one call per instance: each has its own
  // subnet, logical id and token); each is journaled in the change set.
  std::vector<Member> green(members.size());
  std::vector<std::string> errors(members.size());
  ParallelFor(members.size(), kParallelism, [&](size_t i) {
    stack::Resource tagged = *members[i];
    tagged.tags.erase(stack::kLogicalIdTag);  // not live until the switch
    tagged.tags[kDeploymentTag] = d.id;
    tagged.tags[kReleaseTag] = d.release;
    const RunInstancesRequest req =
        stack::InstanceLaunch(tagged, resolve, stack::LaunchToken(d.id, tagged.logical_id));
    auto launched = ec2->RunInstances(req);
    const std::string at = FormatIso8601Millis(clock_.Now());
    const int seq = static_cast<int>(i) + 1;
    if (!launched || launched->instances.empty()) {
      errors[i] =
          launched ? "RunInstances answered without an instance" : launched.error().ToString();
      (void)provisioner_.change_sets().Record(
          *cs, {seq, tagged.logical_id, "launch green", "failed", "", errors[i], at});
      return;
    }
    green[i] = {launched->instances.front().instance_id, tagged.logical_id};
    (void)provisioner_.change_sets().Record(
        *cs, {seq, tagged.logical_id, "launch green", "done", green[i].id, "", at});
  });
  for (size_t i = 0; i < members.size(); ++i) {
    if (!errors[i].empty()) {
      std::erase_if(green, [](const Member& m) { return m.id.empty(); });
      d.green = green;
      BeginRollback(d, fmt::format("launching green {}: {}", members[i]->logical_id, errors[i]));
      return true;
    }
  }
  d.green = std::move(green);
  d.step_until = FormatIso8601(clock_.Now() +
                               std::chrono::seconds(env.config.deployment.health_timeout_seconds));
  d.state = kHealthCheck;
  Note(d, fmt::format("launched {} green instance(s): {}", d.green.size(),
                      fmt::format("{}", fmt::join(Ids(d.green), ", "))));
  return true;
}

Result<bool> Deployer::CheckHealth(Deployment& d, const Env& env) {
  Ec2* ec2 = provisioner_.Cloud(d.environment);
  const config::InstanceGroupConfig* group = FindGroup(env.config, d.group);
  auto found = Instances(*ec2, Ids(d.green));
  EC2M_RETURN_IF_ERROR(found);
  std::map<std::string, const Instance*> instances;
  for (const Instance& i : *found) {
    instances[i.instance_id] = &i;
  }
  auto statuses = Statuses(*ec2, Ids(d.green));
  EC2M_RETURN_IF_ERROR(statuses);
  std::map<std::string, const InstanceStatus*> status;
  for (const InstanceStatus& s : *statuses) {
    status[s.instance_id] = &s;
  }
  const bool simulated = env.config.cloud.provider == "sim";
  std::vector<const Instance*> passed_ec2;  // running, both status checks ok
  for (const Member& m : d.green) {
    auto it = instances.find(m.id);
    if (it == instances.end()) {
      BeginRollback(d, fmt::format("health check: green {} ({}) is gone", m.id, m.logical_id));
      return true;
    }
    const Instance& i = *it->second;
    if (i.state == InstanceState::kTerminated || i.state == InstanceState::kShuttingDown ||
        i.state == InstanceState::kStopped || i.state == InstanceState::kStopping) {
      BeginRollback(d, fmt::format("health check: green {} is {} ({})", m.id,
                                   InstanceStateName(i.state), i.state_reason_message));
      return true;
    }
    if (i.state != InstanceState::kRunning) {
      continue;
    }
    auto s = status.find(m.id);
    if (s == status.end()) {
      continue;
    }
    for (const auto& [what, value] : {std::pair{"system status", &s->second->system_status},
                                      std::pair{"instance status", &s->second->instance_status}}) {
      if (*value == "impaired") {
        BeginRollback(d, fmt::format("health check: green {} ({}): EC2 {} {}", m.id, m.logical_id,
                                     what, *value));
        return true;
      }
    }
    if (s->second->system_status != "ok" || s->second->instance_status != "ok") {
      continue;
    }
    passed_ec2.push_back(&i);
  }
  // The configured HTTP check of those EC2 calls healthy, side by side; the simulated region's
  // instances answer through their status checks (an impaired image fails both).
  std::atomic<int> healthy{0};
  if (group != nullptr && group->health_check.type == "http" && !simulated) {
    ParallelFor(passed_ec2.size(), kParallelism, [&](size_t k) {
      if (HttpHealthCheck(passed_ec2[k]->private_ip_address, group->health_check,
                          options_.http_timeout)) {
        ++healthy;  // else not healthy yet: the deadline decides
      }
    });
  } else {
    healthy = static_cast<int>(passed_ec2.size());
  }
  const TimePoint now = clock_.Now();
  if (healthy == static_cast<int>(d.green.size())) {
    d.state = kStabilizing;
    d.live_since = FormatIso8601(now);
    d.step_until =
        FormatIso8601(now + std::chrono::seconds(env.config.deployment.stabilization_seconds));
    Note(d, fmt::format("green is running and healthy ({} instance(s)); stabilizing for {} s",
                        healthy.load(), env.config.deployment.stabilization_seconds));
    return true;
  }
  if (now >= At(d.step_until)) {
    BeginRollback(d, fmt::format("health check: {} of {} green instance(s) healthy after {} s",
                                 healthy.load(), d.green.size(),
                                 env.config.deployment.health_timeout_seconds));
    return true;
  }
  return false;
}

Result<bool> Deployer::Watch(Deployment& d, const Env& env, bool before_switch) {
  // Green must stay healthy: an instance that stops passing its checks rolls back.
  Ec2* ec2 = provisioner_.Cloud(d.environment);
  auto statuses = Statuses(*ec2, Ids(d.green));
  EC2M_RETURN_IF_ERROR(statuses);
  for (const InstanceStatus& s : *statuses) {
    if (s.state != InstanceState::kRunning || s.system_status == "impaired" ||
        s.instance_status == "impaired") {
      BeginRollback(
          d, fmt::format("health check: green {} is {} (system {}, instance {})", s.instance_id,
                         InstanceStateName(s.state), s.system_status, s.instance_status));
      return true;
    }
  }
  const TimePoint now = clock_.Now();
  if (metrics_ != nullptr) {
    auto trip = CheckTriggers(*metrics_, d.environment, d.group,
                              Triggers(env.config.deployment, d.baseline), At(d.live_since), now);
    if (trip) {
      const std::string reason = "rollback trigger " + trip->name + ": " + trip->message;
      BeginRollback(d, reason, std::move(*trip));
      return true;
    }
  }
  if (now < At(d.step_until)) {
    return false;
  }
  if (before_switch) {
    d.state = kSwitching;
    Note(d, "stable: switching green live");
  } else {
    d.state = kRetiring;
    Note(d, fmt::format("watched for {} s without a trigger: retiring blue",
                        env.config.deployment.watch_seconds));
  }
  return true;
}

Result<bool> Deployer::Switch(Deployment& d, const Env& env) {
  Ec2* ec2 = provisioner_.Cloud(d.environment);
  // Blue stops being live first, so there are never two live fleets.
  if (!d.blue.empty()) {
    DeleteTagsRequest untag;
    untag.resource_ids = Ids(d.blue);
    untag.tags = {{stack::kLogicalIdTag, std::nullopt}};
    EC2M_RETURN_IF_ERROR(ec2->DeleteTags(untag));
  }
  EC2M_RETURN_IF_ERROR(TagLive(*ec2, d.green));
  d.switched = true;
  d.state = kWatching;
  d.step_until =
      FormatIso8601(clock_.Now() + std::chrono::seconds(env.config.deployment.watch_seconds));
  Note(d, fmt::format("green is live; watching for {} s before blue ({}) is retired",
                      env.config.deployment.watch_seconds,
                      d.blue.empty() ? "none" : fmt::format("{}", fmt::join(Ids(d.blue), ", "))));
  return true;
}

Result<int> Deployer::Terminate(Ec2& ec2, const std::vector<std::string>& ids) {
  if (ids.empty()) {
    return 0;
  }
  auto found = Instances(ec2, ids);
  if (!found && found.error().aws_code == "InvalidInstanceID.NotFound") {
    return 0;  // long gone
  }
  EC2M_RETURN_IF_ERROR(found);
  std::vector<std::string> alive;
  int left = 0;
  for (const Instance& i : *found) {
    if (i.state == InstanceState::kTerminated) {
      continue;
    }
    ++left;
    if (i.state != InstanceState::kShuttingDown) {
      alive.push_back(i.instance_id);
    }
  }
  if (alive.empty()) {
    return left;
  }
  // One call for all; when termination protection refuses it (prod), lift it one by one.
  InstanceIdsRequest all;
  all.instance_ids = alive;
  auto gone = ec2.TerminateInstances(all);
  if (gone || gone.error().aws_code != "OperationNotPermitted") {
    EC2M_RETURN_IF_ERROR(gone);
    return left;
  }
  Result<void> failed;
  std::mutex mu;
  ParallelFor(alive.size(), kParallelism, [&](size_t i) {
    ModifyInstanceAttributeRequest unprotect;
    unprotect.instance_id = alive[i];
    unprotect.disable_api_termination = false;
    auto lifted = ec2.ModifyInstanceAttribute(unprotect);
    if (!lifted) {
      std::lock_guard lock(mu);
      failed = lifted;
    }
  });
  EC2M_RETURN_IF_ERROR(failed);
  EC2M_RETURN_IF_ERROR(ec2.TerminateInstances(all));
  return left;
}

Result<bool> Deployer::Retire(Deployment& d) {
  Ec2* ec2 = provisioner_.Cloud(d.environment);
  auto left = Terminate(*ec2, Ids(d.blue));
  EC2M_RETURN_IF_ERROR(left);
  if (*left > 0) {
    return false;  // terminating; verified on the next pass
  }
  if (metrics_ != nullptr) {
    d.comparison = Measure(*metrics_, d.environment, d.group, At(d.live_since), clock_.Now());
  }
  EC2M_RETURN_IF_ERROR(Finish(d, kSucceeded, ""));
  return true;
}

Result<bool> Deployer::RollBack(Deployment& d) {
  Ec2* ec2 = provisioner_.Cloud(d.environment);
  if (d.switched) {
    // Green stops being live first; then blue carries its logical ids again.
    DeleteTagsRequest untag;
    untag.resource_ids = Ids(d.green);
    untag.tags = {{stack::kLogicalIdTag, std::nullopt}};
    EC2M_RETURN_IF_ERROR(ec2->DeleteTags(untag));
    EC2M_RETURN_IF_ERROR(TagLive(*ec2, d.blue));
    d.switched = false;
    Note(d, "blue is live again");
    return true;
  }
  // Every instance the deployment launched: those it recorded and any a lost answer hid.
  std::set<std::string> ids;
  for (const Member& m : d.green) {
    ids.insert(m.id);
  }
  DescribeRequest req;
  req.filters = {{"tag:" + std::string(kDeploymentTag), {d.id}}};
  auto tagged =
      DescribeAll(req, [&](const DescribeRequest& r) { return ec2->DescribeInstances(r); });
  EC2M_RETURN_IF_ERROR(tagged);
  for (const Reservation& res : *tagged) {
    for (const Instance& i : res.instances) {
      ids.insert(i.instance_id);
    }
  }
  auto left = Terminate(*ec2, std::vector<std::string>(ids.begin(), ids.end()));
  EC2M_RETURN_IF_ERROR(left);
  if (*left > 0) {
    return false;  // terminating; verified on the next pass
  }
  const std::string outcome = d.outcome.empty() ? std::string(kRolledBack) : d.outcome;
  EC2M_RETURN_IF_ERROR(Finish(d, outcome, d.reason));
  return true;
}

Result<void> Deployer::Finish(Deployment& d, const std::string& state, const std::string& reason) {
  const TimePoint now = clock_.Now();
  if (!d.change_set.empty()) {
    auto cs = provisioner_.change_sets().Get(d.change_set);
    EC2M_RETURN_IF_ERROR(cs);
    if (cs->status == "applying") {
      cs->status = state == kSucceeded ? "succeeded" : "failed";
      cs->finished_at = FormatIso8601Millis(now);
      if (auto started = ParseIso8601(cs->started_at)) {
        cs->duration_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(now - *started).count();
      }
      cs->result =
          state == kSucceeded
              ? fmt::format("{} deployed blue-green by {}: {} instance(s) replaced", d.release,
                            d.id, d.green.size())
              : fmt::format("{} ({}): {}; green terminated, blue kept", d.id, state, reason);
      EC2M_RETURN_IF_ERROR(provisioner_.change_sets().Save(*cs));
    }
    (void)provisioner_.locks().Release(d.environment, Owner(d));
  }
  d.state = state;
  d.finished_at = FormatIso8601(now);
  Note(d, state == kSucceeded
              ? fmt::format("succeeded: {} live, blue terminated", d.release)
              : fmt::format("{}: green terminated (verified), blue kept live", state));
  return {};
}

void Deployer::Promote(const Deployment& d, const Env& env) {
  const std::string& next = env.config.deployment.promote_to;
  if (next.empty()) {
    return;
  }
  auto promoted = Deploy({next, d.group, d.release, d.author, "", "", d.id, true});
  if (!promoted) {
    std::fprintf(stderr, "ec2m: deployer: promoting %s to %s: %s\n", d.id.c_str(), next.c_str(),
                 promoted.error().ToString().c_str());
  }
}

namespace {

// The specification's payload of a deployment's notification (environment, status, author,
// branch, commit, workflow_url) with the deployment, release and group; those it lacks left out.
std::map<std::string, std::string> Payload(const Deployment& d, const Release& r,
                                           const std::string& status) {
  std::map<std::string, std::string> fields = {
      {"environment", d.environment}, {"status", status},   {"author", d.author},
      {"deployment", d.id},           {"release", r.id},    {"group", d.group},
      {"branch", r.branch},           {"commit", r.commit}, {"workflow_url", r.workflow_url}};
  std::erase_if(fields, [](const auto& field) { return field.second.empty(); });
  return fields;
}

// An emergency security patch, told to admins at once: it deploys without anyone's approval.
Notification EmergencyNotification(const Deployment& d, const Release& r) {
  Notification n;
  n.id = fmt::format("deployment-{}-emergency", d.id);
  n.kind = "deployment";
  n.environment = d.environment;
  n.severity = "critical";
  n.title = fmt::format(
      "Emergency {} deployment {} of {} ({}) to {} by {}: deploying now without "
      "approval",
      d.emergency, d.id, r.id, d.group, d.environment, d.author);
  n.text = "Reason: " + d.emergency_reason;
  n.fields = Payload(d, r, "queued");
  n.fields["emergency"] = d.emergency;
  n.fields["emergency_reason"] = d.emergency_reason;
  return n;
}

}  // namespace

std::optional<Notification> DeploymentNotification(const Deployment& d, const Release& r,
                                                   bool production) {
  if (d.state == kQueued && d.emergency == "security-patch" && d.approvals.empty()) {
    return EmergencyNotification(d, r);
  }
  std::string status;
  std::string severity = "info";
  std::string what;
  if (d.state == kSucceeded) {
    status = "success";
    what = "succeeded";
  } else if (d.state == kRolledBack || d.state == kFailed) {
    status = "failure";
    severity = production ? "critical" : "warning";
    what = d.state == kRolledBack ? "rolled back" : "failed";
  } else if (d.state == kAborted || d.state == kRejected) {
    status = "cancelled";
    severity = "warning";
    what = d.state == kAborted ? "aborted" : "rejected";
  } else if (d.state == kAwaitingApproval) {
    status = "pending";
    what = "awaits approval";
  } else if (d.state == kQueued && !d.approvals.empty() &&
             static_cast<int>(d.approvals.size()) >= d.required_approvals) {
    status = "queued";
    what = "approved";
  } else {
    return std::nullopt;
  }
  Notification n;
  n.id = fmt::format("deployment-{}-{}", d.id, d.state == kQueued ? "approved" : d.state);
  n.kind = "deployment";
  n.environment = d.environment;
  n.severity = severity;
  n.title = fmt::format("{} of {} ({}) to {}: {}",
                        d.state == kRolledBack ? "Rollback" : "Deployment " + d.id, r.id, d.group,
                        d.environment, what);
  if (d.state == kRolledBack) {
    n.title = fmt::format("Rollback: deployment {} of {} ({}) to {} rolled back", d.id, r.id,
                          d.group, d.environment);
  }
  if (d.kind == kKindInfrastructure && d.infrastructure) {
    n.title = fmt::format("Infrastructure change {} ({}) of {}: {}", d.id, d.infrastructure->action,
                          d.environment, what);
  }
  n.text = d.reason.empty() ? (d.events.empty() ? what : d.events.back().message) : d.reason;
  n.fields = Payload(d, r, status);
  if (!d.change_set.empty()) {
    n.fields["change_set"] = d.change_set;
  }
  if (d.trigger) {
    n.fields["trigger"] = d.trigger->name;
  }
  return n;
}

}  // namespace ec2m::release
