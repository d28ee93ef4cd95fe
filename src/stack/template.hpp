#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/environment.hpp"
#include "core/error.hpp"

// An environment's config resolved into the resources it stands for (`ec2m synth`): the VPC, a
// subnet per group and zone, the security groups and every instance of every instance group,
// each with a logical id, a type, a physical name, properties, tags and dependencies. Plans
// compare this with what the cloud holds; compliance rules read it.
namespace ec2m::stack {

inline constexpr const char* kManagedBy = "ec2m";
// The tag that ties a cloud resource to its logical id (how the actual state is found).
inline constexpr const char* kLogicalIdTag = "ec2m:logical-id";
// What EC2 cannot describe back is remembered as short hashes in tags, so a plan sees a change
// without a call per resource: kSpecTag over the properties whose change replaces the resource
// (an instance's user data and volumes), kSettingsTag over those changed in place (termination
// protection, monitoring, the health check, a subnet's public addressing).
inline constexpr const char* kSpecTag = "ec2m:spec";
inline constexpr const char* kSettingsTag = "ec2m:settings";
// Provenance of an instance a blue-green deployment launched (release::Deployer): which
// deployment and release. Plans do not compare them: they say where an instance came from, not
// what it should be.
inline constexpr const char* kDeploymentTag = "ec2m:deployment";
inline constexpr const char* kReleaseTag = "ec2m:release";

// The properties of `type` that are compared through kSpecTag / kSettingsTag rather than read
// from the cloud.
const std::vector<std::string>& SpecProperties(const std::string& type);
const std::vector<std::string>& SettingsProperties(const std::string& type);

struct Resource {
  std::string logical_id;  // "Vpc", "SubnetPublicA", "SecurityGroupWeb", "InstanceWeb1"
  std::string type;        // "AWS::EC2::VPC", "AWS::EC2::Subnet", ...
  std::string name;        // {service}-{resource}-{environment}-{account id}
  nlohmann::json properties;
  std::map<std::string, std::string> tags;
  std::vector<std::string> depends_on;  // logical ids
  bool retain = false;                  // RemovalPolicy RETAIN: never deleted without override
  std::string group;                    // the instance group of an instance, else ""
  std::string source;                   // the config's JSON path it came from ("$.vpc")
};

struct Template {
  std::string environment;
  std::string service;
  std::string account_id;
  std::string region;
  bool retain = false;              // RemovalPolicy RETAIN: what leaves the config stays
  std::vector<Resource> resources;  // dependencies first

  const Resource* Find(const std::string& logical_id) const;
  // {"Environment", "Service", "AccountId", "Region", "Resources": {id: {...}}}
  nlohmann::json ToJson() const;
};

// "web-api" → "WebApi": names as they appear in logical ids.
std::string Camel(const std::string& name);

// Resolves `env`. Errors only where the config cannot be laid out (subnets that do not fit).
Result<Template> Synth(const config::EnvironmentConfig& env);

}  // namespace ec2m::stack
