#pragma once

// The in-memory model of a simulated region and the encoding of each record for the Store.
// Internal to sim/; guarded by SimRegion's mutex.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/cidr.hpp"
#include "core/ec2_types.hpp"
#include "core/error.hpp"
#include "core/store.hpp"

namespace ec2m::sim {

inline constexpr std::string_view kKindInstance = "instance";
inline constexpr std::string_view kKindVpc = "vpc";
inline constexpr std::string_view kKindSubnet = "subnet";
inline constexpr std::string_view kKindGroup = "security-group";
inline constexpr std::string_view kKindToken = "client-token";
inline constexpr std::string_view kKindMeta = "meta";

// An instance as stored: what varies per instance. Fields EC2 derives (VPC, zone, image
// attributes) are looked up when it is described. `state` is the state last set by a call;
// while it is transitional, it becomes `next_state` once the clock passes `transition_at`.
struct InstanceRecord {
  uint64_t seq = 0;  // launch order, for stable listing and pagination
  std::string instance_id;
  std::string reservation_id;
  std::string image_id;
  std::string instance_type;
  std::string key_name;
  std::string subnet_id;
  uint32_t private_ip = 0;
  std::vector<std::string> group_ids;
  Tags tags;
  std::string client_token;
  std::string user_data;
  int64_t launch_ms = 0;
  InstanceState state = InstanceState::kPending;
  int64_t transition_ms = 0;     // when a transitional state completes
  int64_t running_since_ms = 0;  // start of the current running period (status checks)
  std::string reason;            // EC2's stateTransitionReason
  std::string state_reason_code;
  int launch_index = 0;
  bool monitoring = false;
  bool ebs_optimized = false;
  bool disable_api_termination = false;
  bool disable_api_stop = false;
  // Whether launch gave the instance a public address: its subnet's MapPublicIpOnLaunch then.
  bool public_ip = false;
  // The EBS volumes attached at launch, root first, each with its volume id (status is derived).
  std::vector<BlockDeviceMapping> block_devices;
};

struct VpcRecord {
  Vpc vpc;
  // EC2's defaults for a VPC one creates; the default VPC has both true.
  bool enable_dns_support = true;
  bool enable_dns_hostnames = false;
};

struct SubnetRecord {
  Subnet subnet;
  Cidr cidr;
  std::vector<bool> used;  // host offsets in use; not persisted, rebuilt from instances
  uint64_t next_hint = 4;
};

struct GroupRecord {
  SecurityGroup group;
};

// A RunInstances ClientToken: the request fingerprint and the reservation it created.
struct TokenRecord {
  std::string token;
  std::string fingerprint;
  std::string reservation_id;
  std::vector<std::string> instance_ids;
};

// Everything one region holds.
struct RegionState {
  std::map<uint64_t, InstanceRecord> instances;  // by seq
  std::unordered_map<std::string, uint64_t> seq_by_id;
  std::map<std::string, VpcRecord> vpcs;
  std::map<std::string, SubnetRecord> subnets;
  std::map<std::string, GroupRecord> groups;
  std::unordered_map<std::string, TokenRecord> tokens;
  uint64_t next_seq = 1;

  InstanceRecord* FindInstance(const std::string& id);
};

// The effective state at `now_ms`, and when it began.
InstanceState EffectiveState(const InstanceRecord& r, int64_t now_ms);

SimRecord Encode(const InstanceRecord& r);
SimRecord Encode(const VpcRecord& r);
SimRecord Encode(const SubnetRecord& r);
SimRecord Encode(const GroupRecord& r);
SimRecord Encode(const TokenRecord& r);

// Rebuilds a region from its records. Unknown kinds and undecodable bodies are kInternal naming
// the record (a damaged store is not silently ignored). Records of format version 1 (before block
// devices, public address flags and VPC DNS attributes were kept) still decode: an instance gets
// the root volume ec2m described then (its id derived from the instance id) and the public
// address its subnet gave; a VPC gets EC2's DNS defaults.
Result<RegionState> Decode(const std::vector<SimRecord>& records);

}  // namespace ec2m::sim
