#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cloud/query/xml_writer.hpp"
#include "core/ec2_types.hpp"

namespace ec2m::query {

// The XML namespace of every EC2 response (2016-11-15, with the trailing slash EC2 sends).
inline constexpr std::string_view kXmlNamespace = "http://ec2.amazonaws.com/doc/2016-11-15/";

// Response serializers: one per operation, producing EC2's exact success body
// (`<?xml ...?><XResponse xmlns="..."><requestId>..</requestId>...</XResponse>`) with the
// model's locationName for every member, `<item>` for list members, lower-case booleans and
// `<nextToken>` only when there is another page. Members ec2m does not track are omitted, as EC2
// omits unset members; empty strings EC2 always sends (e.g. `reason`, `dnsName`) are sent empty.
// Pure functions, thread-safe.

std::string SerializeRunInstances(std::string_view request_id, const Reservation& reservation);
std::string SerializeDescribeInstances(std::string_view request_id, const Page<Reservation>& page);

// DescribeInstances' answer written in parts, for an answer sent while the region is still being
// read: the constructor writes the prologue, Add() each window of reservations in order, End() the
// closing tags; Take() hands over what was written since the last Take(). The parts concatenated
// are the bytes SerializeDescribeInstances writes for the windows' reservations in one page, with
// one difference that makes them equal to the region's whole answer: a reservation that a window
// boundary cuts in two (the last of one window, the first of the next, same id) is one entry, its
// instances continuing across the boundary, as the region groups them when read in one go. So the
// entry last added stays open until the next Add() or End(): memory is bounded by a window, never
// by a reservation. SerializeDescribeInstances is this writer with one Add(). Not thread-safe.
class DescribeInstancesWriter {
 public:
  // `reserve`: bytes to allocate up front (an estimate of the first part).
  DescribeInstancesWriter(std::string_view request_id, size_t reserve);

  void Add(const std::vector<Reservation>& reservations);
  // `next_token` as in Page (empty: none). REQUIRES: called once, after the last Add().
  void End(const std::string& next_token);
  std::string Take() { return w_.Take(); }
  // Take(), appended to `out` (see XmlWriter::TakeInto: a piece buffer reused for every window
  // and this writer trade buffers instead of allocating anew).
  void TakeInto(std::string& out) { w_.TakeInto(out); }

 private:
  // `</instancesSet></item>` for the entry left open, if any.
  void CloseOpenReservation();

  XmlWriter w_;
  bool open_ = false;    // an entry's instancesSet is open
  std::string open_id_;  // its reservation id
};

std::string SerializeDescribeInstanceStatus(std::string_view request_id,
                                            const Page<InstanceStatus>& page);
// StartInstances, StopInstances, TerminateInstances: `instancesSet` of state changes.
std::string SerializeInstanceStateChanges(std::string_view action, std::string_view request_id,
                                          const std::vector<InstanceStateChange>& changes);
// MonitorInstances, UnmonitorInstances: `instancesSet` with each instance once, in request order,
// and `monitoring.state` = `state` (EC2 answers "pending" and "disabling": the change under way).
std::string SerializeInstanceMonitorings(std::string_view action, std::string_view request_id,
                                         const std::vector<std::string>& instance_ids,
                                         std::string_view state);
// Operations without output (RebootInstances, ModifyInstanceAttribute, CreateTags, DeleteTags,
// ModifyVpcAttribute, DeleteVpc, ModifySubnetAttribute, DeleteSubnet, DeleteSecurityGroup,
// Authorize/RevokeSecurityGroupIngress): `<return>true</return>`.
std::string SerializeReturnTrue(std::string_view action, std::string_view request_id);
std::string SerializeDescribeInstanceAttribute(std::string_view request_id,
                                               const InstanceAttribute& attribute);

std::string SerializeDescribeTags(std::string_view request_id, const Page<TagDescription>& page);

std::string SerializeCreateVpc(std::string_view request_id, const Vpc& vpc);
std::string SerializeDescribeVpcs(std::string_view request_id, const Page<Vpc>& page);
std::string SerializeCreateSubnet(std::string_view request_id, const Subnet& subnet);
std::string SerializeDescribeSubnets(std::string_view request_id, const Page<Subnet>& page);
// `groupId` and, when tagged, `tagSet`.
std::string SerializeCreateSecurityGroup(std::string_view request_id, const SecurityGroup& group);
std::string SerializeDescribeSecurityGroups(std::string_view request_id,
                                            const Page<SecurityGroup>& page);

std::string SerializeDescribeImages(std::string_view request_id, const Page<Image>& page);
std::string SerializeDescribeInstanceTypes(std::string_view request_id,
                                           const Page<InstanceTypeInfo>& page);
std::string SerializeDescribeAvailabilityZones(std::string_view request_id,
                                               const std::vector<AvailabilityZone>& zones);
std::string SerializeDescribeRegions(std::string_view request_id,
                                     const std::vector<Region>& regions);

}  // namespace ec2m::query
