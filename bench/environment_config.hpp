#pragma once

#include <fmt/core.h>

#include <string>

#include <nlohmann/json.hpp>

// The environment config the stack benchmarks (plan_bench, apply_bench) work on: one VPC over
// three zones with a public and a private subnet each (6 subnets), ten security groups, and
// instance groups of at most 1,000 instances spread over the groups. Header-only: two programs
// share it and nothing else in the build needs it.
namespace ec2m::bench {

inline constexpr int kNetworkResources = 1 + 6 + 10;  // the VPC, its subnets, the groups
inline constexpr int kSecurityGroups = 10;
inline constexpr int kMaxGroupSize = 1000;

// The config text of environment "bench" with `instances` instances of `instance_type`, each
// launched with `user_data` (none when empty). REQUIRES: instances >= 1.
inline std::string EnvironmentConfigText(int instances, const std::string& instance_type,
                                         const std::string& user_data) {
  const int groups = (instances + kMaxGroupSize - 1) / kMaxGroupSize;
  std::string sgs;
  for (int i = 0; i < kSecurityGroups; ++i) {
    sgs += fmt::format(R"({}{{"name": "sg{}", "ingress": [{{"port": {}, "cidr": "10.0.0.0/8"}}]}})",
                       i == 0 ? "" : ",", i, 8000 + i);
  }
  // dump() makes the text a JSON string literal, escapes and all.
  const std::string user_data_member =
      user_data.empty() ? "" : fmt::format(R"(, "userData": {})", nlohmann::json(user_data).dump());
  std::string igs;
  for (int g = 0; g < groups; ++g) {
    const int count = instances / groups + (g < instances % groups ? 1 : 0);
    igs += fmt::format(
        R"({}{{"name": "app{}", "image": "ami-0abcdef1234567890", "instanceType": "{}",
             "count": {}, "securityGroups": ["sg{}"]{}}})",
        g == 0 ? "" : ",", g, instance_type, count, g % kSecurityGroups, user_data_member);
  }
  return fmt::format(R"({{"environment": "bench", "region": "us-west-2",
    "vpc": {{"cidr": "10.0.0.0/16", "maxAzs": 3,
            "subnets": [{{"name": "public", "type": "public", "cidrMask": 24}},
                        {{"name": "private", "type": "private", "cidrMask": 20}}]}},
    "securityGroups": [{}], "instanceGroups": [{}]}})",
                     sgs, igs);
}

}  // namespace ec2m::bench
