// Response parsers for VPCs, subnets and security groups.

#include "cloud/query/client_response_reader.hpp"
#include "cloud/query/client_responses.hpp"

namespace ec2m::query {

using internal::ParseOne;
using internal::ParsePage;
using internal::XmlReader;

namespace {

Vpc ReadVpc(XmlReader& r, pugi::xml_node n) {
  Vpc v;
  v.vpc_id = XmlReader::Text(n, "vpcId");
  v.owner_id = XmlReader::Text(n, "ownerId");
  v.state = XmlReader::Text(n, "state");
  v.cidr_block = XmlReader::Text(n, "cidrBlock");
  v.dhcp_options_id = XmlReader::Text(n, "dhcpOptionsId");
  v.tags = XmlReader::TagSet(n);
  v.instance_tenancy = XmlReader::Text(n, "instanceTenancy");
  v.is_default = r.Bool(n, "isDefault");
  return v;
}

Subnet ReadSubnet(XmlReader& r, pugi::xml_node n) {
  Subnet s;
  s.subnet_id = XmlReader::Text(n, "subnetId");
  s.subnet_arn = XmlReader::Text(n, "subnetArn");
  s.state = XmlReader::Text(n, "state");
  s.owner_id = XmlReader::Text(n, "ownerId");
  s.vpc_id = XmlReader::Text(n, "vpcId");
  s.cidr_block = XmlReader::Text(n, "cidrBlock");
  s.available_ip_address_count = r.Int(n, "availableIpAddressCount");
  s.availability_zone = XmlReader::Text(n, "availabilityZone");
  s.availability_zone_id = XmlReader::Text(n, "availabilityZoneId");
  s.default_for_az = r.Bool(n, "defaultForAz");
  s.map_public_ip_on_launch = r.Bool(n, "mapPublicIpOnLaunch");
  s.tags = XmlReader::TagSet(n);
  return s;
}

std::optional<int> ReadPort(XmlReader& r, pugi::xml_node n, const char* name) {
  std::optional<int64_t> port = r.OptionalInt(n, name);
  return port ? std::optional<int>(static_cast<int>(*port)) : std::nullopt;
}

IpPermission ReadPermission(XmlReader& r, pugi::xml_node n) {
  IpPermission p;
  p.ip_protocol = XmlReader::Text(n, "ipProtocol");
  p.from_port = ReadPort(r, n, "fromPort");
  p.to_port = ReadPort(r, n, "toPort");
  for (pugi::xml_node item : XmlReader::Items(n, "ipRanges")) {
    p.ip_ranges.push_back({XmlReader::Text(item, "cidrIp"), XmlReader::Text(item, "description")});
  }
  for (pugi::xml_node item : XmlReader::Items(n, "groups")) {
    p.groups.push_back({XmlReader::Text(item, "groupId"), XmlReader::Text(item, "groupName"),
                        XmlReader::Text(item, "userId")});
  }
  return p;
}

std::vector<IpPermission> ReadPermissions(XmlReader& r, pugi::xml_node n, const char* name) {
  std::vector<IpPermission> permissions;
  for (pugi::xml_node item : XmlReader::Items(n, name)) {
    permissions.push_back(ReadPermission(r, item));
  }
  return permissions;
}

SecurityGroup ReadSecurityGroup(XmlReader& r, pugi::xml_node n) {
  SecurityGroup g;
  g.owner_id = XmlReader::Text(n, "ownerId");
  g.group_id = XmlReader::Text(n, "groupId");
  g.group_name = XmlReader::Text(n, "groupName");
  g.description = XmlReader::Text(n, "groupDescription");
  g.vpc_id = XmlReader::Text(n, "vpcId");
  g.ingress = ReadPermissions(r, n, "ipPermissions");
  g.egress = ReadPermissions(r, n, "ipPermissionsEgress");
  g.tags = XmlReader::TagSet(n);
  return g;
}

}  // namespace

Result<Vpc> ParseCreateVpcResponse(std::string_view xml) {
  return ParseOne(xml, "CreateVpc",
                  [](XmlReader& r, pugi::xml_node root) { return ReadVpc(r, root.child("vpc")); });
}

Result<Page<Vpc>> ParseDescribeVpcsResponse(std::string_view xml) {
  return ParsePage<Vpc>(xml, "DescribeVpcs", "vpcSet", ReadVpc);
}

Result<Subnet> ParseCreateSubnetResponse(std::string_view xml) {
  return ParseOne(xml, "CreateSubnet", [](XmlReader& r, pugi::xml_node root) {
    return ReadSubnet(r, root.child("subnet"));
  });
}

Result<Page<Subnet>> ParseDescribeSubnetsResponse(std::string_view xml) {
  return ParsePage<Subnet>(xml, "DescribeSubnets", "subnetSet", ReadSubnet);
}

Result<SecurityGroup> ParseCreateSecurityGroupResponse(std::string_view xml) {
  return ParseOne(xml, "CreateSecurityGroup", [](XmlReader&, pugi::xml_node root) {
    SecurityGroup g;
    g.group_id = XmlReader::Text(root, "groupId");
    g.tags = XmlReader::TagSet(root);
    return g;
  });
}

Result<Page<SecurityGroup>> ParseDescribeSecurityGroupsResponse(std::string_view xml) {
  return ParsePage<SecurityGroup>(xml, "DescribeSecurityGroups", "securityGroupInfo",
                                  ReadSecurityGroup);
}

}  // namespace ec2m::query
