#include "sim/state.hpp"

#include <cstdio>

#include "core/utf8.hpp"

#include "sim/catalog.hpp"
#include "sim/codec.hpp"

namespace ec2m::sim {

namespace {

// Every record body begins with its format version. Version 2 appends an instance's public
// address flag and block devices, and a VPC's DNS attributes; the other kinds are unchanged.
// Bodies of both versions decode; records are written in the current one.
constexpr uint64_t kFormatVersion1 = 1;
constexpr uint64_t kFormatVersion = 2;

bool KnownVersion(uint64_t version) {
  return version == kFormatVersion1 || version == kFormatVersion;
}

void PutTags(Encoder& e, const Tags& tags) {
  e.PutU64(tags.size());
  for (const Tag& t : tags) {
    e.PutString(t.key);
    e.PutString(t.value);
  }
}

bool GetTags(Decoder& d, Tags& tags) {
  uint64_t n = 0;
  if (!d.GetU64(n) || n > 1000) {
    return false;
  }
  tags.resize(n);
  for (Tag& t : tags) {
    d.GetString(t.key);
    d.GetString(t.value);
  }
  return d.ok();
}

void PutStrings(Encoder& e, const std::vector<std::string>& v) {
  e.PutU64(v.size());
  for (const auto& s : v) {
    e.PutString(s);
  }
}

bool GetStrings(Decoder& d, std::vector<std::string>& v) {
  uint64_t n = 0;
  if (!d.GetU64(n) || n > 100000) {
    return false;
  }
  v.resize(n);
  for (auto& s : v) {
    d.GetString(s);
  }
  return d.ok();
}

void PutPermissions(Encoder& e, const std::vector<IpPermission>& perms) {
  e.PutU64(perms.size());
  for (const IpPermission& p : perms) {
    e.PutString(p.ip_protocol);
    e.PutBool(p.from_port.has_value());
    e.PutI64(p.from_port.value_or(0));
    e.PutBool(p.to_port.has_value());
    e.PutI64(p.to_port.value_or(0));
    e.PutU64(p.ip_ranges.size());
    for (const IpRange& r : p.ip_ranges) {
      e.PutString(r.cidr_ip);
      e.PutString(r.description);
    }
    e.PutU64(p.groups.size());
    for (const UserIdGroupPair& g : p.groups) {
      e.PutString(g.group_id);
      e.PutString(g.group_name);
      e.PutString(g.user_id);
    }
  }
}

bool GetPort(Decoder& d, std::optional<int>& port) {
  bool has = false;
  int value = 0;
  d.GetBool(has);
  d.GetInt(value);
  port = has ? std::optional<int>(value) : std::nullopt;
  return d.ok();
}

bool GetPermissions(Decoder& d, std::vector<IpPermission>& perms) {
  uint64_t n = 0;
  if (!d.GetU64(n) || n > 10000) {
    return false;
  }
  perms.resize(n);
  for (IpPermission& p : perms) {
    d.GetString(p.ip_protocol);
    GetPort(d, p.from_port);
    GetPort(d, p.to_port);
    uint64_t ranges = 0;
    if (!d.GetU64(ranges) || ranges > 10000) {
      return false;
    }
    p.ip_ranges.resize(ranges);
    for (IpRange& r : p.ip_ranges) {
      d.GetString(r.cidr_ip);
      d.GetString(r.description);
    }
    uint64_t groups = 0;
    if (!d.GetU64(groups) || groups > 10000) {
      return false;
    }
    p.groups.resize(groups);
    for (UserIdGroupPair& g : p.groups) {
      d.GetString(g.group_id);
      d.GetString(g.group_name);
      d.GetString(g.user_id);
    }
  }
  return d.ok();
}

void PutBlockDevices(Encoder& e, const std::vector<BlockDeviceMapping>& devices) {
  e.PutU64(devices.size());
  for (const BlockDeviceMapping& m : devices) {
    e.PutString(m.device_name);
    e.PutI64(m.ebs.volume_size_gb);
    e.PutString(m.ebs.volume_type);
    e.PutBool(m.ebs.encrypted);
    e.PutBool(m.ebs.delete_on_termination);
    e.PutString(m.ebs.volume_id);
  }
}

bool GetBlockDevices(Decoder& d, std::vector<BlockDeviceMapping>& devices) {
  uint64_t n = 0;
  if (!d.GetU64(n) || n > 1000) {
    return false;
  }
  devices.resize(n);
  for (BlockDeviceMapping& m : devices) {
    d.GetString(m.device_name);
    d.GetInt(m.ebs.volume_size_gb);
    d.GetString(m.ebs.volume_type);
    d.GetBool(m.ebs.encrypted);
    d.GetBool(m.ebs.delete_on_termination);
    d.GetString(m.ebs.volume_id);
  }
  return d.ok();
}

SimRecord Record(std::string_view kind, const std::string& id, Encoder& e) {
  return SimRecord{std::string(kind), id, e.Take()};
}

// A record that cannot be decoded is reported and left out: one damaged row must not keep the
// region (and so `ec2m serve`) from starting. It stays in the store for inspection until the
// region writes that key again.
void Damaged(const SimRecord& r) {
  std::fprintf(stderr, "ec2m: simulated region store: skipped record %s/%s: it cannot be decoded\n",
               LogSafe(r.kind).c_str(), LogSafe(r.id).c_str());
}

}  // namespace

InstanceRecord* RegionState::FindInstance(const std::string& id) {
  auto it = seq_by_id.find(id);
  if (it == seq_by_id.end()) {
    return nullptr;
  }
  return &instances.at(it->second);
}

InstanceState EffectiveState(const InstanceRecord& r, int64_t now_ms) {
  if (now_ms < r.transition_ms) {
    return r.state;
  }
  switch (r.state) {
    case InstanceState::kPending:
      return InstanceState::kRunning;
    case InstanceState::kStopping:
      return InstanceState::kStopped;
    case InstanceState::kShuttingDown:
      return InstanceState::kTerminated;
    default:
      return r.state;
  }
}

SimRecord Encode(const InstanceRecord& r) {
  Encoder e;
  e.PutU64(kFormatVersion);
  e.PutU64(r.seq);
  e.PutString(r.reservation_id);
  e.PutString(r.image_id);
  e.PutString(r.instance_type);
  e.PutString(r.key_name);
  e.PutString(r.subnet_id);
  e.PutU64(r.private_ip);
  PutStrings(e, r.group_ids);
  PutTags(e, r.tags);
  e.PutString(r.client_token);
  e.PutString(r.user_data);
  e.PutI64(r.launch_ms);
  e.PutU64(static_cast<uint64_t>(r.state));
  e.PutI64(r.transition_ms);
  e.PutI64(r.running_since_ms);
  e.PutString(r.reason);
  e.PutString(r.state_reason_code);
  e.PutU64(static_cast<uint64_t>(r.launch_index));
  e.PutBool(r.monitoring);
  e.PutBool(r.ebs_optimized);
  e.PutBool(r.disable_api_termination);
  e.PutBool(r.disable_api_stop);
  e.PutBool(r.public_ip);
  PutBlockDevices(e, r.block_devices);
  return Record(kKindInstance, r.instance_id, e);
}

SimRecord Encode(const VpcRecord& r) {
  Encoder e;
  e.PutU64(kFormatVersion);
  e.PutString(r.vpc.cidr_block);
  e.PutString(r.vpc.instance_tenancy);
  e.PutBool(r.vpc.is_default);
  PutTags(e, r.vpc.tags);
  e.PutBool(r.enable_dns_support);
  e.PutBool(r.enable_dns_hostnames);
  return Record(kKindVpc, r.vpc.vpc_id, e);
}

SimRecord Encode(const SubnetRecord& r) {
  Encoder e;
  e.PutU64(kFormatVersion);
  e.PutString(r.subnet.vpc_id);
  e.PutString(r.subnet.cidr_block);
  e.PutString(r.subnet.availability_zone);
  e.PutString(r.subnet.availability_zone_id);
  e.PutBool(r.subnet.default_for_az);
  e.PutBool(r.subnet.map_public_ip_on_launch);
  PutTags(e, r.subnet.tags);
  return Record(kKindSubnet, r.subnet.subnet_id, e);
}

SimRecord Encode(const GroupRecord& r) {
  Encoder e;
  e.PutU64(kFormatVersion);
  e.PutString(r.group.group_name);
  e.PutString(r.group.description);
  e.PutString(r.group.vpc_id);
  PutPermissions(e, r.group.ingress);
  PutPermissions(e, r.group.egress);
  PutTags(e, r.group.tags);
  return Record(kKindGroup, r.group.group_id, e);
}

SimRecord Encode(const TokenRecord& r) {
  Encoder e;
  e.PutU64(kFormatVersion);
  e.PutString(r.fingerprint);
  e.PutString(r.reservation_id);
  PutStrings(e, r.instance_ids);
  return Record(kKindToken, r.token, e);
}

namespace {

// `version` is the record's format version.
bool DecodeInstance(const SimRecord& rec, InstanceRecord& r, uint64_t& version) {
  Decoder d(rec.body);
  uint64_t ip = 0;
  uint64_t state = 0;
  uint64_t index = 0;
  r.instance_id = rec.id;
  d.GetU64(version);
  d.GetU64(r.seq);
  d.GetString(r.reservation_id);
  d.GetString(r.image_id);
  d.GetString(r.instance_type);
  d.GetString(r.key_name);
  d.GetString(r.subnet_id);
  d.GetU64(ip);
  GetStrings(d, r.group_ids);
  GetTags(d, r.tags);
  d.GetString(r.client_token);
  d.GetString(r.user_data);
  d.GetI64(r.launch_ms);
  d.GetU64(state);
  d.GetI64(r.transition_ms);
  d.GetI64(r.running_since_ms);
  d.GetString(r.reason);
  d.GetString(r.state_reason_code);
  d.GetU64(index);
  d.GetBool(r.monitoring);
  d.GetBool(r.ebs_optimized);
  d.GetBool(r.disable_api_termination);
  d.GetBool(r.disable_api_stop);
  if (version >= kFormatVersion) {
    d.GetBool(r.public_ip);
    GetBlockDevices(d, r.block_devices);
  }
  r.private_ip = static_cast<uint32_t>(ip);
  r.launch_index = static_cast<int>(index);
  const auto parsed = ParseInstanceState(InstanceStateName(static_cast<InstanceState>(state)));
  if (!parsed || InstanceStateCode(*parsed) != static_cast<int>(state)) {
    return false;
  }
  r.state = *parsed;
  return KnownVersion(version) && d.done();
}

bool DecodeVpc(const SimRecord& rec, VpcRecord& r) {
  Decoder d(rec.body);
  uint64_t version = 0;
  r.vpc.vpc_id = rec.id;
  d.GetU64(version);
  d.GetString(r.vpc.cidr_block);
  d.GetString(r.vpc.instance_tenancy);
  d.GetBool(r.vpc.is_default);
  GetTags(d, r.vpc.tags);
  if (version >= kFormatVersion) {
    d.GetBool(r.enable_dns_support);
    d.GetBool(r.enable_dns_hostnames);
  } else {
    r.enable_dns_hostnames = r.vpc.is_default;
  }
  return KnownVersion(version) && d.done() && ParseCidr(r.vpc.cidr_block).has_value();
}

bool DecodeSubnet(const SimRecord& rec, SubnetRecord& r) {
  Decoder d(rec.body);
  uint64_t version = 0;
  r.subnet.subnet_id = rec.id;
  d.GetU64(version);
  d.GetString(r.subnet.vpc_id);
  d.GetString(r.subnet.cidr_block);
  d.GetString(r.subnet.availability_zone);
  d.GetString(r.subnet.availability_zone_id);
  d.GetBool(r.subnet.default_for_az);
  d.GetBool(r.subnet.map_public_ip_on_launch);
  GetTags(d, r.subnet.tags);
  auto cidr = ParseCidr(r.subnet.cidr_block);
  if (!KnownVersion(version) || !d.done() || !cidr) {
    return false;
  }
  r.cidr = *cidr;
  r.used.assign(r.cidr.Size(), false);
  return true;
}

bool DecodeGroup(const SimRecord& rec, GroupRecord& r) {
  Decoder d(rec.body);
  uint64_t version = 0;
  r.group.group_id = rec.id;
  d.GetU64(version);
  d.GetString(r.group.group_name);
  d.GetString(r.group.description);
  d.GetString(r.group.vpc_id);
  GetPermissions(d, r.group.ingress);
  GetPermissions(d, r.group.egress);
  GetTags(d, r.group.tags);
  return KnownVersion(version) && d.done();
}

bool DecodeToken(const SimRecord& rec, TokenRecord& r) {
  Decoder d(rec.body);
  uint64_t version = 0;
  r.token = rec.id;
  d.GetU64(version);
  d.GetString(r.fingerprint);
  d.GetString(r.reservation_id);
  GetStrings(d, r.instance_ids);
  return KnownVersion(version) && d.done();
}

// A version 1 instance: the root volume ec2m described then, whose id was derived from the
// instance id, and the public address its subnet gave (the subnet's setting could not change).
void UpgradeVersion1(InstanceRecord& r, const RegionState& state) {
  auto subnet = state.subnets.find(r.subnet_id);
  r.public_ip = subnet != state.subnets.end() && subnet->second.subnet.map_public_ip_on_launch;
  if (const Image* image = FindImage(r.image_id)) {
    BlockDeviceMapping root{image->root_device_name, RootVolumeOf(*image).ebs};
    root.ebs.volume_id = "vol-" + r.instance_id.substr(r.instance_id.find('-') + 1);
    r.block_devices.push_back(std::move(root));
  }
}

}  // namespace

Result<RegionState> Decode(const std::vector<SimRecord>& records) {
  RegionState state;
  std::vector<uint64_t> version1_instances;  // upgraded once every subnet is known
  for (const SimRecord& rec : records) {
    if (rec.kind == kKindInstance) {
      InstanceRecord r;
      uint64_t version = 0;
      if (!DecodeInstance(rec, r, version) || state.instances.count(r.seq) > 0) {
        Damaged(rec);
        continue;
      }
      if (version == kFormatVersion1) {
        version1_instances.push_back(r.seq);
      }
      state.next_seq = std::max(state.next_seq, r.seq + 1);
      state.seq_by_id.emplace(r.instance_id, r.seq);
      state.instances.emplace(r.seq, std::move(r));
    } else if (rec.kind == kKindVpc) {
      VpcRecord r;
      if (!DecodeVpc(rec, r)) {
        Damaged(rec);
        continue;
      }
      state.vpcs.emplace(rec.id, std::move(r));
    } else if (rec.kind == kKindSubnet) {
      SubnetRecord r;
      if (!DecodeSubnet(rec, r)) {
        Damaged(rec);
        continue;
      }
      state.subnets.emplace(rec.id, std::move(r));
    } else if (rec.kind == kKindGroup) {
      GroupRecord r;
      if (!DecodeGroup(rec, r)) {
        Damaged(rec);
        continue;
      }
      state.groups.emplace(rec.id, std::move(r));
    } else if (rec.kind == kKindToken) {
      TokenRecord r;
      if (!DecodeToken(rec, r)) {
        Damaged(rec);
        continue;
      }
      state.tokens.emplace(rec.id, std::move(r));
    } else if (rec.kind != kKindMeta) {
      Damaged(rec);
    }
  }
  for (uint64_t seq : version1_instances) {
    UpgradeVersion1(state.instances.at(seq), state);
  }
  return state;
}

}  // namespace ec2m::sim
