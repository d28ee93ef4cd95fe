#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include "busy_time.hpp"
#include "core/ec2.hpp"

namespace ec2m::bench {

// An Ec2 that counts the calls it forwards to `inner`, by action, with the time spent in them,
// and the wall time during which at least one call was in flight (less than their sum when calls
// overlap); each call is also bracketed in `also` when given (a BusyTime shared with other
// meters: the time anything metered was in flight). How the benches break a piece of work's
// cloud calls down (apply_bench, deploy_bench). Thread-safe (one mutex around the counters);
// `inner` and `also` must outlive it, and `inner` must be thread-safe itself.
class MeteredEc2 final : public Ec2 {
 public:
  struct Stat {
    int64_t calls = 0;
    double ms = 0;  // summed over calls, which overlap when the caller runs them in parallel
  };

  // What was metered since the last Take.
  struct Usage {
    std::map<std::string, Stat> by_action;
    double busy_ms = 0;  // wall time with at least one call in flight

    int64_t Calls() const;
    double SummedMs() const;  // the calls' own times added up
  };

  explicit MeteredEc2(Ec2& inner, BusyTime* also = nullptr) : inner_(inner), also_(also) {}

  // The usage since the last Take, and starts over. REQUIRES: no call in flight (the busy time
  // of a call in flight would be split between two Takes).
  Usage Take();

  Result<Reservation> RunInstances(const RunInstancesRequest& r) override;
  Result<Page<Reservation>> DescribeInstances(const DescribeRequest& r) override;
  Result<Page<InstanceStatus>> DescribeInstanceStatus(
      const DescribeInstanceStatusRequest& r) override;
  Result<std::vector<InstanceStateChange>> StartInstances(const InstanceIdsRequest& r) override;
  Result<std::vector<InstanceStateChange>> StopInstances(const InstanceIdsRequest& r) override;
  Result<void> RebootInstances(const InstanceIdsRequest& r) override;
  Result<std::vector<InstanceStateChange>> TerminateInstances(const InstanceIdsRequest& r) override;
  Result<void> ModifyInstanceAttribute(const ModifyInstanceAttributeRequest& r) override;
  Result<InstanceAttribute> DescribeInstanceAttribute(
      const DescribeInstanceAttributeRequest& r) override;
  Result<void> MonitorInstances(const InstanceIdsRequest& r) override;
  Result<void> UnmonitorInstances(const InstanceIdsRequest& r) override;
  Result<void> CreateTags(const CreateTagsRequest& r) override;
  Result<void> DeleteTags(const DeleteTagsRequest& r) override;
  Result<Page<TagDescription>> DescribeTags(const DescribeRequest& r) override;
  Result<Vpc> CreateVpc(const CreateVpcRequest& r) override;
  Result<Page<Vpc>> DescribeVpcs(const DescribeRequest& r) override;
  Result<void> ModifyVpcAttribute(const ModifyVpcAttributeRequest& r) override;
  Result<void> DeleteVpc(const DeleteRequest& r) override;
  Result<Subnet> CreateSubnet(const CreateSubnetRequest& r) override;
  Result<Page<Subnet>> DescribeSubnets(const DescribeRequest& r) override;
  Result<void> ModifySubnetAttribute(const ModifySubnetAttributeRequest& r) override;
  Result<void> DeleteSubnet(const DeleteRequest& r) override;
  Result<SecurityGroup> CreateSecurityGroup(const CreateSecurityGroupRequest& r) override;
  Result<Page<SecurityGroup>> DescribeSecurityGroups(const DescribeRequest& r) override;
  Result<void> AuthorizeSecurityGroupIngress(const SecurityGroupRulesRequest& r) override;
  Result<void> RevokeSecurityGroupIngress(const SecurityGroupRulesRequest& r) override;
  Result<void> DeleteSecurityGroup(const DeleteSecurityGroupRequest& r) override;
  Result<Page<Image>> DescribeImages(const DescribeImagesRequest& r) override;
  Result<Page<InstanceTypeInfo>> DescribeInstanceTypes(const DescribeRequest& r) override;
  Result<std::vector<AvailabilityZone>> DescribeAvailabilityZones(
      const DescribeRequest& r) override;
  Result<std::vector<Region>> DescribeRegions(const DescribeRequest& r) override;

 private:
  // Calls `call`, counting it under `action`.
  template <typename F>
  std::invoke_result_t<F> Meter(const char* action, F&& call);

  Ec2& inner_;
  BusyTime* also_;
  BusyTime busy_;
  std::mutex mu_;
  std::map<std::string, Stat> by_action_;  // guarded by mu_
};

}  // namespace ec2m::bench
