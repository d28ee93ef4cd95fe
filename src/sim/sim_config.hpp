#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace ec2m::sim {

// How long the simulated region's instances spend in each transitional state. Zero (the test
// default) makes a transition visible on the next read.
struct Delays {
  Millis pending{0};                   // pending -> running
  Millis stopping{0};                  // stopping -> stopped
  Millis shutting_down{0};             // shutting-down -> terminated
  Millis initializing{0};              // status checks "initializing" -> "ok" after running
  Millis terminated_visible{3600000};  // terminated instances stay listed this long, as on EC2
};

// Faults for one operation (or for all, as the default).
struct OperationFault {
  double throttle_rate = 0;  // share of calls failing with RequestLimitExceeded, 0..1
  double error_rate = 0;     // share of calls failing with InternalError (HTTP 500), 0..1
  Millis latency{0};         // added before the call is served
  // Share of calls that are applied but whose answer is lost: the endpoint cuts the connection
  // instead of responding, as a network failure after the fact would. 0..1.
  double drop_response_rate = 0;
  bool operator==(const OperationFault&) const = default;
};

// InsufficientInstanceCapacity for launches matching both fields (an empty field matches any).
struct CapacityFault {
  std::string instance_type;
  std::string availability_zone;
  bool operator==(const CapacityFault&) const = default;
};

// Everything the simulated region can be told to get wrong. Set in the sim's config and at run
// time through the admin endpoint.
struct FaultConfig {
  OperationFault all;
  std::map<std::string, OperationFault> operations;  // by Action name; replaces `all` for it
  std::vector<CapacityFault> insufficient_capacity;
  std::vector<std::string> impaired_instances;  // instance ids whose status checks fail
  std::vector<std::string> impaired_images;     // instances launched from these fail status checks
  bool operator==(const FaultConfig&) const = default;
};

struct SimConfig {
  std::string region = "us-west-2";
  std::string account_id = "123456789012";
  Delays delays;
  FaultConfig faults;
  // Where `ec2m sim serve` listens and keeps its store, and the access keys it accepts
  // (access key id -> secret). Not used by the region itself.
  std::string listen = "127.0.0.1:4566";
  std::string data_dir = "var/sim";
  std::map<std::string, std::string> credentials = {{"test", "test"}};
};

// JSON form of FaultConfig:
//   {"throttle_rate":0.3,"error_rate":0.05,"latency_ms":20,"drop_response_rate":0,
//    "operations":{"RunInstances":{"throttle_rate":1}},
//    "insufficient_capacity":[{"instance_type":"p4d.24xlarge","availability_zone":"us-west-2a"}],
//    "impaired_instances":["i-..."],"impaired_images":["ami-..."]}
// Unknown keys and out-of-range values are kInvalidArgument naming the JSON path.
Result<FaultConfig> ParseFaultConfig(std::string_view json_text);
std::string FaultConfigToJson(const FaultConfig& faults);

// JSON form of SimConfig (the sim's config file):
//   {"region":"us-west-2","account_id":"123456789012",
//    "delays_ms":{"pending":0,"stopping":0,"shutting_down":0,"initializing":0,"terminated_visible":3600000},
//    "faults":{...}, "listen":"127.0.0.1:4566", "data_dir":"var/sim",
//    "credentials":[{"access_key":"test","secret_key":"test"}]}
// `source` names the file in error messages.
Result<SimConfig> ParseSimConfig(std::string_view json_text, std::string_view source);

}  // namespace ec2m::sim
