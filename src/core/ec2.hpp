#pragma once

#include "core/ec2_types.hpp"
#include "core/error.hpp"

namespace ec2m {

// One EC2 region as ec2m sees it. Two implementations: the simulated region (sim/), called in
// process, and the EC2 Query API client (cloud/), which reaches real AWS or any EC2-compatible
// endpoint. Implementations are thread-safe.
//
// Errors: every failure carries an ErrorCode and, where EC2 defines one, the EC2 error code in
// Error::aws_code ("InvalidInstanceID.NotFound", "IncorrectInstanceState", "DryRunOperation",
// "RequestLimitExceeded", ...). A request with dry_run set fails with aws_code "DryRunOperation"
// (kFailedPrecondition) when it would have succeeded, and changes nothing.
class Ec2 {
 public:
  virtual ~Ec2() = default;

  // Launches between min_count and max_count instances. A repeated client_token with the same
  // parameters returns the original reservation; with different ones, IdempotentParameterMismatch.
  virtual Result<Reservation> RunInstances(const RunInstancesRequest& req) = 0;
  // Instances grouped by reservation. ids = instance ids; max_results (5..1000) cannot be
  // combined with ids (InvalidParameterCombination).
  virtual Result<Page<Reservation>> DescribeInstances(const DescribeRequest& req) = 0;
  // DescribeInstances(req) read `limit` instances at a time, for an endpoint that sends a large
  // answer while still reading it. REQUIRES: !req.max_results, limit > 0. req.next_token is ""
  // for the first window, then the next_token of the window before; it is "" after the last. The
  // windows hold the instances DescribeInstances(req) would answer, in its order and grouping,
  // except that a reservation may continue from one window into the next (same id, last of one,
  // first of the other). Id lists are read window by window too, which DescribeInstances refuses
  // (InvalidParameterCombination, as EC2). Each window is read at its own time: the windows
  // together are not one snapshot. Errors: DescribeInstances'; those the request itself causes
  // (unknown or malformed ids, bad filters, dry run) come with the first window.
  // This default reads id lists in one window and pages the rest with max_results (limit
  // clamped to DescribeInstances' 5..1000).
  virtual Result<Page<Reservation>> DescribeInstancesWindow(const DescribeRequest& req, int limit);
  virtual Result<Page<InstanceStatus>> DescribeInstanceStatus(
      const DescribeInstanceStatusRequest& req) = 0;
  virtual Result<std::vector<InstanceStateChange>> StartInstances(
      const InstanceIdsRequest& req) = 0;
  virtual Result<std::vector<InstanceStateChange>> StopInstances(const InstanceIdsRequest& req) = 0;
  virtual Result<void> RebootInstances(const InstanceIdsRequest& req) = 0;
  // Fails whole (nothing terminated) on an unknown id or a protected instance.
  virtual Result<std::vector<InstanceStateChange>> TerminateInstances(
      const InstanceIdsRequest& req) = 0;
  virtual Result<void> ModifyInstanceAttribute(const ModifyInstanceAttributeRequest& req) = 0;
  virtual Result<InstanceAttribute> DescribeInstanceAttribute(
      const DescribeInstanceAttributeRequest& req) = 0;
  // Detailed (1-minute) monitoring on / off; fails whole on an unknown id.
  virtual Result<void> MonitorInstances(const InstanceIdsRequest& req) = 0;
  virtual Result<void> UnmonitorInstances(const InstanceIdsRequest& req) = 0;

  virtual Result<void> CreateTags(const CreateTagsRequest& req) = 0;
  virtual Result<void> DeleteTags(const DeleteTagsRequest& req) = 0;
  virtual Result<Page<TagDescription>> DescribeTags(const DescribeRequest& req) = 0;

  virtual Result<Vpc> CreateVpc(const CreateVpcRequest& req) = 0;
  virtual Result<Page<Vpc>> DescribeVpcs(const DescribeRequest& req) = 0;
  // InvalidParameterCombination unless exactly one attribute is set.
  virtual Result<void> ModifyVpcAttribute(const ModifyVpcAttributeRequest& req) = 0;
  // DependencyViolation while subnets or non-default security groups remain.
  virtual Result<void> DeleteVpc(const DeleteRequest& req) = 0;

  virtual Result<Subnet> CreateSubnet(const CreateSubnetRequest& req) = 0;
  virtual Result<Page<Subnet>> DescribeSubnets(const DescribeRequest& req) = 0;
  // InvalidParameterCombination unless exactly one attribute is set.
  virtual Result<void> ModifySubnetAttribute(const ModifySubnetAttributeRequest& req) = 0;
  // DependencyViolation while instances use it.
  virtual Result<void> DeleteSubnet(const DeleteRequest& req) = 0;

  virtual Result<SecurityGroup> CreateSecurityGroup(const CreateSecurityGroupRequest& req) = 0;
  // ids = group ids; filters include group-name.
  virtual Result<Page<SecurityGroup>> DescribeSecurityGroups(const DescribeRequest& req) = 0;
  virtual Result<void> AuthorizeSecurityGroupIngress(const SecurityGroupRulesRequest& req) = 0;
  virtual Result<void> RevokeSecurityGroupIngress(const SecurityGroupRulesRequest& req) = 0;
  // DependencyViolation while an instance or another group's rule uses it.
  virtual Result<void> DeleteSecurityGroup(const DeleteSecurityGroupRequest& req) = 0;

  virtual Result<Page<Image>> DescribeImages(const DescribeImagesRequest& req) = 0;
  virtual Result<Page<InstanceTypeInfo>> DescribeInstanceTypes(const DescribeRequest& req) = 0;
  // Not paginated.
  virtual Result<std::vector<AvailabilityZone>> DescribeAvailabilityZones(
      const DescribeRequest& req) = 0;
  virtual Result<std::vector<Region>> DescribeRegions(const DescribeRequest& req) = 0;
};

}  // namespace ec2m
