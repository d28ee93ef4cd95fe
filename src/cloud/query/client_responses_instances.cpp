// Response parsers for the instance operations.

#include <array>

#include "cloud/query/client_response_reader.hpp"
#include "cloud/query/client_responses.hpp"
#include "cloud/query/request_fields.hpp"

namespace ec2m::query {

using internal::LoadResponse;
using internal::XmlReader;

namespace {

// Instance attributes the model answers as AttributeBooleanValue.
constexpr std::array<std::string_view, 5> kBooleanAttributes = {
    "disableApiTermination", "disableApiStop", "ebsOptimized", "sourceDestCheck", "enaSupport"};

std::vector<GroupIdentifier> ReadGroupSet(pugi::xml_node parent) {
  std::vector<GroupIdentifier> groups;
  for (pugi::xml_node item : XmlReader::Items(parent, "groupSet")) {
    groups.push_back({XmlReader::Text(item, "groupId"), XmlReader::Text(item, "groupName")});
  }
  return groups;
}

// `<blockDeviceMapping><item><deviceName/><ebs><volumeId/><status/><deleteOnTermination/>`. The
// instance's XML carries no size, type or encryption: they read as 0, "" and false.
std::vector<BlockDeviceMapping> ReadBlockDeviceMappings(XmlReader& r, pugi::xml_node parent) {
  std::vector<BlockDeviceMapping> mappings;
  for (pugi::xml_node item : XmlReader::Items(parent, "blockDeviceMapping")) {
    pugi::xml_node ebs = item.child("ebs");
    BlockDeviceMapping m;
    m.device_name = XmlReader::Text(item, "deviceName");
    m.ebs.volume_size_gb = 0;
    m.ebs.volume_type.clear();
    m.ebs.volume_id = XmlReader::Text(ebs, "volumeId");
    m.ebs.status = XmlReader::Text(ebs, "status");
    m.ebs.delete_on_termination = r.Bool(ebs, "deleteOnTermination");
    mappings.push_back(std::move(m));
  }
  return mappings;
}

// Members not in ReadInstance, to keep each on a screen.
void ReadInstanceDetails(XmlReader& r, pugi::xml_node n, Instance& i) {
  i.security_groups = ReadGroupSet(n);
  i.state_reason_code = XmlReader::Text(n.child("stateReason"), "code");
  i.state_reason_message = XmlReader::Text(n.child("stateReason"), "message");
  i.architecture = XmlReader::Text(n, "architecture");
  i.root_device_type = XmlReader::Text(n, "rootDeviceType");
  i.root_device_name = XmlReader::Text(n, "rootDeviceName");
  i.block_device_mappings = ReadBlockDeviceMappings(r, n);
  i.virtualization_type = XmlReader::Text(n, "virtualizationType");
  i.client_token = XmlReader::Text(n, "clientToken");
  i.tags = XmlReader::TagSet(n);
  i.hypervisor = XmlReader::Text(n, "hypervisor");
  i.platform = XmlReader::Text(n, "platform");
  i.ebs_optimized = r.Bool(n, "ebsOptimized");
  i.monitoring_enabled = XmlReader::Text(n.child("monitoring"), "state") == "enabled";
}

Instance ReadInstance(XmlReader& r, pugi::xml_node n, const Reservation& reservation) {
  Instance i;
  i.instance_id = XmlReader::Text(n, "instanceId");
  i.image_id = XmlReader::Text(n, "imageId");
  i.state = r.State(n, "instanceState");
  i.private_dns_name = XmlReader::Text(n, "privateDnsName");
  i.public_dns_name = XmlReader::Text(n, "dnsName");
  i.state_transition_reason = XmlReader::Text(n, "reason");
  i.key_name = XmlReader::Text(n, "keyName");
  i.ami_launch_index = static_cast<int>(r.Int(n, "amiLaunchIndex"));
  i.instance_type = XmlReader::Text(n, "instanceType");
  i.launch_time = r.Time(n, "launchTime").value_or(TimePoint());
  i.availability_zone = XmlReader::Text(n.child("placement"), "availabilityZone");
  i.subnet_id = XmlReader::Text(n, "subnetId");
  i.vpc_id = XmlReader::Text(n, "vpcId");
  i.private_ip_address = XmlReader::Text(n, "privateIpAddress");
  i.public_ip_address = XmlReader::Text(n, "ipAddress");
  ReadInstanceDetails(r, n, i);
  i.reservation_id = reservation.reservation_id;
  i.owner_id = reservation.owner_id;
  return i;
}

// reservationId, ownerId, groupSet, instancesSet: the members of a Reservation.
Reservation ReadReservation(XmlReader& r, pugi::xml_node n) {
  Reservation res;
  res.reservation_id = XmlReader::Text(n, "reservationId");
  res.owner_id = XmlReader::Text(n, "ownerId");
  res.groups = ReadGroupSet(n);
  for (pugi::xml_node item : XmlReader::Items(n, "instancesSet")) {
    res.instances.push_back(ReadInstance(r, item, res));
  }
  return res;
}

// `<name><status/><details><item><name>reachability</name><status/>[<impairedSince/>]`.
void ReadStatusSummary(XmlReader& r, pugi::xml_node parent, const char* name, std::string& status,
                       std::string& reachability, std::optional<TimePoint>& impaired_since) {
  pugi::xml_node summary = parent.child(name);
  status = XmlReader::Text(summary, "status");
  for (pugi::xml_node item : XmlReader::Items(summary, "details")) {
    if (XmlReader::Text(item, "name") == "reachability") {
      reachability = XmlReader::Text(item, "status");
      if (std::optional<TimePoint> since = r.Time(item, "impairedSince")) {
        impaired_since = since;
      }
    }
  }
}

InstanceStatus ReadInstanceStatus(XmlReader& r, pugi::xml_node n) {
  InstanceStatus s;
  s.instance_id = XmlReader::Text(n, "instanceId");
  s.availability_zone = XmlReader::Text(n, "availabilityZone");
  s.state = r.State(n, "instanceState");
  ReadStatusSummary(r, n, "systemStatus", s.system_status, s.system_reachability, s.impaired_since);
  ReadStatusSummary(r, n, "instanceStatus", s.instance_status, s.instance_reachability,
                    s.impaired_since);
  return s;
}

bool IsBooleanAttribute(std::string_view name) {
  for (std::string_view a : kBooleanAttributes) {
    if (a == name) {
      return true;
    }
  }
  return false;
}

}  // namespace

Result<Reservation> ParseRunInstancesResponse(std::string_view xml) {
  pugi::xml_document doc;
  EC2M_QUERY_ASSIGN_OR_RETURN(pugi::xml_node root, LoadResponse(doc, xml, "RunInstances"));
  XmlReader r("RunInstances");
  return r.Finish(ReadReservation(r, root));
}

Result<Page<Reservation>> ParseDescribeInstancesResponse(std::string_view xml) {
  pugi::xml_document doc;
  EC2M_QUERY_ASSIGN_OR_RETURN(pugi::xml_node root, LoadResponse(doc, xml, "DescribeInstances"));
  XmlReader r("DescribeInstances");
  Page<Reservation> page;
  for (pugi::xml_node item : XmlReader::Items(root, "reservationSet")) {
    page.items.push_back(ReadReservation(r, item));
  }
  page.next_token = XmlReader::Text(root, "nextToken");
  return r.Finish(std::move(page));
}

Result<Page<InstanceStatus>> ParseDescribeInstanceStatusResponse(std::string_view xml) {
  pugi::xml_document doc;
  EC2M_QUERY_ASSIGN_OR_RETURN(pugi::xml_node root,
                              LoadResponse(doc, xml, "DescribeInstanceStatus"));
  XmlReader r("DescribeInstanceStatus");
  Page<InstanceStatus> page;
  for (pugi::xml_node item : XmlReader::Items(root, "instanceStatusSet")) {
    page.items.push_back(ReadInstanceStatus(r, item));
  }
  page.next_token = XmlReader::Text(root, "nextToken");
  return r.Finish(std::move(page));
}

Result<std::vector<InstanceStateChange>> ParseInstanceStateChanges(std::string_view action,
                                                                   std::string_view xml) {
  pugi::xml_document doc;
  EC2M_QUERY_ASSIGN_OR_RETURN(pugi::xml_node root, LoadResponse(doc, xml, action));
  XmlReader r(action);
  std::vector<InstanceStateChange> changes;
  for (pugi::xml_node item : XmlReader::Items(root, "instancesSet")) {
    changes.push_back({XmlReader::Text(item, "instanceId"), r.State(item, "currentState"),
                       r.State(item, "previousState")});
  }
  return r.Finish(std::move(changes));
}

Result<void> ParseReturnTrue(std::string_view action, std::string_view xml) {
  pugi::xml_document doc;
  EC2M_QUERY_ASSIGN_OR_RETURN(pugi::xml_node root, LoadResponse(doc, xml, action));
  pugi::xml_node ret = root.child("return");
  if (ret && std::string_view(ret.child_value()) != "true") {
    return Fail(ErrorCode::kInternal, std::string(action) + "Response: <return> is '" +
                                          ret.child_value() + "', not 'true'");
  }
  return {};
}

Result<InstanceAttribute> ParseDescribeInstanceAttributeResponse(std::string_view xml) {
  pugi::xml_document doc;
  EC2M_QUERY_ASSIGN_OR_RETURN(pugi::xml_node root,
                              LoadResponse(doc, xml, "DescribeInstanceAttribute"));
  InstanceAttribute attr;
  attr.instance_id = XmlReader::Text(root, "instanceId");
  for (pugi::xml_node child : root.children()) {
    const std::string_view name = child.name();
    if (child.type() != pugi::node_element || name == "requestId" || name == "instanceId") {
      continue;
    }
    attr.attribute = name;
    attr.value = name == "enclaveOptions" ? XmlReader::Text(child, "enabled")
                                          : XmlReader::Text(child, "value");
    attr.is_boolean = IsBooleanAttribute(name);
    break;
  }
  return attr;
}

}  // namespace ec2m::query
