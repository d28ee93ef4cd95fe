#pragma once

// Domain types of EC2, shared by the simulated region (sim/) and the EC2 Query client (cloud/).
// Field names follow the EC2 API (2016-11-15); the XML codec maps them to EC2's wire names.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"

namespace ec2m {

struct Tag {
  std::string key;
  std::string value;
  bool operator==(const Tag&) const = default;
};
using Tags = std::vector<Tag>;

// A DescribeX filter: values of one filter are ORed, filters are ANDed; `*` and `?` wildcards.
struct Filter {
  std::string name;
  std::vector<std::string> values;
};

// Tags to put on resources at creation ("instance", "vpc", "subnet", "security-group", ...).
struct TagSpecification {
  std::string resource_type;
  Tags tags;
};

// A page of a Describe call; `next_token` is empty on the last page.
template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_token;
};

// The common shape of a Describe request: explicit ids, filters, paging.
struct DescribeRequest {
  std::vector<std::string> ids;
  std::vector<Filter> filters;
  std::optional<int> max_results;
  std::string next_token;
  bool dry_run = false;
};

enum class InstanceState : int {
  kPending = 0,
  kRunning = 16,
  kShuttingDown = 32,
  kTerminated = 48,
  kStopping = 64,
  kStopped = 80,
};
inline int InstanceStateCode(InstanceState s) { return static_cast<int>(s); }
// "pending", "running", "shutting-down", "terminated", "stopping", "stopped".
std::string_view InstanceStateName(InstanceState s);
std::optional<InstanceState> ParseInstanceState(std::string_view name);

struct GroupIdentifier {
  std::string group_id;
  std::string group_name;
  bool operator==(const GroupIdentifier&) const = default;
};

// An EBS volume of a block device mapping. On RunInstances: what to create; described back on an
// instance: the volume's id and attachment status (EC2 describes size, type and encryption
// through DescribeVolumes; ec2m keeps them here for the simulated region and its own checks).
// A request parsed off the wire leaves volume_size_gb 0 and volume_type empty when the request
// did not name them (EC2 then takes the image's root volume, or gp2 for a new volume); so does
// the client reading an instance, whose XML carries neither.
struct EbsBlockDevice {
  int volume_size_gb = 8;
  std::string volume_type = "gp3";  // gp2, gp3, io1, io2, st1, sc1, standard
  bool encrypted = false;
  bool delete_on_termination = true;
  std::string volume_id;  // described: "vol-..."
  std::string status;     // described: attaching, attached, detaching, detached
};

struct BlockDeviceMapping {
  std::string device_name;  // "/dev/xvda"
  EbsBlockDevice ebs;
  bool operator==(const BlockDeviceMapping& o) const {
    return device_name == o.device_name && ebs.volume_size_gb == o.ebs.volume_size_gb &&
           ebs.volume_type == o.ebs.volume_type && ebs.encrypted == o.ebs.encrypted &&
           ebs.delete_on_termination == o.ebs.delete_on_termination;
  }
};

struct Instance {
  std::string instance_id;
  std::string image_id;
  std::string instance_type;
  std::string key_name;
  InstanceState state = InstanceState::kPending;
  std::string state_transition_reason;  // EC2's "reason"
  std::string state_reason_code;        // EC2's stateReason, e.g. "Client.UserInitiatedShutdown"
  std::string state_reason_message;
  TimePoint launch_time;
  std::string availability_zone;
  std::string subnet_id;
  std::string vpc_id;
  std::string private_ip_address;
  std::string public_ip_address;
  std::string private_dns_name;
  std::string public_dns_name;
  std::vector<GroupIdentifier> security_groups;
  std::vector<BlockDeviceMapping> block_device_mappings;
  Tags tags;
  std::string client_token;
  std::string user_data;  // base64, as given to RunInstances
  std::string architecture = "x86_64";
  std::string root_device_type = "ebs";
  std::string root_device_name = "/dev/xvda";
  std::string virtualization_type = "hvm";
  std::string hypervisor = "xen";
  std::string platform;  // "windows" or empty
  int ami_launch_index = 0;
  bool monitoring_enabled = false;
  bool ebs_optimized = false;
  bool disable_api_termination = false;
  bool disable_api_stop = false;
  std::string reservation_id;
  std::string owner_id;
};

struct Reservation {
  std::string reservation_id;
  std::string owner_id;
  std::vector<GroupIdentifier> groups;
  std::vector<Instance> instances;
};

struct RunInstancesRequest {
  std::string image_id;
  std::string instance_type;  // EC2's default is m1.small; the sim uses its catalog default
  std::string key_name;
  std::string subnet_id;
  std::string availability_zone;  // Placement.AvailabilityZone
  std::string private_ip_address;
  std::string client_token;
  std::string user_data;  // base64
  int min_count = 1;
  int max_count = 1;
  std::vector<std::string> security_group_ids;
  std::vector<std::string> security_group_names;
  std::vector<TagSpecification> tag_specifications;
  std::vector<BlockDeviceMapping> block_device_mappings;  // BlockDeviceMapping.N.*
  bool disable_api_termination = false;
  bool disable_api_stop = false;
  bool monitoring_enabled = false;
  bool ebs_optimized = false;
  bool dry_run = false;
};

// Start/Stop/Reboot/Terminate.
struct InstanceIdsRequest {
  std::vector<std::string> instance_ids;
  bool force = false;  // StopInstances Force
  bool dry_run = false;
};

struct InstanceStateChange {
  std::string instance_id;
  InstanceState current = InstanceState::kPending;
  InstanceState previous = InstanceState::kPending;
};

struct ModifyInstanceAttributeRequest {
  std::string instance_id;
  std::optional<bool> disable_api_termination;
  std::optional<bool> disable_api_stop;
  std::optional<std::string> instance_type;
  std::optional<std::string> user_data;  // base64
  bool dry_run = false;
};

struct DescribeInstanceAttributeRequest {
  std::string instance_id;
  std::string attribute;  // instanceType, userData, disableApiTermination, disableApiStop, ...
  bool dry_run = false;
};

// One attribute's value: EC2 answers booleans as <x><value>true</value></x>, strings likewise.
struct InstanceAttribute {
  std::string instance_id;
  std::string attribute;
  std::string value;
  bool is_boolean = false;
};

struct DescribeInstanceStatusRequest {
  DescribeRequest base;
  bool include_all_instances = false;
};

struct InstanceStatus {
  std::string instance_id;
  std::string availability_zone;
  InstanceState state = InstanceState::kPending;
  std::string system_status = "not-applicable";    // ok|impaired|insufficient-data|initializing|...
  std::string instance_status = "not-applicable";  // same values
  std::string system_reachability = "passed";      // passed|failed|initializing|insufficient-data
  std::string instance_reachability = "passed";
  std::optional<TimePoint> impaired_since;
};

struct CreateTagsRequest {
  std::vector<std::string> resource_ids;
  Tags tags;
  bool dry_run = false;
};

// A tag to delete: the key, and optionally the value it must have.
struct TagKeyValue {
  std::string key;
  std::optional<std::string> value;
};

struct DeleteTagsRequest {
  std::vector<std::string> resource_ids;
  std::vector<TagKeyValue> tags;  // empty: delete every user tag
  bool dry_run = false;
};

struct TagDescription {
  std::string resource_id;
  std::string resource_type;  // instance, vpc, subnet, security-group, image
  std::string key;
  std::string value;
};

struct Vpc {
  std::string vpc_id;
  std::string cidr_block;
  std::string state = "available";
  std::string dhcp_options_id = "default";
  std::string instance_tenancy = "default";
  std::string owner_id;
  bool is_default = false;
  Tags tags;
};

struct CreateVpcRequest {
  std::string cidr_block;
  std::string instance_tenancy;
  std::vector<TagSpecification> tag_specifications;
  bool dry_run = false;
};

struct Subnet {
  std::string subnet_id;
  std::string vpc_id;
  std::string cidr_block;
  std::string availability_zone;
  std::string availability_zone_id;
  int64_t available_ip_address_count = 0;
  std::string state = "available";
  std::string owner_id;
  std::string subnet_arn;
  bool default_for_az = false;
  bool map_public_ip_on_launch = false;
  Tags tags;
};

struct CreateSubnetRequest {
  std::string vpc_id;
  std::string cidr_block;
  std::string availability_zone;
  std::string availability_zone_id;
  std::vector<TagSpecification> tag_specifications;
  bool dry_run = false;
};

// ModifySubnetAttribute: one attribute per request, as EC2 requires.
struct ModifySubnetAttributeRequest {
  std::string subnet_id;
  std::optional<bool> map_public_ip_on_launch;  // MapPublicIpOnLaunch.Value
  // Honoured by the simulated region. EC2's API has no DryRun for this call: over the wire it is
  // refused (UnknownParameter), never carried out.
  bool dry_run = false;
};

// ModifyVpcAttribute: one attribute per request, as EC2 requires.
struct ModifyVpcAttributeRequest {
  std::string vpc_id;
  std::optional<bool> enable_dns_support;    // EnableDnsSupport.Value
  std::optional<bool> enable_dns_hostnames;  // EnableDnsHostnames.Value
  bool dry_run = false;                      // as ModifySubnetAttributeRequest::dry_run
};

// Deletes one resource by id (DeleteVpc, DeleteSubnet).
struct DeleteRequest {
  std::string id;
  bool dry_run = false;
};

struct IpRange {
  std::string cidr_ip;
  std::string description;
  bool operator==(const IpRange&) const = default;
};

struct UserIdGroupPair {
  std::string group_id;
  std::string group_name;
  std::string user_id;
  bool operator==(const UserIdGroupPair&) const = default;
};

// One rule of a security group. Ports are absent for "-1" (all traffic).
struct IpPermission {
  std::string ip_protocol;  // tcp, udp, icmp, -1
  std::optional<int> from_port;
  std::optional<int> to_port;
  std::vector<IpRange> ip_ranges;
  std::vector<UserIdGroupPair> groups;
};

struct SecurityGroup {
  std::string group_id;
  std::string group_name;
  std::string description;
  std::string vpc_id;
  std::string owner_id;
  std::vector<IpPermission> ingress;
  std::vector<IpPermission> egress;
  Tags tags;
};

struct CreateSecurityGroupRequest {
  std::string group_name;
  std::string description;
  std::string vpc_id;  // empty: the default VPC
  std::vector<TagSpecification> tag_specifications;
  bool dry_run = false;
};

// Authorize/Revoke ingress: the group by id or by name (default VPC).
struct SecurityGroupRulesRequest {
  std::string group_id;
  std::string group_name;
  std::vector<IpPermission> permissions;
  bool dry_run = false;
};

struct DeleteSecurityGroupRequest {
  std::string group_id;
  std::string group_name;
  bool dry_run = false;
};

struct Image {
  std::string image_id;
  std::string name;
  std::string description;
  std::string owner_id;
  std::string owner_alias;  // "amazon" for public catalog images
  std::string state = "available";
  std::string architecture = "x86_64";
  std::string image_type = "machine";
  std::string platform;  // "windows" or empty
  std::string root_device_type = "ebs";
  std::string root_device_name = "/dev/xvda";
  std::string virtualization_type = "hvm";
  std::string hypervisor = "xen";
  std::string image_location;
  std::string creation_date;  // ISO 8601
  bool is_public = true;
  Tags tags;
};

struct DescribeImagesRequest {
  DescribeRequest base;
  std::vector<std::string> owners;  // account ids, "self", "amazon"
};

struct InstanceTypeInfo {
  std::string instance_type;
  int vcpus = 0;
  int64_t memory_mib = 0;
  double on_demand_hourly_usd = 0;
  std::vector<std::string> architectures;
  bool current_generation = true;
  bool free_tier_eligible = false;
};

struct AvailabilityZone {
  std::string zone_name;
  std::string zone_id;
  std::string state = "available";
  std::string region_name;
  std::string group_name;
  std::string network_border_group;
  std::string zone_type = "availability-zone";
  std::string opt_in_status = "opt-in-not-required";
};

struct Region {
  std::string region_name;
  std::string endpoint;
  std::string opt_in_status = "opt-in-not-required";
};

}  // namespace ec2m
