#pragma once

#include <string>

#include "cloud/aws/aws_ec2.hpp"
#include "cloud/aws/http_client.hpp"

namespace ec2m::bench {

// Where and as whom the bench clients talk: an EC2 Query endpoint such as
// "http://127.0.0.1:4566". A value type.
struct EndpointConfig {
  std::string url;
  std::string region = "us-west-2";
  std::string access_key = "test";
  std::string secret_key = "test";
  long timeout_s = 300;  // whole-call timeout; a full DescribeInstances on moto takes seconds
};

// Settings for the project's HTTP client (aws::HttpClient) with the endpoint's timeout.
aws::HttpClientOptions HttpOptions(const EndpointConfig& endpoint);

// Settings for the project's EC2 client (aws::AwsEc2) against the endpoint, with ONE attempt per
// call: a benchmark must see every failure, not a retry hiding it behind a backoff.
aws::AwsEc2Options Ec2Options(const EndpointConfig& endpoint);

// Sends `form_body` (e.g. "Action=DescribeInstances&Version=2016-11-15") as a form POST to the
// endpoint's "/", signed with SigV4 (service ec2) exactly as AwsEc2 signs its attempts, over
// `http`, so the same keep-alive connection carries consecutive calls. For request bodies that
// AwsEc2's typed calls cannot express (no ClientToken, no MaxResults, any raw body), and for
// loads that must not pay for parsing the response. Never throws; failures come back in the
// result. Thread-safe as HttpClient is.
aws::HttpResult PostSigned(aws::HttpClient& http, const EndpointConfig& endpoint,
                           const std::string& form_body);

}  // namespace ec2m::bench
