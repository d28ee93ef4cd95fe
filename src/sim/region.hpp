#pragma once

#include <memory>
#include <mutex>
#include <span>
#include <string_view>

#include "core/clock.hpp"
#include "core/ec2.hpp"
#include "core/random.hpp"
#include "core/store.hpp"
#include "sim/sim_config.hpp"

namespace ec2m::sim {

struct RegionState;
struct InstanceRecord;

// The simulated EC2 region: one region's VPCs, subnets, security groups, instances and tags,
// held in memory and written through to the Store on every change, so it survives restarts.
// Instance state transitions are computed from the Clock when read (no background thread).
// Faults from the FaultConfig apply to every call. Thread-safe: one mutex guards the state.
class SimRegion final : public Ec2 {
 public:
  // Loads the region's persisted state, or creates a fresh one (default VPC, a default subnet per
  // zone, the default security group). The store, clock and random must outlive the region.
  static Result<std::unique_ptr<SimRegion>> Open(SimConfig config, Store& store, const Clock& clock,
                                                 Random& random);
  ~SimRegion() override;

  const SimConfig& config() const { return config_; }

  // Wipes the region (memory and store) and recreates the defaults.
  Result<void> Reset();
  void SetFaults(FaultConfig faults);
  FaultConfig faults() const;
  // Number of instances held (terminated ones included until they expire).
  size_t InstanceCount() const;
  // Whether the answer to an applied `operation` should be lost (FaultConfig drop_response_rate);
  // the endpoint asks after serving the call.
  bool ShouldDropResponse(std::string_view operation);

  Result<Reservation> RunInstances(const RunInstancesRequest& req) override;
  Result<Page<Reservation>> DescribeInstances(const DescribeRequest& req) override;
  // Pages id lists with the same tokens as the rest (the position of the next instance); faults
  // are drawn once, for the first window.
  Result<Page<Reservation>> DescribeInstancesWindow(const DescribeRequest& req, int limit) override;
  Result<Page<InstanceStatus>> DescribeInstanceStatus(
      const DescribeInstanceStatusRequest& req) override;
  Result<std::vector<InstanceStateChange>> StartInstances(const InstanceIdsRequest& req) override;
  Result<std::vector<InstanceStateChange>> StopInstances(const InstanceIdsRequest& req) override;
  Result<void> RebootInstances(const InstanceIdsRequest& req) override;
  Result<std::vector<InstanceStateChange>> TerminateInstances(
      const InstanceIdsRequest& req) override;
  Result<void> ModifyInstanceAttribute(const ModifyInstanceAttributeRequest& req) override;
  Result<InstanceAttribute> DescribeInstanceAttribute(
      const DescribeInstanceAttributeRequest& req) override;
  // Monitoring shows "enabled" / "disabled" from the call on (EC2 passes through "pending" /
  // "disabling" for a while; the sim does not).
  Result<void> MonitorInstances(const InstanceIdsRequest& req) override;
  Result<void> UnmonitorInstances(const InstanceIdsRequest& req) override;
  Result<void> CreateTags(const CreateTagsRequest& req) override;
  Result<void> DeleteTags(const DeleteTagsRequest& req) override;
  Result<Page<TagDescription>> DescribeTags(const DescribeRequest& req) override;
  Result<Vpc> CreateVpc(const CreateVpcRequest& req) override;
  Result<Page<Vpc>> DescribeVpcs(const DescribeRequest& req) override;
  // Also InvalidParameterCombination when enabling DNS hostnames while DNS support is off. DNS
  // hostnames (with DNS support) give running instances with a public address a public DNS name.
  Result<void> ModifyVpcAttribute(const ModifyVpcAttributeRequest& req) override;
  Result<void> DeleteVpc(const DeleteRequest& req) override;
  Result<Subnet> CreateSubnet(const CreateSubnetRequest& req) override;
  Result<Page<Subnet>> DescribeSubnets(const DescribeRequest& req) override;
  // MapPublicIpOnLaunch applies to instances launched afterwards, as EC2.
  Result<void> ModifySubnetAttribute(const ModifySubnetAttributeRequest& req) override;
  Result<void> DeleteSubnet(const DeleteRequest& req) override;
  Result<SecurityGroup> CreateSecurityGroup(const CreateSecurityGroupRequest& req) override;
  Result<Page<SecurityGroup>> DescribeSecurityGroups(const DescribeRequest& req) override;
  Result<void> AuthorizeSecurityGroupIngress(const SecurityGroupRulesRequest& req) override;
  Result<void> RevokeSecurityGroupIngress(const SecurityGroupRulesRequest& req) override;
  Result<void> DeleteSecurityGroup(const DeleteSecurityGroupRequest& req) override;
  Result<Page<Image>> DescribeImages(const DescribeImagesRequest& req) override;
  Result<Page<InstanceTypeInfo>> DescribeInstanceTypes(const DescribeRequest& req) override;
  Result<std::vector<AvailabilityZone>> DescribeAvailabilityZones(
      const DescribeRequest& req) override;
  Result<std::vector<Region>> DescribeRegions(const DescribeRequest& req) override;

 private:
  SimRegion(SimConfig config, Store& store, const Clock& clock, Random& random);

  // The faults that apply to `operation`.
  OperationFault FaultFor(std::string_view operation) const;
  // DescribeInstances without its fault and paging checks: at most `limit` instances, from the
  // position req.next_token names, id lists included.
  Result<Page<Reservation>> ReadInstances(const DescribeRequest& req, size_t limit);
  // Fails the call as the FaultConfig says for `operation` (after its added latency).
  Result<void> InjectFault(std::string_view operation);
  // Writes records through to the store. REQUIRES: mu_ held.
  Result<void> Persist(std::span<const SimRecord> upserts, std::span<const SimKey> deletes = {});
  // Writes changed instances to the store, then replaces them in memory. REQUIRES: mu_ held.
  Result<void> CommitInstances(std::vector<InstanceRecord>& updated);
  // AuthorizeSecurityGroupIngress (kAuthorize) and RevokeSecurityGroupIngress (kRevoke): the
  // same checks, dry run and write, around adding or removing the requested rules.
  enum class IngressChange { kAuthorize, kRevoke };
  Result<void> ChangeIngress(const SecurityGroupRulesRequest& req, IngressChange change);
  // MonitorInstances (enabled) and UnmonitorInstances: the same lookup, dry run and write.
  Result<void> SetMonitoring(const InstanceIdsRequest& req, bool enabled);
  // Creates the default VPC, its subnets and security group. REQUIRES: mu_ held.
  Result<void> CreateDefaults();
  // Drops terminated instances whose visibility expired. REQUIRES: mu_ held.
  Result<void> CollectExpired(int64_t now_ms);
  int64_t NowMs() const { return ToUnixMillis(clock_.Now()); }
  std::string NewId(std::string_view prefix) { return NewResourceId(random_, prefix); }

  SimConfig config_;
  Store& store_;
  const Clock& clock_;
  Random& random_;
  mutable std::mutex mu_;
  std::unique_ptr<RegionState> state_;  // guarded by mu_
  FaultConfig faults_;                  // guarded by mu_
  int64_t last_collect_ms_ = 0;         // guarded by mu_
};

}  // namespace ec2m::sim
