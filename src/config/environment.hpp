#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "monitor/alarm.hpp"

namespace ec2m::config {

// Where an environment's instances live.
struct CloudConfig {
  std::string provider = "sim";  // sim: the embedded simulated region; aws: the EC2 Query API
  std::string endpoint;          // aws: an override URL (moto, LocalStack, `ec2m sim serve`)
  std::string profile;           // aws: the AWS profile for credentials and settings
};

// A tier of subnets, one per availability zone (like the CDK's subnetConfiguration): each zone's
// block is carved from the VPC's CIDR in order, `cidr_mask` bits long.
struct SubnetGroup {
  std::string name;  // "public", "private"
  bool is_public = false;
  int cidr_mask = 24;
};

struct IngressRule {
  std::string protocol = "tcp";  // tcp | udp | icmp | all
  int from_port = 0;
  int to_port = 0;
  std::string cidr;          // either a CIDR ...
  std::string source_group;  // ... or another security group of the file, by name
  std::string description;
};

struct SecurityGroupConfig {
  std::string name;
  std::string description;
  std::vector<IngressRule> ingress;
};

// How an instance group's health is judged: EC2's status checks, plus an HTTP GET when `type` is
// "http".
struct HealthCheckConfig {
  std::string type = "ec2";  // ec2 | http
  std::string path = "/health";
  int port = 80;
  int interval_seconds = 30;
  int timeout_seconds = 5;
  int healthy_threshold = 2;
  int unhealthy_threshold = 3;
};

struct VolumeConfig {
  int size_gb = 20;
  std::string type = "gp3";
  bool encrypted = true;
};

struct InstanceGroupConfig {
  std::string name;
  std::string image;
  std::string instance_type;
  int count = 1;
  std::string subnets;  // a SubnetGroup's name; instances go round its zones
  std::vector<std::string> security_groups;
  std::string user_data;
  HealthCheckConfig health_check;
  VolumeConfig volume;
  std::optional<bool> termination_protection;  // unset: on where removal_policy is RETAIN
};

// When changes may be applied: `days` (mon..sun) from `start` to `end` ("HH:MM", an end before the
// start runs past midnight) in `time_zone`. No windows at all means any time.
struct MaintenanceWindow {
  std::vector<std::string> days;
  std::string start;
  std::string end;
  std::string time_zone = "UTC";
};

struct ApprovalRule {
  bool required = false;
  int approvals = 1;  // distinct approvers needed
};

// How releases are deployed to the environment (blue-green; "deployment" in the file).
struct DeploymentConfig {
  int stabilization_seconds = 30;    // after green is healthy, before the switch
  int watch_seconds = 600;           // after the switch, before blue is retired
  int health_timeout_seconds = 600;  // for green to run and pass its health check
  int baseline_minutes = 30;         // the stretch before a deployment its baseline is taken from
  // Breaching periods in a row before the response-time trigger rolls back (one flaky
  // datapoint does not).
  int consecutive_breaches = 3;
  std::string promote_to;  // the environment a success here is deployed to next ("staging")
};

// One environment's config file (config/<name>.json): the specification's keys (environment,
// region, vpc, cognito, monitoring) plus the account, the cloud and the environment's resources:
// subnets, security groups, instance groups, tags, removal policy, maintenance windows and the
// approval rule. References between them are checked when the file is read.
struct EnvironmentConfig {
  std::string file;              // where it was read from, for messages
  std::string name;              // "environment": lower-case letters, digits and '-'
  std::string service = "ec2m";  // the first part of every resource's name
  std::string region;            // "us-west-2"
  std::string account_id;        // "accountId": 12 digits
  CloudConfig cloud;
  std::string vpc_cidr = "10.0.0.0/16";
  int64_t vpc_max_azs = 2;                 // 1..6
  std::vector<SubnetGroup> subnet_groups;  // default: public /24 and private /24
  std::vector<SecurityGroupConfig> security_groups;
  std::vector<InstanceGroupConfig> instance_groups;
  std::map<std::string, std::string> tags;  // added to every resource
  std::string removal_policy;               // RETAIN | DESTROY; default RETAIN for prod only
  std::vector<MaintenanceWindow> maintenance_windows;
  ApprovalRule approval;
  DeploymentConfig deployment;
  bool mfa_required = false;
  bool self_signup_enabled = false;
  bool detailed_monitoring = false;
  int64_t log_retention_days = 7;
  // monitoring.alarms: the specification's five (monitor::DefaultAlarms) unless the config
  // overrides one by name (any field; "enabled": false drops it) or adds its own.
  std::vector<monitor::AlarmSpec> alarms = monitor::DefaultAlarms();

  bool retain() const { return removal_policy == "RETAIN"; }
};

// Whether `name` is a time zone of the tz database ("UTC", "America/Los_Angeles") as the system
// has it (/usr/share/zoneinfo, Debian's tzdata). False for "localtime" (whatever zone the host is
// set to) and when the database cannot be read. Thread-safe.
bool IsTimeZone(const std::string& name);

// The prefix length of a network CIDR within [min_prefix, max_prefix], or -1.
int CidrPrefix(const std::string& cidr, int min_prefix = 0, int max_prefix = 32);

// The zones an environment uses: the region's first vpc.maxAzs ("us-west-2a", "us-west-2b").
std::vector<std::string> Zones(const EnvironmentConfig& e);

// One subnet of a group in one zone, with its block of the VPC's CIDR.
struct SubnetBlock {
  std::string group;
  bool is_public = false;
  std::string zone;
  char zone_letter = 'a';
  std::string cidr;
};
// Every group's subnet in every zone, carved from vpc.cidr in order (group by group, zone by
// zone), each block aligned to its size. Errors: the blocks do not fit, naming the group.
Result<std::vector<SubnetBlock>> SubnetBlocks(const EnvironmentConfig& e);

// Parses one environment file's text. Errors: kInvalidArgument naming the file, the JSON path,
// what was expected and what was found; unknown keys, duplicate names, references to names the
// file does not define, CIDRs that are malformed or do not fit are all errors.
Result<EnvironmentConfig> ParseEnvironmentConfig(std::string_view text, const std::string& file);

// One environment's file as read: the config and the text it came from (compliance rules and
// change sets need the text).
struct EnvironmentFile {
  EnvironmentConfig config;
  std::string text;
};

// Reads and parses `path` (".../<name>.json"). Errors: an unreadable file, the file's parse
// errors, a name that differs from the file's stem.
Result<EnvironmentFile> ReadEnvironmentFile(const std::string& path);

// Every *.json in `dir`, sorted by name. Errors: the first file that does not parse; a name that
// differs from the file's stem ("config/dev.json: $.environment: expected \"dev\" (the file's
// name), got \"prod\""); a missing or unreadable directory.
Result<std::vector<EnvironmentConfig>> LoadEnvironments(const std::string& dir);

// Every deployment.promoteTo names another environment of `envs`, and following them never comes
// back (dev → staging → prod). Errors: kInvalidArgument naming the file and the key.
Result<void> CheckPromotions(const std::vector<EnvironmentConfig>& envs);

}  // namespace ec2m::config
