#include "stack/template.hpp"

#include <fmt/core.h>

#include <cctype>

#include "core/digest.hpp"

namespace ec2m::stack {
namespace {

// {service}-{resource}-{environment}-{account id}
std::string PhysicalName(const config::EnvironmentConfig& env, const std::string& resource) {
  return fmt::format("{}-{}-{}-{}", env.service, resource, env.name, env.account_id);
}

nlohmann::json Ref(const std::string& logical_id) { return {{"Ref", logical_id}}; }

// The first 16 hex digits of the SHA-256 of `keys` of `properties` (absent keys count as null).
std::string HashOf(const nlohmann::json& properties, const std::vector<std::string>& keys) {
  nlohmann::json picked = nlohmann::json::object();
  for (const std::string& k : keys) {
    picked[k] = properties.contains(k) ? properties[k] : nlohmann::json();
  }
  return Sha256Hex(picked.dump()).substr(0, 16);
}

}  // namespace

std::string Camel(const std::string& name) {
  std::string out;
  bool upper = true;
  for (char c : name) {
    if (c == '-') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

const std::vector<std::string>& SpecProperties(const std::string& type) {
  static const std::vector<std::string> kInstance = {"UserData", "BlockDeviceMappings"};
  static const std::vector<std::string> kNone;
  return type == "AWS::EC2::Instance" ? kInstance : kNone;
}

const std::vector<std::string>& SettingsProperties(const std::string& type) {
  static const std::vector<std::string> kInstance = {"DisableApiTermination", "Monitoring",
                                                     "HealthCheck"};
  static const std::vector<std::string> kVpc = {"EnableDnsHostnames", "EnableDnsSupport"};
  // Set after CreateSubnet (ModifySubnetAttribute), so remembered like a setting.
  static const std::vector<std::string> kSubnet = {"MapPublicIpOnLaunch"};
  static const std::vector<std::string> kNone;
  if (type == "AWS::EC2::Instance") {
    return kInstance;
  }
  if (type == "AWS::EC2::Subnet") {
    return kSubnet;
  }
  return type == "AWS::EC2::VPC" ? kVpc : kNone;
}

const Resource* Template::Find(const std::string& logical_id) const {
  for (const Resource& r : resources) {
    if (r.logical_id == logical_id) {
      return &r;
    }
  }
  return nullptr;
}

nlohmann::json Template::ToJson() const {
  nlohmann::json out = nlohmann::json::object();
  for (const Resource& r : resources) {
    nlohmann::json tags = nlohmann::json::object();
    for (const auto& [k, v] : r.tags) {
      tags[k] = v;
    }
    out[r.logical_id] = {{"Type", r.type},
                         {"Name", r.name},
                         {"Properties", r.properties},
                         {"Tags", tags},
                         {"DependsOn", r.depends_on},
                         {"RemovalPolicy", r.retain ? "RETAIN" : "DESTROY"}};
  }
  return {{"Environment", environment},
          {"Service", service},
          {"AccountId", account_id},
          {"Region", region},
          {"Resources", out}};
}

Result<Template> Synth(const config::EnvironmentConfig& env) {
  auto blocks = config::SubnetBlocks(env);
  EC2M_RETURN_IF_ERROR(blocks);
  const bool retain = env.retain();
  Template t{env.name, env.service, env.account_id, env.region, retain, {}};
  auto add = [&](Resource r) {
    r.tags["ManagedBy"] = kManagedBy;
    r.tags["Environment"] = env.name;
    r.tags["Service"] = env.service;
    r.tags["Name"] = r.name;
    r.tags[kLogicalIdTag] = r.logical_id;
    for (const auto& [k, v] : env.tags) {
      r.tags.emplace(k, v);
    }
    if (!SpecProperties(r.type).empty()) {
      r.tags[kSpecTag] = HashOf(r.properties, SpecProperties(r.type));
    }
    if (!SettingsProperties(r.type).empty()) {
      r.tags[kSettingsTag] = HashOf(r.properties, SettingsProperties(r.type));
    }
    r.retain = retain;
    t.resources.push_back(std::move(r));
  };

  add({"Vpc",
       "AWS::EC2::VPC",
       PhysicalName(env, "vpc"),
       {{"CidrBlock", env.vpc_cidr}, {"EnableDnsHostnames", true}, {"EnableDnsSupport", true}},
       {},
       {},
       false,
       "",
       "$.vpc"});

  std::map<std::string, std::vector<std::string>> subnets_of;  // group → logical ids, by zone
  for (size_t i = 0; i < blocks->size(); ++i) {
    const config::SubnetBlock& b = (*blocks)[i];
    const std::string id =
        "Subnet" + Camel(b.group) +
        static_cast<char>(std::toupper(static_cast<unsigned char>(b.zone_letter)));
    subnets_of[b.group].push_back(id);
    add({id,
         "AWS::EC2::Subnet",
         PhysicalName(env, fmt::format("subnet-{}-{}", b.group, b.zone_letter)),
         {{"VpcId", Ref("Vpc")},
          {"CidrBlock", b.cidr},
          {"AvailabilityZone", b.zone},
          {"MapPublicIpOnLaunch", b.is_public}},
         {},
         {"Vpc"},
         false,
         "",
         "$.vpc.subnets"});
  }

  for (size_t i = 0; i < env.security_groups.size(); ++i) {
    const config::SecurityGroupConfig& g = env.security_groups[i];
    nlohmann::json ingress = nlohmann::json::array();
    std::vector<std::string> depends = {"Vpc"};
    for (const config::IngressRule& rule : g.ingress) {
      nlohmann::json r = {{"IpProtocol", rule.protocol == "all" ? "-1" : rule.protocol}};
      if (rule.protocol == "tcp" || rule.protocol == "udp") {
        r["FromPort"] = rule.from_port;
        r["ToPort"] = rule.to_port;
      }
      if (!rule.cidr.empty()) {
        r["CidrIp"] = rule.cidr;
      } else {
        const std::string source = "SecurityGroup" + Camel(rule.source_group);
        r["SourceSecurityGroupId"] = Ref(source);
        if (source != "SecurityGroup" + Camel(g.name)) {
          depends.push_back(source);
        }
      }
      if (!rule.description.empty() && !rule.cidr.empty()) {
        r["Description"] = rule.description;  // EC2 keeps descriptions on address ranges
      }
      ingress.push_back(r);
    }
    const std::string name = PhysicalName(env, "sg-" + g.name);
    add({"SecurityGroup" + Camel(g.name),
         "AWS::EC2::SecurityGroup",
         name,
         {{"GroupName", name},
          {"GroupDescription", g.description},
          {"VpcId", Ref("Vpc")},
          {"SecurityGroupIngress", ingress}},
         {},
         depends,
         false,
         "",
         fmt::format("$.securityGroups[{}]", i)});
  }

  for (size_t i = 0; i < env.instance_groups.size(); ++i) {
    const config::InstanceGroupConfig& g = env.instance_groups[i];
    const std::vector<std::string>& subnets = subnets_of[g.subnets];
    const bool protect = g.termination_protection.value_or(retain);
    for (int n = 1; n <= g.count; ++n) {
      const std::string subnet = subnets[static_cast<size_t>(n - 1) % subnets.size()];
      nlohmann::json groups = nlohmann::json::array();
      std::vector<std::string> depends = {subnet};
      for (const std::string& sg : g.security_groups) {
        groups.push_back(Ref("SecurityGroup" + Camel(sg)));
        depends.push_back("SecurityGroup" + Camel(sg));
      }
      nlohmann::json props = {{"ImageId", g.image},
                              {"InstanceType", g.instance_type},
                              {"SubnetId", Ref(subnet)},
                              {"SecurityGroupIds", groups},
                              {"DisableApiTermination", protect},
                              {"Monitoring", env.detailed_monitoring},
                              {"BlockDeviceMappings",
                               {{{"DeviceName", "/dev/xvda"},
                                 {"Ebs",
                                  {{"VolumeSize", g.volume.size_gb},
                                   {"VolumeType", g.volume.type},
                                   {"Encrypted", g.volume.encrypted},
                                   {"DeleteOnTermination", true}}}}}},
                              {"HealthCheck",
                               {{"Type", g.health_check.type},
                                {"Path", g.health_check.path},
                                {"Port", g.health_check.port},
                                {"IntervalSeconds", g.health_check.interval_seconds},
                                {"TimeoutSeconds", g.health_check.timeout_seconds},
                                {"HealthyThreshold", g.health_check.healthy_threshold},
                                {"UnhealthyThreshold", g.health_check.unhealthy_threshold}}}};
      if (!g.user_data.empty()) {
        props["UserData"] = g.user_data;
      }
      add({fmt::format("Instance{}{}", Camel(g.name), n),
           "AWS::EC2::Instance",
           PhysicalName(env, fmt::format("{}-{}", g.name, n)),
           props,
           {},
           depends,
           false,
           g.name,
           fmt::format("$.instanceGroups[{}]", i)});
    }
  }
  return t;
}

}  // namespace ec2m::stack
