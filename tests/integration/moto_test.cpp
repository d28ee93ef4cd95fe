// The EC2 Query client against moto (moto_server), a second, independent EC2 implementation:
// the lifecycle calls must succeed there too. Skipped where moto_server is not installed.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <thread>

#include "cloud/aws/aws_ec2.hpp"
#include "support/subprocess.hpp"

namespace ec2m::testing {
namespace {

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

class MotoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (RunCommand({"sh", "-c", "command -v moto_server"}).exit_code != 0) {
      GTEST_SKIP() << "moto_server is not installed";
    }
    const int port = FreePort();
    ASSERT_TRUE(moto_.Start({"moto_server", "-H", "127.0.0.1", "-p", std::to_string(port)}));
    aws::AwsEc2Options options;
    options.region = "us-west-2";
    options.endpoint = "http://127.0.0.1:" + std::to_string(port);
    options.credentials = {"testing", "testing", ""};
    client_ = std::make_unique<aws::AwsEc2>(options, clock_, random_);
    // Ready when it answers; moto takes a few seconds to import.
    for (int i = 0; i < 300; ++i) {
      if (client_->DescribeRegions({}).has_value()) {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "moto_server did not answer on port " << port;
  }

  Subprocess moto_;
  SystemClock clock_;
  DefaultRandom random_{5};
  std::unique_ptr<aws::AwsEc2> client_;
};

TEST_F(MotoTest, LifecycleCallsSucceed) {
  RunInstancesRequest req{"ami-12c6146b", "t3.micro"};
  req.min_count = req.max_count = 2;
  req.tag_specifications = {{"instance", {{"Name", "moto"}}}};
  auto run = client_->RunInstances(req);
  ASSERT_TRUE(run.has_value()) << run.error().ToString();
  ASSERT_EQ(run->instances.size(), 2u);
  const std::string id = run->instances[0].instance_id;
  EXPECT_EQ(run->instances[0].tags, (Tags{{"Name", "moto"}}));

  DescribeRequest by_tag;
  by_tag.filters = {{"tag:Name", {"moto"}}};
  auto described = client_->DescribeInstances(by_tag);
  ASSERT_TRUE(described.has_value()) << described.error().ToString();
  size_t count = 0;
  for (const auto& r : described->items) {
    count += r.instances.size();
  }
  EXPECT_EQ(count, 2u);

  auto stopped = client_->StopInstances({{id}});
  ASSERT_TRUE(stopped.has_value()) << stopped.error().ToString();
  EXPECT_EQ(stopped->at(0).instance_id, id);
  auto started = client_->StartInstances({{id}});
  ASSERT_TRUE(started.has_value()) << started.error().ToString();
  ASSERT_TRUE(client_->CreateTags({{id}, {{"Env", "dev"}}}).has_value());
  auto tags = client_->DescribeTags({{}, {{"resource-id", {id}}}});
  ASSERT_TRUE(tags.has_value()) << tags.error().ToString();
  EXPECT_EQ(tags->items.size(), 2u);
  auto terminated = client_->TerminateInstances({{id}});
  ASSERT_TRUE(terminated.has_value()) << terminated.error().ToString();
  EXPECT_EQ(terminated->at(0).current, InstanceState::kShuttingDown);

  auto missing = client_->StopInstances({{"i-0123456789abcdef0"}});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().aws_code, "InvalidInstanceID.NotFound");
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_F(MotoTest, NetworkingCallsSucceed) {
  auto vpc = client_->CreateVpc({"10.40.0.0/16"});
  ASSERT_TRUE(vpc.has_value()) << vpc.error().ToString();
  auto subnet = client_->CreateSubnet({vpc->vpc_id, "10.40.1.0/24", "us-west-2a"});
  ASSERT_TRUE(subnet.has_value()) << subnet.error().ToString();
  auto group = client_->CreateSecurityGroup({"moto-web", "web", vpc->vpc_id});
  ASSERT_TRUE(group.has_value()) << group.error().ToString();
  SecurityGroupRulesRequest rule;
  rule.group_id = group->group_id;
  rule.permissions = {IpPermission{"tcp", 443, 443, {IpRange{"0.0.0.0/0", ""}}, {}}};
  ASSERT_TRUE(client_->AuthorizeSecurityGroupIngress(rule).has_value());
  auto zones = client_->DescribeAvailabilityZones({});
  ASSERT_TRUE(zones.has_value()) << zones.error().ToString();
  EXPECT_FALSE(zones->empty());
  ASSERT_TRUE(client_->DeleteSecurityGroup({group->group_id}).has_value());
  ASSERT_TRUE(client_->DeleteSubnet({subnet->subnet_id}).has_value());
  ASSERT_TRUE(client_->DeleteVpc({vpc->vpc_id}).has_value());
}

}  // namespace
}  // namespace ec2m::testing
