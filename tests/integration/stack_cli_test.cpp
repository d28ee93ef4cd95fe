// `ec2m validate`, `ec2m synth` and `ec2m diff` end to end: the binary on the shipped configs and
// on broken copies of them, and diff against `ec2m sim serve` changed by the AWS CLI, checking
// what it prints and how it exits.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/sim_server.hpp"
#include "support/subprocess.hpp"

namespace ec2m::testing {
namespace {

class StackCliTest : public ::testing::Test {
 protected:
  CommandResult Ec2m(std::vector<std::string> args) {
    args.insert(args.begin(), EC2M_BINARY);
    return RunCommand(args);
  }
  std::string Shipped(const std::string& env) {
    std::ifstream in(std::string(EC2M_SOURCE_DIR) + "/config/" + env + ".json");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  std::string config_dir_ = std::string(EC2M_SOURCE_DIR) + "/config";
  TempDir dir_;
};

TEST_F(StackCliTest, ShippedConfigsValidate) {
  for (const std::string env : {"dev", "staging", "prod"}) {
    CommandResult r = Ec2m({"validate", env, "--config-dir", config_dir_});
    EXPECT_EQ(r.exit_code, 0) << env << ": " << r.err;
    EXPECT_NE(r.out.find("valid; "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("compliance rules passed: 4 of 4"), std::string::npos) << r.out;
  }
}

TEST_F(StackCliTest, SynthPrintsTheTemplateTheSpecificationsChecksRead) {
  CommandResult r = Ec2m({"synth", "prod", "--config-dir", config_dir_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // npm run synth | grep -q "ManagedBy.*CDK" / "RemovalPolicy.*RETAIN", in ec2m's terms.
  EXPECT_NE(r.out.find("\"ManagedBy\": \"ec2m\""), std::string::npos);
  EXPECT_NE(r.out.find("\"RemovalPolicy\": \"RETAIN\""), std::string::npos);
  EXPECT_NE(r.out.find("\"Encrypted\": true"), std::string::npos);
  auto t = nlohmann::json::parse(r.out);
  EXPECT_EQ(t["Resources"]["Vpc"]["Properties"]["CidrBlock"], "10.2.0.0/16");
  EXPECT_EQ(t["Resources"]["InstanceWeb3"]["Properties"]["SubnetId"]["Ref"], "SubnetPrivateC");
}

TEST_F(StackCliTest, InvalidAndNonCompliantConfigsExitOneNamingThePlace) {
  std::string prod = Shipped("prod");
  const std::string before = "\"encrypted\": true";
  prod.replace(prod.find(before), before.size(), "\"encrypted\": false");
  std::ofstream(dir_.path() + "/prod.json") << prod;
  CommandResult r = Ec2m({"validate", "prod", "--config-dir", dir_.path()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("prod.json: $.instanceGroups[0].volume.encrypted: instance group web has "
                       "unencrypted EBS volumes"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("(rule ebs-encryption)"), std::string::npos);
  // synth refuses nothing that parses: compliance is validate's verdict.
  EXPECT_EQ(Ec2m({"synth", "prod", "--config-dir", dir_.path()}).exit_code, 0);

  std::ofstream(dir_.path() + "/dev.json") << R"({"environment": "dev", "region": "us-west-2",
    "instanceGroups": [{"name": "web", "image": "ami-0123456789abcdef0", "instanceType": "t3.micro",
                        "subnets": "privat"}]})";
  CommandResult bad = Ec2m({"validate", "dev", "--config-dir", dir_.path()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("dev.json: $.instanceGroups[0].subnets: expected one of public, private "
                         "(the vpc.subnets names), got \"privat\""),
            std::string::npos)
      << bad.err;
  EXPECT_EQ(Ec2m({"synth", "dev", "--config-dir", dir_.path()}).exit_code, 1);

  std::ofstream(dir_.path() + "/qa.json") << R"({"environment": "dev", "region": "us-west-2"})";
  CommandResult renamed = Ec2m({"validate", "qa", "--config-dir", dir_.path()});
  EXPECT_EQ(renamed.exit_code, 1);
  EXPECT_NE(renamed.err.find("expected \"qa\" (the file's name), got \"dev\""), std::string::npos);

  CommandResult missing = Ec2m({"validate", "nope", "--config-dir", dir_.path()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("nope.json: cannot be read"), std::string::npos);
  EXPECT_EQ(Ec2m({"validate"}).exit_code, 2);  // usage
}

TEST_F(StackCliTest, DiffReadsTheCloudAndExitsTwoOnChanges) {
  SimServer sim(dir_.path() + "/sim");
  ASSERT_TRUE(sim.Start()) << sim.error();
  CommandResult empty =
      Ec2m({"diff", "dev", "--config-dir", config_dir_, "--endpoint", sim.endpoint()});
  EXPECT_EQ(empty.exit_code, 2) << empty.err;
  EXPECT_NE(empty.out.find("+   create Vpc (AWS::EC2::VPC)"), std::string::npos) << empty.out;
  EXPECT_NE(empty.out.find("Plan for dev: 9 to create, 0 to update, 0 to replace, 0 to delete"),
            std::string::npos)
      << empty.out;

  // A VPC tagged as dev's but no longer in the config: a destructive delete, refused in prod.
  for (const std::string env : {"dev", "prod"}) {
    CommandResult made =
        Aws(sim.endpoint(),
            {"ec2", "create-vpc", "--cidr-block", "10.42.0.0/16", "--tag-specifications",
             "ResourceType=vpc,Tags=[{Key=Environment,Value=" + env +
                 "},{Key=ec2m:logical-id,Value=VpcOld},{Key=ManagedBy,Value=ec2m}]"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }
  CommandResult dev = Ec2m(
      {"diff", "dev", "--config-dir", config_dir_, "--endpoint", sim.endpoint(), "-o", "json"});
  EXPECT_EQ(dev.exit_code, 2) << dev.err;
  auto plan = nlohmann::json::parse(dev.out);
  EXPECT_EQ(plan["summary"]["delete"], 1);
  EXPECT_EQ(plan["summary"]["refused"], false);
  EXPECT_EQ(plan["changes"].back()["logical_id"], "VpcOld");
  EXPECT_EQ(plan["changes"].back()["destructive"], true);
  CommandResult prod =
      Ec2m({"diff", "prod", "--config-dir", config_dir_, "--endpoint", sim.endpoint()});
  EXPECT_EQ(prod.exit_code, 2);
  EXPECT_NE(prod.out.find("!   delete VpcOld"), std::string::npos) << prod.out;
  EXPECT_NE(prod.out.find("Refused: it would delete retained resources."), std::string::npos);

  sim.Stop();
  CommandResult down =
      Ec2m({"diff", "dev", "--config-dir", config_dir_, "--endpoint", sim.endpoint()});
  EXPECT_EQ(down.exit_code, 1);
  EXPECT_NE(down.err.find("reading the cloud at " + sim.endpoint()), std::string::npos) << down.err;
}

}  // namespace
}  // namespace ec2m::testing
