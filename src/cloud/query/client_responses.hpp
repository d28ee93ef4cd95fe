#pragma once

#include <string_view>
#include <vector>

#include "core/ec2_types.hpp"
#include "core/error.hpp"

namespace ec2m::query {

// Response parsers, the client side of responses.hpp: the body of one successful EC2 Query
// response → the result type the matching Ec2 method returns. They read the element names real
// EC2 sends (the model's locationNames, as the serializers in responses_*.cpp write them), ignore
// elements they do not know (EC2 sends many more than ec2m models), read an absent member as
// empty, 0 or false (not as the struct's default), instance state codes as `code & 0xFF` (the
// high byte is internal to EC2) and timestamps as ISO 8601 UTC. Members no element carries keep
// their defaults (e.g. Instance::user_data, disable_api_termination); an Instance's
// reservation_id and owner_id come from its reservation.
// Pure functions, thread-safe.
//
// Errors: kInternal with an empty aws_code and a message naming what was wrong: a body that is
// not XML, a root element other than `<{Action}Response>`, or a malformed number, boolean,
// timestamp or instance state. An error body (<Response><Errors>...) is for ParseErrorResponse
// (client_errors.hpp), not for these.

Result<Reservation> ParseRunInstancesResponse(std::string_view xml);
Result<Page<Reservation>> ParseDescribeInstancesResponse(std::string_view xml);
Result<Page<InstanceStatus>> ParseDescribeInstanceStatusResponse(std::string_view xml);
// StartInstances, StopInstances, TerminateInstances (`action`): `instancesSet`.
Result<std::vector<InstanceStateChange>> ParseInstanceStateChanges(std::string_view action,
                                                                   std::string_view xml);
// Operations without output (RebootInstances, ModifyInstanceAttribute, CreateTags, ...): succeeds
// on `<return>true</return>` or no `<return>` at all; kInternal on `<return>false</return>`.
// Also for MonitorInstances and UnmonitorInstances, whose `instancesSet` (each instance's
// monitoring state in transition) the Ec2 interface does not return.
Result<void> ParseReturnTrue(std::string_view action, std::string_view xml);
// The attribute is the element beside `instanceId`; `<x><value>v</value></x>` gives value "v",
// enclaveOptions' `<enabled>` likewise. is_boolean for the boolean attributes of the model.
Result<InstanceAttribute> ParseDescribeInstanceAttributeResponse(std::string_view xml);

Result<Page<TagDescription>> ParseDescribeTagsResponse(std::string_view xml);

Result<Vpc> ParseCreateVpcResponse(std::string_view xml);
Result<Page<Vpc>> ParseDescribeVpcsResponse(std::string_view xml);
Result<Subnet> ParseCreateSubnetResponse(std::string_view xml);
Result<Page<Subnet>> ParseDescribeSubnetsResponse(std::string_view xml);
// EC2 answers only `groupId` and `tagSet`; the other members are left empty.
Result<SecurityGroup> ParseCreateSecurityGroupResponse(std::string_view xml);
Result<Page<SecurityGroup>> ParseDescribeSecurityGroupsResponse(std::string_view xml);

Result<Page<Image>> ParseDescribeImagesResponse(std::string_view xml);
// EC2 does not send prices: on_demand_hourly_usd stays 0.
Result<Page<InstanceTypeInfo>> ParseDescribeInstanceTypesResponse(std::string_view xml);
Result<std::vector<AvailabilityZone>> ParseDescribeAvailabilityZonesResponse(std::string_view xml);
Result<std::vector<Region>> ParseDescribeRegionsResponse(std::string_view xml);

}  // namespace ec2m::query
