// SimRegion: instances (launch, describe, state changes, attributes, status checks).

#include <algorithm>
#include <unordered_set>

#include <fmt/format.h>

#include "sim/block_devices.hpp"
#include "sim/catalog.hpp"
#include "sim/filters.hpp"
#include "sim/region.hpp"
#include "sim/region_internal.hpp"
#include "sim/state.hpp"

namespace ec2m::sim {

namespace {

constexpr std::string_view kUserShutdownCode = "Client.UserInitiatedShutdown";

bool Visible(const InstanceRecord& r, int64_t now_ms, const Delays& delays) {
  return !(EffectiveState(r, now_ms) == InstanceState::kTerminated &&
           now_ms >= r.transition_ms + delays.terminated_visible.count());
}

std::string DnsName(uint32_t ip, std::string_view region) {
  return fmt::format("ip-{}-{}-{}-{}.{}.compute.internal", ip >> 24, (ip >> 16) & 0xFF,
                     (ip >> 8) & 0xFF, ip & 0xFF, region);
}

std::string UserReason(int64_t now_ms) {
  const std::string iso = FormatIso8601(FromUnixMillis(now_ms));
  // EC2: "User initiated (2026-11-27 10:00:00 GMT)".
  return fmt::format("User initiated ({} {} GMT)", iso.substr(0, 10), iso.substr(11, 8));
}

// A stable public address per instance, from 100.64.0.0/10-like space so large fleets stay
// unique; the public DNS name only when the VPC has both DNS support and DNS hostnames, as EC2.
void SetPublicAddress(Instance& i, uint64_t seq, const RegionState& state,
                      std::string_view region) {
  const uint32_t public_ip = (100u << 24) | (64u << 16) | static_cast<uint32_t>(seq & 0x3FFFFF);
  i.public_ip_address = FormatIpv4(public_ip);
  auto vpc = state.vpcs.find(i.vpc_id);
  if (vpc != state.vpcs.end() && vpc->second.enable_dns_support &&
      vpc->second.enable_dns_hostnames) {
    i.public_dns_name =
        fmt::format("ec2-{}-{}-{}-{}.{}.compute.amazonaws.com", public_ip >> 24,
                    (public_ip >> 16) & 0xFF, (public_ip >> 8) & 0xFF, public_ip & 0xFF, region);
  }
}

Instance ToInstance(const InstanceRecord& r, const RegionState& state, int64_t now_ms,
                    const SimConfig& config) {
  Instance i;
  i.instance_id = r.instance_id;
  i.reservation_id = r.reservation_id;
  i.owner_id = config.account_id;
  i.image_id = r.image_id;
  i.instance_type = r.instance_type;
  i.key_name = r.key_name;
  i.state = EffectiveState(r, now_ms);
  i.launch_time = FromUnixMillis(r.launch_ms);
  i.subnet_id = r.subnet_id;
  i.client_token = r.client_token;
  i.user_data = r.user_data;
  i.tags = r.tags;
  i.ami_launch_index = r.launch_index;
  i.monitoring_enabled = r.monitoring;
  i.ebs_optimized = r.ebs_optimized;
  i.disable_api_termination = r.disable_api_termination;
  i.disable_api_stop = r.disable_api_stop;
  i.state_transition_reason = r.reason;
  if (i.state == InstanceState::kStopped || i.state == InstanceState::kTerminated ||
      i.state == InstanceState::kStopping || i.state == InstanceState::kShuttingDown) {
    i.state_reason_code =
        r.state_reason_code.empty() ? std::string(kUserShutdownCode) : r.state_reason_code;
    i.state_reason_message = i.state_reason_code + ": User initiated shutdown";
  }
  if (const Image* image = FindImage(r.image_id)) {
    i.architecture = image->architecture;
    i.platform = image->platform;
    i.root_device_name = image->root_device_name;
  }
  auto subnet = state.subnets.find(r.subnet_id);
  if (subnet != state.subnets.end()) {
    i.vpc_id = subnet->second.subnet.vpc_id;
    i.availability_zone = subnet->second.subnet.availability_zone;
    if (i.state != InstanceState::kTerminated) {
      i.private_ip_address = FormatIpv4(r.private_ip);
      i.private_dns_name = DnsName(r.private_ip, config.region);
      if (r.public_ip && i.state == InstanceState::kRunning) {
        SetPublicAddress(i, r.seq, state, config.region);
      }
    }
  }
  if (i.state != InstanceState::kTerminated) {
    // Terminated instances have their volumes deleted or detached: EC2 lists none.
    i.block_device_mappings = r.block_devices;
    for (BlockDeviceMapping& m : i.block_device_mappings) {
      m.ebs.status = "attached";
    }
  }
  for (const std::string& gid : r.group_ids) {
    auto g = state.groups.find(gid);
    i.security_groups.push_back(
        GroupIdentifier{gid, g == state.groups.end() ? std::string() : g->second.group.group_name});
  }
  return i;
}

// How many elements from `first` on (at most `cap`, at least 1) share `key` with it.
template <class It, class Key>
size_t RunLength(It first, It last, size_t cap, Key key) {
  size_t n = 1;
  for (It next = std::next(first); n < cap && next != last && key(*next) == key(*first); ++next) {
    ++n;
  }
  return n;
}

// The block-device-mapping.* filters of DescribeInstances (`field` after the prefix).
bool BlockDeviceValues(const Instance& i, std::string_view field, std::vector<std::string>& out) {
  for (const BlockDeviceMapping& m : i.block_device_mappings) {
    if (field == "device-name") {
      out.push_back(m.device_name);
    } else if (field == "volume-id") {
      out.push_back(m.ebs.volume_id);
    } else if (field == "status") {
      out.push_back(m.ebs.status);
    } else if (field == "delete-on-termination") {
      out.emplace_back(m.ebs.delete_on_termination ? "true" : "false");
    } else if (field == "attach-time") {
      out.push_back(FormatIso8601Millis(i.launch_time));
    }
  }
  return field == "device-name" || field == "volume-id" || field == "status" ||
         field == "delete-on-termination" || field == "attach-time";
}

bool InstanceValues(const Instance& i, std::string_view name, std::vector<std::string>& out) {
  if (name == "instance-id") {
    out.push_back(i.instance_id);
  } else if (name == "instance-state-name") {
    out.emplace_back(InstanceStateName(i.state));
  } else if (name == "instance-state-code") {
    out.push_back(std::to_string(InstanceStateCode(i.state)));
  } else if (name == "instance-type") {
    out.push_back(i.instance_type);
  } else if (name == "image-id") {
    out.push_back(i.image_id);
  } else if (name == "vpc-id") {
    out.push_back(i.vpc_id);
  } else if (name == "subnet-id") {
    out.push_back(i.subnet_id);
  } else if (name == "availability-zone") {
    out.push_back(i.availability_zone);
  } else if (name == "private-ip-address" ||
             name == "network-interface.addresses.private-ip-address") {
    out.push_back(i.private_ip_address);
  } else if (name == "ip-address") {
    out.push_back(i.public_ip_address);
  } else if (name == "key-name") {
    out.push_back(i.key_name);
  } else if (name == "reservation-id") {
    out.push_back(i.reservation_id);
  } else if (name == "owner-id") {
    out.push_back(i.owner_id);
  } else if (name == "client-token") {
    out.push_back(i.client_token);
  } else if (name == "architecture") {
    out.push_back(i.architecture);
  } else if (name == "platform") {
    out.push_back(i.platform);
  } else if (name == "root-device-type") {
    out.push_back(i.root_device_type);
  } else if (name == "private-dns-name") {
    out.push_back(i.private_dns_name);
  } else if (name == "dns-name") {
    out.push_back(i.public_dns_name);
  } else if (name == "launch-time") {
    out.push_back(FormatIso8601Millis(i.launch_time));
  } else if (name == "reason") {
    out.push_back(i.state_transition_reason);
  } else if (name == "monitoring-state") {
    out.emplace_back(i.monitoring_enabled ? "enabled" : "disabled");
  } else if (name.starts_with("block-device-mapping.")) {
    return BlockDeviceValues(i, name.substr(21), out);
  } else if (name == "instance.group-id" || name == "instance.group-name") {
    for (const auto& g : i.security_groups) {
      out.push_back(name == "instance.group-id" ? g.group_id : g.group_name);
    }
  } else {
    return TagFilterValues(i.tags, name, out);
  }
  return true;
}

bool StatusValues(const InstanceStatus& s, std::string_view name, std::vector<std::string>& out) {
  if (name == "availability-zone") {
    out.push_back(s.availability_zone);
  } else if (name == "instance-state-name") {
    out.emplace_back(InstanceStateName(s.state));
  } else if (name == "instance-state-code") {
    out.push_back(std::to_string(InstanceStateCode(s.state)));
  } else if (name == "instance-status.status") {
    out.push_back(s.instance_status);
  } else if (name == "system-status.status") {
    out.push_back(s.system_status);
  } else if (name == "instance-status.reachability") {
    out.push_back(s.instance_reachability);
  } else if (name == "system-status.reachability") {
    out.push_back(s.system_reachability);
  } else {
    return false;
  }
  return true;
}

// Everything of a RunInstances request that must match for a ClientToken to be reused.
std::string Fingerprint(const RunInstancesRequest& req) {
  std::string f =
      fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", req.image_id, req.instance_type,
                  req.key_name, req.subnet_id, req.availability_zone, req.private_ip_address,
                  req.user_data, req.min_count, req.max_count, req.disable_api_termination,
                  req.disable_api_stop, req.monitoring_enabled, req.ebs_optimized);
  for (const auto& g : req.security_group_ids) {
    f += "|sg:" + g;
  }
  for (const auto& g : req.security_group_names) {
    f += "|sgn:" + g;
  }
  for (const auto& spec : req.tag_specifications) {
    f += "|ts:" + spec.resource_type;
    for (const auto& t : spec.tags) {
      f += "|" + t.key + "=" + t.value;
    }
  }
  for (const auto& m : req.block_device_mappings) {
    f += fmt::format("|bdm:{}:{}:{}:{}:{}", m.device_name, m.ebs.volume_size_gb, m.ebs.volume_type,
                     m.ebs.encrypted, m.ebs.delete_on_termination);
  }
  return f;
}

}  // namespace

namespace {

// The records of `ids`, or InvalidInstanceID.NotFound naming every unknown one.
Result<std::vector<InstanceRecord*>> Lookup(RegionState& st, const std::vector<std::string>& ids,
                                            int64_t now, const Delays& delays) {
  if (ids.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "The request must contain the parameter InstanceId",
                "MissingParameter");
  }
  std::vector<InstanceRecord*> found;
  std::vector<std::string> missing;
  std::unordered_set<std::string> seen;
  for (const auto& id : ids) {
    if (!seen.insert(id).second) {
      continue;
    }
    InstanceRecord* r = st.FindInstance(id);
    if (r == nullptr || !Visible(*r, now, delays)) {
      missing.push_back(id);
    } else {
      found.push_back(r);
    }
  }
  if (!missing.empty()) {
    return IdsNotFound("instance", missing);
  }
  return found;
}

Unexpected<Error> IncorrectState(const InstanceRecord& r, InstanceState current,
                                 std::string_view action) {
  return Fail(ErrorCode::kFailedPrecondition,
              fmt::format("The instance '{}' is not in a state from which it can be {}. (current "
                          "state: {})",
                          r.instance_id, action, InstanceStateName(current)),
              "IncorrectInstanceState");
}

}  // namespace

Result<Reservation> SimRegion::RunInstances(const RunInstancesRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("RunInstances"));
  std::lock_guard lock(mu_);
  const int64_t now = NowMs();
  EC2M_RETURN_IF_ERROR(CollectExpired(now));
  RegionState& st = *state_;

  auto reservation_of = [&](const std::string& reservation_id,
                            const std::vector<std::string>& ids) {
    Reservation res;
    res.reservation_id = reservation_id;
    res.owner_id = config_.account_id;
    for (const auto& id : ids) {
      if (InstanceRecord* r = st.FindInstance(id)) {
        res.instances.push_back(ToInstance(*r, st, now, config_));
      }
    }
    return res;
  };

  if (!req.client_token.empty()) {
    if (req.client_token.size() > 64) {
      return Fail(ErrorCode::kInvalidArgument, "ClientToken must be at most 64 characters",
                  "InvalidParameterValue");
    }
    auto tok = st.tokens.find(req.client_token);
    if (tok != st.tokens.end()) {
      if (tok->second.fingerprint != Fingerprint(req)) {
        return Fail(ErrorCode::kAlreadyExists,
                    "Arguments on this idempotent request are inconsistent with arguments used in "
                    "previous request(s).",
                    "IdempotentParameterMismatch");
      }
      return reservation_of(tok->second.reservation_id, tok->second.instance_ids);
    }
  }
  if (req.min_count < 1 || req.max_count < req.min_count) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("Invalid counts: MinCount {} and MaxCount {} (need 1 <= MinCount <= "
                            "MaxCount)",
                            req.min_count, req.max_count),
                "InvalidParameterValue");
  }
  if (req.image_id.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "The request must contain the parameter ImageId",
                "MissingParameter");
  }
  const Image* image = FindImage(req.image_id);
  if (image == nullptr) {
    return IdsNotFound("image", {req.image_id});
  }
  const std::string type = req.instance_type.empty() ? "m1.small" : req.instance_type;
  if (FindInstanceType(type) == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                "The following supplied instance types do not exist: [" + type + "]",
                "InvalidParameterValue");
  }
  auto tags = TagsFromSpecs(req.tag_specifications, "instance", {"volume", "network-interface"});
  EC2M_RETURN_IF_ERROR(tags);
  auto block_devices = ResolveBlockDevices(req.block_device_mappings, *image);
  EC2M_RETURN_IF_ERROR(block_devices);

  // Placement: the subnet, or the zone's default subnet, or the first zone's.
  SubnetRecord* subnet = nullptr;
  if (!req.subnet_id.empty()) {
    auto it = st.subnets.find(req.subnet_id);
    if (it == st.subnets.end()) {
      return IdsNotFound("subnet", {req.subnet_id});
    }
    subnet = &it->second;
    if (!req.availability_zone.empty() &&
        req.availability_zone != subnet->subnet.availability_zone) {
      return Fail(ErrorCode::kInvalidArgument,
                  "The subnet '" + req.subnet_id + "' is in " + subnet->subnet.availability_zone +
                      ", not in the requested zone " + req.availability_zone,
                  "InvalidParameterCombination");
    }
  } else {
    const auto zones = ZonesOf(config_.region);
    const std::string zone =
        req.availability_zone.empty() ? zones.front().zone_name : req.availability_zone;
    for (auto& [id, s] : st.subnets) {
      if (s.subnet.default_for_az && s.subnet.availability_zone == zone) {
        subnet = &s;
        break;
      }
    }
    if (subnet == nullptr) {
      return Fail(ErrorCode::kInvalidArgument, "Invalid availability zone: [" + zone + "]",
                  "InvalidParameterValue");
    }
  }
  const std::string& vpc_id = subnet->subnet.vpc_id;

  // Security groups: by id (in the subnet's VPC) or by name; the VPC's default otherwise.
  std::vector<std::string> group_ids;
  for (const auto& gid : req.security_group_ids) {
    auto g = st.groups.find(gid);
    if (g == st.groups.end()) {
      return IdsNotFound("security-group", {gid});
    }
    if (g->second.group.vpc_id != vpc_id) {
      return Fail(ErrorCode::kInvalidArgument,
                  "Security group " + gid + " and subnet " + subnet->subnet.subnet_id +
                      " belong to different networks.",
                  "InvalidParameter");
    }
    group_ids.push_back(gid);
  }
  for (const auto& name : req.security_group_names) {
    auto g = std::find_if(st.groups.begin(), st.groups.end(), [&](const auto& kv) {
      return kv.second.group.vpc_id == vpc_id && kv.second.group.group_name == name;
    });
    if (g == st.groups.end()) {
      return Fail(ErrorCode::kNotFound,
                  "The security group '" + name + "' does not exist in VPC '" + vpc_id + "'",
                  "InvalidGroup.NotFound");
    }
    group_ids.push_back(g->first);
  }
  if (group_ids.empty()) {
    for (const auto& [gid, g] : st.groups) {
      if (g.group.vpc_id == vpc_id && g.group.group_name == "default") {
        group_ids.push_back(gid);
      }
    }
  }

  for (const CapacityFault& cap : faults_.insufficient_capacity) {
    if ((cap.instance_type.empty() || cap.instance_type == type) &&
        (cap.availability_zone.empty() ||
         cap.availability_zone == subnet->subnet.availability_zone)) {
      return Fail(ErrorCode::kUnavailable,
                  "We currently do not have sufficient " + type +
                      " capacity in the Availability Zone you requested (" +
                      subnet->subnet.availability_zone +
                      "). Our system will be working on provisioning additional capacity.",
                  "InsufficientInstanceCapacity");
    }
  }

  // Addresses: an explicit one (count must then be 1) or the next free ones.
  std::vector<uint64_t> offsets;
  if (!req.private_ip_address.empty()) {
    auto ip = ParseIpv4(req.private_ip_address);
    if (!ip || !subnet->cidr.Contains(Cidr{*ip, 32})) {
      return Fail(
          ErrorCode::kInvalidArgument,
          "Address " + req.private_ip_address + " does not fall within the subnet's address range",
          "InvalidParameterValue");
    }
    if (req.max_count > 1) {
      return Fail(ErrorCode::kInvalidArgument,
                  "Only one instance can be launched with a specific private IP address",
                  "InvalidParameterCombination");
    }
    const uint64_t offset = *ip - subnet->cidr.address;
    if (offset < 4 || offset >= subnet->cidr.Size() - 1 || subnet->used[offset]) {
      return Fail(ErrorCode::kInvalidArgument,
                  "Address " + req.private_ip_address + " is in use or reserved",
                  "InvalidIPAddress.InUse");
    }
    offsets.push_back(offset);
  } else {
    const uint64_t size = subnet->cidr.Size();
    uint64_t cursor = subnet->next_hint;
    for (uint64_t scanned = 0;
         scanned < size && offsets.size() < static_cast<size_t>(req.max_count);
         ++scanned, ++cursor) {
      if (cursor >= size - 1) {
        cursor = 4;
      }
      if (!subnet->used[cursor]) {
        offsets.push_back(cursor);
      }
    }
    if (offsets.size() < static_cast<size_t>(req.min_count)) {
      return Fail(ErrorCode::kUnavailable,
                  fmt::format("There are not enough free addresses in subnet '{}' to satisfy the "
                              "requested number of instances.",
                              subnet->subnet.subnet_id),
                  "InsufficientFreeAddressesInSubnet");
    }
  }
  if (req.dry_run) {
    return DryRunSucceeded();
  }

  const std::string reservation_id = NewId("r");
  std::vector<InstanceRecord> launched;
  std::vector<SimRecord> records;
  for (size_t n = 0; n < offsets.size(); ++n) {
    InstanceRecord r;
    r.seq = st.next_seq + n;
    r.instance_id = NewId("i");
    r.reservation_id = reservation_id;
    r.image_id = req.image_id;
    r.instance_type = type;
    r.key_name = req.key_name;
    r.subnet_id = subnet->subnet.subnet_id;
    r.private_ip = subnet->cidr.address + static_cast<uint32_t>(offsets[n]);
    r.group_ids = group_ids;
    r.tags = *tags;
    r.client_token = req.client_token;
    r.user_data = req.user_data;
    r.launch_ms = now;
    r.state = InstanceState::kPending;
    r.transition_ms = now + config_.delays.pending.count();
    r.running_since_ms = r.transition_ms;
    r.launch_index = static_cast<int>(n);
    r.monitoring = req.monitoring_enabled;
    r.ebs_optimized = req.ebs_optimized;
    r.disable_api_termination = req.disable_api_termination;
    r.disable_api_stop = req.disable_api_stop;
    r.public_ip = subnet->subnet.map_public_ip_on_launch;
    r.block_devices = *block_devices;
    for (BlockDeviceMapping& m : r.block_devices) {
      m.ebs.volume_id = NewId("vol");
    }
    records.push_back(Encode(r));
    launched.push_back(std::move(r));
  }
  TokenRecord token;
  if (!req.client_token.empty()) {
    token.token = req.client_token;
    token.fingerprint = Fingerprint(req);
    token.reservation_id = reservation_id;
    for (const auto& r : launched) {
      token.instance_ids.push_back(r.instance_id);
    }
    records.push_back(Encode(token));
  }
  EC2M_RETURN_IF_ERROR(Persist(records));

  Reservation res;
  res.reservation_id = reservation_id;
  res.owner_id = config_.account_id;
  st.next_seq += launched.size();
  subnet->next_hint = offsets.back() + 1;
  for (auto& r : launched) {
    subnet->used[r.private_ip - subnet->cidr.address] = true;
    // RunInstances answers "pending" whatever the delay, as EC2 does, and no block devices: EC2
    // attaches the volumes after it answers.
    Instance shown = ToInstance(r, st, r.launch_ms - 1, config_);
    shown.state = InstanceState::kPending;
    shown.block_device_mappings.clear();
    res.instances.push_back(std::move(shown));
    st.seq_by_id.emplace(r.instance_id, r.seq);
    st.instances.emplace(r.seq, std::move(r));
  }
  if (!token.token.empty()) {
    st.tokens.emplace(token.token, std::move(token));
  }
  return res;
}

Result<Page<Reservation>> SimRegion::DescribeInstances(const DescribeRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("DescribeInstances"));
  EC2M_RETURN_IF_ERROR(CheckPaging(req, 5, 1000, true));
  return ReadInstances(req, req.max_results ? static_cast<size_t>(*req.max_results) : SIZE_MAX);
}

Result<Page<Reservation>> SimRegion::DescribeInstancesWindow(const DescribeRequest& req,
                                                             int limit) {
  // One request, one fault: a fault drawn again for every window would cut most large answers
  // short, which no client could tell from a network failure.
  if (req.next_token.empty()) {
    EC2M_RETURN_IF_ERROR(InjectFault("DescribeInstances"));
  }
  EC2M_RETURN_IF_ERROR(CheckPaging(req, 5, 1000, true));  // max_results is the caller's mistake
  return ReadInstances(req, static_cast<size_t>(std::max(limit, 1)));
}

Result<Page<Reservation>> SimRegion::ReadInstances(const DescribeRequest& req, size_t limit) {
  EC2M_RETURN_IF_ERROR(ValidateFilters<Instance>(req.filters, InstanceValues));
  uint64_t start_seq = 0;
  if (!req.next_token.empty()) {
    auto pos = ReadNextToken(req.next_token);
    EC2M_RETURN_IF_ERROR(pos);
    start_seq = *pos;
  }
  std::lock_guard lock(mu_);
  const int64_t now = NowMs();
  const RegionState& st = *state_;
  std::vector<InstanceRecord*> selected;
  if (!req.ids.empty()) {
    auto found = Lookup(*state_, req.ids, now, config_.delays);
    EC2M_RETURN_IF_ERROR(found);
    selected = std::move(*found);
    std::sort(selected.begin(), selected.end(),
              [](const auto* a, const auto* b) { return a->seq < b->seq; });
  }
  if (req.dry_run) {
    return DryRunSucceeded();
  }

  Page<Reservation> page;
  size_t count = 0;
  // `run` counts the records from r on that share its reservation (at most `cap`): a new entry's
  // instances are reserved at once. Grown one at a time, a window's entries were reallocated about
  // ten times each, and each large allocation made glibc consolidate the chunks the window before
  // had freed: a quarter of a streamed DescribeInstances' CPU.
  auto emit = [&](const InstanceRecord& r, auto run) -> bool {
    if (!Visible(r, now, config_.delays)) {
      return true;
    }
    Instance inst = ToInstance(r, st, now, config_);
    if (!MatchesFilters(inst, req.filters, InstanceValues)) {
      return true;
    }
    if (count == limit) {
      page.next_token = MakeNextToken(r.seq);
      return false;
    }
    ++count;
    // Consecutive instances of one reservation share its entry, as EC2 groups them.
    if (page.items.empty() || page.items.back().reservation_id != r.reservation_id) {
      Reservation& res = page.items.emplace_back();
      res.reservation_id = r.reservation_id;
      res.owner_id = config_.account_id;
      res.instances.reserve(run(limit - count + 1));
    }
    page.items.back().instances.push_back(std::move(inst));
    return true;
  };
  if (!req.ids.empty()) {
    // Sorted by seq, so a window's token (the seq of the next instance) resumes an id list too.
    auto it = std::lower_bound(selected.begin(), selected.end(), start_seq,
                               [](const InstanceRecord* r, uint64_t seq) { return r->seq < seq; });
    for (; it != selected.end(); ++it) {
      auto run = [&](size_t cap) {
        return RunLength(
            it, selected.end(), cap,
            [](const InstanceRecord* r) -> const auto& { return r->reservation_id; });
      };
      if (!emit(**it, run)) {
        break;
      }
    }
  } else {
    for (auto it = st.instances.lower_bound(start_seq); it != st.instances.end(); ++it) {
      auto run = [&](size_t cap) {
        return RunLength(
            it, st.instances.end(), cap,
            [](const auto& entry) -> const auto& { return entry.second.reservation_id; });
      };
      if (!emit(it->second, run)) {
        break;
      }
    }
  }
  return page;
}

Result<Page<InstanceStatus>> SimRegion::DescribeInstanceStatus(
    const DescribeInstanceStatusRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("DescribeInstanceStatus"));
  EC2M_RETURN_IF_ERROR(CheckPaging(req.base, 5, 1000, true));
  EC2M_RETURN_IF_ERROR(ValidateFilters<InstanceStatus>(req.base.filters, StatusValues));
  std::lock_guard lock(mu_);
  const int64_t now = NowMs();
  const RegionState& st = *state_;
  std::vector<InstanceRecord*> selected;
  if (!req.base.ids.empty()) {
    auto found = Lookup(*state_, req.base.ids, now, config_.delays);
    EC2M_RETURN_IF_ERROR(found);
    selected = std::move(*found);
  } else {
    for (auto& [seq, r] : state_->instances) {
      if (Visible(r, now, config_.delays)) {
        selected.push_back(&r);
      }
    }
  }
  if (req.base.dry_run) {
    return DryRunSucceeded();
  }
  std::vector<InstanceStatus> statuses;
  for (const InstanceRecord* r : selected) {
    InstanceStatus s;
    s.instance_id = r->instance_id;
    s.state = EffectiveState(*r, now);
    auto subnet = st.subnets.find(r->subnet_id);
    if (subnet != st.subnets.end()) {
      s.availability_zone = subnet->second.subnet.availability_zone;
    }
    if (s.state == InstanceState::kRunning) {
      const bool impaired =
          std::find(faults_.impaired_instances.begin(), faults_.impaired_instances.end(),
                    r->instance_id) != faults_.impaired_instances.end() ||
          std::find(faults_.impaired_images.begin(), faults_.impaired_images.end(), r->image_id) !=
              faults_.impaired_images.end();
      const int64_t running_since = r->transition_ms;
      if (now < running_since + config_.delays.initializing.count()) {
        s.system_status = s.instance_status = "initializing";
        s.system_reachability = s.instance_reachability = "initializing";
      } else if (impaired) {
        s.system_status = "ok";
        s.instance_status = "impaired";
        s.instance_reachability = "failed";
        s.impaired_since = FromUnixMillis(running_since + config_.delays.initializing.count());
      } else {
        s.system_status = s.instance_status = "ok";
      }
    } else if (!req.include_all_instances) {
      continue;
    }
    if (MatchesFilters(s, req.base.filters, StatusValues)) {
      statuses.push_back(std::move(s));
    }
  }
  return PageOf(std::move(statuses), req.base);
}

Result<std::vector<InstanceStateChange>> SimRegion::StartInstances(const InstanceIdsRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("StartInstances"));
  std::lock_guard lock(mu_);
  const int64_t now = NowMs();
  auto found = Lookup(*state_, req.instance_ids, now, config_.delays);
  EC2M_RETURN_IF_ERROR(found);
  std::vector<InstanceRecord> updated;
  std::vector<InstanceStateChange> changes;
  for (InstanceRecord* r : *found) {
    const InstanceState current = EffectiveState(*r, now);
    if (current == InstanceState::kRunning || current == InstanceState::kPending) {
      changes.push_back({r->instance_id, current, current});
      continue;
    }
    if (current != InstanceState::kStopped) {
      return IncorrectState(*r, current, "started");
    }
    InstanceRecord next = *r;
    next.state = InstanceState::kPending;
    next.transition_ms = now + config_.delays.pending.count();
    next.running_since_ms = next.transition_ms;
    next.reason.clear();
    next.state_reason_code.clear();
    changes.push_back({r->instance_id, InstanceState::kPending, current});
    updated.push_back(std::move(next));
  }
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  EC2M_RETURN_IF_ERROR(CommitInstances(updated));
  return changes;
}

Result<std::vector<InstanceStateChange>> SimRegion::StopInstances(const InstanceIdsRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("StopInstances"));
  std::lock_guard lock(mu_);
  const int64_t now = NowMs();
  auto found = Lookup(*state_, req.instance_ids, now, config_.delays);
  EC2M_RETURN_IF_ERROR(found);
  std::vector<InstanceRecord> updated;
  std::vector<InstanceStateChange> changes;
  for (InstanceRecord* r : *found) {
    const InstanceState current = EffectiveState(*r, now);
    if (current == InstanceState::kStopped || current == InstanceState::kStopping) {
      changes.push_back({r->instance_id, current, current});
      continue;
    }
    if (current != InstanceState::kRunning && !(current == InstanceState::kPending && req.force)) {
      return IncorrectState(*r, current, "stopped");
    }
    if (r->disable_api_stop) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "The instance '" + r->instance_id +
                      "' may not be stopped. Modify its 'disableApiStop' instance attribute and "
                      "try again.",
                  "OperationNotPermitted");
    }
    InstanceRecord next = *r;
    next.state = InstanceState::kStopping;
    next.transition_ms = now + config_.delays.stopping.count();
    next.reason = UserReason(now);
    next.state_reason_code = std::string(kUserShutdownCode);
    changes.push_back({r->instance_id, InstanceState::kStopping, current});
    updated.push_back(std::move(next));
  }
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  EC2M_RETURN_IF_ERROR(CommitInstances(updated));
  return changes;
}

Result<void> SimRegion::RebootInstances(const InstanceIdsRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("RebootInstances"));
  std::lock_guard lock(mu_);
  const int64_t now = NowMs();
  auto found = Lookup(*state_, req.instance_ids, now, config_.delays);
  EC2M_RETURN_IF_ERROR(found);
  for (InstanceRecord* r : *found) {
    const InstanceState current = EffectiveState(*r, now);
    if (current == InstanceState::kStopped || current == InstanceState::kStopping) {
      return IncorrectState(*r, current, "rebooted");
    }
  }
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  return {};  // A reboot changes no state EC2 reports.
}

Result<std::vector<InstanceStateChange>> SimRegion::TerminateInstances(
    const InstanceIdsRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("TerminateInstances"));
  std::lock_guard lock(mu_);
  const int64_t now = NowMs();
  auto found = Lookup(*state_, req.instance_ids, now, config_.delays);
  EC2M_RETURN_IF_ERROR(found);
  for (InstanceRecord* r : *found) {
    if (r->disable_api_termination && EffectiveState(*r, now) != InstanceState::kTerminated) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "The instance '" + r->instance_id +
                      "' may not be terminated. Modify its 'disableApiTermination' instance "
                      "attribute and try again.",
                  "OperationNotPermitted");
    }
  }
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  std::vector<InstanceRecord> updated;
  std::vector<InstanceStateChange> changes;
  for (InstanceRecord* r : *found) {
    const InstanceState current = EffectiveState(*r, now);
    if (current == InstanceState::kTerminated || current == InstanceState::kShuttingDown) {
      changes.push_back({r->instance_id, current, current});
      continue;
    }
    InstanceRecord next = *r;
    next.state = InstanceState::kShuttingDown;
    next.transition_ms = now + config_.delays.shutting_down.count();
    next.reason = UserReason(now);
    next.state_reason_code = std::string(kUserShutdownCode);
    changes.push_back({r->instance_id, InstanceState::kShuttingDown, current});
    updated.push_back(std::move(next));
  }
  EC2M_RETURN_IF_ERROR(CommitInstances(updated));
  for (const auto& change : changes) {
    const InstanceRecord& r = *state_->FindInstance(change.instance_id);
    auto subnet = state_->subnets.find(r.subnet_id);
    if (subnet != state_->subnets.end() && change.previous != InstanceState::kTerminated &&
        change.previous != InstanceState::kShuttingDown) {
      subnet->second.used[r.private_ip - subnet->second.cidr.address] = false;
    }
  }
  return changes;
}

Result<void> SimRegion::ModifyInstanceAttribute(const ModifyInstanceAttributeRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("ModifyInstanceAttribute"));
  std::lock_guard lock(mu_);
  const int64_t now = NowMs();
  auto found = Lookup(*state_, {req.instance_id}, now, config_.delays);
  EC2M_RETURN_IF_ERROR(found);
  InstanceRecord next = *found->front();
  const InstanceState current = EffectiveState(next, now);
  if (!req.disable_api_termination && !req.disable_api_stop && !req.instance_type &&
      !req.user_data) {
    return Fail(ErrorCode::kInvalidArgument, "No attributes specified.", "MissingParameter");
  }
  if (req.instance_type) {
    if (FindInstanceType(*req.instance_type) == nullptr) {
      return Fail(ErrorCode::kInvalidArgument,
                  "Value (" + *req.instance_type + ") for parameter instanceType is invalid.",
                  "InvalidInstanceAttributeValue");
    }
    if (current != InstanceState::kStopped) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "The instance '" + next.instance_id + "' is not in the 'stopped' state.",
                  "IncorrectInstanceState");
    }
    next.instance_type = *req.instance_type;
  }
  if (req.user_data) {
    if (current != InstanceState::kStopped) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "The instance '" + next.instance_id + "' is not in the 'stopped' state.",
                  "IncorrectInstanceState");
    }
    next.user_data = *req.user_data;
  }
  if (req.disable_api_termination) {
    next.disable_api_termination = *req.disable_api_termination;
  }
  if (req.disable_api_stop) {
    next.disable_api_stop = *req.disable_api_stop;
  }
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  const SimRecord record = Encode(next);
  EC2M_RETURN_IF_ERROR(Persist({&record, 1}));
  *found->front() = std::move(next);
  return {};
}

Result<InstanceAttribute> SimRegion::DescribeInstanceAttribute(
    const DescribeInstanceAttributeRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("DescribeInstanceAttribute"));
  std::lock_guard lock(mu_);
  const int64_t now = NowMs();
  auto found = Lookup(*state_, {req.instance_id}, now, config_.delays);
  EC2M_RETURN_IF_ERROR(found);
  const InstanceRecord& r = *found->front();
  InstanceAttribute attr{r.instance_id, req.attribute, "", false};
  if (req.attribute == "instanceType") {
    attr.value = r.instance_type;
  } else if (req.attribute == "userData") {
    attr.value = r.user_data;
  } else if (req.attribute == "disableApiTermination") {
    attr.value = r.disable_api_termination ? "true" : "false";
    attr.is_boolean = true;
  } else if (req.attribute == "disableApiStop") {
    attr.value = r.disable_api_stop ? "true" : "false";
    attr.is_boolean = true;
  } else if (req.attribute == "ebsOptimized") {
    attr.value = r.ebs_optimized ? "true" : "false";
    attr.is_boolean = true;
  } else if (req.attribute == "instanceInitiatedShutdownBehavior") {
    attr.value = "stop";
  } else if (req.attribute == "rootDeviceName") {
    const Image* image = FindImage(r.image_id);
    attr.value = image != nullptr ? image->root_device_name : "/dev/xvda";
  } else {
    return Fail(
        ErrorCode::kInvalidArgument,
        "Value (" + req.attribute + ") for parameter attribute is invalid. Unknown attribute.",
        "InvalidParameterValue");
  }
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  return attr;
}

Result<void> SimRegion::MonitorInstances(const InstanceIdsRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("MonitorInstances"));
  return SetMonitoring(req, true);
}

Result<void> SimRegion::UnmonitorInstances(const InstanceIdsRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("UnmonitorInstances"));
  return SetMonitoring(req, false);
}

Result<void> SimRegion::SetMonitoring(const InstanceIdsRequest& req, bool enabled) {
  std::lock_guard lock(mu_);
  auto found = Lookup(*state_, req.instance_ids, NowMs(), config_.delays);
  EC2M_RETURN_IF_ERROR(found);
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  std::vector<InstanceRecord> updated;
  for (const InstanceRecord* r : *found) {
    if (r->monitoring != enabled) {
      updated.push_back(*r);
      updated.back().monitoring = enabled;
    }
  }
  return CommitInstances(updated);
}

Result<void> SimRegion::CommitInstances(std::vector<InstanceRecord>& updated) {
  std::vector<SimRecord> records;
  records.reserve(updated.size());
  for (const auto& r : updated) {
    records.push_back(Encode(r));
  }
  EC2M_RETURN_IF_ERROR(Persist(records));
  for (auto& r : updated) {
    *state_->FindInstance(r.instance_id) = std::move(r);
  }
  return {};
}

}  // namespace ec2m::sim
