#include "metered_ec2.hpp"

#include <chrono>
#include <utility>

#include "timing.hpp"

namespace ec2m::bench {
namespace {

double MsBetween(SteadyClock::time_point from, SteadyClock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

}  // namespace

int64_t MeteredEc2::Usage::Calls() const {
  int64_t n = 0;
  for (const auto& [action, s] : by_action) {
    n += s.calls;
  }
  return n;
}

double MeteredEc2::Usage::SummedMs() const {
  double ms = 0;
  for (const auto& [action, s] : by_action) {
    ms += s.ms;
  }
  return ms;
}

MeteredEc2::Usage MeteredEc2::Take() {
  std::lock_guard lock(mu_);
  return {std::exchange(by_action_, {}), busy_.TakeMs()};
}

template <typename F>
std::invoke_result_t<F> MeteredEc2::Meter(const char* action, F&& call) {
  busy_.Enter();
  if (also_ != nullptr) {
    also_->Enter();
  }
  const auto start = SteadyClock::now();
  auto out = call();
  const double ms = MsBetween(start, SteadyClock::now());
  busy_.Leave();
  if (also_ != nullptr) {
    also_->Leave();
  }
  std::lock_guard lock(mu_);
  Stat& s = by_action_[action];
  ++s.calls;
  s.ms += ms;
  return out;
}

Result<Reservation> MeteredEc2::RunInstances(const RunInstancesRequest& r) {
  return Meter("RunInstances", [&] { return inner_.RunInstances(r); });
}
Result<Page<Reservation>> MeteredEc2::DescribeInstances(const DescribeRequest& r) {
  return Meter("DescribeInstances", [&] { return inner_.DescribeInstances(r); });
}
Result<Page<InstanceStatus>> MeteredEc2::DescribeInstanceStatus(
    const DescribeInstanceStatusRequest& r) {
  return Meter("DescribeInstanceStatus", [&] { return inner_.DescribeInstanceStatus(r); });
}
Result<std::vector<InstanceStateChange>> MeteredEc2::StartInstances(const InstanceIdsRequest& r) {
  return Meter("StartInstances", [&] { return inner_.StartInstances(r); });
}
Result<std::vector<InstanceStateChange>> MeteredEc2::StopInstances(const InstanceIdsRequest& r) {
  return Meter("StopInstances", [&] { return inner_.StopInstances(r); });
}
Result<void> MeteredEc2::RebootInstances(const InstanceIdsRequest& r) {
  return Meter("RebootInstances", [&] { return inner_.RebootInstances(r); });
}
Result<std::vector<InstanceStateChange>> MeteredEc2::TerminateInstances(
    const InstanceIdsRequest& r) {
  return Meter("TerminateInstances", [&] { return inner_.TerminateInstances(r); });
}
Result<void> MeteredEc2::ModifyInstanceAttribute(const ModifyInstanceAttributeRequest& r) {
  return Meter("ModifyInstanceAttribute", [&] { return inner_.ModifyInstanceAttribute(r); });
}
Result<InstanceAttribute> MeteredEc2::DescribeInstanceAttribute(
    const DescribeInstanceAttributeRequest& r) {
  return Meter("DescribeInstanceAttribute", [&] { return inner_.DescribeInstanceAttribute(r); });
}
Result<void> MeteredEc2::MonitorInstances(const InstanceIdsRequest& r) {
  return Meter("MonitorInstances", [&] { return inner_.MonitorInstances(r); });
}
Result<void> MeteredEc2::UnmonitorInstances(const InstanceIdsRequest& r) {
  return Meter("UnmonitorInstances", [&] { return inner_.UnmonitorInstances(r); });
}
Result<void> MeteredEc2::CreateTags(const CreateTagsRequest& r) {
  return Meter("CreateTags", [&] { return inner_.CreateTags(r); });
}
Result<void> MeteredEc2::DeleteTags(const DeleteTagsRequest& r) {
  return Meter("DeleteTags", [&] { return inner_.DeleteTags(r); });
}
Result<Page<TagDescription>> MeteredEc2::DescribeTags(const DescribeRequest& r) {
  return Meter("DescribeTags", [&] { return inner_.DescribeTags(r); });
}
Result<Vpc> MeteredEc2::CreateVpc(const CreateVpcRequest& r) {
  return Meter("CreateVpc", [&] { return inner_.CreateVpc(r); });
}
Result<Page<Vpc>> MeteredEc2::DescribeVpcs(const DescribeRequest& r) {
  return Meter("DescribeVpcs", [&] { return inner_.DescribeVpcs(r); });
}
Result<void> MeteredEc2::ModifyVpcAttribute(const ModifyVpcAttributeRequest& r) {
  return Meter("ModifyVpcAttribute", [&] { return inner_.ModifyVpcAttribute(r); });
}
Result<void> MeteredEc2::DeleteVpc(const DeleteRequest& r) {
  return Meter("DeleteVpc", [&] { return inner_.DeleteVpc(r); });
}
Result<Subnet> MeteredEc2::CreateSubnet(const CreateSubnetRequest& r) {
  return Meter("CreateSubnet", [&] { return inner_.CreateSubnet(r); });
}
Result<Page<Subnet>> MeteredEc2::DescribeSubnets(const DescribeRequest& r) {
  return Meter("DescribeSubnets", [&] { return inner_.DescribeSubnets(r); });
}
Result<void> MeteredEc2::ModifySubnetAttribute(const ModifySubnetAttributeRequest& r) {
  return Meter("ModifySubnetAttribute", [&] { return inner_.ModifySubnetAttribute(r); });
}
Result<void> MeteredEc2::DeleteSubnet(const DeleteRequest& r) {
  return Meter("DeleteSubnet", [&] { return inner_.DeleteSubnet(r); });
}
Result<SecurityGroup> MeteredEc2::CreateSecurityGroup(const CreateSecurityGroupRequest& r) {
  return Meter("CreateSecurityGroup", [&] { return inner_.CreateSecurityGroup(r); });
}
Result<Page<SecurityGroup>> MeteredEc2::DescribeSecurityGroups(const DescribeRequest& r) {
  return Meter("DescribeSecurityGroups", [&] { return inner_.DescribeSecurityGroups(r); });
}
Result<void> MeteredEc2::AuthorizeSecurityGroupIngress(const SecurityGroupRulesRequest& r) {
  return Meter("AuthorizeSecurityGroupIngress",
               [&] { return inner_.AuthorizeSecurityGroupIngress(r); });
}
Result<void> MeteredEc2::RevokeSecurityGroupIngress(const SecurityGroupRulesRequest& r) {
  return Meter("RevokeSecurityGroupIngress", [&] { return inner_.RevokeSecurityGroupIngress(r); });
}
Result<void> MeteredEc2::DeleteSecurityGroup(const DeleteSecurityGroupRequest& r) {
  return Meter("DeleteSecurityGroup", [&] { return inner_.DeleteSecurityGroup(r); });
}
Result<Page<Image>> MeteredEc2::DescribeImages(const DescribeImagesRequest& r) {
  return Meter("DescribeImages", [&] { return inner_.DescribeImages(r); });
}
Result<Page<InstanceTypeInfo>> MeteredEc2::DescribeInstanceTypes(const DescribeRequest& r) {
  return Meter("DescribeInstanceTypes", [&] { return inner_.DescribeInstanceTypes(r); });
}
Result<std::vector<AvailabilityZone>> MeteredEc2::DescribeAvailabilityZones(
    const DescribeRequest& r) {
  return Meter("DescribeAvailabilityZones", [&] { return inner_.DescribeAvailabilityZones(r); });
}
Result<std::vector<Region>> MeteredEc2::DescribeRegions(const DescribeRequest& r) {
  return Meter("DescribeRegions", [&] { return inner_.DescribeRegions(r); });
}

}  // namespace ec2m::bench
