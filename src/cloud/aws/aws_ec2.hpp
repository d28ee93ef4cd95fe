#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "cloud/aws/http_client.hpp"
#include "cloud/aws/retry.hpp"
#include "cloud/query/params.hpp"
#include "cloud/sigv4/sigv4.hpp"
#include "core/clock.hpp"
#include "core/ec2.hpp"
#include "core/random.hpp"

namespace ec2m::aws {

struct AwsEc2Options {
  std::string region;    // e.g. us-west-2; names the signing scope
  std::string endpoint;  // empty: https://ec2.REGION.amazonaws.com
  sigv4::Credentials credentials;
  RetryPolicy retry;
  HttpClientOptions http;
};

// The EC2 Query API client: an Ec2 over HTTPS that works against real AWS and any
// EC2-compatible endpoint (ec2m's own simulated region, moto, LocalStack). Requests are
// form-encoded and SigV4-signed afresh on every attempt; failures are retried as the AWS SDKs do in
// the policy's mode (standard, legacy, adaptive), with one retry quota and one adaptive rate
// limiter per client; RunInstances always carries a ClientToken,
// the same on every retry, so a response lost on the wire never launches twice. Errors keep
// EC2's code, message and request id. Thread-safe.
class AwsEc2 final : public Ec2 {
 public:
  // The clock and random must outlive the client.
  AwsEc2(AwsEc2Options options, const Clock& clock, Random& random);

  const std::string& endpoint() const { return endpoint_; }
  // Tokens left in the retry quota (for tests and metrics).
  int RetryTokensAvailable() const { return quota_.available(); }
  // Adaptive mode's send rate limit in attempts per second, 0 while not throttled.
  double AdaptiveSendRate() const { return limiter_.enabled() ? limiter_.fill_rate() : 0; }

  Result<Reservation> RunInstances(const RunInstancesRequest& req) override;
  Result<Page<Reservation>> DescribeInstances(const DescribeRequest& req) override;
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
  Result<void> MonitorInstances(const InstanceIdsRequest& req) override;
  Result<void> UnmonitorInstances(const InstanceIdsRequest& req) override;
  Result<void> CreateTags(const CreateTagsRequest& req) override;
  Result<void> DeleteTags(const DeleteTagsRequest& req) override;
  Result<Page<TagDescription>> DescribeTags(const DescribeRequest& req) override;
  Result<Vpc> CreateVpc(const CreateVpcRequest& req) override;
  Result<Page<Vpc>> DescribeVpcs(const DescribeRequest& req) override;
  Result<void> ModifyVpcAttribute(const ModifyVpcAttributeRequest& req) override;
  Result<void> DeleteVpc(const DeleteRequest& req) override;
  Result<Subnet> CreateSubnet(const CreateSubnetRequest& req) override;
  Result<Page<Subnet>> DescribeSubnets(const DescribeRequest& req) override;
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
  // Sends one operation with retries; returns the 2xx body or the final error.
  Result<std::string> Send(const query::Params& params);
  // Send, then parse the body.
  template <typename T>
  Result<T> Call(const query::Params& params,
                 const std::function<Result<T>(std::string_view)>& parse);
  HttpResult Attempt(const std::string& body);
  double NowSeconds() const;

  AwsEc2Options options_;
  std::string endpoint_;
  std::string host_;
  const Clock& clock_;
  Random& random_;
  HttpClient http_;
  RetryQuota quota_;
  ClientRateLimiter limiter_;  // used in adaptive mode only
};

}  // namespace ec2m::aws
