// `ec2m cloud check` and `ec2m cloud instances` end to end: the binary, the AWS CLI's credential
// chain, and `ec2m sim serve` as the EC2 endpoint.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/sim_server.hpp"

namespace ec2m::testing {
namespace {

class CloudCliTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start()) << server_.error(); }

  CommandResult Ec2m(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), EC2M_BINARY);
    env.emplace("HOME", dir_.path());
    env.emplace("AWS_CONFIG_FILE", dir_.path() + "/config");
    env.emplace("AWS_SHARED_CREDENTIALS_FILE", dir_.path() + "/credentials");
    return RunCommand(args, env);
  }

  std::map<std::string, std::string> KeysInEnv() {
    return {{"AWS_ACCESS_KEY_ID", "test"}, {"AWS_SECRET_ACCESS_KEY", "test"}};
  }

  TempDir dir_;
  SimServer server_{dir_.path() + "/sim"};
};

TEST_F(CloudCliTest, CheckPrintsAccountRegionAndZones) {
  CommandResult r = Ec2m({"cloud", "check", "--provider", "aws", "--region", "us-west-2",
                          "--endpoint", server_.endpoint()},
                         KeysInEnv());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("account      123456789012"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("us-west-2a (available)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(environment)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("secret"), std::string::npos);
}

TEST_F(CloudCliTest, CheckUsesANamedProfile) {
  std::ofstream(dir_.path() + "/credentials") << "[sim]\naws_access_key_id = test\n"
                                                 "aws_secret_access_key = test\n";
  std::ofstream(dir_.path() + "/config")
      << "[profile sim]\nregion = us-west-2\nretry_mode = adaptive\nmax_attempts = 4\n";
  CommandResult r = Ec2m({"cloud", "check", "--provider", "aws", "--endpoint", server_.endpoint(),
                          "--profile", "sim"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("profile 'sim'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("retries      adaptive mode, up to 4 attempts"), std::string::npos) << r.out;
}

TEST_F(CloudCliTest, BadCredentialsAndMissingProfilesAreClearErrors) {
  CommandResult wrong =
      Ec2m({"cloud", "check", "--region", "us-west-2", "--endpoint", server_.endpoint()},
           {{"AWS_ACCESS_KEY_ID", "test"}, {"AWS_SECRET_ACCESS_KEY", "nope-nope"}});
  EXPECT_EQ(wrong.exit_code, 6) << wrong.err;  // unauthenticated
  EXPECT_NE(wrong.err.find("AuthFailure"), std::string::npos) << wrong.err;
  EXPECT_EQ(wrong.err.find("nope-nope"), std::string::npos);
  CommandResult missing = Ec2m({"cloud", "check", "--region", "us-west-2", "--profile", "staging"});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_NE(missing.err.find("profile 'staging' not found"), std::string::npos) << missing.err;
  CommandResult provider = Ec2m({"cloud", "check", "--provider", "gcp"}, KeysInEnv());
  EXPECT_EQ(provider.exit_code, 2);
  EXPECT_NE(provider.err.find("--provider"), std::string::npos) << provider.err;
}

TEST_F(CloudCliTest, InstancesListsInEveryFormat) {
  CommandResult run = Aws(server_.endpoint(),
                          {"ec2", "run-instances", "--image-id", "ami-0abcdef1234567890", "--count",
                           "2", "--instance-type", "t3.micro", "--tag-specifications",
                           "ResourceType=instance,Tags=[{Key=Name,Value=api}]"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::vector<std::string> base = {"cloud",     "instances",  "--region",
                                         "us-west-2", "--endpoint", server_.endpoint()};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return Ec2m(args, KeysInEnv());
  };
  CommandResult table = with({"--output", "table"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("INSTANCE", 0), 0u) << table.out;
  EXPECT_NE(table.out.find("running"), std::string::npos);
  EXPECT_NE(table.out.find("api"), std::string::npos);
  CommandResult json = with({"--output", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto parsed = nlohmann::json::parse(json.out);
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0]["state"], "running");
  EXPECT_EQ(parsed[0]["name"], "api");
  CommandResult text = with({"--output", "text", "--state", "stopped"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out, "");
  CommandResult bad = with({"--output", "yaml"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--output"), std::string::npos);
}

}  // namespace
}  // namespace ec2m::testing
