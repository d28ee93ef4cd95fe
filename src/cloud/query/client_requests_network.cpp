// Request encoders for VPCs, subnets and security groups.

#include "cloud/query/client_request_fields.hpp"
#include "cloud/query/client_requests.hpp"

namespace ec2m::query {

using internal::BeginRequest;
using internal::DescribeWire;
using internal::SetIfSet;
using internal::SetIfTrue;

namespace {

Params EncodeDeleteById(std::string_view action, std::string_view name, const DeleteRequest& req) {
  Params p = BeginRequest(action);
  SetIfSet(p, name, req.id);
  SetIfTrue(p, "DryRun", req.dry_run);
  return p;
}

void SetPermission(Params& p, const std::string& prefix, const IpPermission& perm) {
  p.Set(prefix + ".IpProtocol", perm.ip_protocol);
  if (perm.from_port) {
    internal::SetInt(p, prefix + ".FromPort", *perm.from_port);
  }
  if (perm.to_port) {
    internal::SetInt(p, prefix + ".ToPort", *perm.to_port);
  }
  for (size_t i = 0; i < perm.ip_ranges.size(); ++i) {
    const std::string item = ItemKey(prefix + ".IpRanges", static_cast<int>(i + 1));
    p.Set(item + ".CidrIp", perm.ip_ranges[i].cidr_ip);
    SetIfSet(p, item + ".Description", perm.ip_ranges[i].description);
  }
  for (size_t i = 0; i < perm.groups.size(); ++i) {
    const std::string item = ItemKey(prefix + ".Groups", static_cast<int>(i + 1));
    SetIfSet(p, item + ".GroupId", perm.groups[i].group_id);
    SetIfSet(p, item + ".GroupName", perm.groups[i].group_name);
    SetIfSet(p, item + ".UserId", perm.groups[i].user_id);
  }
}

Params EncodeRulesRequest(std::string_view action, const SecurityGroupRulesRequest& req) {
  Params p = BeginRequest(action);
  SetIfSet(p, "GroupId", req.group_id);
  SetIfSet(p, "GroupName", req.group_name);
  for (size_t i = 0; i < req.permissions.size(); ++i) {
    SetPermission(p, ItemKey("IpPermissions", static_cast<int>(i + 1)), req.permissions[i]);
  }
  SetIfTrue(p, "DryRun", req.dry_run);
  return p;
}

void SetAttributeValue(Params& p, std::string_view name, const std::optional<bool>& value) {
  if (value) {
    p.Set(std::string(name) + ".Value", *value ? "true" : "false");
  }
}

}  // namespace

Params EncodeCreateVpc(const CreateVpcRequest& req) {
  Params p = BeginRequest("CreateVpc");
  SetIfSet(p, "CidrBlock", req.cidr_block);
  SetIfSet(p, "InstanceTenancy", req.instance_tenancy);
  internal::SetTagSpecifications(p, req.tag_specifications);
  SetIfTrue(p, "DryRun", req.dry_run);
  return p;
}

Params EncodeDescribeVpcs(const DescribeRequest& req) {
  Params p = BeginRequest("DescribeVpcs");
  internal::SetDescribe(p, req, DescribeWire{"VpcId"});
  return p;
}

Params EncodeModifyVpcAttribute(const ModifyVpcAttributeRequest& req) {
  Params p = BeginRequest("ModifyVpcAttribute");
  SetIfSet(p, "VpcId", req.vpc_id);
  SetAttributeValue(p, "EnableDnsSupport", req.enable_dns_support);
  SetAttributeValue(p, "EnableDnsHostnames", req.enable_dns_hostnames);
  SetIfTrue(p, "DryRun", req.dry_run);
  return p;
}

Params EncodeDeleteVpc(const DeleteRequest& req) {
  return EncodeDeleteById("DeleteVpc", "VpcId", req);
}

Params EncodeCreateSubnet(const CreateSubnetRequest& req) {
  Params p = BeginRequest("CreateSubnet");
  SetIfSet(p, "VpcId", req.vpc_id);
  SetIfSet(p, "CidrBlock", req.cidr_block);
  SetIfSet(p, "AvailabilityZone", req.availability_zone);
  SetIfSet(p, "AvailabilityZoneId", req.availability_zone_id);
  internal::SetTagSpecifications(p, req.tag_specifications);
  SetIfTrue(p, "DryRun", req.dry_run);
  return p;
}

Params EncodeDescribeSubnets(const DescribeRequest& req) {
  Params p = BeginRequest("DescribeSubnets");
  internal::SetDescribe(p, req, DescribeWire{"SubnetId"});
  return p;
}

Params EncodeModifySubnetAttribute(const ModifySubnetAttributeRequest& req) {
  Params p = BeginRequest("ModifySubnetAttribute");
  SetIfSet(p, "SubnetId", req.subnet_id);
  SetAttributeValue(p, "MapPublicIpOnLaunch", req.map_public_ip_on_launch);
  SetIfTrue(p, "DryRun", req.dry_run);
  return p;
}

Params EncodeDeleteSubnet(const DeleteRequest& req) {
  return EncodeDeleteById("DeleteSubnet", "SubnetId", req);
}

Params EncodeCreateSecurityGroup(const CreateSecurityGroupRequest& req) {
  Params p = BeginRequest("CreateSecurityGroup");
  SetIfSet(p, "GroupName", req.group_name);
  SetIfSet(p, "GroupDescription", req.description);
  SetIfSet(p, "VpcId", req.vpc_id);
  internal::SetTagSpecifications(p, req.tag_specifications);
  SetIfTrue(p, "DryRun", req.dry_run);
  return p;
}

Params EncodeDescribeSecurityGroups(const DescribeRequest& req) {
  Params p = BeginRequest("DescribeSecurityGroups");
  internal::SetDescribe(p, req, DescribeWire{"GroupId"});
  return p;
}

Params EncodeAuthorizeSecurityGroupIngress(const SecurityGroupRulesRequest& req) {
  return EncodeRulesRequest("AuthorizeSecurityGroupIngress", req);
}

Params EncodeRevokeSecurityGroupIngress(const SecurityGroupRulesRequest& req) {
  return EncodeRulesRequest("RevokeSecurityGroupIngress", req);
}

Params EncodeDeleteSecurityGroup(const DeleteSecurityGroupRequest& req) {
  Params p = BeginRequest("DeleteSecurityGroup");
  SetIfSet(p, "GroupId", req.group_id);
  SetIfSet(p, "GroupName", req.group_name);
  SetIfTrue(p, "DryRun", req.dry_run);
  return p;
}

}  // namespace ec2m::query
