#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/ec2.hpp"
#include "core/error.hpp"

// What an environment's cloud holds: every VPC, subnet, security group and live instance tagged
// Environment=<name> and ec2m:logical-id, described in the template's own shape so a plan can
// compare the two property by property.
namespace ec2m::stack {

struct Found {
  std::string logical_id;
  std::string type;         // "AWS::EC2::Instance", ...
  std::string physical_id;  // "i-0123...", "vpc-...", "subnet-...", "sg-..."
  std::string state;        // instances: "running", "stopped", ...
  // The readable properties, as in the template, with references as physical ids.
  nlohmann::json properties;
  std::map<std::string, std::string> tags;
};

struct ActualState {
  std::vector<Found> resources;  // in the order found: VPCs, subnets, security groups, instances
  int calls = 0;                 // Describe calls made (pages included)
};

// Reads the resources of `environment` from `ec2`. Terminated and shutting-down instances are
// gone as far as a plan is concerned.
Result<ActualState> ReadActual(Ec2& ec2, const std::string& environment);

}  // namespace ec2m::stack
