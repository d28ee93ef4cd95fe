#include "cloud/query/responses.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <pugixml.hpp>

#include "cloud/query/xml_writer.hpp"

namespace ec2m::query {
namespace {

constexpr char kRequestId[] = "8f7724cf-496f-496e-8fe3-000000000001";

// Parses a response and checks the envelope every success shares; returns the root element.
pugi::xml_node Root(pugi::xml_document& doc, const std::string& xml, std::string_view action) {
  const pugi::xml_parse_result parsed = doc.load_string(xml.c_str());
  EXPECT_TRUE(parsed) << parsed.description() << "\n" << xml;
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0), 0u);
  pugi::xml_node root = doc.document_element();
  EXPECT_EQ(std::string(root.name()), std::string(action) + "Response");
  EXPECT_STREQ(root.attribute("xmlns").value(), "http://ec2.amazonaws.com/doc/2016-11-15/");
  EXPECT_STREQ(root.child_value("requestId"), kRequestId);
  return root;
}

std::string At(pugi::xml_node node, const char* path) {
  pugi::xpath_node found = node.select_node(path);
  EXPECT_TRUE(found) << "no " << path;
  return found ? found.node().child_value() : "";
}

bool Exists(pugi::xml_node node, const char* path) { return bool(node.select_node(path)); }

Instance SampleInstance(int n) {
  Instance i;
  char id[32];
  std::snprintf(id, sizeof id, "i-%017x", n);
  i.instance_id = id;
  i.image_id = "ami-0abcdef1234567890";
  i.instance_type = "t3.micro";
  i.key_name = "deploy";
  i.state = InstanceState::kRunning;
  i.launch_time = FromUnixMillis(1479204000000);  // 2016-11-15T10:00:00.000Z
  i.availability_zone = "us-west-2a";
  i.subnet_id = "subnet-0123456789abcdef0";
  i.vpc_id = "vpc-0123456789abcdef0";
  i.private_ip_address = "10.0.0.12";
  i.private_dns_name = "ip-10-0-0-12.us-west-2.compute.internal";
  i.security_groups = {{"sg-0123456789abcdef0", "default"}};
  i.tags = {{"Name", "web-" + std::to_string(n)}, {"env", "prod"}};
  i.client_token = "tok";
  i.reservation_id = "r-0123456789abcdef0";
  i.owner_id = "123456789012";
  return i;
}

TEST(ResponsesTest, DescribeInstancesShape) {
  Page<Reservation> page;
  Reservation r{"r-0123456789abcdef0", "123456789012", {}, {SampleInstance(1)}};
  r.instances[0].block_device_mappings = {
      {"/dev/xvda", {20, "gp3", true, true, "vol-00000000000000001", "attached"}},
      {"/dev/sdf", {100, "gp2", false, false, "vol-0123456789abcdef0", "attached"}}};
  Instance stopped = SampleInstance(2);
  stopped.state = InstanceState::kStopped;
  stopped.state_transition_reason = "User initiated (2016-11-15 10:05:00 GMT)";
  stopped.state_reason_code = "Client.UserInitiatedShutdown";
  stopped.state_reason_message = "Client.UserInitiatedShutdown: User initiated shutdown";
  stopped.monitoring_enabled = true;
  r.instances.push_back(stopped);
  page.items.push_back(r);
  page.next_token = "next-1";

  pugi::xml_document doc;
  pugi::xml_node root =
      Root(doc, SerializeDescribeInstances(kRequestId, page), "DescribeInstances");
  pugi::xml_node res = root.select_node("reservationSet/item").node();
  EXPECT_EQ(At(res, "reservationId"), "r-0123456789abcdef0");
  EXPECT_EQ(At(res, "ownerId"), "123456789012");
  EXPECT_TRUE(Exists(res, "groupSet"));
  pugi::xml_node first = res.select_node("instancesSet/item[1]").node();
  EXPECT_EQ(At(first, "instanceId"), "i-00000000000000001");
  EXPECT_EQ(At(first, "imageId"), "ami-0abcdef1234567890");
  EXPECT_EQ(At(first, "instanceState/code"), "16");
  EXPECT_EQ(At(first, "instanceState/name"), "running");
  EXPECT_EQ(At(first, "instanceType"), "t3.micro");
  EXPECT_EQ(At(first, "keyName"), "deploy");
  EXPECT_EQ(At(first, "launchTime"), "2016-11-15T10:00:00.000Z");
  EXPECT_EQ(At(first, "placement/availabilityZone"), "us-west-2a");
  EXPECT_EQ(At(first, "placement/tenancy"), "default");
  EXPECT_EQ(At(first, "monitoring/state"), "disabled");
  EXPECT_EQ(At(first, "subnetId"), "subnet-0123456789abcdef0");
  EXPECT_EQ(At(first, "vpcId"), "vpc-0123456789abcdef0");
  EXPECT_EQ(At(first, "privateIpAddress"), "10.0.0.12");
  EXPECT_EQ(At(first, "privateDnsName"), "ip-10-0-0-12.us-west-2.compute.internal");
  EXPECT_TRUE(Exists(first, "dnsName"));
  EXPECT_FALSE(Exists(first, "ipAddress"));
  EXPECT_EQ(At(first, "groupSet/item/groupId"), "sg-0123456789abcdef0");
  EXPECT_EQ(At(first, "groupSet/item/groupName"), "default");
  EXPECT_EQ(At(first, "tagSet/item[1]/key"), "Name");
  EXPECT_EQ(At(first, "tagSet/item[1]/value"), "web-1");
  EXPECT_EQ(At(first, "tagSet/item[2]/key"), "env");
  EXPECT_EQ(At(first, "architecture"), "x86_64");
  EXPECT_EQ(At(first, "rootDeviceType"), "ebs");
  EXPECT_EQ(At(first, "rootDeviceName"), "/dev/xvda");
  EXPECT_EQ(first.select_nodes("blockDeviceMapping/item").size(), 2u);
  EXPECT_EQ(At(first, "blockDeviceMapping/item[1]/deviceName"), "/dev/xvda");
  EXPECT_EQ(At(first, "blockDeviceMapping/item[1]/ebs/volumeId"), "vol-00000000000000001");
  EXPECT_EQ(At(first, "blockDeviceMapping/item[1]/ebs/status"), "attached");
  EXPECT_EQ(At(first, "blockDeviceMapping/item[1]/ebs/attachTime"), "2016-11-15T10:00:00.000Z");
  EXPECT_EQ(At(first, "blockDeviceMapping/item[1]/ebs/deleteOnTermination"), "true");
  EXPECT_EQ(At(first, "blockDeviceMapping/item[2]/deviceName"), "/dev/sdf");
  EXPECT_EQ(At(first, "blockDeviceMapping/item[2]/ebs/volumeId"), "vol-0123456789abcdef0");
  EXPECT_EQ(At(first, "blockDeviceMapping/item[2]/ebs/deleteOnTermination"), "false");
  // Size, type and encryption are DescribeVolumes' members, not the instance's.
  EXPECT_FALSE(Exists(first, "blockDeviceMapping/item/ebs/volumeSize"));
  EXPECT_FALSE(Exists(first, "blockDeviceMapping/item/ebs/encrypted"));
  EXPECT_EQ(At(first, "virtualizationType"), "hvm");
  EXPECT_EQ(At(first, "clientToken"), "tok");
  EXPECT_EQ(At(first, "hypervisor"), "xen");
  EXPECT_EQ(At(first, "ebsOptimized"), "false");
  EXPECT_EQ(At(first, "amiLaunchIndex"), "0");
  EXPECT_FALSE(Exists(first, "stateReason"));
  EXPECT_FALSE(Exists(first, "platform"));

  pugi::xml_node second = res.select_node("instancesSet/item[2]").node();
  EXPECT_EQ(At(second, "instanceState/code"), "80");
  EXPECT_EQ(At(second, "instanceState/name"), "stopped");
  EXPECT_EQ(At(second, "reason"), "User initiated (2016-11-15 10:05:00 GMT)");
  EXPECT_EQ(At(second, "stateReason/code"), "Client.UserInitiatedShutdown");
  EXPECT_EQ(At(second, "stateReason/message"),
            "Client.UserInitiatedShutdown: User initiated shutdown");
  EXPECT_EQ(At(second, "monitoring/state"), "enabled");
  EXPECT_TRUE(Exists(second, "blockDeviceMapping"));  // present and empty, as EC2
  EXPECT_FALSE(Exists(second, "blockDeviceMapping/item"));
  EXPECT_EQ(At(root, "nextToken"), "next-1");
}

TEST(ResponsesTest, NextTokenOnlyWhenSet) {
  pugi::xml_document doc;
  pugi::xml_node root =
      Root(doc, SerializeDescribeInstances(kRequestId, Page<Reservation>{}), "DescribeInstances");
  EXPECT_TRUE(Exists(root, "reservationSet"));
  EXPECT_FALSE(Exists(root, "nextToken"));
}

// Reservation `id` holding SampleInstance(n) for each n.
Reservation SampleReservation(const std::string& id, std::initializer_list<int> ns) {
  Reservation r{id, "123456789012", {}, {}};
  for (int n : ns) {
    r.instances.push_back(SampleInstance(n));
  }
  return r;
}

// Windows may cut a reservation anywhere (even hold nothing); the parts together are the answer
// with each reservation whole, as the one-page serializer writes it.
TEST(ResponsesTest, DescribeInstancesWriterPartsAreTheOnePageAnswer) {
  Page<Reservation> whole;
  whole.items = {SampleReservation("r-a", {1, 2, 3}), SampleReservation("r-b", {4}),
                 SampleReservation("r-c", {5, 6})};
  const std::vector<std::vector<Reservation>> windows = {
      {SampleReservation("r-a", {1})},
      {SampleReservation("r-a", {2})},
      {},
      {SampleReservation("r-a", {3}), SampleReservation("r-b", {4}), SampleReservation("r-c", {5})},
      {SampleReservation("r-c", {6})}};
  DescribeInstancesWriter w(kRequestId, 0);
  std::string parts = w.Take();
  for (const auto& window : windows) {
    w.Add(window);
    parts += w.Take();
  }
  w.End("");
  parts += w.Take();
  EXPECT_EQ(parts, SerializeDescribeInstances(kRequestId, whole));
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, parts, "DescribeInstances");
  EXPECT_EQ(root.select_nodes("reservationSet/item").size(), 3u);
  EXPECT_EQ(root.select_nodes("reservationSet/item/instancesSet/item").size(), 6u);
}

// Only a window boundary joins entries: in one page the serializer writes what it is given.
TEST(ResponsesTest, OnePageKeepsEntriesApart) {
  Page<Reservation> page;
  page.items = {SampleReservation("r-a", {1}), SampleReservation("r-a", {2}),
                Reservation{"r-a", "123456789012", {}, {}}};
  pugi::xml_document doc;
  pugi::xml_node root =
      Root(doc, SerializeDescribeInstances(kRequestId, page), "DescribeInstances");
  EXPECT_EQ(root.select_nodes("reservationSet/item").size(), 3u);
  EXPECT_TRUE(Exists(root, "reservationSet/item[3]/instancesSet"));
  EXPECT_FALSE(Exists(root, "reservationSet/item[3]/instancesSet/item"));
}

TEST(ResponsesTest, RunInstancesReservationAtRoot) {
  Reservation r{"r-0123456789abcdef0", "123456789012", {}, {SampleInstance(7)}};
  r.instances[0].state = InstanceState::kPending;
  r.instances[0].tags.clear();
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, SerializeRunInstances(kRequestId, r), "RunInstances");
  EXPECT_EQ(At(root, "reservationId"), "r-0123456789abcdef0");
  EXPECT_EQ(At(root, "ownerId"), "123456789012");
  EXPECT_EQ(At(root, "instancesSet/item/instanceId"), "i-00000000000000007");
  EXPECT_EQ(At(root, "instancesSet/item/instanceState/code"), "0");
  EXPECT_EQ(At(root, "instancesSet/item/instanceState/name"), "pending");
  EXPECT_FALSE(Exists(root, "instancesSet/item/tagSet"));
}

TEST(ResponsesTest, TextIsEscapedAndAlwaysWellFormed) {
  Instance i = SampleInstance(3);
  const std::string nasty = std::string("<a href=\"x\">&'</a>\x01\x7f") + "\xff\xc3" + "é€😀";
  i.tags = {{"k<&>", nasty}};
  Reservation r{"r-1", "1", {}, {i}};
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, SerializeRunInstances(kRequestId, r), "RunInstances");
  EXPECT_EQ(At(root, "instancesSet/item/tagSet/item/key"), "k<&>");
  EXPECT_EQ(At(root, "instancesSet/item/tagSet/item/value"),
            "<a href=\"x\">&'</a>\xEF\xBF\xBD\x7f\xEF\xBF\xBD\xEF\xBF\xBD"
            "é€😀");
}

TEST(ResponsesTest, XmlEscaping) {
  std::string out;
  XmlWriter::AppendEscaped(out, "a&b<c>d\"e'f\tg\nh\ri\x02");
  EXPECT_EQ(out, "a&amp;b&lt;c&gt;d\"e'f\tg\nh\ri\xEF\xBF\xBD");  // quotes only in attributes
  out.clear();
  // Overlong encodings, surrogates, truncated sequences and U+FFFE are replaced.
  XmlWriter::AppendEscaped(out, "\xC0\xAF|\xED\xA0\x80|\xE2\x82|\xEF\xBF\xBE");
  EXPECT_EQ(
      out,
      "\xEF\xBF\xBD\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD|"
      "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

// An empty buffer trades places with the writer's; a buffer holding text is appended to.
TEST(ResponsesTest, XmlWriterTakeIntoTradesBuffers) {
  XmlWriter w(8);
  std::string piece;
  piece.reserve(4096);
  const void* const kept = piece.data();
  w.Text("a", "1");
  w.TakeInto(piece);
  EXPECT_EQ(piece, "<a>1</a>");
  EXPECT_EQ(w.view(), "");
  piece.clear();  // as the HTTP server does between pieces
  w.Text("b", std::string(100, 'x'));
  w.TakeInto(piece);
  EXPECT_EQ(piece, "<b>" + std::string(100, 'x') + "</b>");
  EXPECT_EQ(static_cast<const void*>(piece.data()),
            kept);  // written into the first buffer, now the writer's again
  w.Empty("c");
  w.TakeInto(piece);
  EXPECT_EQ(piece, "<b>" + std::string(100, 'x') + "</b><c/>");
}

TEST(ResponsesTest, StateChangesAndReturnTrue) {
  pugi::xml_document doc;
  pugi::xml_node root =
      Root(doc,
           SerializeInstanceStateChanges(
               "TerminateInstances", kRequestId,
               {{"i-12345678", InstanceState::kShuttingDown, InstanceState::kRunning}}),
           "TerminateInstances");
  EXPECT_EQ(At(root, "instancesSet/item/instanceId"), "i-12345678");
  EXPECT_EQ(At(root, "instancesSet/item/currentState/code"), "32");
  EXPECT_EQ(At(root, "instancesSet/item/currentState/name"), "shutting-down");
  EXPECT_EQ(At(root, "instancesSet/item/previousState/code"), "16");
  EXPECT_EQ(At(root, "instancesSet/item/previousState/name"), "running");

  pugi::xml_document doc2;
  pugi::xml_node ok = Root(doc2, SerializeReturnTrue("CreateTags", kRequestId), "CreateTags");
  EXPECT_EQ(At(ok, "return"), "true");
}

TEST(ResponsesTest, MonitoringChanges) {
  pugi::xml_document doc;
  pugi::xml_node root = Root(
      doc,
      SerializeInstanceMonitorings("MonitorInstances", kRequestId,
                                   {"i-12345678", "i-0598c7d356eba48d7", "i-12345678"}, "pending"),
      "MonitorInstances");
  EXPECT_EQ(root.select_nodes("instancesSet/item").size(), 2u);  // each instance once
  EXPECT_EQ(At(root, "instancesSet/item[1]/instanceId"), "i-12345678");
  EXPECT_EQ(At(root, "instancesSet/item[1]/monitoring/state"), "pending");
  EXPECT_EQ(At(root, "instancesSet/item[2]/instanceId"), "i-0598c7d356eba48d7");
  pugi::xml_document doc2;
  pugi::xml_node off = Root(
      doc2,
      SerializeInstanceMonitorings("UnmonitorInstances", kRequestId, {"i-12345678"}, "disabling"),
      "UnmonitorInstances");
  EXPECT_EQ(At(off, "instancesSet/item/monitoring/state"), "disabling");
  for (const char* action : {"ModifyVpcAttribute", "ModifySubnetAttribute"}) {
    pugi::xml_document d;
    EXPECT_EQ(At(Root(d, SerializeReturnTrue(action, kRequestId), action), "return"), "true");
  }
}

TEST(ResponsesTest, DescribeInstanceStatusAndAttribute) {
  Page<InstanceStatus> page;
  InstanceStatus s;
  s.instance_id = "i-12345678";
  s.availability_zone = "us-west-2b";
  s.state = InstanceState::kRunning;
  s.system_status = "ok";
  s.instance_status = "impaired";
  s.instance_reachability = "failed";
  s.impaired_since = FromUnixMillis(1479204000000);
  page.items.push_back(s);
  pugi::xml_document doc;
  pugi::xml_node root =
      Root(doc, SerializeDescribeInstanceStatus(kRequestId, page), "DescribeInstanceStatus");
  pugi::xml_node item = root.select_node("instanceStatusSet/item").node();
  EXPECT_EQ(At(item, "instanceId"), "i-12345678");
  EXPECT_EQ(At(item, "availabilityZone"), "us-west-2b");
  EXPECT_EQ(At(item, "instanceState/name"), "running");
  EXPECT_EQ(At(item, "systemStatus/status"), "ok");
  EXPECT_EQ(At(item, "systemStatus/details/item/name"), "reachability");
  EXPECT_EQ(At(item, "systemStatus/details/item/status"), "passed");
  EXPECT_FALSE(Exists(item, "systemStatus/details/item/impairedSince"));
  EXPECT_EQ(At(item, "instanceStatus/status"), "impaired");
  EXPECT_EQ(At(item, "instanceStatus/details/item/status"), "failed");
  EXPECT_EQ(At(item, "instanceStatus/details/item/impairedSince"), "2016-11-15T10:00:00.000Z");

  pugi::xml_document doc2;
  pugi::xml_node attr = Root(doc2,
                             SerializeDescribeInstanceAttribute(
                                 kRequestId, {"i-12345678", "disableApiTermination", "true", true}),
                             "DescribeInstanceAttribute");
  EXPECT_EQ(At(attr, "instanceId"), "i-12345678");
  EXPECT_EQ(At(attr, "disableApiTermination/value"), "true");
  pugi::xml_document doc3;
  pugi::xml_node type = Root(doc3,
                             SerializeDescribeInstanceAttribute(
                                 kRequestId, {"i-12345678", "instanceType", "t3.micro", false}),
                             "DescribeInstanceAttribute");
  EXPECT_EQ(At(type, "instanceType/value"), "t3.micro");
}

TEST(ResponsesTest, VpcsAndSubnets) {
  Vpc v;
  v.vpc_id = "vpc-0123456789abcdef0";
  v.cidr_block = "10.0.0.0/16";
  v.owner_id = "123456789012";
  v.dhcp_options_id = "dopt-12345678";
  v.is_default = true;
  v.tags = {{"Name", "main"}};
  pugi::xml_document doc;
  pugi::xml_node created = Root(doc, SerializeCreateVpc(kRequestId, v), "CreateVpc");
  EXPECT_EQ(At(created, "vpc/vpcId"), "vpc-0123456789abcdef0");
  EXPECT_EQ(At(created, "vpc/state"), "available");
  EXPECT_EQ(At(created, "vpc/cidrBlock"), "10.0.0.0/16");
  EXPECT_EQ(At(created, "vpc/cidrBlockAssociationSet/item/cidrBlock"), "10.0.0.0/16");
  EXPECT_EQ(At(created, "vpc/cidrBlockAssociationSet/item/cidrBlockState/state"), "associated");
  EXPECT_EQ(At(created, "vpc/dhcpOptionsId"), "dopt-12345678");
  EXPECT_EQ(At(created, "vpc/instanceTenancy"), "default");
  EXPECT_EQ(At(created, "vpc/isDefault"), "true");
  EXPECT_EQ(At(created, "vpc/ownerId"), "123456789012");
  EXPECT_EQ(At(created, "vpc/tagSet/item/value"), "main");

  pugi::xml_document doc2;
  pugi::xml_node listed =
      Root(doc2, SerializeDescribeVpcs(kRequestId, Page<Vpc>{{v, v}, "t"}), "DescribeVpcs");
  EXPECT_EQ(listed.select_nodes("vpcSet/item").size(), 2u);
  EXPECT_EQ(At(listed, "nextToken"), "t");

  Subnet s;
  s.subnet_id = "subnet-0123456789abcdef0";
  s.vpc_id = v.vpc_id;
  s.cidr_block = "10.0.1.0/24";
  s.availability_zone = "us-west-2a";
  s.availability_zone_id = "usw2-az1";
  s.available_ip_address_count = 251;
  s.subnet_arn = "arn:aws:ec2:us-west-2:123456789012:subnet/subnet-0123456789abcdef0";
  s.default_for_az = true;
  pugi::xml_document doc3;
  pugi::xml_node sub = Root(doc3, SerializeCreateSubnet(kRequestId, s), "CreateSubnet");
  EXPECT_EQ(At(sub, "subnet/subnetId"), "subnet-0123456789abcdef0");
  EXPECT_EQ(At(sub, "subnet/vpcId"), "vpc-0123456789abcdef0");
  EXPECT_EQ(At(sub, "subnet/cidrBlock"), "10.0.1.0/24");
  EXPECT_EQ(At(sub, "subnet/availableIpAddressCount"), "251");
  EXPECT_EQ(At(sub, "subnet/availabilityZone"), "us-west-2a");
  EXPECT_EQ(At(sub, "subnet/availabilityZoneId"), "usw2-az1");
  EXPECT_EQ(At(sub, "subnet/defaultForAz"), "true");
  EXPECT_EQ(At(sub, "subnet/mapPublicIpOnLaunch"), "false");
  EXPECT_EQ(At(sub, "subnet/state"), "available");
  EXPECT_EQ(At(sub, "subnet/subnetArn"), s.subnet_arn);
  pugi::xml_document doc4;
  Subnet public_subnet = s;
  public_subnet.map_public_ip_on_launch = true;
  pugi::xml_node subs =
      Root(doc4, SerializeDescribeSubnets(kRequestId, Page<Subnet>{{s, public_subnet}, ""}),
           "DescribeSubnets");
  EXPECT_EQ(At(subs, "subnetSet/item/subnetId"), "subnet-0123456789abcdef0");
  EXPECT_EQ(At(subs, "subnetSet/item[1]/mapPublicIpOnLaunch"), "false");
  EXPECT_EQ(At(subs, "subnetSet/item[2]/mapPublicIpOnLaunch"), "true");
}

TEST(ResponsesTest, SecurityGroups) {
  SecurityGroup g;
  g.group_id = "sg-0123456789abcdef0";
  g.group_name = "web";
  g.description = "web servers";
  g.vpc_id = "vpc-0123456789abcdef0";
  g.owner_id = "123456789012";
  g.ingress = {
      IpPermission{"tcp", 443, 443, {{"0.0.0.0/0", "https"}}, {}},
      IpPermission{"-1", std::nullopt, std::nullopt, {}, {{"sg-11111111", "", "123456789012"}}}};
  g.egress = {IpPermission{"-1", std::nullopt, std::nullopt, {{"0.0.0.0/0", ""}}, {}}};
  g.tags = {{"team", "a"}};
  pugi::xml_document doc;
  pugi::xml_node root =
      Root(doc, SerializeDescribeSecurityGroups(kRequestId, Page<SecurityGroup>{{g}, ""}),
           "DescribeSecurityGroups");
  pugi::xml_node item = root.select_node("securityGroupInfo/item").node();
  EXPECT_EQ(At(item, "groupId"), "sg-0123456789abcdef0");
  EXPECT_EQ(At(item, "groupName"), "web");
  EXPECT_EQ(At(item, "groupDescription"), "web servers");
  EXPECT_EQ(At(item, "vpcId"), "vpc-0123456789abcdef0");
  EXPECT_EQ(At(item, "ownerId"), "123456789012");
  EXPECT_EQ(At(item, "ipPermissions/item[1]/ipProtocol"), "tcp");
  EXPECT_EQ(At(item, "ipPermissions/item[1]/fromPort"), "443");
  EXPECT_EQ(At(item, "ipPermissions/item[1]/toPort"), "443");
  EXPECT_EQ(At(item, "ipPermissions/item[1]/ipRanges/item/cidrIp"), "0.0.0.0/0");
  EXPECT_EQ(At(item, "ipPermissions/item[1]/ipRanges/item/description"), "https");
  EXPECT_EQ(At(item, "ipPermissions/item[2]/ipProtocol"), "-1");
  EXPECT_FALSE(Exists(item, "ipPermissions/item[2]/fromPort"));
  EXPECT_EQ(At(item, "ipPermissions/item[2]/groups/item/groupId"), "sg-11111111");
  EXPECT_EQ(At(item, "ipPermissions/item[2]/groups/item/userId"), "123456789012");
  EXPECT_EQ(At(item, "ipPermissionsEgress/item/ipRanges/item/cidrIp"), "0.0.0.0/0");
  EXPECT_EQ(At(item, "tagSet/item/key"), "team");

  pugi::xml_document doc2;
  pugi::xml_node created =
      Root(doc2, SerializeCreateSecurityGroup(kRequestId, g), "CreateSecurityGroup");
  EXPECT_EQ(At(created, "groupId"), "sg-0123456789abcdef0");
  EXPECT_EQ(At(created, "tagSet/item/value"), "a");
}

TEST(ResponsesTest, TagsImagesTypesZonesRegions) {
  pugi::xml_document d1;
  pugi::xml_node tags =
      Root(d1,
           SerializeDescribeTags(
               kRequestId, Page<TagDescription>{{{"i-12345678", "instance", "Name", "web"}}, ""}),
           "DescribeTags");
  EXPECT_EQ(At(tags, "tagSet/item/resourceId"), "i-12345678");
  EXPECT_EQ(At(tags, "tagSet/item/resourceType"), "instance");
  EXPECT_EQ(At(tags, "tagSet/item/key"), "Name");
  EXPECT_EQ(At(tags, "tagSet/item/value"), "web");

  Image img;
  img.image_id = "ami-0abcdef1234567890";
  img.name = "al2023";
  img.owner_id = "137112412989";
  img.owner_alias = "amazon";
  img.creation_date = "2026-01-15T00:00:00.000Z";
  pugi::xml_document d2;
  pugi::xml_node images =
      Root(d2, SerializeDescribeImages(kRequestId, Page<Image>{{img}, "n"}), "DescribeImages");
  pugi::xml_node i = images.select_node("imagesSet/item").node();
  EXPECT_EQ(At(i, "imageId"), "ami-0abcdef1234567890");
  EXPECT_EQ(At(i, "imageState"), "available");
  EXPECT_EQ(At(i, "imageOwnerId"), "137112412989");
  EXPECT_EQ(At(i, "imageOwnerAlias"), "amazon");
  EXPECT_EQ(At(i, "isPublic"), "true");
  EXPECT_EQ(At(i, "name"), "al2023");
  EXPECT_EQ(At(i, "creationDate"), "2026-01-15T00:00:00.000Z");
  EXPECT_EQ(At(images, "nextToken"), "n");

  InstanceTypeInfo t;
  t.instance_type = "t3.micro";
  t.vcpus = 2;
  t.memory_mib = 1024;
  t.architectures = {"x86_64"};
  t.free_tier_eligible = true;
  pugi::xml_document d3;
  pugi::xml_node types =
      Root(d3, SerializeDescribeInstanceTypes(kRequestId, Page<InstanceTypeInfo>{{t}, ""}),
           "DescribeInstanceTypes");
  pugi::xml_node ti = types.select_node("instanceTypeSet/item").node();
  EXPECT_EQ(At(ti, "instanceType"), "t3.micro");
  EXPECT_EQ(At(ti, "vCpuInfo/defaultVCpus"), "2");
  EXPECT_EQ(At(ti, "memoryInfo/sizeInMiB"), "1024");
  EXPECT_EQ(At(ti, "processorInfo/supportedArchitectures/item"), "x86_64");
  EXPECT_EQ(At(ti, "freeTierEligible"), "true");
  EXPECT_EQ(At(ti, "currentGeneration"), "true");

  AvailabilityZone z;
  z.zone_name = "us-west-2a";
  z.zone_id = "usw2-az1";
  z.region_name = "us-west-2";
  z.group_name = "us-west-2";
  z.network_border_group = "us-west-2";
  pugi::xml_document d4;
  pugi::xml_node zones =
      Root(d4, SerializeDescribeAvailabilityZones(kRequestId, {z}), "DescribeAvailabilityZones");
  pugi::xml_node zi = zones.select_node("availabilityZoneInfo/item").node();
  EXPECT_EQ(At(zi, "zoneName"), "us-west-2a");
  EXPECT_EQ(At(zi, "zoneId"), "usw2-az1");
  EXPECT_EQ(At(zi, "zoneState"), "available");
  EXPECT_EQ(At(zi, "regionName"), "us-west-2");
  EXPECT_EQ(At(zi, "zoneType"), "availability-zone");
  EXPECT_EQ(At(zi, "optInStatus"), "opt-in-not-required");

  pugi::xml_document d5;
  pugi::xml_node regions =
      Root(d5, SerializeDescribeRegions(kRequestId, {{"us-west-2", "ec2.us-west-2.amazonaws.com"}}),
           "DescribeRegions");
  EXPECT_EQ(At(regions, "regionInfo/item/regionName"), "us-west-2");
  EXPECT_EQ(At(regions, "regionInfo/item/regionEndpoint"), "ec2.us-west-2.amazonaws.com");
  EXPECT_EQ(At(regions, "regionInfo/item/optInStatus"), "opt-in-not-required");
}

double ThreadCpuMillis() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// 10,000 instances (one reservation each, as one RunInstances call per instance would make).
// The budget is 100 ms in an optimized build; the bound here is loose for debug and sanitizer
// builds, and the measured time is printed.
TEST(ResponsesTest, DescribeTenThousandInstancesIsFast) {
  Page<Reservation> page;
  for (int n = 0; n < 10000; ++n) {
    Instance i = SampleInstance(n);
    page.items.push_back(Reservation{"r-" + i.instance_id.substr(2), i.owner_id, {}, {i}});
  }
  const double cpu_start = ThreadCpuMillis();
  const auto start = std::chrono::steady_clock::now();
  const std::string xml = SerializeDescribeInstances(kRequestId, page);
  const std::chrono::duration<double, std::milli> wall = std::chrono::steady_clock::now() - start;
  const double cpu = ThreadCpuMillis() - cpu_start;
  std::printf("DescribeInstances of 10000 instances: %zu bytes, %.1f ms wall, %.1f ms CPU\n",
              xml.size(), wall.count(), cpu);
  EXPECT_LT(cpu, 2000.0);
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, xml, "DescribeInstances");
  EXPECT_EQ(root.select_nodes("reservationSet/item/instancesSet/item").size(), 10000u);
}

}  // namespace
}  // namespace ec2m::query
