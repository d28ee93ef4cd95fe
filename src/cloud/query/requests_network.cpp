// Request parsers for VPCs, subnets and security groups.

#include <algorithm>
#include <array>
#include <span>

#include "cloud/query/request_fields.hpp"
#include "cloud/query/requests.hpp"

namespace ec2m::query {

using internal::DescribeShape;

namespace {

constexpr int64_t kMinPort = -1;  // -1: all ports / all ICMP types
constexpr int64_t kMaxPort = 65535;

Result<DeleteRequest> ParseDeleteById(const Params& p, std::string_view name, IdKind kind) {
  DeleteRequest req;
  EC2M_QUERY_ASSIGN_OR_RETURN(req.id, p.GetRequired(name));
  EC2M_RETURN_IF_ERROR(ValidateId(kind, req.id));
  EC2M_QUERY_ASSIGN_OR_RETURN(req.dry_run, p.GetBool("DryRun", false));
  return req;
}

// GroupId (validated) or GroupName; at least one.
Result<void> ParseGroupRef(const Params& p, std::string& group_id, std::string& group_name) {
  group_id = p.Get("GroupId");
  group_name = p.Get("GroupName");
  if (group_id.empty() && group_name.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "The request must contain the parameter GroupId or GroupName", "MissingParameter");
  }
  if (!group_id.empty()) {
    EC2M_RETURN_IF_ERROR(ValidateId(IdKind::kSecurityGroup, group_id));
  }
  return {};
}

Result<std::vector<UserIdGroupPair>> ParseGroupPairs(const Params& p, const std::string& prefix) {
  std::vector<UserIdGroupPair> pairs;
  for (int n : p.Indices(prefix)) {
    const std::string item = ItemKey(prefix, n);
    UserIdGroupPair pair;
    pair.group_id = p.Get(item + ".GroupId");
    pair.group_name = p.Get(item + ".GroupName");
    pair.user_id = p.Get(item + ".UserId");
    if (!pair.group_id.empty()) {
      EC2M_RETURN_IF_ERROR(ValidateId(IdKind::kSecurityGroup, pair.group_id));
    } else if (pair.group_name.empty()) {
      return MissingParameter(item + ".GroupId");
    }
    pairs.push_back(std::move(pair));
  }
  return pairs;
}

Result<IpPermission> ParsePermission(const Params& p, const std::string& prefix) {
  IpPermission perm;
  EC2M_QUERY_ASSIGN_OR_RETURN(perm.ip_protocol, p.GetRequired(prefix + ".IpProtocol"));
  EC2M_QUERY_ASSIGN_OR_RETURN(perm.from_port, p.GetInt(prefix + ".FromPort", kMinPort, kMaxPort));
  EC2M_QUERY_ASSIGN_OR_RETURN(perm.to_port, p.GetInt(prefix + ".ToPort", kMinPort, kMaxPort));
  for (int n : p.Indices(prefix + ".IpRanges")) {
    const std::string item = ItemKey(prefix + ".IpRanges", n);
    IpRange range;
    EC2M_QUERY_ASSIGN_OR_RETURN(range.cidr_ip, p.GetRequired(item + ".CidrIp"));
    range.description = p.Get(item + ".Description");
    perm.ip_ranges.push_back(std::move(range));
  }
  EC2M_QUERY_ASSIGN_OR_RETURN(perm.groups, ParseGroupPairs(p, prefix + ".Groups"));
  if (!p.Indices(prefix + ".Ipv6Ranges").empty()) {
    return internal::Unsupported("IpPermissions.N.Ipv6Ranges");
  }
  if (!p.Indices(prefix + ".PrefixListIds").empty()) {
    return internal::Unsupported("IpPermissions.N.PrefixListIds");
  }
  return perm;
}

// The flat pre-IpPermissions form: IpProtocol, FromPort, ToPort, CidrIp,
// SourceSecurityGroupName, SourceSecurityGroupOwnerId. Nullopt when none is present.
Result<std::optional<IpPermission>> ParseLegacyPermission(const Params& p) {
  const bool any = p.Has("IpProtocol") || p.Has("FromPort") || p.Has("ToPort") || p.Has("CidrIp") ||
                   p.Has("SourceSecurityGroupName") || p.Has("SourceSecurityGroupOwnerId");
  if (!any) {
    return std::optional<IpPermission>();
  }
  IpPermission perm;
  const std::string source_group = p.Get("SourceSecurityGroupName");
  if (!source_group.empty() && !p.Has("IpProtocol")) {
    perm.ip_protocol = "-1";  // a source group alone grants every protocol
  } else {
    EC2M_QUERY_ASSIGN_OR_RETURN(perm.ip_protocol, p.GetRequired("IpProtocol"));
  }
  EC2M_QUERY_ASSIGN_OR_RETURN(perm.from_port, p.GetInt("FromPort", kMinPort, kMaxPort));
  EC2M_QUERY_ASSIGN_OR_RETURN(perm.to_port, p.GetInt("ToPort", kMinPort, kMaxPort));
  if (const std::string* cidr = p.Find("CidrIp")) {
    perm.ip_ranges.push_back(IpRange{*cidr, ""});
  }
  if (!source_group.empty()) {
    perm.groups.push_back(UserIdGroupPair{"", source_group, p.Get("SourceSecurityGroupOwnerId")});
  }
  return std::optional<IpPermission>(std::move(perm));
}

Result<SecurityGroupRulesRequest> ParseRulesRequest(const Params& p) {
  SecurityGroupRulesRequest req;
  EC2M_RETURN_IF_ERROR(ParseGroupRef(p, req.group_id, req.group_name));
  for (int n : p.Indices("IpPermissions")) {
    EC2M_QUERY_ASSIGN_OR_RETURN(IpPermission perm, ParsePermission(p, ItemKey("IpPermissions", n)));
    req.permissions.push_back(std::move(perm));
  }
  EC2M_QUERY_ASSIGN_OR_RETURN(std::optional<IpPermission> legacy, ParseLegacyPermission(p));
  if (legacy && !req.permissions.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "IpPermissions cannot be combined with IpProtocol, FromPort, ToPort, CidrIp or "
                "SourceSecurityGroupName",
                "InvalidParameterCombination");
  }
  if (legacy) {
    req.permissions.push_back(std::move(*legacy));
  }
  if (req.permissions.empty()) {
    return MissingParameter("IpPermissions");
  }
  EC2M_QUERY_ASSIGN_OR_RETURN(req.dry_run, p.GetBool("DryRun", false));
  return req;
}

// An attribute of a Modify{Vpc,Subnet}Attribute request: its wire name and the name EC2's
// messages give it.
struct AttributeParam {
  std::string_view wire;
  std::string_view name;
};

constexpr std::array<AttributeParam, 3> kVpcAttributes = {{
    {"EnableDnsSupport.Value", "enableDnsSupport"},
    {"EnableDnsHostnames.Value", "enableDnsHostnames"},
    {"EnableNetworkAddressUsageMetrics.Value", "enableNetworkAddressUsageMetrics"},
}};

constexpr std::array<AttributeParam, 10> kSubnetAttributes = {{
    {"AssignIpv6AddressOnCreation.Value", "assignIpv6AddressOnCreation"},
    {"MapPublicIpOnLaunch.Value", "mapPublicIpOnLaunch"},
    {"MapCustomerOwnedIpOnLaunch.Value", "mapCustomerOwnedIpOnLaunch"},
    {"CustomerOwnedIpv4Pool", "customerOwnedIpv4Pool"},
    {"EnableDns64.Value", "enableDns64"},
    {"PrivateDnsHostnameTypeOnLaunch", "privateDnsHostnameTypeOnLaunch"},
    {"EnableResourceNameDnsARecordOnLaunch.Value", "enableResourceNameDnsARecordOnLaunch"},
    {"EnableResourceNameDnsAAAARecordOnLaunch.Value", "enableResourceNameDnsAAAARecordOnLaunch"},
    {"EnableLniAtDeviceIndex", "enableLniAtDeviceIndex"},
    {"DisableLniAtDeviceIndex.Value", "disableLniAtDeviceIndex"},
}};

// The attributes of `all` that `p` sets, as "a, b", and how many.
std::pair<std::string, size_t> AttributesSet(const Params& p, std::span<const AttributeParam> all) {
  std::string names;
  size_t count = 0;
  for (const AttributeParam& a : all) {
    if (p.Has(a.wire)) {
      names += names.empty() ? "" : ", ";
      names += a.name;
      ++count;
    }
  }
  return {names, count};
}

// Refuses a request that sets an attribute of `all` other than `modeled`: beside another
// attribute as EC2 refuses any two (`combination` + the names), alone as UnsupportedOperation.
Result<void> RefuseUnmodeled(const Params& p, std::span<const AttributeParam> all,
                             std::span<const std::string_view> modeled,
                             std::string_view combination, std::string_view close) {
  for (const AttributeParam& a : all) {
    if (!p.Has(a.wire) || std::find(modeled.begin(), modeled.end(), a.wire) != modeled.end()) {
      continue;
    }
    const auto [names, count] = AttributesSet(p, all);
    if (count > 1) {
      return Fail(ErrorCode::kInvalidArgument,
                  std::string(combination) + names + std::string(close),
                  "InvalidParameterCombination");
    }
    return internal::Unsupported("Modifying the attribute " + std::string(a.name));
  }
  return {};
}

// ModifyVpcAttribute and ModifySubnetAttribute have no DryRun in the model; EC2 refuses the
// parameter rather than ignore it, and ignoring it here would make a dry run a real change.
Result<void> RefuseDryRun(const Params& p) {
  if (p.Has("DryRun")) {
    return Fail(ErrorCode::kInvalidArgument, "The parameter DryRun is not recognized",
                "UnknownParameter");
  }
  return {};
}

}  // namespace

Result<ModifyVpcAttributeRequest> ParseModifyVpcAttribute(const Params& p) {
  ModifyVpcAttributeRequest req;
  EC2M_QUERY_ASSIGN_OR_RETURN(req.vpc_id, p.GetRequired("VpcId"));
  EC2M_RETURN_IF_ERROR(ValidateId(IdKind::kVpc, req.vpc_id));
  static constexpr std::array<std::string_view, 2> kModeled = {"EnableDnsSupport.Value",
                                                               "EnableDnsHostnames.Value"};
  EC2M_RETURN_IF_ERROR(RefuseUnmodeled(p, kVpcAttributes, kModeled,
                                       "Fields for multiple attribute types specified: ", ""));
  EC2M_QUERY_ASSIGN_OR_RETURN(req.enable_dns_support, p.GetBool("EnableDnsSupport.Value"));
  EC2M_QUERY_ASSIGN_OR_RETURN(req.enable_dns_hostnames, p.GetBool("EnableDnsHostnames.Value"));
  EC2M_RETURN_IF_ERROR(RefuseDryRun(p));
  return req;
}

Result<ModifySubnetAttributeRequest> ParseModifySubnetAttribute(const Params& p) {
  ModifySubnetAttributeRequest req;
  EC2M_QUERY_ASSIGN_OR_RETURN(req.subnet_id, p.GetRequired("SubnetId"));
  EC2M_RETURN_IF_ERROR(ValidateId(IdKind::kSubnet, req.subnet_id));
  static constexpr std::array<std::string_view, 1> kModeled = {"MapPublicIpOnLaunch.Value"};
  EC2M_RETURN_IF_ERROR(RefuseUnmodeled(
      p, kSubnetAttributes, kModeled,
      "Only one subnet attribute can be modified at a time. Provided attributes: [", "]"));
  EC2M_QUERY_ASSIGN_OR_RETURN(req.map_public_ip_on_launch, p.GetBool("MapPublicIpOnLaunch.Value"));
  EC2M_RETURN_IF_ERROR(RefuseDryRun(p));
  return req;
}

Result<CreateVpcRequest> ParseCreateVpc(const Params& p) {
  CreateVpcRequest req;
  req.cidr_block = p.Get("CidrBlock");
  req.instance_tenancy = p.Get("InstanceTenancy");
  EC2M_QUERY_ASSIGN_OR_RETURN(const bool ipv6, p.GetBool("AmazonProvidedIpv6CidrBlock", false));
  if (ipv6) {
    return internal::Unsupported("AmazonProvidedIpv6CidrBlock");
  }
  EC2M_QUERY_ASSIGN_OR_RETURN(req.tag_specifications, internal::ParseTagSpecifications(p));
  EC2M_QUERY_ASSIGN_OR_RETURN(req.dry_run, p.GetBool("DryRun", false));
  return req;
}

Result<DescribeRequest> ParseDescribeVpcs(const Params& p) {
  return internal::ParseDescribe(p, DescribeShape{"VpcId", IdKind::kVpc});
}

Result<DeleteRequest> ParseDeleteVpc(const Params& p) {
  return ParseDeleteById(p, "VpcId", IdKind::kVpc);
}

Result<CreateSubnetRequest> ParseCreateSubnet(const Params& p) {
  CreateSubnetRequest req;
  EC2M_QUERY_ASSIGN_OR_RETURN(req.vpc_id, p.GetRequired("VpcId"));
  EC2M_RETURN_IF_ERROR(ValidateId(IdKind::kVpc, req.vpc_id));
  req.cidr_block = p.Get("CidrBlock");
  req.availability_zone = p.Get("AvailabilityZone");
  req.availability_zone_id = p.Get("AvailabilityZoneId");
  EC2M_QUERY_ASSIGN_OR_RETURN(req.tag_specifications, internal::ParseTagSpecifications(p));
  EC2M_QUERY_ASSIGN_OR_RETURN(req.dry_run, p.GetBool("DryRun", false));
  return req;
}

Result<DescribeRequest> ParseDescribeSubnets(const Params& p) {
  return internal::ParseDescribe(p, DescribeShape{"SubnetId", IdKind::kSubnet});
}

Result<DeleteRequest> ParseDeleteSubnet(const Params& p) {
  return ParseDeleteById(p, "SubnetId", IdKind::kSubnet);
}

Result<CreateSecurityGroupRequest> ParseCreateSecurityGroup(const Params& p) {
  CreateSecurityGroupRequest req;
  EC2M_QUERY_ASSIGN_OR_RETURN(req.group_name, p.GetRequired("GroupName"));
  EC2M_QUERY_ASSIGN_OR_RETURN(req.description, p.GetRequired("GroupDescription"));
  req.vpc_id = p.Get("VpcId");
  if (!req.vpc_id.empty()) {
    EC2M_RETURN_IF_ERROR(ValidateId(IdKind::kVpc, req.vpc_id));
  }
  EC2M_QUERY_ASSIGN_OR_RETURN(req.tag_specifications, internal::ParseTagSpecifications(p));
  EC2M_QUERY_ASSIGN_OR_RETURN(req.dry_run, p.GetBool("DryRun", false));
  return req;
}

Result<DescribeRequest> ParseDescribeSecurityGroups(const Params& p) {
  EC2M_QUERY_ASSIGN_OR_RETURN(
      DescribeRequest req,
      internal::ParseDescribe(p, DescribeShape{"GroupId", IdKind::kSecurityGroup}));
  std::vector<std::string> names = p.GetList("GroupName");
  if (!names.empty()) {
    req.filters.push_back(Filter{"group-name", std::move(names)});
  }
  return req;
}

Result<SecurityGroupRulesRequest> ParseAuthorizeSecurityGroupIngress(const Params& p) {
  return ParseRulesRequest(p);
}

Result<SecurityGroupRulesRequest> ParseRevokeSecurityGroupIngress(const Params& p) {
  if (!p.Indices("SecurityGroupRuleId").empty()) {
    return internal::Unsupported("SecurityGroupRuleId.N");
  }
  return ParseRulesRequest(p);
}

Result<DeleteSecurityGroupRequest> ParseDeleteSecurityGroup(const Params& p) {
  DeleteSecurityGroupRequest req;
  EC2M_RETURN_IF_ERROR(ParseGroupRef(p, req.group_id, req.group_name));
  EC2M_QUERY_ASSIGN_OR_RETURN(req.dry_run, p.GetBool("DryRun", false));
  return req;
}

}  // namespace ec2m::query
