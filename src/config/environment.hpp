#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace ec2m::config {

// Where an environment's instances live.
struct CloudConfig {
  std::string provider = "sim";  // sim: the embedded simulated region; aws: the EC2 Query API
  std::string endpoint;          // aws: an override URL (moto, LocalStack, `ec2m sim serve`)
  std::string profile;           // aws: the AWS profile for credentials and settings
};

// One environment's config file (config/<name>.json): the specification's keys (environment,
// region, vpc, cognito, monitoring) plus the account and the cloud. Later issues add instance
// groups, alarms, maintenance windows and approvals to the same file.
struct EnvironmentConfig {
  std::string file;        // where it was read from, for messages
  std::string name;        // "environment": lower-case letters, digits and '-'
  std::string region;      // "us-west-2"
  std::string account_id;  // "accountId": 12 digits
  CloudConfig cloud;
  std::string vpc_cidr = "10.0.0.0/16";
  int64_t vpc_max_azs = 2;  // 1..6
  bool mfa_required = false;
  bool self_signup_enabled = false;
  bool detailed_monitoring = false;
  int64_t log_retention_days = 7;
};

// Parses one environment file's text. Errors: kInvalidArgument naming the file, the JSON path,
// what was expected and what was found; unknown keys are errors.
Result<EnvironmentConfig> ParseEnvironmentConfig(std::string_view text, const std::string& file);

// Every *.json in `dir`, sorted by name. Errors: the first file that does not parse; a name that
// differs from the file's stem ("config/dev.json: $.environment: expected \"dev\" (the file's
// name), got \"prod\""); a missing or unreadable directory.
Result<std::vector<EnvironmentConfig>> LoadEnvironments(const std::string& dir);

}  // namespace ec2m::config
