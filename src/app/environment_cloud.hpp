#pragma once

#include <memory>
#include <string>

#include "cloud/aws/aws_ec2.hpp"
#include "config/environment.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"

namespace ec2m::app {

// The EC2 Query client for an environment whose cloud is reached over HTTP: provider "aws" with
// the AWS CLI's settings chain (the config's profile and endpoint; `endpoint` overrides), or, for
// provider "sim" outside the server that embeds the region, that region's EC2 endpoint
// (`endpoint`, default http://127.0.0.1:4566 as `make run` opens it) with its default keys.
// Errors name the environment's file.
Result<std::unique_ptr<aws::AwsEc2>> ConnectEnvironment(const config::EnvironmentConfig& env,
                                                        const std::string& endpoint,
                                                        const Clock& clock, Random& random);

inline constexpr const char* kDefaultSimEndpoint = "http://127.0.0.1:4566";

}  // namespace ec2m::app
