// The client's response parsers on bodies shaped as real EC2 sends them (many more members than
// ec2m models, state codes with the high byte set), and on malformed bodies.

#include <gtest/gtest.h>

#include <functional>

#include "cloud/query/client_response_reader.hpp"
#include "cloud/query/client_responses.hpp"

namespace ec2m::query {
namespace {

// Shaped after the examples in reference/ec2-protocol.md and the EC2 API reference: unknown
// members at every level (requesterId, networkInterfaceSet with its own groupSet and tagSet,
// cpuOptions, metadataOptions, ...), a state code of 272 (256 + 16: running).
constexpr char kDescribeInstancesAws[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    <requestId>8f7724cf-496f-496e-8fe3-example</requestId>
    <reservationSet>
        <item>
            <reservationId>r-1234567890abcdef0</reservationId>
            <ownerId>123456789012</ownerId>
            <requesterId>940372691376</requesterId>
            <groupSet/>
            <instancesSet>
                <item>
                    <instanceId>i-1234567890abcdef0</instanceId>
                    <imageId>ami-bff32ccc</imageId>
                    <instanceState><code>272</code><name>running</name></instanceState>
                    <privateDnsName>ip-192-168-1-88.eu-west-1.compute.internal</privateDnsName>
                    <dnsName>ec2-54-194-252-215.eu-west-1.compute.amazonaws.com</dnsName>
                    <reason/>
                    <keyName>my_keypair</keyName>
                    <amiLaunchIndex>0</amiLaunchIndex>
                    <productCodes/>
                    <instanceType>t2.micro</instanceType>
                    <launchTime>2018-05-08T16:46:19.000Z</launchTime>
                    <placement>
                        <availabilityZone>eu-west-1c</availabilityZone>
                        <groupName/>
                        <tenancy>default</tenancy>
                    </placement>
                    <monitoring><state>disabled</state></monitoring>
                    <subnetId>subnet-56f5f633</subnetId>
                    <vpcId>vpc-11112222</vpcId>
                    <privateIpAddress>192.168.1.88</privateIpAddress>
                    <ipAddress>54.194.252.215</ipAddress>
                    <sourceDestCheck>true</sourceDestCheck>
                    <groupSet>
                        <item><groupId>sg-e4076980</groupId><groupName>SecurityGroup1</groupName></item>
                    </groupSet>
                    <architecture>x86_64</architecture>
                    <rootDeviceType>ebs</rootDeviceType>
                    <rootDeviceName>/dev/xvda</rootDeviceName>
                    <blockDeviceMapping>
                        <item><deviceName>/dev/xvda</deviceName>
                            <ebs><volumeId>vol-1234567890abcdef0</volumeId><status>attached</status>
                            <attachTime>2015-12-22T10:44:09.000Z</attachTime>
                            <deleteOnTermination>true</deleteOnTermination></ebs></item>
                    </blockDeviceMapping>
                    <virtualizationType>hvm</virtualizationType>
                    <clientToken>xMcwG14507example</clientToken>
                    <tagSet>
                        <item><key>Name</key><value>Server_1</value></item>
                    </tagSet>
                    <hypervisor>xen</hypervisor>
                    <networkInterfaceSet>
                        <item>
                            <networkInterfaceId>eni-551ba033</networkInterfaceId>
                            <groupSet><item><groupId>sg-e4076980</groupId><groupName>X</groupName></item></groupSet>
                            <tagSet><item><key>eni</key><value>tag</value></item></tagSet>
                            <attachment><status>attached</status><attachTime>2018-05-08T16:46:19.000Z</attachTime></attachment>
                        </item>
                    </networkInterfaceSet>
                    <iamInstanceProfile><arn>arn:aws:iam::123456789012:instance-profile/AdminRole</arn></iamInstanceProfile>
                    <ebsOptimized>false</ebsOptimized>
                    <cpuOptions><coreCount>1</coreCount><threadsPerCore>1</threadsPerCore></cpuOptions>
                    <capacityReservationSpecification><capacityReservationPreference>open</capacityReservationPreference></capacityReservationSpecification>
                    <hibernationOptions><configured>false</configured></hibernationOptions>
                    <metadataOptions><state>applied</state><httpTokens>required</httpTokens></metadataOptions>
                    <bootMode>uefi-preferred</bootMode>
                    <currentInstanceBootMode>legacy-bios</currentInstanceBootMode>
                </item>
                <item>
                    <instanceId>i-0598c7d356eba48d7</instanceId>
                    <imageId>ami-bff32ccc</imageId>
                    <instanceState><code>80</code><name>stopped</name></instanceState>
                    <privateDnsName/>
                    <dnsName/>
                    <reason>User initiated (2018-05-09 10:00:00 GMT)</reason>
                    <amiLaunchIndex>1</amiLaunchIndex>
                    <instanceType>t3.nano</instanceType>
                    <launchTime>2018-05-08T16:46:19Z</launchTime>
                    <placement><availabilityZone>eu-west-1c</availabilityZone></placement>
                    <monitoring><state>enabled</state></monitoring>
                    <stateReason><code>Client.UserInitiatedShutdown</code><message>Client.UserInitiatedShutdown: User initiated shutdown</message></stateReason>
                    <groupSet/>
                    <platform>windows</platform>
                    <ebsOptimized>true</ebsOptimized>
                </item>
            </instancesSet>
        </item>
        <item>
            <reservationId>r-0598c7d356eba48d7</reservationId>
            <ownerId>210987654321</ownerId>
            <groupSet/>
            <instancesSet/>
        </item>
    </reservationSet>
    <nextToken>eyJ2IjoiMiIsImMiOiJ0b2tlbiJ9</nextToken>
</DescribeInstancesResponse>)";

TEST(ClientResponsesAwsTest, DescribeInstancesAsEc2SendsIt) {
  Result<Page<Reservation>> page = ParseDescribeInstancesResponse(kDescribeInstancesAws);
  ASSERT_TRUE(page.has_value()) << page.error().message;
  EXPECT_EQ(page->next_token, "eyJ2IjoiMiIsImMiOiJ0b2tlbiJ9");
  ASSERT_EQ(page->items.size(), 2u);
  const Reservation& r = page->items[0];
  EXPECT_EQ(r.reservation_id, "r-1234567890abcdef0");
  EXPECT_TRUE(r.groups.empty());
  ASSERT_EQ(r.instances.size(), 2u);
  const Instance& a = r.instances[0];
  EXPECT_EQ(a.instance_id, "i-1234567890abcdef0");
  EXPECT_EQ(a.state, InstanceState::kRunning);  // 272 & 0xFF
  EXPECT_EQ(a.launch_time, FromUnixMillis(1525797979000));
  EXPECT_EQ(a.availability_zone, "eu-west-1c");
  EXPECT_EQ(a.public_ip_address, "54.194.252.215");
  EXPECT_EQ(a.key_name, "my_keypair");
  // The instance's own groupSet and tagSet, not the network interface's.
  EXPECT_EQ(a.security_groups, (std::vector<GroupIdentifier>{{"sg-e4076980", "SecurityGroup1"}}));
  EXPECT_EQ(a.tags, (Tags{{"Name", "Server_1"}}));
  EXPECT_EQ(a.client_token, "xMcwG14507example");
  ASSERT_EQ(a.block_device_mappings.size(), 1u);
  EXPECT_EQ(a.block_device_mappings[0].device_name, "/dev/xvda");
  EXPECT_EQ(a.block_device_mappings[0].ebs.volume_id, "vol-1234567890abcdef0");
  EXPECT_EQ(a.block_device_mappings[0].ebs.status, "attached");
  EXPECT_TRUE(a.block_device_mappings[0].ebs.delete_on_termination);
  EXPECT_EQ(a.block_device_mappings[0].ebs.volume_size_gb, 0);  // not in an instance's XML
  EXPECT_EQ(a.block_device_mappings[0].ebs.volume_type, "");
  EXPECT_FALSE(a.monitoring_enabled);
  EXPECT_EQ(a.reservation_id, "r-1234567890abcdef0");
  EXPECT_EQ(a.owner_id, "123456789012");
  const Instance& b = r.instances[1];
  EXPECT_EQ(b.state, InstanceState::kStopped);
  EXPECT_TRUE(b.block_device_mappings.empty());
  EXPECT_EQ(b.launch_time, FromUnixMillis(1525797979000));
  EXPECT_EQ(b.state_reason_code, "Client.UserInitiatedShutdown");
  EXPECT_EQ(b.state_transition_reason, "User initiated (2018-05-09 10:00:00 GMT)");
  EXPECT_EQ(b.ami_launch_index, 1);
  EXPECT_EQ(b.platform, "windows");
  EXPECT_TRUE(b.monitoring_enabled);
  EXPECT_TRUE(b.ebs_optimized);
  EXPECT_TRUE(b.key_name.empty());
  EXPECT_TRUE(page->items[1].instances.empty());
}

TEST(ClientResponsesAwsTest, TerminateInstancesWithHighByteCodes) {
  constexpr char kBody[] =
      R"(<TerminateInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
  <instancesSet>
    <item>
      <instanceId>i-1234567890abcdef0</instanceId>
      <currentState><code>288</code><name>shutting-down</name></currentState>
      <previousState><code>272</code><name>running</name></previousState>
    </item>
    <item>
      <instanceId>i-0598c7d356eba48d7</instanceId>
      <currentState><code>48</code><name>terminated</name></currentState>
      <previousState><name>stopped</name></previousState>
      <futureMember>ignored</futureMember>
    </item>
    <item>
      <instanceId>i-0000000000000000c</instanceId>
      <currentState><code>336</code></currentState>
      <previousState><code>320</code></previousState>
    </item>
  </instancesSet>
</TerminateInstancesResponse>)";
  auto changes = ParseInstanceStateChanges("TerminateInstances", kBody);
  ASSERT_TRUE(changes.has_value()) << changes.error().message;
  ASSERT_EQ(changes->size(), 3u);
  EXPECT_EQ((*changes)[0].current, InstanceState::kShuttingDown);
  EXPECT_EQ((*changes)[0].previous, InstanceState::kRunning);
  EXPECT_EQ((*changes)[1].current, InstanceState::kTerminated);
  EXPECT_EQ((*changes)[1].previous, InstanceState::kStopped);   // by name when no code
  EXPECT_EQ((*changes)[2].current, InstanceState::kStopped);    // 336 & 0xFF == 80, no name
  EXPECT_EQ((*changes)[2].previous, InstanceState::kStopping);  // 320 & 0xFF == 64
}

TEST(ClientResponsesAwsTest, DescribeSecurityGroupsAsEc2SendsIt) {
  constexpr char kBody[] =
      R"(<DescribeSecurityGroupsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
  <securityGroupInfo>
    <item>
      <ownerId>123456789012</ownerId>
      <groupId>sg-1a2b3c4d</groupId>
      <groupName>WebServers</groupName>
      <groupDescription>Web Servers</groupDescription>
      <vpcId>vpc-1a2b3c4d</vpcId>
      <ipPermissions>
        <item>
          <ipProtocol>tcp</ipProtocol><fromPort>80</fromPort><toPort>80</toPort>
          <groups/>
          <ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges>
          <ipv6Ranges><item><cidrIpv6>::/0</cidrIpv6></item></ipv6Ranges>
          <prefixListIds/>
        </item>
        <item>
          <ipProtocol>-1</ipProtocol>
          <groups><item><userId>123456789012</userId><groupId>sg-2a2b3c4d</groupId><vpcId>vpc-1a2b3c4d</vpcId></item></groups>
          <ipRanges/>
        </item>
      </ipPermissions>
      <ipPermissionsEgress>
        <item><ipProtocol>-1</ipProtocol><groups/><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges></item>
      </ipPermissionsEgress>
      <securityGroupArn>arn:aws:ec2:us-east-1:123456789012:security-group/sg-1a2b3c4d</securityGroupArn>
    </item>
  </securityGroupInfo>
</DescribeSecurityGroupsResponse>)";
  auto page = ParseDescribeSecurityGroupsResponse(kBody);
  ASSERT_TRUE(page.has_value()) << page.error().message;
  ASSERT_EQ(page->items.size(), 1u);
  const SecurityGroup& g = page->items[0];
  EXPECT_EQ(g.group_name, "WebServers");
  EXPECT_EQ(g.description, "Web Servers");
  ASSERT_EQ(g.ingress.size(), 2u);
  EXPECT_EQ(g.ingress[0].from_port, 80);
  EXPECT_EQ(g.ingress[0].ip_ranges, (std::vector<IpRange>{{"0.0.0.0/0", ""}}));
  EXPECT_EQ(g.ingress[1].from_port, std::nullopt);
  EXPECT_EQ(g.ingress[1].groups,
            (std::vector<UserIdGroupPair>{{"sg-2a2b3c4d", "", "123456789012"}}));
  ASSERT_EQ(g.egress.size(), 1u);
  EXPECT_EQ(page->next_token, "");
}

TEST(ClientResponsesAwsTest, DescribeInstanceAttributeAsEc2SendsIt) {
  constexpr char kBody[] =
      R"(<DescribeInstanceAttributeResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
  <instanceId>i-1234567890abcdef0</instanceId>
  <disableApiTermination><value>false</value></disableApiTermination>
</DescribeInstanceAttributeResponse>)";
  auto attr = ParseDescribeInstanceAttributeResponse(kBody);
  ASSERT_TRUE(attr.has_value()) << attr.error().message;
  EXPECT_EQ(attr->instance_id, "i-1234567890abcdef0");
  EXPECT_EQ(attr->attribute, "disableApiTermination");
  EXPECT_EQ(attr->value, "false");
  EXPECT_TRUE(attr->is_boolean);
}

TEST(ClientResponsesAwsTest, ReturnWithoutBodyOrFalse) {
  EXPECT_TRUE(ParseReturnTrue("CreateTags",
                              "<CreateTagsResponse><requestId>r</requestId>"
                              "</CreateTagsResponse>")
                  .has_value());
  auto r =
      ParseReturnTrue("DeleteVpc", "<DeleteVpcResponse><return>false</return></DeleteVpcResponse>");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
  EXPECT_NE(r.error().message.find("'false'"), std::string::npos);
}

// A body that must fail, and a piece of the message that says why.
struct MalformedCase {
  const char* label;
  std::function<std::optional<Error>(std::string_view)> parse;
  const char* body;
  const char* message_part;
};

template <typename T>
std::optional<Error> ErrorOf(const Result<T>& r) {
  return r ? std::nullopt : std::optional<Error>(r.error());
}

std::optional<Error> Instances(std::string_view xml) {
  return ErrorOf(ParseDescribeInstancesResponse(xml));
}

std::vector<MalformedCase> MalformedCases() {
  return {
      {"empty body", Instances, "", "DescribeInstancesResponse: the body is not XML"},
      {"html from a proxy", Instances, "<html><body>Bad Gateway</body>", "the body is not XML"},
      {"truncated", Instances, "<DescribeInstancesResponse><reservationSet><item>",
       "the body is not XML"},
      {"error body", Instances,
       "<Response><Errors><Error><Code>X</Code></Error></Errors></Response>",
       "expected root <DescribeInstancesResponse>, got <Response>"},
      {"other action", Instances, "<DescribeVpcsResponse/>", "got <DescribeVpcsResponse>"},
      {"bad state code", Instances,
       "<DescribeInstancesResponse><reservationSet><item><instancesSet><item><instanceState>"
       "<code>sixteen</code><name>running</name></instanceState></item></instancesSet></item>"
       "</reservationSet></DescribeInstancesResponse>",
       "<instanceState><code>: expected an integer, got 'sixteen'"},
      {"unknown state", Instances,
       "<DescribeInstancesResponse><reservationSet><item><instancesSet><item><instanceState>"
       "<code>99</code><name>hibernating</name></instanceState></item></instancesSet></item>"
       "</reservationSet></DescribeInstancesResponse>",
       "unknown instance state code '99' and name 'hibernating'"},
      {"bad launch time", Instances,
       "<DescribeInstancesResponse><reservationSet><item><instancesSet><item><instanceState>"
       "<code>16</code></instanceState><launchTime>yesterday</launchTime></item></instancesSet>"
       "</item></reservationSet></DescribeInstancesResponse>",
       "<item><launchTime>: expected an ISO 8601 UTC time, got 'yesterday'"},
      {"bad boolean", [](std::string_view xml) { return ErrorOf(ParseDescribeVpcsResponse(xml)); },
       "<DescribeVpcsResponse><vpcSet><item><isDefault>yes</isDefault></item></vpcSet>"
       "</DescribeVpcsResponse>",
       "DescribeVpcsResponse: <item><isDefault>: expected true or false, got 'yes'"},
      {"bad integer", [](std::string_view xml) { return ErrorOf(ParseCreateSubnetResponse(xml)); },
       "<CreateSubnetResponse><subnet><availableIpAddressCount>12x</availableIpAddressCount>"
       "</subnet></CreateSubnetResponse>",
       "<subnet><availableIpAddressCount>: expected an integer, got '12x'"},
  };
}

TEST(ClientResponsesAwsTest, MalformedBodiesAreInternalErrors) {
  for (const MalformedCase& c : MalformedCases()) {
    SCOPED_TRACE(c.label);
    const std::optional<Error> error = c.parse(c.body);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code, ErrorCode::kInternal);
    EXPECT_TRUE(error->aws_code.empty());
    EXPECT_NE(error->message.find(c.message_part), std::string::npos) << error->message;
  }
}

TEST(ClientResponsesAwsTest, ParseIso8601) {
  const std::vector<std::pair<std::string, std::optional<int64_t>>> cases = {
      {"2016-11-15T10:00:00.000Z", 1479204000000},  {"2016-11-15T10:00:00Z", 1479204000000},
      {"2016-11-15T10:00:00.5Z", 1479204000500},    {"2016-11-15T10:00:00.123456Z", 1479204000123},
      {"2016-11-15T10:00:00+00:00", 1479204000000}, {"1970-01-01T00:00:00Z", 0},
      {"2024-02-29T23:59:59.999Z", 1709251199999},  {"2023-02-29T00:00:00Z", std::nullopt},
      {"2016-11-15T10:00:00", std::nullopt},        {"2016-11-15T10:00:00+02:00", std::nullopt},
      {"2016-11-15 10:00:00Z", std::nullopt},       {"2016-11-15T25:00:00Z", std::nullopt},
      {"2016-11-15T10:00:00.Z", std::nullopt},      {"", std::nullopt},
  };
  for (const auto& [text, millis] : cases) {
    SCOPED_TRACE(text);
    const std::optional<TimePoint> t = internal::ParseIso8601(text);
    ASSERT_EQ(t.has_value(), millis.has_value());
    if (t) {
      EXPECT_EQ(ToUnixMillis(*t), *millis);
    }
  }
}

}  // namespace
}  // namespace ec2m::query
