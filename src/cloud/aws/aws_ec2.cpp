#include "cloud/aws/aws_ec2.hpp"

#include <fmt/format.h>

#include "cloud/query/client_errors.hpp"
#include "cloud/query/client_requests.hpp"
#include "cloud/query/client_responses.hpp"

namespace ec2m::aws {

namespace {

// "https://ec2.us-west-2.amazonaws.com/x" -> "ec2.us-west-2.amazonaws.com" (port kept).
std::string HostOf(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  const size_t end = url.find('/', start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string WithSlash(std::string url) {
  if (url.find('/', url.find("://") == std::string::npos ? 0 : url.find("://") + 3) ==
      std::string::npos) {
    url += '/';
  }
  return url;
}

}  // namespace

AwsEc2::AwsEc2(AwsEc2Options options, const Clock& clock, Random& random)
    : options_(std::move(options)),
      endpoint_(WithSlash(options_.endpoint.empty()
                              ? fmt::format("https://ec2.{}.amazonaws.com", options_.region)
                              : options_.endpoint)),
      host_(HostOf(endpoint_)),
      clock_(clock),
      random_(random),
      http_(options_.http),
      limiter_(NowSeconds()) {}

double AwsEc2::NowSeconds() const {
  return std::chrono::duration<double>(clock_.Now().time_since_epoch()).count();
}

HttpResult AwsEc2::Attempt(const std::string& body) {
  sigv4::HttpRequest req;
  req.method = "POST";
  req.path = "/";
  req.headers = {{"Host", host_},
                 {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  req.body = body;
  sigv4::SigningParams signing;
  signing.credentials = options_.credentials;
  signing.region = options_.region;
  signing.service = "ec2";
  signing.time = clock_.Now();
  sigv4::SignHeaders(req, signing);
  std::vector<std::pair<std::string, std::string>> headers;
  for (auto& [name, value] : req.headers) {
    if (name != "Host") {  // libcurl sends Host from the URL
      headers.emplace_back(std::move(name), std::move(value));
    }
  }
  return http_.Post(endpoint_, headers, body);
}

Result<std::string> AwsEc2::Send(const query::Params& params) {
  const std::string body = query::EncodeForm(params);
  RetryState retry(options_.retry, quota_, random_);
  const bool adaptive = options_.retry.mode == RetryMode::kAdaptive;
  for (;;) {
    if (adaptive) {
      if (auto wait = limiter_.BeforeSend(NowSeconds()); wait.count() > 0) {
        clock_.SleepFor(wait);
      }
    }
    HttpResult result = Attempt(body);
    if (result.status >= 200 && result.status < 300) {
      if (adaptive) {
        limiter_.OnResponse(false, NowSeconds());
      }
      retry.OnSuccess();
      return std::move(result.body);
    }
    Error error;
    if (result.status == 0) {
      error =
          Error{result.timed_out ? ErrorCode::kTimeout : ErrorCode::kUnavailable,
                fmt::format("{} {}: {}", params.Get("Action"), endpoint_, result.transport_error),
                "", ""};
    } else {
      error = query::ParseErrorResponse(result.status, result.body);
      if (error.request_id.empty()) {
        error.request_id = result.request_id;
      }
    }
    const FailureKind kind = Classify(error.aws_code, result.status, result.status == 0,
                                      result.timed_out, options_.retry.mode);
    if (adaptive) {
      limiter_.OnResponse(kind == FailureKind::kThrottling, NowSeconds());
    }
    auto delay = retry.OnFailure(kind);
    if (!delay) {
      if (kind != FailureKind::kNotRetryable) {
        error.message +=
            fmt::format(" (gave up after {}: {})", retry.attempt(), retry.give_up_reason());
      }
      return Fail(std::move(error));
    }
    clock_.SleepFor(*delay);
  }
}

template <typename T>
Result<T> AwsEc2::Call(const query::Params& params,
                       const std::function<Result<T>(std::string_view)>& parse) {
  auto body = Send(params);
  if (!body) {
    return Fail(std::move(body).error());
  }
  return parse(*body);
}

Result<Reservation> AwsEc2::RunInstances(const RunInstancesRequest& req) {
  RunInstancesRequest with_token = req;
  if (with_token.client_token.empty()) {
    // One token for every attempt: a launch whose answer is lost is not repeated.
    with_token.client_token = NewUuid(random_);
  }
  return Call<Reservation>(query::EncodeRunInstances(with_token), query::ParseRunInstancesResponse);
}

Result<Page<Reservation>> AwsEc2::DescribeInstances(const DescribeRequest& req) {
  return Call<Page<Reservation>>(query::EncodeDescribeInstances(req),
                                 query::ParseDescribeInstancesResponse);
}

Result<Page<InstanceStatus>> AwsEc2::DescribeInstanceStatus(
    const DescribeInstanceStatusRequest& req) {
  return Call<Page<InstanceStatus>>(query::EncodeDescribeInstanceStatus(req),
                                    query::ParseDescribeInstanceStatusResponse);
}

namespace {
std::function<Result<std::vector<InstanceStateChange>>(std::string_view)> StateChanges(
    std::string_view action) {
  return [action](std::string_view xml) { return query::ParseInstanceStateChanges(action, xml); };
}
std::function<Result<void>(std::string_view)> ReturnTrue(std::string_view action) {
  return [action](std::string_view xml) { return query::ParseReturnTrue(action, xml); };
}
}  // namespace

Result<std::vector<InstanceStateChange>> AwsEc2::StartInstances(const InstanceIdsRequest& req) {
  return Call<std::vector<InstanceStateChange>>(query::EncodeStartInstances(req),
                                                StateChanges("StartInstances"));
}

Result<std::vector<InstanceStateChange>> AwsEc2::StopInstances(const InstanceIdsRequest& req) {
  return Call<std::vector<InstanceStateChange>>(query::EncodeStopInstances(req),
                                                StateChanges("StopInstances"));
}

Result<void> AwsEc2::RebootInstances(const InstanceIdsRequest& req) {
  return Call<void>(query::EncodeRebootInstances(req), ReturnTrue("RebootInstances"));
}

Result<std::vector<InstanceStateChange>> AwsEc2::TerminateInstances(const InstanceIdsRequest& req) {
  return Call<std::vector<InstanceStateChange>>(query::EncodeTerminateInstances(req),
                                                StateChanges("TerminateInstances"));
}

Result<void> AwsEc2::ModifyInstanceAttribute(const ModifyInstanceAttributeRequest& req) {
  return Call<void>(query::EncodeModifyInstanceAttribute(req),
                    ReturnTrue("ModifyInstanceAttribute"));
}

Result<InstanceAttribute> AwsEc2::DescribeInstanceAttribute(
    const DescribeInstanceAttributeRequest& req) {
  return Call<InstanceAttribute>(query::EncodeDescribeInstanceAttribute(req),
                                 query::ParseDescribeInstanceAttributeResponse);
}

Result<void> AwsEc2::MonitorInstances(const InstanceIdsRequest& req) {
  return Call<void>(query::EncodeMonitorInstances(req), ReturnTrue("MonitorInstances"));
}

Result<void> AwsEc2::UnmonitorInstances(const InstanceIdsRequest& req) {
  return Call<void>(query::EncodeUnmonitorInstances(req), ReturnTrue("UnmonitorInstances"));
}

Result<void> AwsEc2::CreateTags(const CreateTagsRequest& req) {
  return Call<void>(query::EncodeCreateTags(req), ReturnTrue("CreateTags"));
}

Result<void> AwsEc2::DeleteTags(const DeleteTagsRequest& req) {
  return Call<void>(query::EncodeDeleteTags(req), ReturnTrue("DeleteTags"));
}

Result<Page<TagDescription>> AwsEc2::DescribeTags(const DescribeRequest& req) {
  return Call<Page<TagDescription>>(query::EncodeDescribeTags(req),
                                    query::ParseDescribeTagsResponse);
}

Result<Vpc> AwsEc2::CreateVpc(const CreateVpcRequest& req) {
  return Call<Vpc>(query::EncodeCreateVpc(req), query::ParseCreateVpcResponse);
}

Result<Page<Vpc>> AwsEc2::DescribeVpcs(const DescribeRequest& req) {
  return Call<Page<Vpc>>(query::EncodeDescribeVpcs(req), query::ParseDescribeVpcsResponse);
}

Result<void> AwsEc2::ModifyVpcAttribute(const ModifyVpcAttributeRequest& req) {
  return Call<void>(query::EncodeModifyVpcAttribute(req), ReturnTrue("ModifyVpcAttribute"));
}

Result<void> AwsEc2::DeleteVpc(const DeleteRequest& req) {
  return Call<void>(query::EncodeDeleteVpc(req), ReturnTrue("DeleteVpc"));
}

Result<Subnet> AwsEc2::CreateSubnet(const CreateSubnetRequest& req) {
  return Call<Subnet>(query::EncodeCreateSubnet(req), query::ParseCreateSubnetResponse);
}

Result<Page<Subnet>> AwsEc2::DescribeSubnets(const DescribeRequest& req) {
  return Call<Page<Subnet>>(query::EncodeDescribeSubnets(req), query::ParseDescribeSubnetsResponse);
}

Result<void> AwsEc2::ModifySubnetAttribute(const ModifySubnetAttributeRequest& req) {
  return Call<void>(query::EncodeModifySubnetAttribute(req), ReturnTrue("ModifySubnetAttribute"));
}

Result<void> AwsEc2::DeleteSubnet(const DeleteRequest& req) {
  return Call<void>(query::EncodeDeleteSubnet(req), ReturnTrue("DeleteSubnet"));
}

Result<SecurityGroup> AwsEc2::CreateSecurityGroup(const CreateSecurityGroupRequest& req) {
  auto group = Call<SecurityGroup>(query::EncodeCreateSecurityGroup(req),
                                   query::ParseCreateSecurityGroupResponse);
  if (group) {
    // EC2 answers only the id and tags; the rest is what was asked for.
    group->group_name = req.group_name;
    group->description = req.description;
    group->vpc_id = req.vpc_id;
  }
  return group;
}

Result<Page<SecurityGroup>> AwsEc2::DescribeSecurityGroups(const DescribeRequest& req) {
  return Call<Page<SecurityGroup>>(query::EncodeDescribeSecurityGroups(req),
                                   query::ParseDescribeSecurityGroupsResponse);
}

Result<void> AwsEc2::AuthorizeSecurityGroupIngress(const SecurityGroupRulesRequest& req) {
  return Call<void>(query::EncodeAuthorizeSecurityGroupIngress(req),
                    ReturnTrue("AuthorizeSecurityGroupIngress"));
}

Result<void> AwsEc2::RevokeSecurityGroupIngress(const SecurityGroupRulesRequest& req) {
  return Call<void>(query::EncodeRevokeSecurityGroupIngress(req),
                    ReturnTrue("RevokeSecurityGroupIngress"));
}

Result<void> AwsEc2::DeleteSecurityGroup(const DeleteSecurityGroupRequest& req) {
  return Call<void>(query::EncodeDeleteSecurityGroup(req), ReturnTrue("DeleteSecurityGroup"));
}

Result<Page<Image>> AwsEc2::DescribeImages(const DescribeImagesRequest& req) {
  return Call<Page<Image>>(query::EncodeDescribeImages(req), query::ParseDescribeImagesResponse);
}

Result<Page<InstanceTypeInfo>> AwsEc2::DescribeInstanceTypes(const DescribeRequest& req) {
  return Call<Page<InstanceTypeInfo>>(query::EncodeDescribeInstanceTypes(req),
                                      query::ParseDescribeInstanceTypesResponse);
}

Result<std::vector<AvailabilityZone>> AwsEc2::DescribeAvailabilityZones(
    const DescribeRequest& req) {
  return Call<std::vector<AvailabilityZone>>(query::EncodeDescribeAvailabilityZones(req),
                                             query::ParseDescribeAvailabilityZonesResponse);
}

Result<std::vector<Region>> AwsEc2::DescribeRegions(const DescribeRequest& req) {
  return Call<std::vector<Region>>(query::EncodeDescribeRegions(req),
                                   query::ParseDescribeRegionsResponse);
}

}  // namespace ec2m::aws
