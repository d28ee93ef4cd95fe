// Serializers for the instance operations.

#include <set>

#include "cloud/query/response_common.hpp"
#include "cloud/query/responses.hpp"

namespace ec2m::query {

using internal::BeginResponse;
using internal::EndResponse;
using internal::kInstanceXmlEstimate;
using internal::WriteInstanceState;
using internal::WriteNextToken;
using internal::WriteTagSet;

namespace {

void WriteGroupSet(XmlWriter& w, const std::vector<GroupIdentifier>& groups) {
  if (groups.empty()) {
    w.Empty("groupSet");
    return;
  }
  w.Open("groupSet");
  for (const GroupIdentifier& g : groups) {
    w.Open("item");
    w.Text("groupId", g.group_id);
    w.Text("groupName", g.group_name);
    w.Close("item");
  }
  w.Close("groupSet");
}

// The instance's volumes as EC2 lists them on an instance (EbsInstanceBlockDevice): id, status,
// attachment time (the launch time: they are attached at launch) and deleteOnTermination. Size,
// type and encryption are DescribeVolumes' to tell, not the instance's.
void WriteBlockDeviceMapping(XmlWriter& w, const Instance& i, const std::string& launch_time) {
  if (i.block_device_mappings.empty()) {
    w.Empty("blockDeviceMapping");
    return;
  }
  w.Open("blockDeviceMapping");
  for (const BlockDeviceMapping& m : i.block_device_mappings) {
    w.Open("item");
    w.Text("deviceName", m.device_name);
    w.Open("ebs");
    w.Text("volumeId", m.ebs.volume_id);
    w.Text("status", m.ebs.status);
    w.Text("attachTime", launch_time);
    w.Bool("deleteOnTermination", m.ebs.delete_on_termination);
    w.Close("ebs");
    w.Close("item");
  }
  w.Close("blockDeviceMapping");
}

void WritePlacementAndMonitoring(XmlWriter& w, const Instance& i) {
  w.Open("placement");
  w.Text("availabilityZone", i.availability_zone);
  w.Empty("groupName");
  w.Text("tenancy", "default");
  w.Close("placement");
  w.TextIfSet("platform", i.platform);
  w.Open("monitoring");
  w.Text("state", i.monitoring_enabled ? "enabled" : "disabled");
  w.Close("monitoring");
}

void WriteInstance(XmlWriter& w, const Instance& i) {
  const std::string launch_time = FormatIso8601Millis(i.launch_time);
  w.Open("item");
  w.Text("instanceId", i.instance_id);
  w.Text("imageId", i.image_id);
  WriteInstanceState(w, "instanceState", i.state);
  w.Text("privateDnsName", i.private_dns_name);
  w.Text("dnsName", i.public_dns_name);
  w.Text("reason", i.state_transition_reason);
  w.TextIfSet("keyName", i.key_name);
  w.Int("amiLaunchIndex", i.ami_launch_index);
  w.Empty("productCodes");
  w.Text("instanceType", i.instance_type);
  w.Text("launchTime", launch_time);
  WritePlacementAndMonitoring(w, i);
  w.TextIfSet("subnetId", i.subnet_id);
  w.TextIfSet("vpcId", i.vpc_id);
  w.TextIfSet("privateIpAddress", i.private_ip_address);
  w.TextIfSet("ipAddress", i.public_ip_address);
  w.Bool("sourceDestCheck", true);
  WriteGroupSet(w, i.security_groups);
  if (!i.state_reason_code.empty()) {
    w.Open("stateReason");
    w.Text("code", i.state_reason_code);
    w.Text("message", i.state_reason_message);
    w.Close("stateReason");
  }
  w.Text("architecture", i.architecture);
  w.Text("rootDeviceType", i.root_device_type);
  w.Text("rootDeviceName", i.root_device_name);
  WriteBlockDeviceMapping(w, i, launch_time);
  w.Text("virtualizationType", i.virtualization_type);
  w.TextIfSet("clientToken", i.client_token);
  WriteTagSet(w, i.tags);
  w.Text("hypervisor", i.hypervisor);
  w.Bool("ebsOptimized", i.ebs_optimized);
  w.Bool("enaSupport", true);
  w.Open("hibernationOptions");
  w.Bool("configured", false);
  w.Close("hibernationOptions");
  w.Open("enclaveOptions");
  w.Bool("enabled", false);
  w.Close("enclaveOptions");
  w.Text("platformDetails", i.platform == "windows" ? "Windows" : "Linux/UNIX");
  w.Text("usageOperation", i.platform == "windows" ? "RunInstances:0002" : "RunInstances");
  w.Close("item");
}

// reservationId, ownerId, groupSet: the members of a Reservation before its instancesSet.
void WriteReservationHead(XmlWriter& w, const Reservation& r) {
  w.Text("reservationId", r.reservation_id);
  w.Text("ownerId", r.owner_id);
  WriteGroupSet(w, r.groups);
}

void WriteInstances(XmlWriter& w, const std::vector<Instance>& instances) {
  for (const Instance& i : instances) {
    WriteInstance(w, i);
  }
}

// reservationId, ownerId, groupSet, instancesSet: the members of a Reservation.
void WriteReservationMembers(XmlWriter& w, const Reservation& r) {
  WriteReservationHead(w, r);
  if (r.instances.empty()) {
    w.Empty("instancesSet");
    return;
  }
  w.Open("instancesSet");
  WriteInstances(w, r.instances);
  w.Close("instancesSet");
}

void WriteStatusSummary(XmlWriter& w, std::string_view name, const std::string& status,
                        const std::string& reachability,
                        const std::optional<TimePoint>& impaired_since) {
  w.Open(name);
  w.Text("status", status);
  w.Open("details");
  w.Open("item");
  w.Text("name", "reachability");
  w.Text("status", reachability);
  if (impaired_since && reachability == "failed") {
    w.Text("impairedSince", FormatIso8601Millis(*impaired_since));
  }
  w.Close("item");
  w.Close("details");
  w.Close(name);
}

}  // namespace

std::string SerializeRunInstances(std::string_view request_id, const Reservation& reservation) {
  XmlWriter w(512 + kInstanceXmlEstimate * reservation.instances.size());
  BeginResponse(w, "RunInstances", request_id);
  WriteReservationMembers(w, reservation);
  EndResponse(w, "RunInstances");
  return w.Take();
}

std::string SerializeDescribeInstances(std::string_view request_id, const Page<Reservation>& page) {
  size_t instances = 0;
  for (const Reservation& r : page.items) {
    instances += r.instances.size();
  }
  DescribeInstancesWriter w(request_id,
                            512 + 256 * page.items.size() + kInstanceXmlEstimate * instances);
  w.Add(page.items);
  w.End(page.next_token);
  return w.Take();
}

DescribeInstancesWriter::DescribeInstancesWriter(std::string_view request_id, size_t reserve)
    : w_(reserve) {
  BeginResponse(w_, "DescribeInstances", request_id);
  w_.Open("reservationSet");
}

void DescribeInstancesWriter::Add(const std::vector<Reservation>& reservations) {
  auto it = reservations.begin();
  // Only across a boundary: two entries of one id inside a window are the caller's to keep apart.
  if (open_ && it != reservations.end() && it->reservation_id == open_id_ &&
      !it->instances.empty()) {
    WriteInstances(w_, it->instances);
    ++it;
  }
  for (; it != reservations.end(); ++it) {
    CloseOpenReservation();
    w_.Open("item");
    WriteReservationHead(w_, *it);
    if (it->instances.empty()) {
      w_.Empty("instancesSet");
      w_.Close("item");
      continue;
    }
    w_.Open("instancesSet");
    WriteInstances(w_, it->instances);
    open_ = true;
    open_id_ = it->reservation_id;
  }
}

void DescribeInstancesWriter::End(const std::string& next_token) {
  CloseOpenReservation();
  w_.Close("reservationSet");
  WriteNextToken(w_, next_token);
  EndResponse(w_, "DescribeInstances");
}

void DescribeInstancesWriter::CloseOpenReservation() {
  if (!open_) {
    return;
  }
  w_.Close("instancesSet");
  w_.Close("item");
  open_ = false;
}

std::string SerializeDescribeInstanceStatus(std::string_view request_id,
                                            const Page<InstanceStatus>& page) {
  XmlWriter w(512 + 640 * page.items.size());
  BeginResponse(w, "DescribeInstanceStatus", request_id);
  w.Open("instanceStatusSet");
  for (const InstanceStatus& s : page.items) {
    w.Open("item");
    w.Text("instanceId", s.instance_id);
    w.Text("availabilityZone", s.availability_zone);
    WriteInstanceState(w, "instanceState", s.state);
    WriteStatusSummary(w, "systemStatus", s.system_status, s.system_reachability, s.impaired_since);
    WriteStatusSummary(w, "instanceStatus", s.instance_status, s.instance_reachability,
                       s.impaired_since);
    w.Close("item");
  }
  w.Close("instanceStatusSet");
  WriteNextToken(w, page.next_token);
  EndResponse(w, "DescribeInstanceStatus");
  return w.Take();
}

std::string SerializeInstanceStateChanges(std::string_view action, std::string_view request_id,
                                          const std::vector<InstanceStateChange>& changes) {
  XmlWriter w(512 + 256 * changes.size());
  BeginResponse(w, action, request_id);
  w.Open("instancesSet");
  for (const InstanceStateChange& c : changes) {
    w.Open("item");
    w.Text("instanceId", c.instance_id);
    WriteInstanceState(w, "currentState", c.current);
    WriteInstanceState(w, "previousState", c.previous);
    w.Close("item");
  }
  w.Close("instancesSet");
  EndResponse(w, action);
  return w.Take();
}

std::string SerializeInstanceMonitorings(std::string_view action, std::string_view request_id,
                                         const std::vector<std::string>& instance_ids,
                                         std::string_view state) {
  XmlWriter w(512 + 160 * instance_ids.size());
  BeginResponse(w, action, request_id);
  w.Open("instancesSet");
  std::set<std::string_view> written;
  for (const std::string& id : instance_ids) {
    if (!written.insert(id).second) {
      continue;
    }
    w.Open("item");
    w.Text("instanceId", id);
    w.Open("monitoring");
    w.Text("state", state);
    w.Close("monitoring");
    w.Close("item");
  }
  w.Close("instancesSet");
  EndResponse(w, action);
  return w.Take();
}

std::string SerializeReturnTrue(std::string_view action, std::string_view request_id) {
  XmlWriter w(256);
  BeginResponse(w, action, request_id);
  w.Bool("return", true);
  EndResponse(w, action);
  return w.Take();
}

std::string SerializeDescribeInstanceAttribute(std::string_view request_id,
                                               const InstanceAttribute& attribute) {
  XmlWriter w(512);
  BeginResponse(w, "DescribeInstanceAttribute", request_id);
  w.Text("instanceId", attribute.instance_id);
  const std::string& name = attribute.attribute;
  if (name == "groupSet" || name == "blockDeviceMapping" || name == "productCodes") {
    w.Empty(name);  // list attributes ec2m does not model
  } else if (name == "enclaveOptions") {
    w.Open(name);
    w.Text("enabled", attribute.value.empty() ? "false" : attribute.value);
    w.Close(name);
  } else if (!name.empty()) {
    w.Open(name);
    w.Text("value", attribute.value);
    w.Close(name);
  }
  EndResponse(w, "DescribeInstanceAttribute");
  return w.Take();
}

}  // namespace ec2m::query
