#include "sim/region.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/catalog.hpp"
#include "sim/region_internal.hpp"
#include "sim/state.hpp"

namespace ec2m::sim {

SimRegion::SimRegion(SimConfig config, Store& store, const Clock& clock, Random& random)
    : config_(std::move(config)),
      store_(store),
      clock_(clock),
      random_(random),
      state_(std::make_unique<RegionState>()),
      faults_(config_.faults) {}

SimRegion::~SimRegion() = default;

Result<std::unique_ptr<SimRegion>> SimRegion::Open(SimConfig config, Store& store,
                                                   const Clock& clock, Random& random) {
  if (!IsKnownRegion(config.region)) {
    return Fail(ErrorCode::kInvalidArgument,
                "simulated region: unknown region '" + config.region + "'");
  }
  std::unique_ptr<SimRegion> region(new SimRegion(std::move(config), store, clock, random));
  auto records = store.LoadSimRecords(region->config_.region);
  EC2M_RETURN_IF_ERROR(records);
  auto state = Decode(*records);
  EC2M_RETURN_IF_ERROR(state);
  *region->state_ = std::move(*state);
  std::lock_guard lock(region->mu_);
  if (region->state_->vpcs.empty()) {
    EC2M_RETURN_IF_ERROR(region->CreateDefaults());
  }
  // Addresses in use are derived state: mark those of instances not yet terminated.
  const int64_t now = region->NowMs();
  for (auto& [seq, inst] : region->state_->instances) {
    auto subnet = region->state_->subnets.find(inst.subnet_id);
    if (subnet != region->state_->subnets.end() && inst.state != InstanceState::kShuttingDown &&
        EffectiveState(inst, now) != InstanceState::kTerminated) {
      const uint64_t offset = inst.private_ip - subnet->second.cidr.address;
      if (offset < subnet->second.used.size()) {
        subnet->second.used[offset] = true;
      }
    }
  }
  return region;
}

Result<void> SimRegion::Reset() {
  std::lock_guard lock(mu_);
  EC2M_RETURN_IF_ERROR(store_.ClearSimRecords(config_.region));
  *state_ = RegionState{};
  return CreateDefaults();
}

void SimRegion::SetFaults(FaultConfig faults) {
  std::lock_guard lock(mu_);
  faults_ = std::move(faults);
}

FaultConfig SimRegion::faults() const {
  std::lock_guard lock(mu_);
  return faults_;
}

size_t SimRegion::InstanceCount() const {
  std::lock_guard lock(mu_);
  return state_->instances.size();
}

OperationFault SimRegion::FaultFor(std::string_view operation) const {
  std::lock_guard lock(mu_);
  auto it = faults_.operations.find(std::string(operation));
  return it == faults_.operations.end() ? faults_.all : it->second;
}

bool SimRegion::ShouldDropResponse(std::string_view operation) {
  const double rate = FaultFor(operation).drop_response_rate;
  return rate > 0 && random_.NextDouble() < rate;
}

Result<void> SimRegion::InjectFault(std::string_view operation) {
  const OperationFault fault = FaultFor(operation);
  if (fault.latency.count() > 0) {
    clock_.SleepFor(fault.latency);
  }
  if (fault.throttle_rate > 0 && random_.NextDouble() < fault.throttle_rate) {
    return Fail(ErrorCode::kThrottled, "Request limit exceeded.", "RequestLimitExceeded");
  }
  if (fault.error_rate > 0 && random_.NextDouble() < fault.error_rate) {
    return Fail(ErrorCode::kUnavailable,
                "An internal error has occurred (injected by the simulated region).",
                "InternalError");
  }
  return {};
}

Result<void> SimRegion::Persist(std::span<const SimRecord> upserts,
                                std::span<const SimKey> deletes) {
  auto written = store_.WriteSimRecords(config_.region, upserts, deletes);
  if (!written) {
    return Fail(ErrorCode::kUnavailable,
                "simulated region: the change was not saved: " + written.error().message,
                "InternalError");
  }
  return {};
}

Result<void> SimRegion::CreateDefaults() {
  // The default VPC as EC2 creates it: 172.31.0.0/16, one /20 default subnet per zone.
  VpcRecord vpc;
  vpc.vpc.vpc_id = NewId("vpc");
  vpc.vpc.cidr_block = "172.31.0.0/16";
  vpc.vpc.is_default = true;
  vpc.vpc.owner_id = config_.account_id;
  vpc.enable_dns_hostnames = true;
  std::vector<SimRecord> records{Encode(vpc)};
  std::vector<SubnetRecord> subnets;
  const auto zones = ZonesOf(config_.region);
  for (size_t i = 0; i < zones.size(); ++i) {
    SubnetRecord s;
    s.subnet.subnet_id = NewId("subnet");
    s.subnet.vpc_id = vpc.vpc.vpc_id;
    s.cidr = Cidr{(172u << 24) | (31u << 16) | static_cast<uint32_t>(i << 12), 20};
    s.subnet.cidr_block = s.cidr.ToString();
    s.subnet.availability_zone = zones[i].zone_name;
    s.subnet.availability_zone_id = zones[i].zone_id;
    s.subnet.default_for_az = true;
    s.subnet.map_public_ip_on_launch = true;
    s.used.assign(s.cidr.Size(), false);
    records.push_back(Encode(s));
    subnets.push_back(std::move(s));
  }
  GroupRecord group;
  group.group.group_id = NewId("sg");
  group.group.group_name = "default";
  group.group.description = "default VPC security group";
  group.group.vpc_id = vpc.vpc.vpc_id;
  group.group.ingress.push_back(
      IpPermission{"-1",
                   std::nullopt,
                   std::nullopt,
                   {},
                   {UserIdGroupPair{group.group.group_id, "", config_.account_id}}});
  group.group.egress.push_back(
      IpPermission{"-1", std::nullopt, std::nullopt, {IpRange{"0.0.0.0/0", ""}}, {}});
  records.push_back(Encode(group));
  EC2M_RETURN_IF_ERROR(Persist(records));
  state_->vpcs.emplace(vpc.vpc.vpc_id, std::move(vpc));
  for (auto& s : subnets) {
    state_->subnets.emplace(s.subnet.subnet_id, std::move(s));
  }
  state_->groups.emplace(group.group.group_id, std::move(group));
  return {};
}

Result<void> SimRegion::CollectExpired(int64_t now_ms) {
  // A sweep of every instance costs milliseconds at 100,000; once a minute is plenty.
  if (now_ms - last_collect_ms_ < 60000) {
    return {};
  }
  last_collect_ms_ = now_ms;
  const int64_t visible = config_.delays.terminated_visible.count();
  std::vector<SimKey> deletes;
  std::vector<uint64_t> expired;
  for (const auto& [seq, inst] : state_->instances) {
    if (EffectiveState(inst, now_ms) == InstanceState::kTerminated &&
        now_ms >= inst.transition_ms + visible) {
      deletes.push_back(SimKey{std::string(kKindInstance), inst.instance_id});
      expired.push_back(seq);
    }
  }
  if (deletes.empty()) {
    return {};
  }
  EC2M_RETURN_IF_ERROR(Persist({}, deletes));
  for (uint64_t seq : expired) {
    state_->seq_by_id.erase(state_->instances.at(seq).instance_id);
    state_->instances.erase(seq);
  }
  return {};
}

}  // namespace ec2m::sim
