#include "stack/provisioner.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "config/environment.hpp"
#include "core/digest.hpp"
#include "core/paging.hpp"
#include "core/text.hpp"
#include "stack/compliance.hpp"

namespace ec2m::stack {
namespace {

constexpr const char* kBackups = "state_backups";

int Rank(const std::string& status) {
  if (status == "UNHEALTHY") {
    return 3;
  }
  if (status == "WARNING") {
    return 2;
  }
  return status == "DEPLOYING" ? 1 : 0;
}

// "RFC 3339" → time, accepting what FormatIso8601Millis writes and whole seconds ("...:00Z").
}  // namespace

std::string WorseStatus(const std::string& a, const std::string& b) {
  return Rank(b) > Rank(a) ? b : a;
}

nlohmann::json DriftJson(const std::string& environment, const std::vector<Drifted>& drift) {
  nlohmann::json items = nlohmann::json::array();
  for (const Drifted& d : drift) {
    nlohmann::json props = nlohmann::json::array();
    for (const PropertyChange& p : d.properties) {
      props.push_back({{"property", p.property}, {"expected", p.to}, {"actual", p.from}});
    }
    items.push_back({{"logical_id", d.logical_id},
                     {"type", d.type},
                     {"physical_id", d.physical_id},
                     {"kind", d.kind},
                     {"properties", props}});
  }
  return {
      {"environment", environment}, {"drifted", static_cast<int>(drift.size())}, {"items", items}};
}

nlohmann::json StatusJson(const StatusReport& report) {
  nlohmann::json checks = nlohmann::json::array();
  for (const CheckResult& c : report.checks) {
    checks.push_back({{"category", c.category},
                      {"status", c.status},
                      {"summary", c.summary},
                      {"details", c.details}});
  }
  return {{"environment", report.environment},
          {"status", report.status},
          {"checks", checks},
          {"drift", report.drifted}};
}

Provisioner::Provisioner(Store& store, const Clock& clock, std::vector<Target> targets,
                         ProvisionerOptions options)
    : store_(store),
      clock_(clock),
      targets_(std::move(targets)),
      options_(std::move(options)),
      change_sets_(store, clock),
      locks_(store, clock, options_.lease) {}

Provisioner::~Provisioner() {
  Wait();
  for (auto& [id, t] : threads_) {
    t.join();
  }
}

Ec2* Provisioner::Cloud(const std::string& environment) const {
  const Target* target = Find(environment);
  return target == nullptr ? nullptr : target->ec2;
}

bool Provisioner::Has(const std::string& environment) const { return Find(environment) != nullptr; }

const Target* Provisioner::Find(const std::string& environment) const {
  for (const Target& t : targets_) {
    if (t.name == environment) {
      return &t;
    }
  }
  return nullptr;
}

void Provisioner::Wait() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [this] { return running_ == 0; });
}

Result<std::optional<LockInfo>> Provisioner::LiveHolder(const std::string& environment) {
  auto holder = locks_.Holder(environment);
  EC2M_RETURN_IF_ERROR(holder);
  if (holder->has_value() && std::chrono::seconds((*holder)->idle_seconds) >=
                                 std::chrono::duration_cast<std::chrono::seconds>(options_.lease)) {
    return std::optional<LockInfo>();
  }
  return holder;
}

Result<std::pair<std::string, std::string>> Provisioner::CurrentConfig(
    const std::string& environment) {
  const Target* target = Find(environment);
  if (target == nullptr) {
    return Fail(ErrorCode::kNotFound, "environment " + environment + " not found");
  }
  auto last = change_sets_.LastSucceededAt(environment, clock_.Now());
  EC2M_RETURN_IF_ERROR(last);
  if (last->has_value()) {
    return std::pair((*last)->config_text, (*last)->id);
  }
  return std::pair(target->config_text, std::string());
}

Result<PlanResult> Provisioner::MakePlanFor(const std::string& environment,
                                            const std::optional<std::string>& config_text,
                                            bool allow_retained_deletes) {
  const Target* target = Find(environment);
  if (target == nullptr) {
    return Fail(ErrorCode::kNotFound, "environment " + environment + " not found");
  }
  auto current = CurrentConfig(environment);
  EC2M_RETURN_IF_ERROR(current);
  const std::string text = config_text ? *config_text : current->first;
  const std::string file =
      target->config_file.empty() ? environment + ".json" : target->config_file;
  auto env = config::ParseEnvironmentConfig(text, file);
  EC2M_RETURN_IF_ERROR(env);
  if (env->name != environment) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("{}: $.environment: expected {}, got {}", file, ShownValue(environment),
                            ShownValue(env->name)));
  }
  // The server reaches the environment's cloud as its own file says: a config for another
  // region, account or cloud would be planned against the wrong one.
  auto own = config::ParseEnvironmentConfig(target->config_text, file);
  EC2M_RETURN_IF_ERROR(own);
  for (const auto& [path, got, want] :
       {std::tuple<const char*, const std::string&, const std::string&>{"$.region", env->region,
                                                                        own->region},
        {"$.accountId", env->account_id, own->account_id},
        {"$.cloud.provider", env->cloud.provider, own->cloud.provider}}) {
    if (got != want) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("{}: {}: expected {} (the server's environment {}), got {}", file,
                              path, ShownValue(want), environment, ShownValue(got)));
    }
  }
  auto desired = Synth(*env);
  EC2M_RETURN_IF_ERROR(desired);
  const std::vector<Finding> findings = CheckCompliance(*env, *desired, text);
  if (!findings.empty()) {
    std::string message = fmt::format("{}: {} compliance problem(s):", file, findings.size());
    for (const Finding& f : findings) {
      message += fmt::format(" {}: {} (rule {});", f.where, f.message, f.rule);
    }
    message.pop_back();
    return Fail(ErrorCode::kInvalidArgument, message);
  }
  auto actual = ReadActual(*target->ec2, environment);
  if (!actual) {
    return Fail(actual.error().code,
                "reading the cloud of " + environment + ": " + actual.error().ToString());
  }
  PlanResult out{std::move(*desired), std::move(*actual), {}, text, Sha256Hex(text).substr(0, 12)};
  out.config_changed = text != current->first;
  out.plan = MakePlan(out.desired, out.actual, {.allow_retained_deletes = allow_retained_deletes});
  return out;
}

Result<Started> Provisioner::Provision(const std::string& environment, const std::string& author,
                                       const std::optional<std::string>& config_text,
                                       bool allow_retained_deletes, const std::string& approval) {
  auto planned = MakePlanFor(environment, config_text, allow_retained_deletes);
  EC2M_RETURN_IF_ERROR(planned);
  return Start(*Find(environment), author, std::move(*planned), "", approval);
}

Result<Started> Provisioner::Rollback(const std::string& environment, const std::string& author,
                                      const std::string& target, const std::string& approval) {
  auto to = RollbackTarget(environment, target);
  EC2M_RETURN_IF_ERROR(to);
  // Dependencies and data: the target config must still be valid and compliant (MakePlanFor),
  // and its plan may not delete retained resources (Start refuses it).
  auto planned = MakePlanFor(environment, to->config_text, false);
  EC2M_RETURN_IF_ERROR(planned);
  return Start(*Find(environment), author, std::move(*planned), to->id, approval);
}

Result<ChangeSet> Provisioner::RollbackTarget(const std::string& environment,
                                              const std::string& target) {
  if (Find(environment) == nullptr) {
    return Fail(ErrorCode::kNotFound, "environment " + environment + " not found");
  }
  std::optional<ChangeSet> to;
  if (target.empty() || target == "previous") {
    // The last known good state before the one in force.
    auto current = change_sets_.LastSucceededAt(environment, clock_.Now());
    EC2M_RETURN_IF_ERROR(current);
    if (!current->has_value()) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "rollback " + environment +
                      ": nothing was applied yet, so there is no previous "
                      "version");
    }
    int64_t before = (*current)->number;
    while (!to) {
      auto page = change_sets_.List(environment, 100, before);
      EC2M_RETURN_IF_ERROR(page);
      for (ChangeSet& cs : *page) {
        if (cs.status == "succeeded" && cs.config_version != (*current)->config_version) {
          to = std::move(cs);
          break;
        }
      }
      if (page->size() < 100) {
        break;
      }
      before = page->back().number;
    }
    if (!to) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "rollback " + environment +
                      ": no earlier succeeded change set with another "
                      "config than " +
                      (*current)->id);
    }
  } else if (target.rfind("cs-", 0) == 0) {
    auto cs = change_sets_.Get(target);
    EC2M_RETURN_IF_ERROR(cs);
    if (cs->environment != environment) {
      return Fail(ErrorCode::kInvalidArgument, "rollback target: " + target +
                                                   " is a change set of " + cs->environment +
                                                   ", not of " + environment);
    }
    if (cs->status != "succeeded") {
      return Fail(ErrorCode::kFailedPrecondition,
                  "rollback target: " + target + " " + cs->status +
                      "; only a succeeded change set is a known good state");
    }
    to = std::move(*cs);
  } else {
    auto when = ParseIso8601(target);
    if (!when) {
      return Fail(ErrorCode::kInvalidArgument,
                  "rollback target: expected previous, a change set id (cs-" + environment +
                      "-N) or an RFC 3339 UTC time (2026-11-27T10:00:00Z), got " +
                      ShownValue(target));
    }
    auto at = change_sets_.LastSucceededAt(environment, *when);
    EC2M_RETURN_IF_ERROR(at);
    if (!at->has_value()) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "rollback " + environment + ": nothing had been applied by " + target);
    }
    to = std::move(**at);
  }
  return std::move(*to);
}

Result<Started> Provisioner::Start(const Target& target, const std::string& author,
                                   PlanResult planned, const std::string& rollback_of,
                                   const std::string& approval) {
  if (planned.plan.refused()) {
    return Fail(ErrorCode::kFailedPrecondition,
                fmt::format("the plan for {} deletes resources kept by RemovalPolicy RETAIN; "
                            "nothing was changed (allow_delete_retained overrides)",
                            target.name));
  }
  if (planned.nothing_to_do()) {
    return Started{std::nullopt, std::move(planned)};
  }
  auto holder = LiveHolder(target.name);
  EC2M_RETURN_IF_ERROR(holder);
  if (holder->has_value()) {
    return Fail(ErrorCode::kFailedPrecondition,
                fmt::format("environment {} is locked by {} since {} ({} s ago): one apply at a "
                            "time; `ec2m unlock {}` frees it if that apply is gone",
                            target.name, (*holder)->owner, (*holder)->acquired_at,
                            (*holder)->age_seconds, target.name));
  }
  auto cs = change_sets_.Create(target.name, author, planned.config_text, planned.plan.ToJson(),
                                rollback_of);
  EC2M_RETURN_IF_ERROR(cs);
  const std::string owner = fmt::format("{} ({})", author, cs->id);
  auto acquired = locks_.Acquire(target.name, owner);
  if (!acquired) {
    cs->status = "failed";
    cs->result = "not applied: " + acquired.error().message;
    (void)change_sets_.Save(*cs);
    return Fail(acquired.error());
  }
  if (acquired->has_value()) {
    // A dead apply's lock: its change set stopped where its journal ends.
    auto previous = change_sets_.List(target.name, 5, cs->number);
    if (previous) {
      for (ChangeSet& old : *previous) {
        if (old.status == "applying" && old.deployment.empty()) {
          old.status = "interrupted";
          old.result = fmt::format(
              "interrupted: its apply stopped (the lock of {} was not "
              "renewed for {} s); {} converges from where it stopped",
              (*acquired)->owner, (*acquired)->idle_seconds, cs->id);
          (void)change_sets_.Save(old);
        }
      }
    }
  }
  // The backup of what the rollback replaces: the cloud as read and the config in force.
  if (!rollback_of.empty()) {
    auto current = CurrentConfig(target.name);
    nlohmann::json resources = nlohmann::json::array();
    for (const Found& f : planned.actual.resources) {
      resources.push_back({{"logical_id", f.logical_id},
                           {"type", f.type},
                           {"physical_id", f.physical_id},
                           {"state", f.state},
                           {"properties", f.properties}});
    }
    const nlohmann::json backup = {{"change_set", cs->id},
                                   {"taken_at", FormatIso8601Millis(clock_.Now())},
                                   {"config_text", current ? current->first : ""},
                                   {"resources", resources}};
    const std::vector<DocWrite> writes = {{kBackups, cs->id, backup.dump(), DocWrite::kAnyVersion}};
    auto written = store_.WriteDocs(writes);
    const StepRecord step{1,
                          "(backup)",
                          "backup",
                          written ? "done" : "failed",
                          fmt::format("{} resources", resources.size()),
                          written ? "" : written.error().ToString(),
                          FormatIso8601Millis(clock_.Now())};
    (void)change_sets_.Record(*cs, step);
    if (!written) {
      cs->status = "failed";
      cs->result =
          "not applied: the backup of the current state failed: " + written.error().ToString();
      (void)change_sets_.Save(*cs);
      (void)locks_.Release(target.name, owner);
      return Fail(written.error());
    }
    cs->journal.push_back(step);
  }
  cs->status = "applying";
  cs->approval = approval;
  cs->started_at = FormatIso8601Millis(clock_.Now());
  auto saved = change_sets_.Save(*cs);
  if (!saved) {
    (void)locks_.Release(target.name, owner);
    return Fail(saved.error());
  }
  Started started{*saved, planned};
  Launch(target, *saved, std::move(planned), owner, false);
  return started;
}

void Provisioner::Launch(const Target& target, ChangeSet cs, PlanResult planned, std::string owner,
                         bool resumed) {
  std::lock_guard lock(mu_);
  for (const std::thread::id& id : ended_) {
    auto it = threads_.find(id);
    it->second.join();
    threads_.erase(it);
  }
  ended_.clear();
  ++running_;
  std::thread t([this, &target, cs = std::move(cs), planned = std::move(planned),
                 owner = std::move(owner),
                 resumed]() mutable { RunApply(target, std::move(cs), planned, owner, resumed); });
  const std::thread::id id = t.get_id();
  threads_.emplace(id, std::move(t));
}

void Provisioner::RunApply(const Target& target, ChangeSet cs, const PlanResult& planned,
                           const std::string& owner, bool resumed) {
  const TimePoint began = clock_.Now();
  ApplyOptions options = options_.apply;
  options.first_seq = static_cast<int>(cs.journal.size()) + 1;
  // Called from the apply's worker threads.
  std::mutex renew_mu;
  TimePoint renewed = began;
  options.heartbeat = [&] {
    std::lock_guard lock(renew_mu);
    if (clock_.Now() - renewed >= options_.lease / 3) {
      renewed = clock_.Now();
      (void)locks_.Renew(target.name, owner);
    }
  };
  JournalSink sink = [&](const StepRecord& r) { return change_sets_.Record(cs, r); };
  auto report = Apply(*target.ec2, planned.desired, planned.actual, planned.plan, cs.id, sink,
                      clock_, options);
  const int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now() - began).count();
  const Plan& p = planned.plan;
  if (!report) {
    cs.status = "failed";
    cs.result = "stopped: the journal could not be written: " + report.error().ToString();
  } else if (report->ok()) {
    cs.status = "succeeded";
    cs.result = fmt::format(
        "applied: {} created, {} updated, {} replaced, {} deleted in {:.1f} s; {} EC2 calls",
        p.Count(ChangeKind::kCreate), p.Count(ChangeKind::kUpdate), p.Count(ChangeKind::kReplace),
        p.Count(ChangeKind::kDelete), static_cast<double>(ms) / 1000.0, report->calls);
  } else {
    cs.status = "failed";
    cs.result = fmt::format(
        "failed at {}; nothing was deleted after it; `ec2m provision {}` "
        "converges from here",
        report->first_error, target.name);
  }
  if (resumed) {
    cs.result = "resumed after an interruption; " + cs.result;
  }
  cs.finished_at = FormatIso8601Millis(clock_.Now());
  cs.duration_ms = ms;
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto fresh = change_sets_.Get(cs.id);  // its version may have moved (a recovery's mark)
    if (!fresh) {
      break;
    }
    cs.version = fresh->version;
    if (change_sets_.Save(cs)) {
      break;
    }
  }
  (void)locks_.Release(target.name, owner);
  if (options_.on_finished) {
    options_.on_finished(cs);
  }
  std::lock_guard lock(mu_);
  --running_;
  ended_.push_back(std::this_thread::get_id());
  idle_.notify_all();
}

Result<int> Provisioner::RecoverInterrupted() {
  int resumed = 0;
  for (const Target& target : targets_) {
    auto latest = change_sets_.List(target.name, 1);
    EC2M_RETURN_IF_ERROR(latest);
    // A deployment's change set is the deployer's to resume (release::Deployer).
    if (latest->empty() || latest->front().status != "applying" ||
        !latest->front().deployment.empty()) {
      continue;
    }
    auto cs = change_sets_.Get(latest->front().id);
    EC2M_RETURN_IF_ERROR(cs);
    const std::string owner = fmt::format("recovery ({})", cs->id);
    auto acquired = locks_.Acquire(target.name, owner);
    if (!acquired) {
      continue;  // its apply is alive (another replica), or the lease has not run out yet
    }
    auto planned = MakePlanFor(target.name, cs->config_text, false);
    if (!planned || planned->plan.refused()) {
      cs->status = "interrupted";
      cs->result = "interrupted; not resumed: " +
                   (planned ? std::string("its plan now deletes retained resources")
                            : planned.error().ToString());
      (void)change_sets_.Save(*cs);
      (void)locks_.Release(target.name, owner);
      continue;
    }
    ++resumed;
    Launch(target, std::move(*cs), std::move(*planned), owner, true);
  }
  return resumed;
}

Result<ActualState> Provisioner::Resources(const std::string& environment) {
  const Target* target = Find(environment);
  if (target == nullptr) {
    return Fail(ErrorCode::kNotFound, "environment " + environment + " not found");
  }
  return ReadActual(*target->ec2, environment);
}

Result<std::vector<Drifted>> Provisioner::Drift(const std::string& environment) {
  auto last = change_sets_.LastSucceededAt(environment, clock_.Now());
  EC2M_RETURN_IF_ERROR(last);
  if (Find(environment) == nullptr) {
    return Fail(ErrorCode::kNotFound, "environment " + environment + " not found");
  }
  std::vector<Drifted> out;
  if (!last->has_value()) {
    return out;  // nothing applied: nothing to drift from
  }
  auto planned = MakePlanFor(environment, (*last)->config_text, true);
  EC2M_RETURN_IF_ERROR(planned);
  for (const Change& c : planned->plan.changes) {
    Drifted d{c.logical_id, c.type, c.physical_id, "", c.properties};
    if (c.kind == ChangeKind::kCreate) {
      d.kind = "deleted";
    } else if (c.kind == ChangeKind::kDelete) {
      d.kind = "unexpected";
      d.properties = {{"", nullptr, c.reason, false}};
    } else {
      d.kind = "modified";
    }
    out.push_back(std::move(d));
  }
  return out;
}

Result<StatusReport> Provisioner::Status(const std::string& environment, const std::string& check) {
  static const std::set<std::string> kChecks = {"all", "infrastructure", "application",
                                                "monitoring", "security"};
  if (!kChecks.count(check)) {
    return Fail(ErrorCode::kInvalidArgument,
                "check: expected all, infrastructure, application, monitoring or security, got " +
                    ShownValue(check));
  }
  const Target* target = Find(environment);
  if (target == nullptr) {
    return Fail(ErrorCode::kNotFound, "environment " + environment + " not found");
  }
  StatusReport report{environment, "HEALTHY", {}, 0};
  auto current = CurrentConfig(environment);
  EC2M_RETURN_IF_ERROR(current);
  auto env = config::ParseEnvironmentConfig(current->first, environment + ".json");
  EC2M_RETURN_IF_ERROR(env);
  auto desired = Synth(*env);
  EC2M_RETURN_IF_ERROR(desired);
  auto want = [&check](const char* c) { return check == "all" || check == c; };

  if (want("infrastructure")) {
    CheckResult r{"infrastructure", "HEALTHY", "", {}};
    auto latest = change_sets_.List(environment, 1);
    EC2M_RETURN_IF_ERROR(latest);
    auto drift = Drift(environment);
    EC2M_RETURN_IF_ERROR(drift);
    report.drifted = static_cast<int>(drift->size());
    int deleted = 0;
    for (const Drifted& d : *drift) {
      deleted += d.kind == "deleted" ? 1 : 0;
      r.details.push_back(fmt::format("drift: {} {} ({})", d.logical_id, d.kind,
                                      d.physical_id.empty() ? d.type : d.physical_id));
    }
    if (latest->empty()) {
      r.status = "WARNING";
      r.summary = "not provisioned yet: `ec2m provision " + environment + "` creates it";
    } else if (latest->front().status == "applying") {
      r.status = "DEPLOYING";
      r.summary = latest->front().id + " is applying";
    } else if (latest->front().status == "failed" || latest->front().status == "interrupted") {
      r.status = "UNHEALTHY";
      r.summary = latest->front().id + " " + latest->front().status + ": " + latest->front().result;
    } else if (deleted > 0) {
      r.status = "UNHEALTHY";
      r.summary = fmt::format("{} resource(s) deleted outside ec2m", deleted);
    } else if (!drift->empty()) {
      r.status = "WARNING";
      r.summary = fmt::format("{} resource(s) drifted from {}", drift->size(), current->second);
    } else {
      r.summary = fmt::format("{} resources as configured by {}", desired->resources.size(),
                              current->second);
    }
    report.checks.push_back(std::move(r));
  }

  std::vector<Instance> instances;
  if (want("application") || want("monitoring") || want("security")) {
    DescribeRequest req;
    req.filters = {{"tag:Environment", {environment}},
                   {"instance-state-name", {"pending", "running", "stopping", "stopped"}}};
    auto all = DescribeAll(
        req, [&](const DescribeRequest& r) { return target->ec2->DescribeInstances(r); });
    EC2M_RETURN_IF_ERROR(all);
    for (const Reservation& res : *all) {
      instances.insert(instances.end(), res.instances.begin(), res.instances.end());
    }
  }
  int expected = 0;
  for (const Resource& r : desired->resources) {
    expected += r.type == "AWS::EC2::Instance" ? 1 : 0;
  }

  if (want("application")) {
    CheckResult r{"application", "HEALTHY", "", {}};
    int running = 0;
    std::vector<std::string> ids;
    for (const Instance& i : instances) {
      running += i.state == InstanceState::kRunning ? 1 : 0;
      if (i.state != InstanceState::kRunning) {
        r.details.push_back(fmt::format("{} is {}", i.instance_id, InstanceStateName(i.state)));
      } else {
        ids.push_back(i.instance_id);
      }
    }
    int impaired = 0;
    int initializing = 0;
    for (size_t at = 0; at < ids.size(); at += 100) {
      DescribeInstanceStatusRequest req;
      req.base.ids.assign(
          ids.begin() + static_cast<std::ptrdiff_t>(at),
          ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), at + 100)));
      auto statuses = target->ec2->DescribeInstanceStatus(req);
      EC2M_RETURN_IF_ERROR(statuses);
      for (const InstanceStatus& s : statuses->items) {
        if (s.system_status == "impaired" || s.instance_status == "impaired") {
          ++impaired;
          r.details.push_back(s.instance_id + " fails its status checks");
        } else if (s.system_status == "initializing" || s.instance_status == "initializing") {
          ++initializing;
        }
      }
    }
    if ((expected > 0 && running == 0) || impaired > 0) {
      r.status = "UNHEALTHY";
    } else if (running < expected) {
      r.status = "WARNING";
    } else if (initializing > 0) {
      r.status = "DEPLOYING";
    }
    r.summary = fmt::format("{} of {} instances running, {} failing status checks, {} initializing",
                            running, expected, impaired, initializing);
    report.checks.push_back(std::move(r));
  }

  if (want("monitoring")) {
    CheckResult r{"monitoring", "HEALTHY", "", {}};
    int mismatched = 0;
    for (const Instance& i : instances) {
      if (i.monitoring_enabled != env->detailed_monitoring) {
        ++mismatched;
        r.details.push_back(fmt::format("{}: detailed monitoring {}, the config says {}",
                                        i.instance_id, i.monitoring_enabled ? "on" : "off",
                                        env->detailed_monitoring ? "on" : "off"));
      }
    }
    r.status = mismatched > 0 ? "WARNING" : "HEALTHY";
    r.summary = fmt::format(
        "{} monitoring ({}-minute points) on {} of {} instances; logs kept {} days",
        env->detailed_monitoring ? "detailed" : "basic", env->detailed_monitoring ? 1 : 5,
        instances.size() - mismatched, instances.size(), env->log_retention_days);
    report.checks.push_back(std::move(r));
  }

  if (want("security")) {
    CheckResult r{"security", "HEALTHY", "", {}};
    int unencrypted = 0;
    for (const Instance& i : instances) {
      for (const BlockDeviceMapping& m : i.block_device_mappings) {
        // A volume's size and encryption are known where the cloud says them (the embedded
        // region); EC2's DescribeInstances leaves them to DescribeVolumes (size 0 here), and
        // the config's own volumes are checked by the ebs-encryption rule above.
        if (m.ebs.volume_size_gb > 0 && !m.ebs.encrypted) {
          ++unencrypted;
          r.details.push_back(fmt::format("{}: volume {} ({}) is not encrypted", i.instance_id,
                                          m.ebs.volume_id, m.device_name));
        }
      }
    }
    const std::vector<Finding> findings = CheckCompliance(*env, *desired, current->first);
    for (const Finding& f : findings) {
      r.details.push_back(fmt::format("{}: {} (rule {})", f.where, f.message, f.rule));
    }
    for (const Resource& res : desired->resources) {
      if (res.type != "AWS::EC2::SecurityGroup") {
        continue;
      }
      for (const auto& rule : res.properties["SecurityGroupIngress"]) {
        const int port = rule.value("FromPort", -1);
        if (rule.value("CidrIp", "") == "0.0.0.0/0" && port != 80 && port != 443) {
          r.details.push_back(fmt::format("{}: port {} open to the internet", res.logical_id,
                                          port < 0 ? std::string("(all)") : std::to_string(port)));
        }
      }
    }
    if (IsProduction(environment) && !env->mfa_required) {
      r.details.emplace_back("cognito.mfaRequired is off in production");
    }
    r.status = unencrypted > 0 ? "UNHEALTHY" : (r.details.empty() ? "HEALTHY" : "WARNING");
    r.summary = fmt::format(
        "{} unencrypted volume(s), {} compliance finding(s), {} other finding(s)", unencrypted,
        findings.size(), r.details.size() - findings.size() - static_cast<size_t>(unencrypted));
    report.checks.push_back(std::move(r));
  }
  for (const CheckResult& c : report.checks) {
    report.status = WorseStatus(report.status, c.status);
  }
  return report;
}

}  // namespace ec2m::stack
