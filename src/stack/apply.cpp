#include "stack/apply.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/digest.hpp"

namespace ec2m::stack {
namespace {

constexpr const char* kVpc = "AWS::EC2::VPC";
constexpr const char* kSubnet = "AWS::EC2::Subnet";
constexpr const char* kGroup = "AWS::EC2::SecurityGroup";
constexpr const char* kInstance = "AWS::EC2::Instance";
constexpr size_t kDescribeChunk = 200;

// Runs task(i) for i in [0, n) on up to `parallelism` threads, each after its dependencies
// (indexes) succeeded. A failed task (false) stops tasks not yet started; those whose
// dependency failed never start.
void RunGraph(size_t n, const std::vector<std::vector<size_t>>& deps, int parallelism,
              const std::function<bool(size_t)>& task) {
  if (n == 0) {
    return;
  }
  std::vector<std::vector<size_t>> dependents(n);
  std::vector<size_t> waiting(n, 0);
  std::deque<size_t> ready;
  for (size_t i = 0; i < n; ++i) {
    waiting[i] = deps[i].size();
    for (size_t d : deps[i]) {
      dependents[d].push_back(i);
    }
    if (waiting[i] == 0) {
      ready.push_back(i);
    }
  }
  std::mutex mu;
  std::condition_variable cv;
  size_t running = 0;
  bool stopped = false;
  auto worker = [&] {
    std::unique_lock lock(mu);
    for (;;) {
      cv.wait(lock, [&] { return (!ready.empty() && !stopped) || running == 0; });
      if (ready.empty() || stopped) {
        cv.notify_all();
        return;
      }
      const size_t i = ready.front();
      ready.pop_front();
      ++running;
      lock.unlock();
      const bool ok = task(i);
      lock.lock();
      --running;
      if (!ok) {
        stopped = true;
      } else {
        for (size_t d : dependents[i]) {
          if (--waiting[d] == 0) {
            ready.push_back(d);
          }
        }
      }
      cv.notify_all();
    }
  };
  const size_t threads = std::min(n, static_cast<size_t>(std::max(parallelism, 1)));
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (size_t t = 0; t < threads; ++t) {
    pool.emplace_back(worker);
  }
  for (auto& t : pool) {
    t.join();
  }
}

bool IsNotFound(const Error& e) {
  return e.code == ErrorCode::kNotFound || e.aws_code.find("NotFound") != std::string::npos;
}

// A security group rule in the template's shape → EC2's.
IpPermission Permission(const nlohmann::json& rule) {
  IpPermission p;
  p.ip_protocol = rule.value("IpProtocol", "-1");
  if (rule.contains("FromPort")) {
    p.from_port = rule["FromPort"].get<int>();
    p.to_port = rule.value("ToPort", *p.from_port);
  }
  if (rule.contains("CidrIp")) {
    p.ip_ranges.push_back({rule["CidrIp"].get<std::string>(), rule.value("Description", "")});
  }
  if (rule.contains("SourceSecurityGroupId")) {
    p.groups.push_back({rule["SourceSecurityGroupId"].get<std::string>(), "", ""});
  }
  return p;
}

class Applier {
 public:
  Applier(Ec2& ec2, const Template& desired, const ActualState& actual, const Plan& plan,
          std::string change_set_id, const JournalSink& journal, const Clock& clock,
          const ApplyOptions& options)
      : ec2_(ec2),
        plan_(plan),
        change_set_id_(std::move(change_set_id)),
        journal_(journal),
        clock_(clock),
        options_(options) {
    std::set<std::string> replaced;
    for (const Change& c : plan.changes) {
      if (c.kind == ChangeKind::kReplace || c.kind == ChangeKind::kCreate) {
        replaced.insert(c.logical_id);
      }
    }
    for (const Resource& r : desired.resources) {
      wanted_[r.logical_id] = &r;
    }
    for (const Found& f : actual.resources) {
      found_[f.physical_id] = &f;
      const Resource* want = Wanted(f.logical_id);
      // What stays keeps its id; the plan's kept resource is the one its changes name.
      if (want != nullptr && want->type == f.type && !replaced.count(f.logical_id) &&
          !ids_.count(f.logical_id)) {
        ids_[f.logical_id] = f.physical_id;
      }
    }
    for (const Change& c : plan.changes) {
      if (c.kind == ChangeKind::kUpdate) {
        ids_[c.logical_id] = c.physical_id;
      }
    }
  }

  Result<ApplyReport> Run() {
    std::vector<const Change*> build;
    std::vector<const Change*> deletes;
    for (const Change& c : plan_.changes) {
      if (c.refused) {
        continue;
      }
      if (c.kind == ChangeKind::kDelete) {
        deletes.push_back(&c);
      } else {
        build.push_back(&c);
        if (c.kind == ChangeKind::kReplace) {
          deletes.push_back(&c);  // the old half, once the new one stands
        }
      }
    }
    RunBuild(build);
    if (!Failed() && options_.wait_running && !launched_.empty()) {
      WaitFor(launched_, InstanceState::kRunning, "running");
    }
    if (!Failed()) {
      RunDeletes(deletes);
    }
    if (journal_failed_.load()) {
      std::lock_guard lock(journal_mu_);
      return Fail(journal_error_);
    }
    report_.calls = calls_.load();
    return report_;
  }

 private:
  const Resource* Wanted(const std::string& logical_id) const {
    auto it = wanted_.find(logical_id);
    return it == wanted_.end() ? nullptr : it->second;
  }

  void Beat() {
    if (options_.heartbeat) {
      options_.heartbeat();
    }
  }

  bool Failed() {
    std::lock_guard lock(mu_);
    return report_.failed > 0 || journal_failed_.load();
  }

  template <typename F>
  auto Call(F&& f) {
    calls_.fetch_add(1);
    return f();
  }

  // Journals a step's start; returns its seq.
  int Begin(const std::string& logical_id, const std::string& action,
            const std::string& physical_id) {
    int seq = 0;
    {
      std::lock_guard lock(mu_);
      seq = options_.first_seq + report_.steps++;
    }
    Write({seq, logical_id, action, "pending", physical_id, "", FormatIso8601Millis(clock_.Now())});
    return seq;
  }

  // Journals a step's end; false when it failed.
  bool End(int seq, const std::string& logical_id, const std::string& action,
           const Result<std::string>& outcome) {
    StepRecord r{seq, logical_id, action, "done", "", "", FormatIso8601Millis(clock_.Now())};
    if (outcome) {
      r.physical_id = *outcome;
    } else {
      r.status = "failed";
      r.error = outcome.error().ToString();
      std::lock_guard lock(mu_);
      ++report_.failed;
      if (report_.first_error.empty()) {
        report_.first_error = fmt::format("{}: {}: {}", logical_id, action, r.error);
      }
    }
    Write(r);
    return outcome.has_value() && !journal_failed_.load();
  }

  // Journal writes go one at a time but outside mu_: a slow write (a store's checkpoint, a
  // network round trip) holds up the next write, not the workers resolving ids and making calls.
  void Write(const StepRecord& r) {
    std::lock_guard lock(journal_mu_);
    if (journal_failed_.load()) {
      return;
    }
    Beat();
    if (auto written = journal_(r); !written) {
      journal_error_ = written.error();
      journal_failed_.store(true);
    }
  }

  std::string Id(const std::string& logical_id) {
    std::lock_guard lock(mu_);
    auto it = ids_.find(logical_id);
    return it == ids_.end() ? "" : it->second;
  }

  void SetId(const std::string& logical_id, const std::string& physical_id) {
    std::lock_guard lock(mu_);
    ids_[logical_id] = physical_id;
  }

  // `value` with every {"Ref": id} replaced by the physical id made or found for it.
  nlohmann::json Resolved(const nlohmann::json& value) {
    return ResolveRefs(value, [this](const std::string& logical_id) { return Id(logical_id); });
  }

  // The resource's tags; without kSettingsTag for what gets its settings after creation (the
  // tag then certifies they were applied, so an apply stopped in between leaves it missing and
  // the next plan updates the settings).
  static Tags TagsOf(const Resource& r, bool with_settings) {
    Tags tags;
    for (const auto& [k, v] : r.tags) {
      if (with_settings || k != kSettingsTag) {
        tags.push_back({k, v});
      }
    }
    return tags;
  }

  Result<void> TagSettings(const Resource& r, const std::string& id) {
    auto it = r.tags.find(kSettingsTag);
    if (it == r.tags.end()) {
      return {};
    }
    CreateTagsRequest req;
    req.resource_ids = {id};
    req.tags = {{kSettingsTag, it->second}};
    return Call([&] { return ec2_.CreateTags(req); });
  }

  Result<void> VpcSettings(const Resource& r, const std::string& id) {
    for (const char* key : {"EnableDnsSupport", "EnableDnsHostnames"}) {
      ModifyVpcAttributeRequest req;
      req.vpc_id = id;
      const bool on = r.properties.value(key, false);
      (std::string(key) == "EnableDnsSupport" ? req.enable_dns_support : req.enable_dns_hostnames) =
          on;
      EC2M_RETURN_IF_ERROR(Call([&] { return ec2_.ModifyVpcAttribute(req); }));
    }
    return {};
  }

  Result<void> SubnetSettings(const Resource& r, const std::string& id) {
    ModifySubnetAttributeRequest req;
    req.subnet_id = id;
    req.map_public_ip_on_launch = r.properties.value("MapPublicIpOnLaunch", false);
    return Call([&] { return ec2_.ModifySubnetAttribute(req); });
  }

  Result<void> Authorize(const std::string& group_id, const nlohmann::json& rules, bool revoke) {
    if (rules.empty()) {
      return {};
    }
    SecurityGroupRulesRequest req;
    req.group_id = group_id;
    for (const auto& rule : rules) {
      req.permissions.push_back(Permission(rule));
    }
    return Call([&] {
      return revoke ? ec2_.RevokeSecurityGroupIngress(req)
                    : ec2_.AuthorizeSecurityGroupIngress(req);
    });
  }

  // Makes `r`; returns its physical id.
  Result<std::string> Create(const Resource& r) {
    const nlohmann::json& p = r.properties;
    if (r.type == kVpc) {
      CreateVpcRequest req;
      req.cidr_block = p.value("CidrBlock", "");
      req.tag_specifications = {{"vpc", TagsOf(r, false)}};
      auto vpc = Call([&] { return ec2_.CreateVpc(req); });
      EC2M_RETURN_IF_ERROR(vpc);
      SetId(r.logical_id, vpc->vpc_id);
      EC2M_RETURN_IF_ERROR(VpcSettings(r, vpc->vpc_id));
      EC2M_RETURN_IF_ERROR(TagSettings(r, vpc->vpc_id));
      return vpc->vpc_id;
    }
    if (r.type == kSubnet) {
      CreateSubnetRequest req;
      req.vpc_id = Resolved(p["VpcId"]).get<std::string>();
      req.cidr_block = p.value("CidrBlock", "");
      req.availability_zone = p.value("AvailabilityZone", "");
      req.tag_specifications = {{"subnet", TagsOf(r, false)}};
      auto subnet = Call([&] { return ec2_.CreateSubnet(req); });
      EC2M_RETURN_IF_ERROR(subnet);
      SetId(r.logical_id, subnet->subnet_id);
      if (p.value("MapPublicIpOnLaunch", false)) {
        EC2M_RETURN_IF_ERROR(SubnetSettings(r, subnet->subnet_id));
      }
      EC2M_RETURN_IF_ERROR(TagSettings(r, subnet->subnet_id));
      return subnet->subnet_id;
    }
    if (r.type == kGroup) {
      CreateSecurityGroupRequest req;
      req.group_name = p.value("GroupName", "");
      req.description = p.value("GroupDescription", "");
      req.vpc_id = Resolved(p["VpcId"]).get<std::string>();
      req.tag_specifications = {{"security-group", TagsOf(r, true)}};
      auto group = Call([&] { return ec2_.CreateSecurityGroup(req); });
      EC2M_RETURN_IF_ERROR(group);
      SetId(r.logical_id, group->group_id);  // before its rules: a rule may name the group itself
      EC2M_RETURN_IF_ERROR(Authorize(group->group_id, Resolved(p["SecurityGroupIngress"]), false));
      return group->group_id;
    }
    if (r.type == kInstance) {
      const RunInstancesRequest req = InstanceLaunch(
          r, [this](const std::string& logical_id) { return Id(logical_id); },
          LaunchToken(change_set_id_, r.logical_id));
      auto launched = Call([&] { return ec2_.RunInstances(req); });
      EC2M_RETURN_IF_ERROR(launched);
      if (launched->instances.empty()) {
        return Fail(ErrorCode::kInternal, "RunInstances answered without an instance");
      }
      const std::string id = launched->instances.front().instance_id;
      SetId(r.logical_id, id);
      std::lock_guard lock(mu_);
      launched_.push_back(id);
      return id;
    }
    return Fail(ErrorCode::kInvalidArgument, "cannot create a " + r.type);
  }

  // Changes `have` in place into `r`.
  Result<std::string> Update(const Change& c, const Resource& r, const Found& have) {
    std::set<std::string> changed;
    for (const PropertyChange& pc : c.properties) {
      changed.insert(pc.property);
    }
    // The plan names a settings change by the settings it covers ("DisableApiTermination or
    // Monitoring or HealthCheck").
    const std::vector<std::string>& keys = SettingsProperties(r.type);
    const bool settings =
        !keys.empty() &&
        std::any_of(c.properties.begin(), c.properties.end(), [&keys](const PropertyChange& pc) {
          return pc.property.rfind(keys.front(), 0) == 0;
        });
    const std::string& id = have.physical_id;
    if (r.type == kInstance) {
      EC2M_RETURN_IF_ERROR(UpdateInstance(r, have, changed.count("InstanceType") > 0, settings));
    } else if (r.type == kGroup && changed.count("SecurityGroupIngress")) {
      EC2M_RETURN_IF_ERROR(UpdateRules(id, Resolved(r.properties["SecurityGroupIngress"]),
                                       have.properties["SecurityGroupIngress"]));
    } else if (r.type == kSubnet && settings) {
      EC2M_RETURN_IF_ERROR(SubnetSettings(r, id));
    } else if (r.type == kVpc && settings) {
      EC2M_RETURN_IF_ERROR(VpcSettings(r, id));
    }
    EC2M_RETURN_IF_ERROR(UpdateTags(r, have));
    return id;
  }

  Result<void> UpdateInstance(const Resource& r, const Found& have, bool type_changed,
                              bool settings) {
    const std::string& id = have.physical_id;
    if (type_changed) {
      // EC2 changes the type of a stopped instance only: stop, change, start again.
      const bool was_running = have.state != "stopped";
      if (was_running) {
        InstanceIdsRequest stop;
        stop.instance_ids = {id};
        EC2M_RETURN_IF_ERROR(Call([&] { return ec2_.StopInstances(stop); }));
        EC2M_RETURN_IF_ERROR(WaitState({id}, InstanceState::kStopped));
      }
      ModifyInstanceAttributeRequest modify;
      modify.instance_id = id;
      modify.instance_type = r.properties.value("InstanceType", "");
      EC2M_RETURN_IF_ERROR(Call([&] { return ec2_.ModifyInstanceAttribute(modify); }));
      if (was_running) {
        InstanceIdsRequest start;
        start.instance_ids = {id};
        EC2M_RETURN_IF_ERROR(Call([&] { return ec2_.StartInstances(start); }));
      }
    }
    if (settings) {
      ModifyInstanceAttributeRequest protect;
      protect.instance_id = id;
      protect.disable_api_termination = r.properties.value("DisableApiTermination", false);
      EC2M_RETURN_IF_ERROR(Call([&] { return ec2_.ModifyInstanceAttribute(protect); }));
      InstanceIdsRequest ids;
      ids.instance_ids = {id};
      EC2M_RETURN_IF_ERROR(Call([&] {
        return r.properties.value("Monitoring", false) ? ec2_.MonitorInstances(ids)
                                                       : ec2_.UnmonitorInstances(ids);
      }));
    }
    return {};
  }

  // Revokes the rules `have` has and `want` lacks, then authorizes the missing ones.
  Result<void> UpdateRules(const std::string& id, const nlohmann::json& want,
                           const nlohmann::json& have) {
    std::set<std::string> wanted;
    std::set<std::string> had;
    for (const auto& rule : want) {
      wanted.insert(rule.dump());
    }
    for (const auto& rule : have) {
      had.insert(rule.dump());
    }
    nlohmann::json revoke = nlohmann::json::array();
    nlohmann::json authorize = nlohmann::json::array();
    for (const auto& rule : have) {
      if (!wanted.count(rule.dump())) {
        revoke.push_back(rule);
      }
    }
    for (const auto& rule : want) {
      if (!had.count(rule.dump())) {
        authorize.push_back(rule);
      }
    }
    EC2M_RETURN_IF_ERROR(Authorize(id, revoke, true));
    return Authorize(id, authorize, false);
  }

  // Puts every tag of `r` on `have` and removes the ones it no longer carries (EC2's own aws:
  // tags stay).
  Result<void> UpdateTags(const Resource& r, const Found& have) {
    CreateTagsRequest put;
    put.resource_ids = {have.physical_id};
    for (const auto& [k, v] : r.tags) {
      auto it = have.tags.find(k);
      if (it == have.tags.end() || it->second != v) {
        put.tags.push_back({k, v});
      }
    }
    DeleteTagsRequest remove;
    remove.resource_ids = {have.physical_id};
    for (const auto& [k, v] : have.tags) {
      if (!r.tags.count(k) && k.rfind("aws:", 0) != 0) {
        remove.tags.push_back({k, std::nullopt});
      }
    }
    if (!put.tags.empty()) {
      EC2M_RETURN_IF_ERROR(Call([&] { return ec2_.CreateTags(put); }));
    }
    if (!remove.tags.empty()) {
      EC2M_RETURN_IF_ERROR(Call([&] { return ec2_.DeleteTags(remove); }));
    }
    return {};
  }

  void RunBuild(const std::vector<const Change*>& build) {
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < build.size(); ++i) {
      index[build[i]->logical_id] = i;
    }
    std::vector<std::vector<size_t>> deps(build.size());
    for (size_t i = 0; i < build.size(); ++i) {
      const Resource* r = Wanted(build[i]->logical_id);
      for (const std::string& d : r == nullptr ? std::vector<std::string>{} : r->depends_on) {
        if (auto it = index.find(d); it != index.end()) {
          deps[i].push_back(it->second);
        }
      }
    }
    RunGraph(build.size(), deps, options_.parallelism, [&](size_t i) {
      const Change& c = *build[i];
      const Resource* r = Wanted(c.logical_id);
      const std::string action(ChangeKindName(c.kind));
      const int seq =
          Begin(c.logical_id, action, c.kind == ChangeKind::kUpdate ? c.physical_id : "");
      Result<std::string> outcome = Fail(ErrorCode::kInternal, "not in the template");
      if (r != nullptr && c.kind == ChangeKind::kUpdate) {
        auto have = found_.find(c.physical_id);
        outcome = have == found_.end()
                      ? Result<std::string>(Fail(ErrorCode::kInternal, c.physical_id + " unknown"))
                      : Update(c, *r, *have->second);
      } else if (r != nullptr) {
        outcome = Create(*r);
      }
      return End(seq, c.logical_id, action, outcome);
    });
  }

  // Deletes: instances, then (once terminated) security groups, subnets, VPCs.
  void RunDeletes(const std::vector<const Change*>& deletes) {
    const bool more_than_instances = std::any_of(
        deletes.begin(), deletes.end(), [](const Change* c) { return c->type != kInstance; });
    for (const char* type : {kInstance, kGroup, kSubnet, kVpc}) {
      std::vector<const Change*> batch;
      for (const Change* c : deletes) {
        if (c->type == type) {
          batch.push_back(c);
        }
      }
      if (batch.empty()) {
        continue;
      }
      if (std::string(type) == kGroup) {
        // Rules naming other groups go first, so groups that name each other can go.
        for (const Change* c : batch) {
          auto have = found_.find(c->physical_id);
          if (have == found_.end()) {
            continue;
          }
          nlohmann::json named = nlohmann::json::array();
          for (const auto& rule :
               have->second->properties.value("SecurityGroupIngress", nlohmann::json::array())) {
            if (rule.contains("SourceSecurityGroupId")) {
              named.push_back(rule);
            }
          }
          (void)Authorize(c->physical_id, named, true);
        }
      }
      std::vector<std::string> terminated;
      std::mutex terminated_mu;
      RunGraph(batch.size(), std::vector<std::vector<size_t>>(batch.size()), options_.parallelism,
               [&](size_t i) {
                 const Change& c = *batch[i];
                 const int seq = Begin(c.logical_id, "delete", c.physical_id);
                 auto outcome = Delete(c);
                 if (outcome && c.type == kInstance) {
                   std::lock_guard lock(terminated_mu);
                   terminated.push_back(c.physical_id);
                 }
                 return End(seq, c.logical_id, "delete", outcome);
               });
      if (Failed()) {
        return;
      }
      if (!terminated.empty() && more_than_instances) {
        // Subnets and groups are in use until their instances are gone.
        WaitFor(terminated, InstanceState::kTerminated, "terminated");
        if (Failed()) {
          return;
        }
      }
    }
  }

  Result<std::string> Delete(const Change& c) {
    const std::string& id = c.physical_id;
    if (c.type == kInstance) {
      InstanceIdsRequest req;
      req.instance_ids = {id};
      auto gone = Call([&] { return ec2_.TerminateInstances(req); });
      if (!gone && gone.error().aws_code == "OperationNotPermitted") {
        // Termination protection: the plan allowed this delete, so lift it first.
        ModifyInstanceAttributeRequest unprotect;
        unprotect.instance_id = id;
        unprotect.disable_api_termination = false;
        EC2M_RETURN_IF_ERROR(Call([&] { return ec2_.ModifyInstanceAttribute(unprotect); }));
        gone = Call([&] { return ec2_.TerminateInstances(req); });
      }
      if (!gone && !IsNotFound(gone.error())) {
        return Fail(gone.error());
      }
      return id;
    }
    // EC2 answers DependencyViolation while what used it is still going away: try again.
    const TimePoint deadline = clock_.Now() + options_.wait_timeout;
    for (;;) {
      Result<void> done;
      if (c.type == kGroup) {
        DeleteSecurityGroupRequest req;
        req.group_id = id;
        done = Call([&] { return ec2_.DeleteSecurityGroup(req); });
      } else {
        DeleteRequest req;
        req.id = id;
        done =
            Call([&] { return c.type == kSubnet ? ec2_.DeleteSubnet(req) : ec2_.DeleteVpc(req); });
      }
      if (done || IsNotFound(done.error())) {
        return id;
      }
      if (done.error().aws_code != "DependencyViolation" || clock_.Now() >= deadline) {
        return Fail(done.error());
      }
      Beat();
      clock_.SleepFor(options_.poll);
    }
  }

  // Waits until every instance of `ids` is in `state`; fails on one that ends up elsewhere.
  Result<void> WaitState(const std::vector<std::string>& ids, InstanceState state) {
    const TimePoint deadline = clock_.Now() + options_.wait_timeout;
    std::set<std::string> left(ids.begin(), ids.end());
    while (!left.empty()) {
      std::vector<std::string> chunk;
      for (auto it = left.begin(); it != left.end() && chunk.size() < kDescribeChunk; ++it) {
        chunk.push_back(*it);
      }
      DescribeRequest req;
      req.ids = chunk;
      auto page = Call([&] { return ec2_.DescribeInstances(req); });
      EC2M_RETURN_IF_ERROR(page);
      bool moved = false;
      for (const Reservation& res : page->items) {
        for (const Instance& i : res.instances) {
          if (i.state == state) {
            left.erase(i.instance_id);
            moved = true;
          } else if (i.state == InstanceState::kTerminated ||
                     (state == InstanceState::kRunning &&
                      i.state == InstanceState::kShuttingDown)) {
            return Fail(
                ErrorCode::kFailedPrecondition,
                fmt::format("{} is {} ({}), not {}", i.instance_id, InstanceStateName(i.state),
                            i.state_reason_message, InstanceStateName(state)));
          }
        }
      }
      if (!moved && !left.empty()) {
        if (clock_.Now() >= deadline) {
          return Fail(ErrorCode::kTimeout,
                      fmt::format("{} instance(s) not {} after {} s, e.g. {}", left.size(),
                                  InstanceStateName(state), options_.wait_timeout.count() / 1000,
                                  *left.begin()));
        }
        Beat();
        clock_.SleepFor(options_.poll);
      }
    }
    return {};
  }

  void WaitFor(const std::vector<std::string>& ids, InstanceState state, const char* word) {
    const std::string what = fmt::format("{} instance(s)", ids.size());
    const int seq = Begin("(instances)", std::string("wait ") + word, what);
    auto waited = WaitState(ids, state);
    End(seq, "(instances)", std::string("wait ") + word,
        waited ? Result<std::string>(fmt::format("{} {}", what, word))
               : Result<std::string>(Fail(waited.error())));
  }

  Ec2& ec2_;
  const Plan& plan_;
  const std::string change_set_id_;
  const JournalSink& journal_;
  const Clock& clock_;
  const ApplyOptions& options_;
  std::map<std::string, const Found*> found_;      // by physical id
  std::map<std::string, const Resource*> wanted_;  // by logical id

  std::mutex journal_mu_;  // one journal write at a time; guards journal_error_
  Error journal_error_;
  std::atomic<bool> journal_failed_{false};
  std::mutex mu_;                           // guards what follows
  std::map<std::string, std::string> ids_;  // logical → physical
  std::vector<std::string> launched_;
  ApplyReport report_;
  std::atomic<int> calls_{0};
};

}  // namespace

nlohmann::json ResolveRefs(const nlohmann::json& value, const PhysicalIdOf& physical_id) {
  if (value.is_object() && value.size() == 1 && value.contains("Ref")) {
    return physical_id(value["Ref"].get<std::string>());
  }
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : value) {
      out.push_back(ResolveRefs(v, physical_id));
    }
    return out;
  }
  if (value.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : value.items()) {
      out[k] = ResolveRefs(v, physical_id);
    }
    return out;
  }
  return value;
}

RunInstancesRequest InstanceLaunch(const Resource& r, const PhysicalIdOf& physical_id,
                                   const std::string& client_token) {
  const nlohmann::json& p = r.properties;
  RunInstancesRequest req;
  req.image_id = p.value("ImageId", "");
  req.instance_type = p.value("InstanceType", "");
  req.subnet_id =
      ResolveRefs(p.value("SubnetId", nlohmann::json()), physical_id).get<std::string>();
  for (const auto& g :
       ResolveRefs(p.value("SecurityGroupIds", nlohmann::json::array()), physical_id)) {
    req.security_group_ids.push_back(g.get<std::string>());
  }
  req.client_token = client_token;
  if (p.contains("UserData")) {
    req.user_data = Base64Encode(p["UserData"].get<std::string>());
  }
  for (const auto& m : p.value("BlockDeviceMappings", nlohmann::json::array())) {
    const nlohmann::json& ebs = m["Ebs"];
    req.block_device_mappings.push_back(
        {m.value("DeviceName", ""),
         {ebs.value("VolumeSize", 8), ebs.value("VolumeType", "gp3"), ebs.value("Encrypted", false),
          ebs.value("DeleteOnTermination", true), "", ""}});
  }
  req.disable_api_termination = p.value("DisableApiTermination", false);
  req.monitoring_enabled = p.value("Monitoring", false);
  Tags tags;
  for (const auto& [k, v] : r.tags) {
    tags.push_back({k, v});
  }
  req.tag_specifications = {{"instance", std::move(tags)}};
  return req;
}

std::string LaunchToken(const std::string& change_set_id, const std::string& logical_id) {
  return "ec2m-" + Sha256Hex(change_set_id + "/" + logical_id).substr(0, 32);
}

Result<ApplyReport> Apply(Ec2& ec2, const Template& desired, const ActualState& actual,
                          const Plan& plan, const std::string& change_set_id,
                          const JournalSink& journal, const Clock& clock,
                          const ApplyOptions& options) {
  Applier applier(ec2, desired, actual, plan, change_set_id, journal, clock, options);
  return applier.Run();
}

}  // namespace ec2m::stack
