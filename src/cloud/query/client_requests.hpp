#pragma once

#include "cloud/query/params.hpp"
#include "core/ec2_types.hpp"

namespace ec2m::query {

// Request encoders, the client side of requests.hpp: one request type of core/ec2_types.hpp →
// the parameters of one EC2 Query request (Action, Version=2016-11-15 and the members under the
// wire names botocore gives them: `Name.N` lists from 1, `Parent.Child` structures, booleans
// "true"/"false"). As botocore omits members the caller did not set, these omit empty strings,
// empty lists, unset optionals and booleans left false (their EC2 default); MinCount and MaxCount
// are always sent. EncodeForm(EncodeX(req)) is the request body. The encoders do not validate:
// the endpoint does. Pure functions, thread-safe.
//
// For every operation X, ParseX(EncodeX(req)) (requests.hpp) gives back `req`.

// The API version every request names.
inline constexpr std::string_view kApiVersion = "2016-11-15";

// BlockDeviceMapping.N.DeviceName and .Ebs.{VolumeSize (when > 0), VolumeType (when set),
// Encrypted (when true), DeleteOnTermination (when false: true is what the server reads absent)}.
Params EncodeRunInstances(const RunInstancesRequest& req);
Params EncodeDescribeInstances(const DescribeRequest& req);
Params EncodeDescribeInstanceStatus(const DescribeInstanceStatusRequest& req);
Params EncodeStartInstances(const InstanceIdsRequest& req);
// Force=true when req.force.
Params EncodeStopInstances(const InstanceIdsRequest& req);
Params EncodeRebootInstances(const InstanceIdsRequest& req);
Params EncodeTerminateInstances(const InstanceIdsRequest& req);
// Each set attribute as `<Name>.Value` (DisableApiTermination, DisableApiStop, InstanceType,
// UserData). EC2 accepts exactly one per call; this encodes what it is given.
Params EncodeModifyInstanceAttribute(const ModifyInstanceAttributeRequest& req);
Params EncodeDescribeInstanceAttribute(const DescribeInstanceAttributeRequest& req);
Params EncodeMonitorInstances(const InstanceIdsRequest& req);
Params EncodeUnmonitorInstances(const InstanceIdsRequest& req);

// Tag.N.Key and Tag.N.Value (sent even when empty: a tag with an empty value).
Params EncodeCreateTags(const CreateTagsRequest& req);
// Tag.N.Key, and Tag.N.Value only when the value is set.
Params EncodeDeleteTags(const DeleteTagsRequest& req);
Params EncodeDescribeTags(const DescribeRequest& req);

Params EncodeCreateVpc(const CreateVpcRequest& req);
Params EncodeDescribeVpcs(const DescribeRequest& req);
// Each set attribute as `<Name>.Value` (EnableDnsSupport, EnableDnsHostnames). EC2 accepts exactly
// one per call; this encodes what it is given. EC2 defines no DryRun for this operation nor for
// ModifySubnetAttribute: a dry run is sent as DryRun=true, which the server refuses
// (UnknownParameter) instead of making the change.
Params EncodeModifyVpcAttribute(const ModifyVpcAttributeRequest& req);
Params EncodeDeleteVpc(const DeleteRequest& req);
Params EncodeCreateSubnet(const CreateSubnetRequest& req);
Params EncodeDescribeSubnets(const DescribeRequest& req);
// MapPublicIpOnLaunch.Value when set.
Params EncodeModifySubnetAttribute(const ModifySubnetAttributeRequest& req);
Params EncodeDeleteSubnet(const DeleteRequest& req);

Params EncodeCreateSecurityGroup(const CreateSecurityGroupRequest& req);
// ids → GroupId.N; names go as a "group-name" filter.
Params EncodeDescribeSecurityGroups(const DescribeRequest& req);
// IpPermissions.N{IpProtocol,FromPort,ToPort,IpRanges.M{CidrIp,Description},Groups.M{GroupId,
// GroupName,UserId}}.
Params EncodeAuthorizeSecurityGroupIngress(const SecurityGroupRulesRequest& req);
Params EncodeRevokeSecurityGroupIngress(const SecurityGroupRulesRequest& req);
Params EncodeDeleteSecurityGroup(const DeleteSecurityGroupRequest& req);

// ids → ImageId.N, owners → Owner.N.
Params EncodeDescribeImages(const DescribeImagesRequest& req);
// ids → InstanceType.N.
Params EncodeDescribeInstanceTypes(const DescribeRequest& req);
// ids → ZoneName.N. Not paginated: max_results and next_token are not sent.
Params EncodeDescribeAvailabilityZones(const DescribeRequest& req);
// ids → RegionName.N. Not paginated: max_results and next_token are not sent.
Params EncodeDescribeRegions(const DescribeRequest& req);

}  // namespace ec2m::query
