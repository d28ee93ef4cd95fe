#pragma once

#include "cloud/query/params.hpp"
#include "core/ec2_types.hpp"
#include "core/error.hpp"

namespace ec2m::query {

// Request parsers: the decoded parameters of one EC2 Query request (wire names as in the botocore
// model, ec2 protocol) → the request types of core/ec2_types.hpp. Pure functions, thread-safe.
//
// What the parsers check (so every server gets it): required parameters (MissingParameter),
// booleans and integers (InvalidParameterValue naming parameter and value), the ranges the model
// declares (MaxResults 5..1000, 5..100 for DescribeInstanceTypes), enumerations the region cannot
// see (DescribeInstanceAttribute's Attribute), and the shape of every resource id (i-, ami-, vpc-,
// subnet-, sg- + 8 or 17 hex → *.Malformed; ResourceId.N of tags → InvalidID). What they leave to
// the region: whether ids exist, and every rule that needs state or combines parameters (except
// the few noted per function). Parameters the model defines but ec2m does not model (e.g.
// MetadataOptions.*, BlockDeviceMapping.N.Ebs.Iops) are ignored, as are unknown ones, unless
// ignoring them would change what the request does (noted per function: UnsupportedOperation).
//
// Every error is kInvalidArgument with an EC2 code in Error::aws_code.

// ImageId required here. BlockDeviceMapping.N.DeviceName (required once BlockDeviceMapping.N.*
// appears) and .Ebs.{VolumeSize,VolumeType,Encrypted,DeleteOnTermination}: an absent VolumeSize
// reads as 0 and an absent VolumeType as "" (EbsBlockDevice), DeleteOnTermination as true.
// BlockDeviceMapping.N.{NoDevice,VirtualName} and .Ebs.SnapshotId are UnsupportedOperation.
Result<RunInstancesRequest> ParseRunInstances(const Params& p);
Result<DescribeRequest> ParseDescribeInstances(const Params& p);
Result<DescribeInstanceStatusRequest> ParseDescribeInstanceStatus(const Params& p);
Result<InstanceIdsRequest> ParseStartInstances(const Params& p);
Result<InstanceIdsRequest> ParseStopInstances(const Params& p);
Result<InstanceIdsRequest> ParseRebootInstances(const Params& p);
Result<InstanceIdsRequest> ParseTerminateInstances(const Params& p);
// `DisableApiTermination.Value=true` or legacy `Attribute=disableApiTermination&Value=true`;
// likewise DisableApiStop, InstanceType, UserData. Exactly one attribute per call
// (InvalidParameterCombination otherwise); attributes ec2m does not model (SourceDestCheck,
// GroupId.N, ...) are UnsupportedOperation.
Result<ModifyInstanceAttributeRequest> ParseModifyInstanceAttribute(const Params& p);
Result<DescribeInstanceAttributeRequest> ParseDescribeInstanceAttribute(const Params& p);
// InstanceId.N (required), DryRun.
Result<InstanceIdsRequest> ParseMonitorInstances(const Params& p);
Result<InstanceIdsRequest> ParseUnmonitorInstances(const Params& p);

Result<CreateTagsRequest> ParseCreateTags(const Params& p);
Result<DeleteTagsRequest> ParseDeleteTags(const Params& p);
Result<DescribeRequest> ParseDescribeTags(const Params& p);

Result<CreateVpcRequest> ParseCreateVpc(const Params& p);
Result<DescribeRequest> ParseDescribeVpcs(const Params& p);
// VpcId, EnableDnsSupport.Value, EnableDnsHostnames.Value. That exactly one is set is the
// region's check (the Ec2 contract). EnableNetworkAddressUsageMetrics.Value is
// UnsupportedOperation alone, InvalidParameterCombination beside another attribute. The model has
// no DryRun here: DryRun is UnknownParameter (ignoring it would make a dry run a real change).
Result<ModifyVpcAttributeRequest> ParseModifyVpcAttribute(const Params& p);
Result<DeleteRequest> ParseDeleteVpc(const Params& p);
Result<CreateSubnetRequest> ParseCreateSubnet(const Params& p);
Result<DescribeRequest> ParseDescribeSubnets(const Params& p);
// SubnetId, MapPublicIpOnLaunch.Value. The model's other attributes (AssignIpv6AddressOnCreation,
// EnableDns64, ...) are UnsupportedOperation alone, InvalidParameterCombination beside another.
// DryRun is UnknownParameter, as for ModifyVpcAttribute.
Result<ModifySubnetAttributeRequest> ParseModifySubnetAttribute(const Params& p);
Result<DeleteRequest> ParseDeleteSubnet(const Params& p);

Result<CreateSecurityGroupRequest> ParseCreateSecurityGroup(const Params& p);
// GroupId.N → ids; GroupName.N → a "group-name" filter.
Result<DescribeRequest> ParseDescribeSecurityGroups(const Params& p);
// IpPermissions.N{IpProtocol,FromPort,ToPort,IpRanges.N{CidrIp,Description},Groups.N{GroupId,
// GroupName,UserId}} or the legacy flat IpProtocol/FromPort/ToPort/CidrIp/SourceSecurityGroupName/
// SourceSecurityGroupOwnerId (not both: InvalidParameterCombination). GroupId or GroupName.
Result<SecurityGroupRulesRequest> ParseAuthorizeSecurityGroupIngress(const Params& p);
Result<SecurityGroupRulesRequest> ParseRevokeSecurityGroupIngress(const Params& p);
Result<DeleteSecurityGroupRequest> ParseDeleteSecurityGroup(const Params& p);

Result<DescribeImagesRequest> ParseDescribeImages(const Params& p);
// InstanceType.N → ids.
Result<DescribeRequest> ParseDescribeInstanceTypes(const Params& p);
// ZoneName.N → ids; ZoneId.N → a "zone-id" filter.
Result<DescribeRequest> ParseDescribeAvailabilityZones(const Params& p);
// RegionName.N → ids.
Result<DescribeRequest> ParseDescribeRegions(const Params& p);

}  // namespace ec2m::query
