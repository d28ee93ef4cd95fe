// The client's response parsers against the server's serializers (responses.hpp).

#include <gtest/gtest.h>

#include "cloud/query/client_responses.hpp"
#include "cloud/query/responses.hpp"

namespace ec2m::query {
namespace {

constexpr char kRequestId[] = "8f7724cf-496f-496e-8fe3-000000000001";

template <typename T>
T Ok(Result<T> r) {
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? std::move(*r) : T{};
}

Instance SampleInstance(int n, InstanceState state) {
  Instance i;
  i.instance_id = "i-0000000000000000" + std::to_string(n);
  i.image_id = "ami-0abcdef1234567890";
  i.instance_type = "t3.micro";
  i.key_name = "deploy";
  i.state = state;
  i.state_transition_reason = "User initiated (2016-11-15 10:05:00 GMT)";
  i.state_reason_code = "Client.UserInitiatedShutdown";
  i.state_reason_message = "Client.UserInitiatedShutdown: User initiated shutdown";
  i.launch_time = FromUnixMillis(1479204000123);  // 2016-11-15T10:00:00.123Z
  i.availability_zone = "us-west-2a";
  i.subnet_id = "subnet-0123456789abcdef0";
  i.vpc_id = "vpc-0123456789abcdef0";
  i.private_ip_address = "10.0.0.12";
  i.public_ip_address = "54.1.2.3";
  i.private_dns_name = "ip-10-0-0-12.us-west-2.compute.internal";
  i.public_dns_name = "ec2-54-1-2-3.us-west-2.compute.amazonaws.com";
  i.security_groups = {{"sg-0123456789abcdef0", "default"}, {"sg-0598c7d3", "web & <api>"}};
  i.tags = {{"Name", "web-" + std::to_string(n)}, {"empty", ""}};
  i.client_token = "tok";
  i.architecture = "arm64";
  i.root_device_type = "instance-store";
  i.root_device_name = "/dev/sda1";
  i.virtualization_type = "paravirtual";
  i.hypervisor = "nitro";
  i.platform = "windows";
  i.ami_launch_index = n;
  i.monitoring_enabled = true;
  i.ebs_optimized = true;
  // As the client reads them back: no size, type or encryption (DescribeVolumes' members).
  i.block_device_mappings = {
      {"/dev/sda1", {0, "", false, true, "vol-0123456789abcdef" + std::to_string(n), "attached"}},
      {"xvdf", {0, "", false, false, "vol-0598c7d356eba48d7", "detaching"}}};
  i.reservation_id = "r-0123456789abcdef0";
  i.owner_id = "123456789012";
  return i;
}

// Every member the Instance XML carries (user_data and disable_api_* are not in it).
void ExpectSameInstance(const Instance& got, const Instance& want) {
  EXPECT_EQ(got.instance_id, want.instance_id);
  EXPECT_EQ(got.image_id, want.image_id);
  EXPECT_EQ(got.instance_type, want.instance_type);
  EXPECT_EQ(got.key_name, want.key_name);
  EXPECT_EQ(got.state, want.state);
  EXPECT_EQ(got.state_transition_reason, want.state_transition_reason);
  EXPECT_EQ(got.state_reason_code, want.state_reason_code);
  EXPECT_EQ(got.state_reason_message, want.state_reason_message);
  EXPECT_EQ(got.launch_time, want.launch_time);
  EXPECT_EQ(got.availability_zone, want.availability_zone);
  EXPECT_EQ(got.subnet_id, want.subnet_id);
  EXPECT_EQ(got.vpc_id, want.vpc_id);
  EXPECT_EQ(got.private_ip_address, want.private_ip_address);
  EXPECT_EQ(got.public_ip_address, want.public_ip_address);
  EXPECT_EQ(got.private_dns_name, want.private_dns_name);
  EXPECT_EQ(got.public_dns_name, want.public_dns_name);
  EXPECT_EQ(got.security_groups, want.security_groups);
  EXPECT_EQ(got.tags, want.tags);
  EXPECT_EQ(got.client_token, want.client_token);
  EXPECT_EQ(got.architecture, want.architecture);
  EXPECT_EQ(got.root_device_type, want.root_device_type);
  EXPECT_EQ(got.root_device_name, want.root_device_name);
  EXPECT_EQ(got.block_device_mappings, want.block_device_mappings);
  ASSERT_EQ(got.block_device_mappings.size(), want.block_device_mappings.size());
  for (size_t n = 0; n < want.block_device_mappings.size(); ++n) {
    EXPECT_EQ(got.block_device_mappings[n].ebs.volume_id,
              want.block_device_mappings[n].ebs.volume_id);
    EXPECT_EQ(got.block_device_mappings[n].ebs.status, want.block_device_mappings[n].ebs.status);
  }
  EXPECT_EQ(got.virtualization_type, want.virtualization_type);
  EXPECT_EQ(got.hypervisor, want.hypervisor);
  EXPECT_EQ(got.platform, want.platform);
  EXPECT_EQ(got.ami_launch_index, want.ami_launch_index);
  EXPECT_EQ(got.monitoring_enabled, want.monitoring_enabled);
  EXPECT_EQ(got.ebs_optimized, want.ebs_optimized);
  EXPECT_EQ(got.reservation_id, want.reservation_id);
  EXPECT_EQ(got.owner_id, want.owner_id);
}

void ExpectSameReservation(const Reservation& got, const Reservation& want) {
  EXPECT_EQ(got.reservation_id, want.reservation_id);
  EXPECT_EQ(got.owner_id, want.owner_id);
  EXPECT_EQ(got.groups, want.groups);
  ASSERT_EQ(got.instances.size(), want.instances.size());
  for (size_t i = 0; i < want.instances.size(); ++i) {
    ExpectSameInstance(got.instances[i], want.instances[i]);
  }
}

Reservation SampleReservation() {
  Reservation r{"r-0123456789abcdef0", "123456789012", {{"sg-0123456789abcdef0", "default"}}, {}};
  r.instances = {SampleInstance(1, InstanceState::kRunning),
                 SampleInstance(2, InstanceState::kStopped)};
  Instance bare;  // every optional member unset
  bare.instance_id = "i-0000000000000000f";
  bare.instance_type = "t3.nano";
  bare.reservation_id = r.reservation_id;
  bare.owner_id = r.owner_id;
  r.instances.push_back(bare);
  return r;
}

TEST(ClientResponsesTest, RunInstancesRoundTrip) {
  const Reservation want = SampleReservation();
  ExpectSameReservation(Ok(ParseRunInstancesResponse(SerializeRunInstances(kRequestId, want))),
                        want);
}

TEST(ClientResponsesTest, DescribeInstancesRoundTrip) {
  Reservation empty{"r-0598c7d356eba48d7", "210987654321", {}, {}};
  const Page<Reservation> want{{SampleReservation(), empty}, "next/page+1"};
  const Page<Reservation> got =
      Ok(ParseDescribeInstancesResponse(SerializeDescribeInstances(kRequestId, want)));
  ASSERT_EQ(got.items.size(), 2u);
  ExpectSameReservation(got.items[0], want.items[0]);
  ExpectSameReservation(got.items[1], want.items[1]);
  EXPECT_EQ(got.next_token, want.next_token);
  EXPECT_EQ(
      Ok(ParseDescribeInstancesResponse(SerializeDescribeInstances(kRequestId, {}))).next_token,
      "");
}

TEST(ClientResponsesTest, DescribeInstanceStatusRoundTrip) {
  InstanceStatus ok{"i-1",    "us-east-1a", InstanceState::kRunning, "ok", "ok", "passed",
                    "passed", std::nullopt};
  InstanceStatus bad{"i-2",    "us-east-1b", InstanceState::kRunning,      "impaired", "ok",
                     "failed", "passed",     FromUnixMillis(1479204000000)};
  InstanceStatus stopped{
      "i-3",    "us-east-1c", InstanceState::kStopped, "not-applicable", "not-applicable", "passed",
      "passed", std::nullopt};
  const Page<InstanceStatus> want{{ok, bad, stopped}, "t2"};
  const Page<InstanceStatus> got =
      Ok(ParseDescribeInstanceStatusResponse(SerializeDescribeInstanceStatus(kRequestId, want)));
  ASSERT_EQ(got.items.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(got.items[i].instance_id, want.items[i].instance_id);
    EXPECT_EQ(got.items[i].availability_zone, want.items[i].availability_zone);
    EXPECT_EQ(got.items[i].state, want.items[i].state);
    EXPECT_EQ(got.items[i].system_status, want.items[i].system_status);
    EXPECT_EQ(got.items[i].instance_status, want.items[i].instance_status);
    EXPECT_EQ(got.items[i].system_reachability, want.items[i].system_reachability);
    EXPECT_EQ(got.items[i].instance_reachability, want.items[i].instance_reachability);
    EXPECT_EQ(got.items[i].impaired_since, want.items[i].impaired_since);
  }
  EXPECT_EQ(got.next_token, "t2");
}

TEST(ClientResponsesTest, InstanceStateChangesRoundTrip) {
  const std::vector<InstanceStateChange> want = {
      {"i-1", InstanceState::kStopping, InstanceState::kRunning},
      {"i-2", InstanceState::kShuttingDown, InstanceState::kStopped},
      {"i-3", InstanceState::kPending, InstanceState::kStopped},
      {"i-4", InstanceState::kTerminated, InstanceState::kTerminated}};
  for (const char* action : {"StartInstances", "StopInstances", "TerminateInstances"}) {
    SCOPED_TRACE(action);
    const std::vector<InstanceStateChange> got = Ok(
        ParseInstanceStateChanges(action, SerializeInstanceStateChanges(action, kRequestId, want)));
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(got[i].instance_id, want[i].instance_id);
      EXPECT_EQ(got[i].current, want[i].current);
      EXPECT_EQ(got[i].previous, want[i].previous);
    }
  }
}

TEST(ClientResponsesTest, ReturnTrueRoundTrips) {
  for (const char* action : {"RebootInstances", "ModifyInstanceAttribute", "CreateTags",
                             "DeleteTags", "DeleteVpc", "DeleteSubnet", "DeleteSecurityGroup",
                             "AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress"}) {
    SCOPED_TRACE(action);
    EXPECT_TRUE(ParseReturnTrue(action, SerializeReturnTrue(action, kRequestId)).has_value());
  }
}

TEST(ClientResponsesTest, MonitoringAndAttributeChangesRoundTrip) {
  EXPECT_TRUE(ParseReturnTrue("MonitorInstances",
                              SerializeInstanceMonitorings("MonitorInstances", kRequestId,
                                                           {"i-12345678", "i-87654321"}, "pending"))
                  .has_value());
  EXPECT_TRUE(ParseReturnTrue("UnmonitorInstances",
                              SerializeInstanceMonitorings("UnmonitorInstances", kRequestId,
                                                           {"i-12345678"}, "disabling"))
                  .has_value());
  // The root names the operation: another's answer is an error.
  EXPECT_FALSE(ParseReturnTrue("UnmonitorInstances",
                               SerializeInstanceMonitorings("MonitorInstances", kRequestId,
                                                            {"i-12345678"}, "pending"))
                   .has_value());
  for (const char* action : {"ModifyVpcAttribute", "ModifySubnetAttribute"}) {
    SCOPED_TRACE(action);
    EXPECT_TRUE(ParseReturnTrue(action, SerializeReturnTrue(action, kRequestId)).has_value());
  }
}

TEST(ClientResponsesTest, DescribeInstanceAttributeRoundTrips) {
  const std::vector<InstanceAttribute> cases = {
      {"i-1", "disableApiTermination", "true", true},
      {"i-1", "disableApiStop", "false", true},
      {"i-1", "ebsOptimized", "true", true},
      {"i-1", "instanceType", "t3.micro", false},
      {"i-1", "userData", "aGVsbG8=", false},
      {"i-1", "instanceInitiatedShutdownBehavior", "stop", false},
      {"i-1", "rootDeviceName", "/dev/xvda", false},
  };
  for (const InstanceAttribute& want : cases) {
    SCOPED_TRACE(want.attribute);
    const InstanceAttribute got = Ok(ParseDescribeInstanceAttributeResponse(
        SerializeDescribeInstanceAttribute(kRequestId, want)));
    EXPECT_EQ(got.instance_id, want.instance_id);
    EXPECT_EQ(got.attribute, want.attribute);
    EXPECT_EQ(got.value, want.value);
    EXPECT_EQ(got.is_boolean, want.is_boolean);
  }
}

TEST(ClientResponsesTest, DescribeTagsRoundTrip) {
  const Page<TagDescription> want{{{"i-1", "instance", "Name", "web"},
                                   {"vpc-1", "vpc", "empty", ""},
                                   {"sg-1", "security-group", "a&b", "<c>"}},
                                  "more"};
  const Page<TagDescription> got =
      Ok(ParseDescribeTagsResponse(SerializeDescribeTags(kRequestId, want)));
  ASSERT_EQ(got.items.size(), want.items.size());
  for (size_t i = 0; i < want.items.size(); ++i) {
    EXPECT_EQ(got.items[i].resource_id, want.items[i].resource_id);
    EXPECT_EQ(got.items[i].resource_type, want.items[i].resource_type);
    EXPECT_EQ(got.items[i].key, want.items[i].key);
    EXPECT_EQ(got.items[i].value, want.items[i].value);
  }
  EXPECT_EQ(got.next_token, "more");
}

Vpc SampleVpc(int n) {
  return {"vpc-0000000" + std::to_string(n),
          "10." + std::to_string(n) + ".0.0/16",
          n % 2 ? "pending" : "available",
          "dopt-12345678",
          n % 2 ? "dedicated" : "default",
          "123456789012",
          n % 2 == 0,
          {{"Name", "vpc " + std::to_string(n)}}};
}

void ExpectSameVpc(const Vpc& got, const Vpc& want) {
  EXPECT_EQ(got.vpc_id, want.vpc_id);
  EXPECT_EQ(got.cidr_block, want.cidr_block);
  EXPECT_EQ(got.state, want.state);
  EXPECT_EQ(got.dhcp_options_id, want.dhcp_options_id);
  EXPECT_EQ(got.instance_tenancy, want.instance_tenancy);
  EXPECT_EQ(got.owner_id, want.owner_id);
  EXPECT_EQ(got.is_default, want.is_default);
  EXPECT_EQ(got.tags, want.tags);
}

TEST(ClientResponsesTest, VpcRoundTrips) {
  ExpectSameVpc(Ok(ParseCreateVpcResponse(SerializeCreateVpc(kRequestId, SampleVpc(1)))),
                SampleVpc(1));
  Vpc untagged = SampleVpc(2);
  untagged.tags.clear();
  const Page<Vpc> want{{SampleVpc(1), untagged}, "n"};
  const Page<Vpc> got = Ok(ParseDescribeVpcsResponse(SerializeDescribeVpcs(kRequestId, want)));
  ASSERT_EQ(got.items.size(), 2u);
  ExpectSameVpc(got.items[0], want.items[0]);
  ExpectSameVpc(got.items[1], want.items[1]);
  EXPECT_EQ(got.next_token, "n");
}

Subnet SampleSubnet(int n) {
  return {"subnet-0000000" + std::to_string(n),
          "vpc-00000001",
          "10.0." + std::to_string(n) + ".0/24",
          "us-east-1a",
          "use1-az" + std::to_string(n),
          250 + n,
          n % 2 ? "pending" : "available",
          "123456789012",
          "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0000000" + std::to_string(n),
          n % 2 == 0,
          n % 2 == 1,
          {{"Name", "subnet " + std::to_string(n)}}};
}

void ExpectSameSubnet(const Subnet& got, const Subnet& want) {
  EXPECT_EQ(got.subnet_id, want.subnet_id);
  EXPECT_EQ(got.vpc_id, want.vpc_id);
  EXPECT_EQ(got.cidr_block, want.cidr_block);
  EXPECT_EQ(got.availability_zone, want.availability_zone);
  EXPECT_EQ(got.availability_zone_id, want.availability_zone_id);
  EXPECT_EQ(got.available_ip_address_count, want.available_ip_address_count);
  EXPECT_EQ(got.state, want.state);
  EXPECT_EQ(got.owner_id, want.owner_id);
  EXPECT_EQ(got.subnet_arn, want.subnet_arn);
  EXPECT_EQ(got.default_for_az, want.default_for_az);
  EXPECT_EQ(got.map_public_ip_on_launch, want.map_public_ip_on_launch);
  EXPECT_EQ(got.tags, want.tags);
}

TEST(ClientResponsesTest, SubnetRoundTrips) {
  ExpectSameSubnet(
      Ok(ParseCreateSubnetResponse(SerializeCreateSubnet(kRequestId, SampleSubnet(1)))),
      SampleSubnet(1));
  const Page<Subnet> want{{SampleSubnet(1), SampleSubnet(2)}, ""};
  const Page<Subnet> got =
      Ok(ParseDescribeSubnetsResponse(SerializeDescribeSubnets(kRequestId, want)));
  ASSERT_EQ(got.items.size(), 2u);
  ExpectSameSubnet(got.items[0], want.items[0]);
  ExpectSameSubnet(got.items[1], want.items[1]);
  EXPECT_EQ(got.next_token, "");
}

SecurityGroup SampleGroup() {
  SecurityGroup g{"sg-0123456789abcdef0",
                  "web",
                  "web servers & <friends>",
                  "vpc-00000001",
                  "123456789012",
                  {},
                  {},
                  {{"Name", "web"}}};
  g.ingress = {{"tcp", 22, 22, {{"10.0.0.0/8", "office"}, {"192.168.0.0/16", ""}}, {}},
               {"-1",
                std::nullopt,
                std::nullopt,
                {},
                {{"sg-0598c7d3", "", "123456789012"}, {"", "legacy", ""}}},
               {"icmp", -1, -1, {{"0.0.0.0/0", ""}}, {}}};
  g.egress = {{"-1", std::nullopt, std::nullopt, {{"0.0.0.0/0", ""}}, {}}};
  return g;
}

void ExpectSamePermissions(const std::vector<IpPermission>& got,
                           const std::vector<IpPermission>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].ip_protocol, want[i].ip_protocol);
    EXPECT_EQ(got[i].from_port, want[i].from_port);
    EXPECT_EQ(got[i].to_port, want[i].to_port);
    EXPECT_EQ(got[i].ip_ranges, want[i].ip_ranges);
    EXPECT_EQ(got[i].groups, want[i].groups);
  }
}

TEST(ClientResponsesTest, SecurityGroupRoundTrips) {
  const SecurityGroup want = SampleGroup();
  const SecurityGroup created =
      Ok(ParseCreateSecurityGroupResponse(SerializeCreateSecurityGroup(kRequestId, want)));
  EXPECT_EQ(created.group_id, want.group_id);
  EXPECT_EQ(created.tags, want.tags);
  SecurityGroup no_rules = want;
  no_rules.ingress.clear();
  no_rules.egress.clear();
  no_rules.tags.clear();
  no_rules.vpc_id.clear();
  const Page<SecurityGroup> page{{want, no_rules}, "sg-next"};
  const Page<SecurityGroup> got =
      Ok(ParseDescribeSecurityGroupsResponse(SerializeDescribeSecurityGroups(kRequestId, page)));
  ASSERT_EQ(got.items.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(got.items[i].group_id, page.items[i].group_id);
    EXPECT_EQ(got.items[i].group_name, page.items[i].group_name);
    EXPECT_EQ(got.items[i].description, page.items[i].description);
    EXPECT_EQ(got.items[i].vpc_id, page.items[i].vpc_id);
    EXPECT_EQ(got.items[i].owner_id, page.items[i].owner_id);
    ExpectSamePermissions(got.items[i].ingress, page.items[i].ingress);
    ExpectSamePermissions(got.items[i].egress, page.items[i].egress);
    EXPECT_EQ(got.items[i].tags, page.items[i].tags);
  }
  EXPECT_EQ(got.next_token, "sg-next");
}

Image SampleImage(bool windows) {
  Image i;
  i.image_id = windows ? "ami-0000000000000000b" : "ami-0000000000000000a";
  i.name = windows ? "Windows_Server-2022" : "al2023-ami-2023.0";
  i.description = windows ? "" : "Amazon Linux 2023";
  i.owner_id = "137112412989";
  i.owner_alias = windows ? "" : "amazon";
  i.state = windows ? "pending" : "available";
  i.architecture = windows ? "x86_64" : "arm64";
  i.platform = windows ? "windows" : "";
  i.root_device_type = windows ? "ebs" : "instance-store";
  i.root_device_name = windows ? "/dev/sda1" : "/dev/xvda";
  i.virtualization_type = windows ? "hvm" : "paravirtual";
  i.hypervisor = windows ? "xen" : "nitro";
  i.image_location = windows ? "" : "amazon/al2023-ami";
  i.creation_date = "2023-03-01T12:00:00.000Z";
  i.is_public = !windows;
  i.tags = windows ? Tags{} : Tags{{"os", "linux"}};
  return i;
}

void ExpectSameImage(const Image& got, const Image& want) {
  EXPECT_EQ(got.image_id, want.image_id);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.description, want.description);
  EXPECT_EQ(got.owner_id, want.owner_id);
  EXPECT_EQ(got.owner_alias, want.owner_alias);
  EXPECT_EQ(got.state, want.state);
  EXPECT_EQ(got.architecture, want.architecture);
  EXPECT_EQ(got.image_type, want.image_type);
  EXPECT_EQ(got.platform, want.platform);
  EXPECT_EQ(got.root_device_type, want.root_device_type);
  EXPECT_EQ(got.root_device_name, want.root_device_name);
  EXPECT_EQ(got.virtualization_type, want.virtualization_type);
  EXPECT_EQ(got.hypervisor, want.hypervisor);
  EXPECT_EQ(got.image_location, want.image_location);
  EXPECT_EQ(got.creation_date, want.creation_date);
  EXPECT_EQ(got.is_public, want.is_public);
  EXPECT_EQ(got.tags, want.tags);
}

TEST(ClientResponsesTest, DescribeImagesRoundTrip) {
  const Page<Image> want{{SampleImage(false), SampleImage(true)}, "img"};
  const Page<Image> got =
      Ok(ParseDescribeImagesResponse(SerializeDescribeImages(kRequestId, want)));
  ASSERT_EQ(got.items.size(), 2u);
  ExpectSameImage(got.items[0], want.items[0]);
  ExpectSameImage(got.items[1], want.items[1]);
  EXPECT_EQ(got.next_token, "img");
}

TEST(ClientResponsesTest, DescribeInstanceTypesRoundTrip) {
  const Page<InstanceTypeInfo> want{{{"t3.micro", 2, 1024, 0, {"x86_64"}, true, true},
                                     {"m6g.large", 2, 8192, 0, {"arm64"}, true, false},
                                     {"m1.small", 1, 1740, 0, {"i386", "x86_64"}, false, false}},
                                    "types"};
  const Page<InstanceTypeInfo> got =
      Ok(ParseDescribeInstanceTypesResponse(SerializeDescribeInstanceTypes(kRequestId, want)));
  ASSERT_EQ(got.items.size(), want.items.size());
  for (size_t i = 0; i < want.items.size(); ++i) {
    SCOPED_TRACE(want.items[i].instance_type);
    EXPECT_EQ(got.items[i].instance_type, want.items[i].instance_type);
    EXPECT_EQ(got.items[i].vcpus, want.items[i].vcpus);
    EXPECT_EQ(got.items[i].memory_mib, want.items[i].memory_mib);
    EXPECT_EQ(got.items[i].architectures, want.items[i].architectures);
    EXPECT_EQ(got.items[i].current_generation, want.items[i].current_generation);
    EXPECT_EQ(got.items[i].free_tier_eligible, want.items[i].free_tier_eligible);
  }
  EXPECT_EQ(got.next_token, "types");
}

TEST(ClientResponsesTest, DescribeAvailabilityZonesRoundTrip) {
  const std::vector<AvailabilityZone> want = {
      {"us-east-1a", "use1-az1", "available", "us-east-1", "us-east-1", "us-east-1",
       "availability-zone", "opt-in-not-required"},
      {"us-east-1-bos-1a", "use1-bos1-az1", "impaired", "us-east-1", "us-east-1-bos-1",
       "us-east-1-bos-1", "local-zone", "not-opted-in"}};
  const std::vector<AvailabilityZone> got = Ok(
      ParseDescribeAvailabilityZonesResponse(SerializeDescribeAvailabilityZones(kRequestId, want)));
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].zone_name, want[i].zone_name);
    EXPECT_EQ(got[i].zone_id, want[i].zone_id);
    EXPECT_EQ(got[i].state, want[i].state);
    EXPECT_EQ(got[i].region_name, want[i].region_name);
    EXPECT_EQ(got[i].group_name, want[i].group_name);
    EXPECT_EQ(got[i].network_border_group, want[i].network_border_group);
    EXPECT_EQ(got[i].zone_type, want[i].zone_type);
    EXPECT_EQ(got[i].opt_in_status, want[i].opt_in_status);
  }
}

TEST(ClientResponsesTest, DescribeRegionsRoundTrip) {
  const std::vector<Region> want = {
      {"us-east-1", "ec2.us-east-1.amazonaws.com", "opt-in-not-required"},
      {"af-south-1", "ec2.af-south-1.amazonaws.com", "not-opted-in"}};
  const std::vector<Region> got =
      Ok(ParseDescribeRegionsResponse(SerializeDescribeRegions(kRequestId, want)));
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].region_name, want[i].region_name);
    EXPECT_EQ(got[i].endpoint, want[i].endpoint);
    EXPECT_EQ(got[i].opt_in_status, want[i].opt_in_status);
  }
}

}  // namespace
}  // namespace ec2m::query
