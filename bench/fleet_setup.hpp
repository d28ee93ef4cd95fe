#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "endpoint.hpp"

namespace ec2m::bench {

// How to build a fleet of running instances before a measurement.
struct FleetOptions {
  int64_t instances = 0;
  int batch = 1000;  // MinCount = MaxCount per RunInstances call
  int concurrency = 1;
  double seconds = 1800;  // give up launching after this long
  std::string image_id = "ami-0abcdef1234567890";
  std::string instance_type = "t3.micro";
};

// What the setup did. `error` is empty when every call succeeded.
struct FleetReport {
  int64_t launched = 0;
  int64_t calls = 0;
  double seconds = 0;
  std::vector<std::string> subnet_ids;
  std::string error;
};

// Launches options.instances instances into big subnets of their own: default subnets are /20
// (4,091 addresses), so the fleet goes into VPCs 10.0.0.0/16, 10.1.0.0/16, ... each holding one
// subnet as large as the VPC (65,531 usable addresses), as many as the fleet needs. Every call
// goes through the project's EC2 client (aws::AwsEc2, one attempt per call). Stops at the first
// failed call or when options.seconds have passed.
FleetReport SetupFleet(const EndpointConfig& endpoint, const FleetOptions& options);

// The report as one JSON object.
std::string FleetJson(const FleetReport& report);

}  // namespace ec2m::bench
