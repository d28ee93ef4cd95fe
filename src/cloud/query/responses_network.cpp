// Serializers for VPCs, subnets and security groups.

#include "cloud/query/response_common.hpp"
#include "cloud/query/responses.hpp"

namespace ec2m::query {

using internal::BeginResponse;
using internal::EndResponse;
using internal::WriteNextToken;
using internal::WriteTagSet;

namespace {

std::string_view HexPart(const std::string& id) {
  const size_t dash = id.find('-');
  return dash == std::string::npos ? std::string_view(id) : std::string_view(id).substr(dash + 1);
}

void WriteVpc(XmlWriter& w, std::string_view element, const Vpc& v) {
  w.Open(element);
  w.Text("vpcId", v.vpc_id);
  w.Text("ownerId", v.owner_id);
  w.Text("state", v.state);
  w.Text("cidrBlock", v.cidr_block);
  // ec2m models one IPv4 block per VPC; its association id is derived from the VPC id.
  w.Open("cidrBlockAssociationSet");
  w.Open("item");
  w.Text("cidrBlock", v.cidr_block);
  w.Text("associationId", "vpc-cidr-assoc-" + std::string(HexPart(v.vpc_id)));
  w.Open("cidrBlockState");
  w.Text("state", "associated");
  w.Close("cidrBlockState");
  w.Close("item");
  w.Close("cidrBlockAssociationSet");
  w.Text("dhcpOptionsId", v.dhcp_options_id);
  WriteTagSet(w, v.tags);
  w.Text("instanceTenancy", v.instance_tenancy);
  w.Bool("isDefault", v.is_default);
  w.Close(element);
}

void WriteSubnet(XmlWriter& w, std::string_view element, const Subnet& s) {
  w.Open(element);
  w.Text("subnetId", s.subnet_id);
  w.TextIfSet("subnetArn", s.subnet_arn);
  w.Text("state", s.state);
  w.Text("ownerId", s.owner_id);
  w.Text("vpcId", s.vpc_id);
  w.Text("cidrBlock", s.cidr_block);
  w.Int("availableIpAddressCount", s.available_ip_address_count);
  w.Text("availabilityZone", s.availability_zone);
  w.TextIfSet("availabilityZoneId", s.availability_zone_id);
  w.Bool("defaultForAz", s.default_for_az);
  w.Bool("mapPublicIpOnLaunch", s.map_public_ip_on_launch);
  w.Bool("mapCustomerOwnedIpOnLaunch", false);
  w.Bool("assignIpv6AddressOnCreation", false);
  w.Bool("enableDns64", false);
  w.Bool("ipv6Native", false);
  WriteTagSet(w, s.tags);
  w.Open("privateDnsNameOptionsOnLaunch");
  w.Text("hostnameType", "ip-name");
  w.Bool("enableResourceNameDnsARecord", false);
  w.Bool("enableResourceNameDnsAAAARecord", false);
  w.Close("privateDnsNameOptionsOnLaunch");
  w.Close(element);
}

void WritePermissions(XmlWriter& w, std::string_view element,
                      const std::vector<IpPermission>& permissions) {
  if (permissions.empty()) {
    w.Empty(element);
    return;
  }
  w.Open(element);
  for (const IpPermission& p : permissions) {
    w.Open("item");
    w.Text("ipProtocol", p.ip_protocol);
    if (p.from_port) {
      w.Int("fromPort", *p.from_port);
    }
    if (p.to_port) {
      w.Int("toPort", *p.to_port);
    }
    w.Open("groups");
    for (const UserIdGroupPair& g : p.groups) {
      w.Open("item");
      w.TextIfSet("userId", g.user_id);
      w.TextIfSet("groupId", g.group_id);
      w.TextIfSet("groupName", g.group_name);
      w.Close("item");
    }
    w.Close("groups");
    w.Open("ipRanges");
    for (const IpRange& r : p.ip_ranges) {
      w.Open("item");
      w.Text("cidrIp", r.cidr_ip);
      w.TextIfSet("description", r.description);
      w.Close("item");
    }
    w.Close("ipRanges");
    w.Empty("ipv6Ranges");
    w.Empty("prefixListIds");
    w.Close("item");
  }
  w.Close(element);
}

void WriteSecurityGroup(XmlWriter& w, const SecurityGroup& g) {
  w.Open("item");
  w.Text("ownerId", g.owner_id);
  w.Text("groupId", g.group_id);
  w.Text("groupName", g.group_name);
  w.Text("groupDescription", g.description);
  w.TextIfSet("vpcId", g.vpc_id);
  WritePermissions(w, "ipPermissions", g.ingress);
  WritePermissions(w, "ipPermissionsEgress", g.egress);
  WriteTagSet(w, g.tags);
  w.Close("item");
}

}  // namespace

std::string SerializeCreateVpc(std::string_view request_id, const Vpc& vpc) {
  XmlWriter w(1024);
  BeginResponse(w, "CreateVpc", request_id);
  WriteVpc(w, "vpc", vpc);
  EndResponse(w, "CreateVpc");
  return w.Take();
}

std::string SerializeDescribeVpcs(std::string_view request_id, const Page<Vpc>& page) {
  XmlWriter w(512 + 768 * page.items.size());
  BeginResponse(w, "DescribeVpcs", request_id);
  w.Open("vpcSet");
  for (const Vpc& v : page.items) {
    WriteVpc(w, "item", v);
  }
  w.Close("vpcSet");
  WriteNextToken(w, page.next_token);
  EndResponse(w, "DescribeVpcs");
  return w.Take();
}

std::string SerializeCreateSubnet(std::string_view request_id, const Subnet& subnet) {
  XmlWriter w(1536);
  BeginResponse(w, "CreateSubnet", request_id);
  WriteSubnet(w, "subnet", subnet);
  EndResponse(w, "CreateSubnet");
  return w.Take();
}

std::string SerializeDescribeSubnets(std::string_view request_id, const Page<Subnet>& page) {
  XmlWriter w(512 + 1024 * page.items.size());
  BeginResponse(w, "DescribeSubnets", request_id);
  w.Open("subnetSet");
  for (const Subnet& s : page.items) {
    WriteSubnet(w, "item", s);
  }
  w.Close("subnetSet");
  WriteNextToken(w, page.next_token);
  EndResponse(w, "DescribeSubnets");
  return w.Take();
}

std::string SerializeCreateSecurityGroup(std::string_view request_id, const SecurityGroup& group) {
  XmlWriter w(512);
  BeginResponse(w, "CreateSecurityGroup", request_id);
  w.Text("groupId", group.group_id);
  WriteTagSet(w, group.tags);
  EndResponse(w, "CreateSecurityGroup");
  return w.Take();
}

std::string SerializeDescribeSecurityGroups(std::string_view request_id,
                                            const Page<SecurityGroup>& page) {
  XmlWriter w(512 + 1024 * page.items.size());
  BeginResponse(w, "DescribeSecurityGroups", request_id);
  w.Open("securityGroupInfo");
  for (const SecurityGroup& g : page.items) {
    WriteSecurityGroup(w, g);
  }
  w.Close("securityGroupInfo");
  WriteNextToken(w, page.next_token);
  EndResponse(w, "DescribeSecurityGroups");
  return w.Take();
}

}  // namespace ec2m::query
