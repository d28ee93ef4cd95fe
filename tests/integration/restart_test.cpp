// Restart durability: what the simulated region holds survives a stop and a start of the server.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/sim_server.hpp"

namespace ec2m::testing {
namespace {

using nlohmann::json;

json AwsJson(const SimServer& server, const std::vector<std::string>& args) {
  CommandResult r = Aws(server.endpoint(), args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? json::parse(r.out, nullptr, false) : json();
}

TEST(RestartTest, StateSurvivesAServerRestart) {
  TempDir dir;
  const std::string data = dir.path() + "/sim";
  json before_instances;
  json before_vpcs;
  {
    SimServer server(data);
    ASSERT_TRUE(server.Start()) << server.error();
    json run = AwsJson(
        server, {"ec2", "run-instances", "--image-id", "ami-0abcdef1234567890", "--count", "4",
                 "--instance-type", "t3.small", "--client-token", "restart-1",
                 "--tag-specifications", "ResourceType=instance,Tags=[{Key=Name,Value=durable}]"});
    ASSERT_EQ(run["Instances"].size(), 4u);
    AwsJson(server, {"ec2", "stop-instances", "--instance-ids",
                     run["Instances"][0]["InstanceId"].get<std::string>()});
    AwsJson(server, {"ec2", "create-vpc", "--cidr-block", "10.9.0.0/16"});
    before_instances = AwsJson(server, {"ec2", "describe-instances"});
    before_vpcs = AwsJson(server, {"ec2", "describe-vpcs"});
    EXPECT_EQ(server.Stop(), 0);
  }
  SimServer server(data);
  ASSERT_TRUE(server.Start()) << server.error();
  EXPECT_EQ(AwsJson(server, {"ec2", "describe-instances"}), before_instances);
  EXPECT_EQ(AwsJson(server, {"ec2", "describe-vpcs"}), before_vpcs);
  // The same client token still names the same reservation after the restart.
  json again = AwsJson(
      server, {"ec2", "run-instances", "--image-id", "ami-0abcdef1234567890", "--count", "4",
               "--instance-type", "t3.small", "--client-token", "restart-1", "--tag-specifications",
               "ResourceType=instance,Tags=[{Key=Name,Value=durable}]"});
  EXPECT_EQ(again["ReservationId"], before_instances["Reservations"][0]["ReservationId"]);
}

}  // namespace
}  // namespace ec2m::testing
