// The client's request encoders against the server's parsers (requests.hpp) and botocore's bytes.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "cloud/query/client_requests.hpp"
#include "cloud/query/requests.hpp"

namespace ec2m::query {
namespace {

constexpr char kI1[] = "i-1234567890abcdef0";
constexpr char kI2[] = "i-0598c7d356eba48d7";
constexpr char kSg1[] = "sg-0123456789abcdef0";
constexpr char kVpc[] = "vpc-0123456789abcdef0";
constexpr char kSubnet[] = "subnet-0123456789abcdef0";
constexpr char kAmi[] = "ami-0abcdef1234567890";

// Encodes, goes through the wire form (EncodeForm → ParseForm) and parses as the server does.
template <typename Parse>
auto ThroughServer(const Params& encoded, std::string_view action, Parse parse) {
  EXPECT_EQ(encoded.Get("Action"), action);
  EXPECT_EQ(encoded.Get("Version"), "2016-11-15");
  Result<Params> decoded = ParseForm(EncodeForm(encoded));
  EXPECT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded ? decoded->map() : Params::Map{}, encoded.map());
  auto parsed = parse(decoded ? *decoded : Params{});
  EXPECT_TRUE(parsed.has_value()) << action << ": " << (parsed ? "" : parsed.error().message);
  return parsed ? *parsed : decltype(parse(Params{}).value()){};
}

void ExpectSameFilters(const std::vector<Filter>& got, const std::vector<Filter>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].name, want[i].name);
    EXPECT_EQ(got[i].values, want[i].values);
  }
}

void ExpectSameDescribe(const DescribeRequest& got, const DescribeRequest& want) {
  EXPECT_EQ(got.ids, want.ids);
  ExpectSameFilters(got.filters, want.filters);
  EXPECT_EQ(got.max_results, want.max_results);
  EXPECT_EQ(got.next_token, want.next_token);
  EXPECT_EQ(got.dry_run, want.dry_run);
}

void ExpectSameTagSpecs(const std::vector<TagSpecification>& got,
                        const std::vector<TagSpecification>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].resource_type, want[i].resource_type);
    EXPECT_EQ(got[i].tags, want[i].tags);
  }
}

std::vector<TagSpecification> SampleTagSpecs(std::string_view type) {
  return {{std::string(type), {{"Name", "web server"}, {"team", "a&b=c/ü"}, {"empty", ""}}},
          {"volume", {{"k", "v"}}}};
}

DescribeRequest SampleDescribe(std::vector<std::string> ids, bool paginated = true) {
  DescribeRequest req;
  req.ids = std::move(ids);
  req.filters = {{"instance-state-name", {"running", "stopped"}}, {"tag:Name", {"web server"}}};
  if (paginated) {
    req.max_results = 50;
    req.next_token = "eyJ0b2tlbiI6IjEifQ==/+";
  }
  req.dry_run = true;
  return req;
}

// Every way a mapping's members can be set: all of them; size and type left out (0 and "", the
// image's root volume); kept past termination, encrypted.
std::vector<BlockDeviceMapping> SampleMappings() {
  return {{"/dev/xvda", {20, "gp3", true, true, "", ""}},
          {"xvdb", {0, "", false, true, "", ""}},
          {"/dev/sdf", {500, "st1", true, false, "", ""}}};
}

TEST(ClientRequestsTest, RunInstancesRoundTrip) {
  const RunInstancesRequest req{.image_id = kAmi,
                                .instance_type = "t3.micro",
                                .key_name = "deploy key",
                                .subnet_id = kSubnet,
                                .availability_zone = "us-east-1a",
                                .private_ip_address = "10.0.0.12",
                                .client_token = "tok-1",
                                .user_data = "aGVsbG8=",
                                .min_count = 2,
                                .max_count = 5,
                                .security_group_ids = {kSg1, "sg-0598c7d3"},
                                .security_group_names = {"default", "web"},
                                .tag_specifications = SampleTagSpecs("instance"),
                                .block_device_mappings = SampleMappings(),
                                .disable_api_termination = true,
                                .disable_api_stop = true,
                                .monitoring_enabled = true,
                                .ebs_optimized = true,
                                .dry_run = true};
  const RunInstancesRequest got =
      ThroughServer(EncodeRunInstances(req), "RunInstances", ParseRunInstances);
  EXPECT_EQ(got.image_id, req.image_id);
  EXPECT_EQ(got.instance_type, req.instance_type);
  EXPECT_EQ(got.key_name, req.key_name);
  EXPECT_EQ(got.subnet_id, req.subnet_id);
  EXPECT_EQ(got.availability_zone, req.availability_zone);
  EXPECT_EQ(got.private_ip_address, req.private_ip_address);
  EXPECT_EQ(got.client_token, req.client_token);
  EXPECT_EQ(got.user_data, req.user_data);
  EXPECT_EQ(got.min_count, 2);
  EXPECT_EQ(got.max_count, 5);
  EXPECT_EQ(got.security_group_ids, req.security_group_ids);
  EXPECT_EQ(got.security_group_names, req.security_group_names);
  ExpectSameTagSpecs(got.tag_specifications, req.tag_specifications);
  EXPECT_EQ(got.block_device_mappings, req.block_device_mappings);
  EXPECT_TRUE(got.disable_api_termination);
  EXPECT_TRUE(got.disable_api_stop);
  EXPECT_TRUE(got.monitoring_enabled);
  EXPECT_TRUE(got.ebs_optimized);
  EXPECT_TRUE(got.dry_run);
}

TEST(ClientRequestsTest, RunInstancesWireNames) {
  RunInstancesRequest req;
  req.image_id = kAmi;
  req.availability_zone = "us-east-1a";
  req.security_group_ids = {kSg1};
  req.security_group_names = {"web"};
  req.tag_specifications = {{"instance", {{"Name", "web"}}}};
  req.monitoring_enabled = true;
  const Params p = EncodeRunInstances(req);
  const Params::Map want = {{"Action", "RunInstances"},
                            {"Version", "2016-11-15"},
                            {"ImageId", kAmi},
                            {"MinCount", "1"},
                            {"MaxCount", "1"},
                            {"Placement.AvailabilityZone", "us-east-1a"},
                            {"SecurityGroupId.1", kSg1},
                            {"SecurityGroup.1", "web"},
                            {"TagSpecification.1.ResourceType", "instance"},
                            {"TagSpecification.1.Tag.1.Key", "Name"},
                            {"TagSpecification.1.Tag.1.Value", "web"},
                            {"Monitoring.Enabled", "true"}};
  EXPECT_EQ(p.map(), want);
}

// The pieces botocore 1.43 sends for BlockDeviceMappings=[{DeviceName=/dev/xvda,
// Ebs={VolumeSize=20, VolumeType=gp3, Encrypted=true}}, {DeviceName=/dev/sdf, Ebs={VolumeSize=100,
// DeleteOnTermination=false}}].
TEST(ClientRequestsTest, RunInstancesBlockDeviceMappingWireNames) {
  RunInstancesRequest req;
  req.image_id = kAmi;
  req.block_device_mappings = {{"/dev/xvda", {20, "gp3", true, true, "", ""}},
                               {"/dev/sdf", {100, "", false, false, "", ""}}};
  const Params::Map want = {{"Action", "RunInstances"},
                            {"Version", "2016-11-15"},
                            {"ImageId", kAmi},
                            {"MinCount", "1"},
                            {"MaxCount", "1"},
                            {"BlockDeviceMapping.1.DeviceName", "/dev/xvda"},
                            {"BlockDeviceMapping.1.Ebs.VolumeSize", "20"},
                            {"BlockDeviceMapping.1.Ebs.VolumeType", "gp3"},
                            {"BlockDeviceMapping.1.Ebs.Encrypted", "true"},
                            {"BlockDeviceMapping.2.DeviceName", "/dev/sdf"},
                            {"BlockDeviceMapping.2.Ebs.VolumeSize", "100"},
                            {"BlockDeviceMapping.2.Ebs.DeleteOnTermination", "false"}};
  EXPECT_EQ(EncodeRunInstances(req).map(), want);
}

// Describe operations sharing DescribeRequest: encoder, parser, and the wire name of the ids.
struct DescribeCase {
  const char* action;
  Params (*encode)(const DescribeRequest&);
  Result<DescribeRequest> (*parse)(const Params&);
  const char* id_list;
  std::vector<std::string> ids;
  bool paginated;
};

std::vector<DescribeCase> DescribeCases() {
  return {
      {"DescribeInstances",
       EncodeDescribeInstances,
       ParseDescribeInstances,
       "InstanceId",
       {kI1, kI2},
       true},
      {"DescribeTags", EncodeDescribeTags, ParseDescribeTags, "", {}, true},
      {"DescribeVpcs", EncodeDescribeVpcs, ParseDescribeVpcs, "VpcId", {kVpc}, true},
      {"DescribeSubnets", EncodeDescribeSubnets, ParseDescribeSubnets, "SubnetId", {kSubnet}, true},
      {"DescribeSecurityGroups",
       EncodeDescribeSecurityGroups,
       ParseDescribeSecurityGroups,
       "GroupId",
       {kSg1},
       true},
      {"DescribeInstanceTypes",
       EncodeDescribeInstanceTypes,
       ParseDescribeInstanceTypes,
       "InstanceType",
       {"t3.micro", "m5.large"},
       true},
      {"DescribeAvailabilityZones",
       EncodeDescribeAvailabilityZones,
       ParseDescribeAvailabilityZones,
       "ZoneName",
       {"us-east-1a", "us-east-1b"},
       false},
      {"DescribeRegions",
       EncodeDescribeRegions,
       ParseDescribeRegions,
       "RegionName",
       {"us-east-1", "eu-west-1"},
       false},
  };
}

TEST(ClientRequestsTest, DescribeRoundTrips) {
  for (const DescribeCase& c : DescribeCases()) {
    SCOPED_TRACE(c.action);
    const DescribeRequest req = SampleDescribe(c.ids, c.paginated);
    const Params p = c.encode(req);
    if (!c.ids.empty()) {
      EXPECT_EQ(p.GetList(c.id_list), c.ids);
    }
    ExpectSameDescribe(ThroughServer(p, c.action, c.parse), req);
  }
}

TEST(ClientRequestsTest, DescribeEmptyIsActionAndVersionOnly) {
  for (const DescribeCase& c : DescribeCases()) {
    SCOPED_TRACE(c.action);
    const Params::Map want = {{"Action", c.action}, {"Version", "2016-11-15"}};
    EXPECT_EQ(c.encode(DescribeRequest{}).map(), want);
  }
}

TEST(ClientRequestsTest, UnpaginatedDescribesSendNoPaging) {
  DescribeRequest req;
  req.max_results = 10;
  req.next_token = "t";
  EXPECT_FALSE(EncodeDescribeAvailabilityZones(req).Has("MaxResults"));
  EXPECT_FALSE(EncodeDescribeAvailabilityZones(req).Has("NextToken"));
  EXPECT_FALSE(EncodeDescribeRegions(req).Has("MaxResults"));
  EXPECT_FALSE(EncodeDescribeRegions(req).Has("NextToken"));
  EXPECT_EQ(EncodeDescribeVpcs(req).Get("MaxResults"), "10");
}

TEST(ClientRequestsTest, DescribeInstanceStatusRoundTrip) {
  const DescribeInstanceStatusRequest req{SampleDescribe({kI1}), true};
  const DescribeInstanceStatusRequest got = ThroughServer(
      EncodeDescribeInstanceStatus(req), "DescribeInstanceStatus", ParseDescribeInstanceStatus);
  ExpectSameDescribe(got.base, req.base);
  EXPECT_TRUE(got.include_all_instances);
}

TEST(ClientRequestsTest, DescribeImagesRoundTrip) {
  const DescribeImagesRequest req{SampleDescribe({kAmi, "ami-12345678"}), {"self", "amazon"}};
  const Params p = EncodeDescribeImages(req);
  EXPECT_EQ(p.Get("ImageId.2"), "ami-12345678");
  EXPECT_EQ(p.Get("Owner.1"), "self");
  const DescribeImagesRequest got = ThroughServer(p, "DescribeImages", ParseDescribeImages);
  ExpectSameDescribe(got.base, req.base);
  EXPECT_EQ(got.owners, req.owners);
}

struct IdsCase {
  const char* action;
  Params (*encode)(const InstanceIdsRequest&);
  Result<InstanceIdsRequest> (*parse)(const Params&);
  bool has_force;
};

TEST(ClientRequestsTest, InstanceIdsRoundTrips) {
  const std::vector<IdsCase> cases = {
      {"StartInstances", EncodeStartInstances, ParseStartInstances, false},
      {"StopInstances", EncodeStopInstances, ParseStopInstances, true},
      {"RebootInstances", EncodeRebootInstances, ParseRebootInstances, false},
      {"TerminateInstances", EncodeTerminateInstances, ParseTerminateInstances, false},
      {"MonitorInstances", EncodeMonitorInstances, ParseMonitorInstances, false},
      {"UnmonitorInstances", EncodeUnmonitorInstances, ParseUnmonitorInstances, false},
  };
  for (const IdsCase& c : cases) {
    SCOPED_TRACE(c.action);
    const InstanceIdsRequest req{{kI1, kI2}, c.has_force, true};
    const Params p = c.encode(req);
    EXPECT_EQ(p.Get("InstanceId.1"), kI1);
    EXPECT_EQ(p.Has("Force"), c.has_force);
    const InstanceIdsRequest got = ThroughServer(p, c.action, c.parse);
    EXPECT_EQ(got.instance_ids, req.instance_ids);
    EXPECT_EQ(got.force, req.force);
    EXPECT_TRUE(got.dry_run);
  }
}

TEST(ClientRequestsTest, ModifyInstanceAttributeRoundTrips) {
  std::vector<std::pair<ModifyInstanceAttributeRequest, std::string>> cases(4);
  cases[0].first.disable_api_termination = true;
  cases[0].second = "DisableApiTermination.Value";
  cases[1].first.disable_api_stop = false;
  cases[1].second = "DisableApiStop.Value";
  cases[2].first.instance_type = "m5.large";
  cases[2].second = "InstanceType.Value";
  cases[3].first.user_data = "aGVsbG8gd29ybGQ=";
  cases[3].second = "UserData.Value";
  for (auto& [req, wire] : cases) {
    SCOPED_TRACE(wire);
    req.instance_id = kI1;
    req.dry_run = true;
    const Params p = EncodeModifyInstanceAttribute(req);
    EXPECT_TRUE(p.Has(wire));
    EXPECT_EQ(p.size(), 5u);  // Action, Version, InstanceId, the attribute, DryRun
    const ModifyInstanceAttributeRequest got =
        ThroughServer(p, "ModifyInstanceAttribute", ParseModifyInstanceAttribute);
    EXPECT_EQ(got.instance_id, req.instance_id);
    EXPECT_EQ(got.disable_api_termination, req.disable_api_termination);
    EXPECT_EQ(got.disable_api_stop, req.disable_api_stop);
    EXPECT_EQ(got.instance_type, req.instance_type);
    EXPECT_EQ(got.user_data, req.user_data);
    EXPECT_TRUE(got.dry_run);
  }
}

TEST(ClientRequestsTest, DescribeInstanceAttributeRoundTrip) {
  const DescribeInstanceAttributeRequest req{kI1, "disableApiStop", true};
  const DescribeInstanceAttributeRequest got =
      ThroughServer(EncodeDescribeInstanceAttribute(req), "DescribeInstanceAttribute",
                    ParseDescribeInstanceAttribute);
  EXPECT_EQ(got.instance_id, req.instance_id);
  EXPECT_EQ(got.attribute, req.attribute);
  EXPECT_TRUE(got.dry_run);
}

TEST(ClientRequestsTest, CreateTagsRoundTrip) {
  const CreateTagsRequest req{{kI1, kVpc}, {{"Name", "web server"}, {"empty", ""}}, true};
  const Params p = EncodeCreateTags(req);
  EXPECT_EQ(p.Get("ResourceId.2"), kVpc);
  EXPECT_EQ(p.Get("Tag.1.Key"), "Name");
  EXPECT_TRUE(p.Has("Tag.2.Value"));
  const CreateTagsRequest got = ThroughServer(p, "CreateTags", ParseCreateTags);
  EXPECT_EQ(got.resource_ids, req.resource_ids);
  EXPECT_EQ(got.tags, req.tags);
  EXPECT_TRUE(got.dry_run);
}

TEST(ClientRequestsTest, DeleteTagsRoundTrip) {
  const DeleteTagsRequest req{{kI1}, {{"any", std::nullopt}, {"env", "prod"}, {"blank", ""}}, true};
  const Params p = EncodeDeleteTags(req);
  EXPECT_FALSE(p.Has("Tag.1.Value"));
  EXPECT_EQ(p.Get("Tag.2.Value"), "prod");
  EXPECT_TRUE(p.Has("Tag.3.Value"));
  const DeleteTagsRequest got = ThroughServer(p, "DeleteTags", ParseDeleteTags);
  EXPECT_EQ(got.resource_ids, req.resource_ids);
  ASSERT_EQ(got.tags.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(got.tags[i].key, req.tags[i].key);
    EXPECT_EQ(got.tags[i].value, req.tags[i].value);
  }
  EXPECT_TRUE(got.dry_run);
}

TEST(ClientRequestsTest, CreateVpcRoundTrip) {
  const CreateVpcRequest req{"10.0.0.0/16", "dedicated", SampleTagSpecs("vpc"), true};
  const CreateVpcRequest got = ThroughServer(EncodeCreateVpc(req), "CreateVpc", ParseCreateVpc);
  EXPECT_EQ(got.cidr_block, req.cidr_block);
  EXPECT_EQ(got.instance_tenancy, req.instance_tenancy);
  ExpectSameTagSpecs(got.tag_specifications, req.tag_specifications);
  EXPECT_TRUE(got.dry_run);
}

TEST(ClientRequestsTest, CreateSubnetRoundTrip) {
  const CreateSubnetRequest req{
      kVpc, "10.0.1.0/24", "us-east-1a", "use1-az1", SampleTagSpecs("subnet"), true};
  const CreateSubnetRequest got =
      ThroughServer(EncodeCreateSubnet(req), "CreateSubnet", ParseCreateSubnet);
  EXPECT_EQ(got.vpc_id, req.vpc_id);
  EXPECT_EQ(got.cidr_block, req.cidr_block);
  EXPECT_EQ(got.availability_zone, req.availability_zone);
  EXPECT_EQ(got.availability_zone_id, req.availability_zone_id);
  ExpectSameTagSpecs(got.tag_specifications, req.tag_specifications);
  EXPECT_TRUE(got.dry_run);
}

TEST(ClientRequestsTest, ModifyVpcAttributeRoundTrips) {
  const std::vector<ModifyVpcAttributeRequest> cases = {
      {kVpc, true, std::nullopt, false},
      {kVpc, false, std::nullopt, false},
      {kVpc, std::nullopt, true, false},
      {kVpc, std::nullopt, false, false},
      {kVpc, std::nullopt, std::nullopt, false},  // EC2 refuses these two; encoded as given
      {kVpc, true, true, false},
  };
  for (const ModifyVpcAttributeRequest& req : cases) {
    const ModifyVpcAttributeRequest got =
        ThroughServer(EncodeModifyVpcAttribute(req), "ModifyVpcAttribute", ParseModifyVpcAttribute);
    EXPECT_EQ(got.vpc_id, req.vpc_id);
    EXPECT_EQ(got.enable_dns_support, req.enable_dns_support);
    EXPECT_EQ(got.enable_dns_hostnames, req.enable_dns_hostnames);
    EXPECT_EQ(got.dry_run, req.dry_run);
  }
  // As botocore sends `--enable-dns-hostnames '{"Value":true}'`.
  const Params::Map want = {{"Action", "ModifyVpcAttribute"},
                            {"Version", "2016-11-15"},
                            {"VpcId", kVpc},
                            {"EnableDnsHostnames.Value", "true"}};
  EXPECT_EQ(EncodeModifyVpcAttribute({kVpc, std::nullopt, true, false}).map(), want);
  // No DryRun in EC2's model: sent, and refused rather than carried out.
  const Params dry = EncodeModifyVpcAttribute({kVpc, std::nullopt, true, true});
  EXPECT_EQ(dry.Get("DryRun"), "true");
  EXPECT_EQ(ParseModifyVpcAttribute(dry).error().aws_code, "UnknownParameter");
}

TEST(ClientRequestsTest, ModifySubnetAttributeRoundTrips) {
  for (const ModifySubnetAttributeRequest& req :
       {ModifySubnetAttributeRequest{kSubnet, true, false},
        ModifySubnetAttributeRequest{kSubnet, false, false},
        ModifySubnetAttributeRequest{kSubnet, std::nullopt, false}}) {
    const ModifySubnetAttributeRequest got = ThroughServer(
        EncodeModifySubnetAttribute(req), "ModifySubnetAttribute", ParseModifySubnetAttribute);
    EXPECT_EQ(got.subnet_id, req.subnet_id);
    EXPECT_EQ(got.map_public_ip_on_launch, req.map_public_ip_on_launch);
    EXPECT_EQ(got.dry_run, req.dry_run);
  }
  // As botocore sends `--map-public-ip-on-launch`.
  const Params::Map want = {{"Action", "ModifySubnetAttribute"},
                            {"Version", "2016-11-15"},
                            {"SubnetId", kSubnet},
                            {"MapPublicIpOnLaunch.Value", "true"}};
  EXPECT_EQ(EncodeModifySubnetAttribute({kSubnet, true, false}).map(), want);
  const Params dry = EncodeModifySubnetAttribute({kSubnet, true, true});
  EXPECT_EQ(ParseModifySubnetAttribute(dry).error().aws_code, "UnknownParameter");
}

TEST(ClientRequestsTest, DeleteByIdRoundTrips) {
  const DeleteRequest vpc{kVpc, true};
  const Params vp = EncodeDeleteVpc(vpc);
  EXPECT_EQ(vp.Get("VpcId"), kVpc);
  const DeleteRequest got_vpc = ThroughServer(vp, "DeleteVpc", ParseDeleteVpc);
  EXPECT_EQ(got_vpc.id, kVpc);
  EXPECT_TRUE(got_vpc.dry_run);
  const DeleteRequest subnet{kSubnet, false};
  const Params sp = EncodeDeleteSubnet(subnet);
  EXPECT_EQ(sp.Get("SubnetId"), kSubnet);
  EXPECT_FALSE(sp.Has("DryRun"));
  const DeleteRequest got_subnet = ThroughServer(sp, "DeleteSubnet", ParseDeleteSubnet);
  EXPECT_EQ(got_subnet.id, kSubnet);
  EXPECT_FALSE(got_subnet.dry_run);
}

TEST(ClientRequestsTest, CreateSecurityGroupRoundTrip) {
  const CreateSecurityGroupRequest req{"web", "web servers & friends", kVpc,
                                       SampleTagSpecs("security-group"), true};
  const CreateSecurityGroupRequest got = ThroughServer(
      EncodeCreateSecurityGroup(req), "CreateSecurityGroup", ParseCreateSecurityGroup);
  EXPECT_EQ(got.group_name, req.group_name);
  EXPECT_EQ(got.description, req.description);
  EXPECT_EQ(got.vpc_id, req.vpc_id);
  ExpectSameTagSpecs(got.tag_specifications, req.tag_specifications);
  EXPECT_TRUE(got.dry_run);
}

TEST(ClientRequestsTest, DeleteSecurityGroupRoundTrip) {
  for (const DeleteSecurityGroupRequest& req :
       {DeleteSecurityGroupRequest{kSg1, "", true}, DeleteSecurityGroupRequest{"", "web", false}}) {
    const DeleteSecurityGroupRequest got = ThroughServer(
        EncodeDeleteSecurityGroup(req), "DeleteSecurityGroup", ParseDeleteSecurityGroup);
    EXPECT_EQ(got.group_id, req.group_id);
    EXPECT_EQ(got.group_name, req.group_name);
    EXPECT_EQ(got.dry_run, req.dry_run);
  }
}

SecurityGroupRulesRequest SampleRules() {
  IpPermission ssh{"tcp", 22, 22, {{"10.0.0.0/8", "office"}, {"192.168.0.0/16", ""}}, {}};
  IpPermission from_groups{
      "-1", std::nullopt, std::nullopt, {}, {{kSg1, "", "123456789012"}, {"", "legacy", ""}}};
  IpPermission icmp{"icmp", -1, -1, {{"0.0.0.0/0", "ping"}}, {}};
  return {kSg1, "", {ssh, from_groups, icmp}, true};
}

void ExpectSameRules(const SecurityGroupRulesRequest& got, const SecurityGroupRulesRequest& want) {
  EXPECT_EQ(got.group_id, want.group_id);
  EXPECT_EQ(got.group_name, want.group_name);
  EXPECT_EQ(got.dry_run, want.dry_run);
  ASSERT_EQ(got.permissions.size(), want.permissions.size());
  for (size_t i = 0; i < want.permissions.size(); ++i) {
    EXPECT_EQ(got.permissions[i].ip_protocol, want.permissions[i].ip_protocol);
    EXPECT_EQ(got.permissions[i].from_port, want.permissions[i].from_port);
    EXPECT_EQ(got.permissions[i].to_port, want.permissions[i].to_port);
    EXPECT_EQ(got.permissions[i].ip_ranges, want.permissions[i].ip_ranges);
    EXPECT_EQ(got.permissions[i].groups, want.permissions[i].groups);
  }
}

TEST(ClientRequestsTest, SecurityGroupRulesRoundTrips) {
  const SecurityGroupRulesRequest req = SampleRules();
  const Params p = EncodeAuthorizeSecurityGroupIngress(req);
  EXPECT_EQ(p.Get("IpPermissions.1.IpRanges.1.CidrIp"), "10.0.0.0/8");
  EXPECT_EQ(p.Get("IpPermissions.1.IpRanges.1.Description"), "office");
  EXPECT_FALSE(p.Has("IpPermissions.1.IpRanges.2.Description"));
  EXPECT_EQ(p.Get("IpPermissions.2.Groups.1.UserId"), "123456789012");
  EXPECT_FALSE(p.Has("IpPermissions.2.FromPort"));
  EXPECT_EQ(p.Get("IpPermissions.3.FromPort"), "-1");
  ExpectSameRules(
      ThroughServer(p, "AuthorizeSecurityGroupIngress", ParseAuthorizeSecurityGroupIngress), req);
  SecurityGroupRulesRequest by_name = req;
  by_name.group_id.clear();
  by_name.group_name = "default";
  by_name.dry_run = false;
  ExpectSameRules(ThroughServer(EncodeRevokeSecurityGroupIngress(by_name),
                                "RevokeSecurityGroupIngress", ParseRevokeSecurityGroupIngress),
                  by_name);
}

// The `-- request` bodies of ec2-vectors.txt, by section name.
std::map<std::string, std::string> BotocoreBodies() {
  std::ifstream in(std::string(EC2M_SOURCE_DIR) + "/tests/testdata/sigv4/ec2-vectors.txt");
  EXPECT_TRUE(in.good());
  std::map<std::string, std::string> bodies;
  std::string line, section;
  bool in_request = false, past_headers = false;
  while (std::getline(in, line)) {
    if (line.starts_with("### ")) {
      section = line.substr(4);
    } else if (line.starts_with("-- ")) {
      in_request = line == "-- request";
      past_headers = false;
    } else if (in_request && line.empty()) {
      past_headers = true;
    } else if (in_request && past_headers) {
      bodies[section] = line;
    }
  }
  return bodies;
}

// The `key=value` pieces of a form body, sorted: botocore sends members in model order, Params
// (a map) in key order; SigV4 signs whatever bytes are sent, so only the pieces must agree.
std::vector<std::string> Pieces(const std::string& body) {
  std::vector<std::string> pieces;
  std::stringstream ss(body);
  std::string piece;
  while (std::getline(ss, piece, '&')) {
    pieces.push_back(piece);
  }
  std::sort(pieces.begin(), pieces.end());
  return pieces;
}

TEST(ClientRequestsTest, EncodeFormMatchesBotocoreBytes) {
  DescribeRequest filters;
  filters.filters = {{"instance-state-name", {"running", "stopped"}}, {"tag:Name", {"web server"}}};
  filters.max_results = 5;
  RunInstancesRequest run;
  run.image_id = "ami-0abcdef1234567890";
  run.instance_type = "t2.micro";
  run.client_token = "550e8400-e29b-41d4-a716-446655440000";
  run.tag_specifications = {{"instance", {{"Name", "web"}}}};
  ModifyInstanceAttributeRequest modify;
  modify.instance_id = kI1;
  modify.disable_api_termination = true;
  const std::map<std::string, Params> ours = {
      {"describe-instances-filters", EncodeDescribeInstances(filters)},
      {"describe-instances-ids", EncodeDescribeInstances(DescribeRequest{{kI1, kI2}, {}, {}, ""})},
      {"run-instances", EncodeRunInstances(run)},
      {"terminate-instances", EncodeTerminateInstances(InstanceIdsRequest{{kI1}})},
      {"modify-instance-attribute-disable-api-termination", EncodeModifyInstanceAttribute(modify)},
      {"describe-regions-eu-west-1", EncodeDescribeRegions(DescribeRequest{})},
  };
  const std::map<std::string, std::string> bodies = BotocoreBodies();
  ASSERT_EQ(bodies.size(), ours.size());
  for (const auto& [name, params] : ours) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(bodies.count(name));
    EXPECT_EQ(Pieces(EncodeForm(params)), Pieces(bodies.at(name)));
    EXPECT_EQ(EncodeForm(params).size(), bodies.at(name).size());
  }
}

}  // namespace
}  // namespace ec2m::query
