#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace ec2m::query {

// The shapes of EC2 resource ids, checked by the request parsers so that every server built on
// this codec answers a malformed id with EC2's *.Malformed code before calling the region. Whether
// a well-formed id exists is the region's question (*.NotFound).
enum class IdKind {
  kInstance,       // i-       InvalidInstanceID.Malformed
  kImage,          // ami-     InvalidAMIID.Malformed
  kVpc,            // vpc-     InvalidVpcID.Malformed
  kSubnet,         // subnet-  InvalidSubnetID.Malformed
  kSecurityGroup,  // sg-      InvalidGroupId.Malformed
};

// True when `id` is `<prefix>-` followed by 8 or 17 lower-case hex digits ("i-0123456789abcdef0").
bool IsWellFormedId(std::string_view id, std::string_view prefix);

// kInvalidArgument with the kind's *.Malformed aws_code and the message `Invalid id: "<id>"`
// (plus `(expecting "<prefix>-...")` for kinds other than instances) unless `id` is well formed.
Result<void> ValidateId(IdKind kind, std::string_view id);
Result<void> ValidateIds(IdKind kind, const std::vector<std::string>& ids);

// A taggable resource id of any type (CreateTags/DeleteTags ResourceId.N): lower-case letters, '-',
// then 8 or 17 lower-case hex digits. Else kInvalidArgument, aws_code "InvalidID",
// "The ID '<id>' is not valid".
Result<void> ValidateResourceId(std::string_view id);

}  // namespace ec2m::query
