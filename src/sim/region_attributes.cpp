// SimRegion: attributes of VPCs (DNS support, DNS hostnames) and subnets (MapPublicIpOnLaunch).

#include <fmt/format.h>

#include "sim/region.hpp"
#include "sim/region_internal.hpp"
#include "sim/state.hpp"

namespace ec2m::sim {

namespace {

// EC2's answer to a Modify*Attribute call that sets no attribute.
Unexpected<Error> NoAttribute() {
  return Fail(ErrorCode::kInvalidArgument, "No attributes specified.",
              "InvalidParameterCombination");
}

}  // namespace

Result<void> SimRegion::ModifyVpcAttribute(const ModifyVpcAttributeRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("ModifyVpcAttribute"));
  if (!req.enable_dns_support && !req.enable_dns_hostnames) {
    return NoAttribute();
  }
  if (req.enable_dns_support && req.enable_dns_hostnames) {
    return Fail(ErrorCode::kInvalidArgument,
                "Fields for multiple attribute types specified: enableDnsSupport, "
                "enableDnsHostnames",
                "InvalidParameterCombination");
  }
  std::lock_guard lock(mu_);
  auto it = state_->vpcs.find(req.vpc_id);
  if (it == state_->vpcs.end()) {
    return IdsNotFound("vpc", {req.vpc_id});
  }
  VpcRecord next = it->second;
  if (req.enable_dns_hostnames && *req.enable_dns_hostnames && !next.enable_dns_support) {
    // EC2 gives DNS hostnames only to VPCs that resolve DNS.
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("DNS hostnames cannot be enabled for vpc '{}' while DNS support is "
                            "disabled (enableDnsSupport).",
                            req.vpc_id),
                "InvalidParameterCombination");
  }
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  if (req.enable_dns_support) {
    next.enable_dns_support = *req.enable_dns_support;
  } else {
    next.enable_dns_hostnames = *req.enable_dns_hostnames;
  }
  const SimRecord record = Encode(next);
  EC2M_RETURN_IF_ERROR(Persist({&record, 1}));
  it->second = std::move(next);
  return {};
}

Result<void> SimRegion::ModifySubnetAttribute(const ModifySubnetAttributeRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("ModifySubnetAttribute"));
  if (!req.map_public_ip_on_launch) {
    return NoAttribute();
  }
  std::lock_guard lock(mu_);
  auto it = state_->subnets.find(req.subnet_id);
  if (it == state_->subnets.end()) {
    return IdsNotFound("subnet", {req.subnet_id});
  }
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  SubnetRecord next = it->second;
  next.subnet.map_public_ip_on_launch = *req.map_public_ip_on_launch;
  const SimRecord record = Encode(next);
  EC2M_RETURN_IF_ERROR(Persist({&record, 1}));
  it->second.subnet.map_public_ip_on_launch = next.subnet.map_public_ip_on_launch;
  return {};
}

}  // namespace ec2m::sim
