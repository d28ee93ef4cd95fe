// Arbitrary bytes → ParseForm → every request parser, and every error message through the XML
// error serializer. Nothing may crash, hang or read out of bounds; errors are fine.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cloud/query/errors.hpp"
#include "cloud/query/params.hpp"
#include "cloud/query/requests.hpp"

namespace {

using ec2m::query::Params;

template <typename Parse>
void Try(Parse parse, const Params& params) {
  auto result = parse(params);
  if (!result) {
    // Messages echo input; the serializer must keep the document well formed.
    (void)ec2m::query::SerializeError(result.error(), "fuzz");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto params = ec2m::query::ParseForm(body);
  if (!params) {
    return 0;
  }
  (void)ec2m::query::EncodeForm(*params);
  namespace q = ec2m::query;
  Try(q::ParseRunInstances, *params);
  Try(q::ParseDescribeInstances, *params);
  Try(q::ParseDescribeInstanceStatus, *params);
  Try(q::ParseStartInstances, *params);
  Try(q::ParseStopInstances, *params);
  Try(q::ParseRebootInstances, *params);
  Try(q::ParseTerminateInstances, *params);
  Try(q::ParseModifyInstanceAttribute, *params);
  Try(q::ParseDescribeInstanceAttribute, *params);
  Try(q::ParseCreateTags, *params);
  Try(q::ParseDeleteTags, *params);
  Try(q::ParseDescribeTags, *params);
  Try(q::ParseCreateVpc, *params);
  Try(q::ParseDescribeVpcs, *params);
  Try(q::ParseDeleteVpc, *params);
  Try(q::ParseCreateSubnet, *params);
  Try(q::ParseDescribeSubnets, *params);
  Try(q::ParseDeleteSubnet, *params);
  Try(q::ParseCreateSecurityGroup, *params);
  Try(q::ParseDescribeSecurityGroups, *params);
  Try(q::ParseAuthorizeSecurityGroupIngress, *params);
  Try(q::ParseRevokeSecurityGroupIngress, *params);
  Try(q::ParseDeleteSecurityGroup, *params);
  Try(q::ParseDescribeImages, *params);
  Try(q::ParseDescribeInstanceTypes, *params);
  Try(q::ParseDescribeAvailabilityZones, *params);
  Try(q::ParseDescribeRegions, *params);
  return 0;
}
