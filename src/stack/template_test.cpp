#include "stack/template.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace ec2m::stack {
namespace {

// The shipped configs, read as `ec2m synth` reads them.
config::EnvironmentConfig Shipped(const std::string& name) {
  const std::string path = std::string(EC2M_SOURCE_DIR) + "/config/" + name + ".json";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto env = config::ParseEnvironmentConfig(text.str(), "config/" + name + ".json");
  EXPECT_TRUE(env) << env.error().ToString();
  return env ? *env : config::EnvironmentConfig{};
}

config::EnvironmentConfig Parse(const std::string& text) {
  auto env = config::ParseEnvironmentConfig(text, "test.json");
  EXPECT_TRUE(env) << env.error().ToString();
  return env ? *env : config::EnvironmentConfig{};
}

TEST(TemplateTest, VpcCreatedWithCorrectCidr) {
  auto t = Synth(Shipped("prod"));
  ASSERT_TRUE(t) << t.error().ToString();
  const Resource* vpc = t->Find("Vpc");
  ASSERT_NE(vpc, nullptr);
  EXPECT_EQ(vpc->type, "AWS::EC2::VPC");
  EXPECT_EQ(vpc->properties["CidrBlock"], "10.2.0.0/16");
  EXPECT_EQ(vpc->name, "ec2m-vpc-prod-123456789012");
}

TEST(TemplateTest, SubnetsInEveryZoneCarvedInOrder) {
  auto t = Synth(Parse(R"({"environment": "dev", "region": "us-west-2",
    "vpc": {"cidr": "10.0.0.0/16", "maxAzs": 3,
            "subnets": [{"name": "public", "type": "public", "cidrMask": 24},
                        {"name": "private", "type": "private", "cidrMask": 20}]}})"));
  ASSERT_TRUE(t) << t.error().ToString();
  const std::vector<std::pair<std::string, std::string>> want = {
      {"SubnetPublicA", "10.0.0.0/24"},   {"SubnetPublicB", "10.0.1.0/24"},
      {"SubnetPublicC", "10.0.2.0/24"},   {"SubnetPrivateA", "10.0.16.0/20"},
      {"SubnetPrivateB", "10.0.32.0/20"}, {"SubnetPrivateC", "10.0.48.0/20"}};
  for (const auto& [id, cidr] : want) {
    const Resource* s = t->Find(id);
    ASSERT_NE(s, nullptr) << id;
    EXPECT_EQ(s->properties["CidrBlock"], cidr) << id;
    EXPECT_EQ(s->depends_on, std::vector<std::string>{"Vpc"});
  }
  EXPECT_EQ(t->Find("SubnetPublicB")->properties["AvailabilityZone"], "us-west-2b");
  EXPECT_EQ(t->Find("SubnetPublicB")->properties["MapPublicIpOnLaunch"], true);
  EXPECT_EQ(t->Find("SubnetPrivateC")->properties["MapPublicIpOnLaunch"], false);
  EXPECT_EQ(t->Find("SubnetPrivateC")->name, "ec2m-subnet-private-c-dev-123456789012");
}

TEST(TemplateTest, InstancesGoRoundTheirSubnetsWithGroupsAndEncryptedVolumes) {
  auto t = Synth(Parse(R"({"environment": "staging", "region": "eu-west-1", "service": "shop",
    "accountId": "210987654321",
    "securityGroups": [{"name": "lb", "ingress": [{"port": 443, "cidr": "0.0.0.0/0"}]},
                       {"name": "web", "ingress": [{"port": 8080, "source": "lb"}]}],
    "instanceGroups": [{"name": "web", "image": "ami-0123456789abcdef0", "instanceType": "t3.small",
                        "count": 3, "securityGroups": ["web"], "userData": "#!/bin/sh\necho hi"}]})"));
  ASSERT_TRUE(t) << t.error().ToString();
  std::vector<std::string> subnets;
  for (int n = 1; n <= 3; ++n) {
    const Resource* i = t->Find("InstanceWeb" + std::to_string(n));
    ASSERT_NE(i, nullptr) << n;
    EXPECT_EQ(i->type, "AWS::EC2::Instance");
    EXPECT_EQ(i->group, "web");
    EXPECT_EQ(i->name, "shop-web-" + std::to_string(n) + "-staging-210987654321");
    EXPECT_EQ(i->properties["ImageId"], "ami-0123456789abcdef0");
    EXPECT_EQ(i->properties["SecurityGroupIds"][0]["Ref"], "SecurityGroupWeb");
    EXPECT_EQ(i->properties["BlockDeviceMappings"][0]["Ebs"]["Encrypted"], true);
    EXPECT_EQ(i->properties["DisableApiTermination"], false);  // staging: DESTROY
    EXPECT_EQ(i->properties["UserData"], "#!/bin/sh\necho hi");
    subnets.push_back(i->properties["SubnetId"]["Ref"]);
  }
  EXPECT_EQ(subnets,
            (std::vector<std::string>{"SubnetPrivateA", "SubnetPrivateB", "SubnetPrivateA"}));
  const Resource* web = t->Find("SecurityGroupWeb");
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->properties["SecurityGroupIngress"][0]["SourceSecurityGroupId"]["Ref"],
            "SecurityGroupLb");
  EXPECT_EQ(web->depends_on, (std::vector<std::string>{"Vpc", "SecurityGroupLb"}));
  // Dependencies come first in the template's order.
  std::set<std::string> seen;
  for (const Resource& r : t->resources) {
    for (const std::string& d : r.depends_on) {
      EXPECT_TRUE(seen.count(d)) << r.logical_id << " before " << d;
    }
    seen.insert(r.logical_id);
  }
}

TEST(TemplateTest, EveryResourceTaggedAndProdRetained) {
  auto t = Synth(Shipped("prod"));
  ASSERT_TRUE(t);
  ASSERT_FALSE(t->resources.empty());
  for (const Resource& r : t->resources) {
    EXPECT_EQ(r.tags.at("ManagedBy"), "ec2m") << r.logical_id;
    EXPECT_EQ(r.tags.at("Environment"), "prod") << r.logical_id;
    EXPECT_EQ(r.tags.at("Service"), "ec2m") << r.logical_id;
    EXPECT_EQ(r.tags.at(kLogicalIdTag), r.logical_id);
    EXPECT_TRUE(r.retain) << r.logical_id;
  }
  // The specification's checks, on the text `ec2m synth prod` prints.
  const std::string text = t->ToJson().dump(2);
  EXPECT_NE(text.find("\"ManagedBy\": \"ec2m\""), std::string::npos);
  EXPECT_NE(text.find("\"RemovalPolicy\": \"RETAIN\""), std::string::npos);
  EXPECT_NE(text.find("\"Encrypted\": true"), std::string::npos);
  EXPECT_EQ(text.find("\"RemovalPolicy\": \"DESTROY\""), std::string::npos);
  auto dev = Synth(Shipped("dev"));
  ASSERT_TRUE(dev);
  EXPECT_NE(dev->ToJson().dump(2).find("\"RemovalPolicy\": \"DESTROY\""), std::string::npos);
}

TEST(TemplateTest, CamelCase) {
  EXPECT_EQ(Camel("web"), "Web");
  EXPECT_EQ(Camel("web-api-2"), "WebApi2");
}

}  // namespace
}  // namespace ec2m::stack
