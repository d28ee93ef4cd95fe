// One suite over both implementations of Ec2: the simulated region called in process, and the
// EC2 Query client (AwsEc2) talking over HTTP to `ec2m sim serve`. The same calls must give the
// same answers.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <set>

#include "cloud/aws/aws_ec2.hpp"
#include "core/paging.hpp"
#include "sim/region.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/sim_server.hpp"

namespace ec2m::testing {
namespace {

constexpr const char* kImage = "ami-0abcdef1234567890";

// An Ec2 under test together with whatever keeps it alive.
struct Subject {
  virtual ~Subject() = default;
  virtual Ec2& ec2() = 0;
};

struct InProcess : Subject {
  SystemClock clock;
  DefaultRandom random{7};
  std::unique_ptr<store::SqliteStore> store = std::move(*store::SqliteStore::Open(":memory:"));
  std::unique_ptr<sim::SimRegion> region =
      std::move(*sim::SimRegion::Open(sim::SimConfig{}, *store, clock, random));
  Ec2& ec2() override { return *region; }
};

struct OverHttp : Subject {
  TempDir dir;
  SimServer server{dir.path() + "/sim"};
  SystemClock clock;
  DefaultRandom random{7};
  std::unique_ptr<aws::AwsEc2> client;
  OverHttp() {
    EXPECT_TRUE(server.Start()) << server.error();
    aws::AwsEc2Options options;
    options.region = "us-west-2";
    options.endpoint = server.endpoint();
    options.credentials = {"test", "test", ""};
    client = std::make_unique<aws::AwsEc2>(options, clock, random);
  }
  Ec2& ec2() override { return *client; }
};

using Factory = std::function<std::unique_ptr<Subject>()>;

class Ec2SharedTest : public ::testing::TestWithParam<std::pair<std::string, Factory>> {
 protected:
  void SetUp() override { subject_ = GetParam().second(); }
  Ec2& ec2() { return subject_->ec2(); }

  Reservation Launch(int count, RunInstancesRequest req = {}) {
    req.image_id = kImage;
    req.instance_type = "t3.micro";
    req.min_count = req.max_count = count;
    auto res = ec2().RunInstances(req);
    EXPECT_TRUE(res.has_value()) << res.error().ToString();
    return res.has_value() ? *res : Reservation{};
  }

  std::vector<Instance> All(const DescribeRequest& req = {}) {
    std::vector<Instance> out;
    auto walked = ForEachPage(
        req, [&](const DescribeRequest& r) { return ec2().DescribeInstances(r); },
        [&](std::vector<Reservation>&& page) {
          for (const auto& r : page) {
            out.insert(out.end(), r.instances.begin(), r.instances.end());
          }
        });
    EXPECT_TRUE(walked.has_value()) << walked.error().ToString();
    return out;
  }

  std::unique_ptr<Subject> subject_;
};

template <typename T>
std::string CodeOf(const Result<T>& r) {
  return r.has_value() ? "(success)" : r.error().aws_code;
}

TEST_P(Ec2SharedTest, Lifecycle) {
  RunInstancesRequest req;
  req.tag_specifications = {{"instance", {{"Name", "shared"}}}};
  const Reservation res = Launch(2, req);
  ASSERT_EQ(res.instances.size(), 2u);
  EXPECT_EQ(res.instances[0].state, InstanceState::kPending);
  EXPECT_EQ(res.instances[0].tags, (Tags{{"Name", "shared"}}));
  const std::string id = res.instances[0].instance_id;

  auto described = All();
  ASSERT_EQ(described.size(), 2u);
  EXPECT_EQ(described[0].state, InstanceState::kRunning);
  EXPECT_EQ(described[0].instance_type, "t3.micro");
  EXPECT_EQ(described[0].availability_zone, "us-west-2a");
  EXPECT_EQ(described[0].reservation_id, res.reservation_id);

  auto stopped = ec2().StopInstances({{id}});
  ASSERT_TRUE(stopped.has_value()) << stopped.error().ToString();
  EXPECT_EQ((*stopped)[0].previous, InstanceState::kRunning);
  EXPECT_EQ((*stopped)[0].current, InstanceState::kStopping);
  auto started = ec2().StartInstances({{id}});
  ASSERT_TRUE(started.has_value());
  EXPECT_EQ((*started)[0].current, InstanceState::kPending);
  EXPECT_TRUE(ec2().RebootInstances({{id}}).has_value());
  auto terminated = ec2().TerminateInstances({{id}});
  ASSERT_TRUE(terminated.has_value());
  EXPECT_EQ((*terminated)[0].current, InstanceState::kShuttingDown);
  DescribeRequest one;
  one.ids = {id};
  EXPECT_EQ(All(one).at(0).state, InstanceState::kTerminated);
}

TEST_P(Ec2SharedTest, SameErrors) {
  EXPECT_EQ(CodeOf(ec2().StopInstances({{"i-0123456789abcdef0"}})), "InvalidInstanceID.NotFound");
  RunInstancesRequest guarded;
  guarded.disable_api_termination = true;
  const std::string id = Launch(1, guarded).instances.at(0).instance_id;
  auto refused = ec2().TerminateInstances({{id}});
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().aws_code, "OperationNotPermitted");
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  DescribeRequest combo;
  combo.ids = {id};
  combo.max_results = 5;
  EXPECT_EQ(CodeOf(ec2().DescribeInstances(combo)), "InvalidParameterCombination");
  RunInstancesRequest dry{kImage, "t3.micro"};
  dry.dry_run = true;
  EXPECT_EQ(CodeOf(ec2().RunInstances(dry)), "DryRunOperation");
  auto vpc = ec2().CreateVpc({"10.5.0.0/16"});
  ASSERT_TRUE(vpc.has_value());
  ASSERT_TRUE(ec2().CreateSubnet({vpc->vpc_id, "10.5.1.0/24"}).has_value());
  EXPECT_EQ(CodeOf(ec2().DeleteVpc({vpc->vpc_id})), "DependencyViolation");
}

TEST_P(Ec2SharedTest, ClientTokenIsIdempotent) {
  RunInstancesRequest req;
  req.client_token = "shared-token";
  const Reservation first = Launch(2, req);
  const Reservation again = Launch(2, req);
  EXPECT_EQ(first.reservation_id, again.reservation_id);
  EXPECT_EQ(All().size(), 2u);
  RunInstancesRequest other = req;
  other.image_id = kImage;
  other.instance_type = "t3.small";
  EXPECT_EQ(CodeOf(ec2().RunInstances(other)), "IdempotentParameterMismatch");
}

TEST_P(Ec2SharedTest, FiltersAndPages) {
  RunInstancesRequest web;
  web.tag_specifications = {{"instance", {{"Name", "web"}}}};
  Launch(12, web);
  Launch(3);
  DescribeRequest req;
  req.filters = {{"tag:Name", {"w*"}}};
  req.max_results = 5;
  std::set<std::string> seen;
  for (const auto& i : All(req)) {
    seen.insert(i.instance_id);
  }
  EXPECT_EQ(seen.size(), 12u);
  auto tags = ec2().DescribeTags({{}, {{"value", {"web"}}}});
  ASSERT_TRUE(tags.has_value());
  EXPECT_EQ(tags->items.size(), 12u);
}

TEST_P(Ec2SharedTest, NetworkingAndCatalogs) {
  auto zones = ec2().DescribeAvailabilityZones({});
  ASSERT_TRUE(zones.has_value());
  EXPECT_EQ(zones->size(), 4u);
  auto types = ec2().DescribeInstanceTypes({{"m5.large"}});
  ASSERT_TRUE(types.has_value());
  EXPECT_EQ(types->items.at(0).vcpus, 2);
  auto group = ec2().CreateSecurityGroup({"shared", "shared group", ""});
  ASSERT_TRUE(group.has_value()) << group.error().ToString();
  EXPECT_EQ(group->group_name, "shared");
  SecurityGroupRulesRequest rule;
  rule.group_id = group->group_id;
  rule.permissions = {IpPermission{"tcp", 22, 22, {IpRange{"10.0.0.0/8", "ssh"}}, {}}};
  ASSERT_TRUE(ec2().AuthorizeSecurityGroupIngress(rule).has_value());
  EXPECT_EQ(CodeOf(ec2().AuthorizeSecurityGroupIngress(rule)), "InvalidPermission.Duplicate");
  auto groups = ec2().DescribeSecurityGroups({{group->group_id}});
  ASSERT_TRUE(groups.has_value());
  ASSERT_EQ(groups->items.at(0).ingress.size(), 1u);
  EXPECT_EQ(groups->items[0].ingress[0].from_port, 22);
  EXPECT_EQ(groups->items[0].ingress[0].ip_ranges.at(0).cidr_ip, "10.0.0.0/8");
  ASSERT_TRUE(ec2().DeleteSecurityGroup({group->group_id}).has_value());
}

TEST_P(Ec2SharedTest, VolumesMonitoringAndAttributes) {
  RunInstancesRequest req;
  req.block_device_mappings = {{"/dev/xvda", {20, "gp3", true, true, "", ""}},
                               {"/dev/sdf", {100, "", false, false, "", ""}}};
  const std::string id = Launch(1, req).instances.at(0).instance_id;
  DescribeRequest one;
  one.ids = {id};
  const Instance described = All(one).at(0);
  // Over the wire an instance carries no size or type: compare what both describe.
  ASSERT_EQ(described.block_device_mappings.size(), 2u);
  EXPECT_EQ(described.block_device_mappings[0].device_name, "/dev/xvda");
  EXPECT_TRUE(described.block_device_mappings[0].ebs.volume_id.starts_with("vol-"));
  EXPECT_EQ(described.block_device_mappings[0].ebs.status, "attached");
  EXPECT_TRUE(described.block_device_mappings[0].ebs.delete_on_termination);
  EXPECT_EQ(described.block_device_mappings[1].device_name, "/dev/sdf");
  EXPECT_FALSE(described.block_device_mappings[1].ebs.delete_on_termination);
  req.block_device_mappings = {{"/dev/xvda", {2, "gp3", false, true, "", ""}}};
  req.image_id = kImage;
  EXPECT_EQ(CodeOf(ec2().RunInstances(req)), "InvalidBlockDeviceMapping");

  ASSERT_TRUE(ec2().MonitorInstances({{id}}).has_value());
  EXPECT_TRUE(All(one).at(0).monitoring_enabled);
  EXPECT_EQ(CodeOf(ec2().UnmonitorInstances({{id}, false, true})), "DryRunOperation");
  ASSERT_TRUE(ec2().UnmonitorInstances({{id}}).has_value());
  EXPECT_FALSE(All(one).at(0).monitoring_enabled);
  EXPECT_EQ(CodeOf(ec2().MonitorInstances({{"i-0123456789abcdef0"}})),
            "InvalidInstanceID.NotFound");

  auto vpc = ec2().CreateVpc({"10.6.0.0/16"});
  ASSERT_TRUE(vpc.has_value());
  auto subnet = ec2().CreateSubnet({vpc->vpc_id, "10.6.1.0/24"});
  ASSERT_TRUE(subnet.has_value());
  ASSERT_TRUE(ec2().ModifySubnetAttribute({subnet->subnet_id, true}).has_value());
  auto subnets = ec2().DescribeSubnets({{subnet->subnet_id}});
  ASSERT_TRUE(subnets.has_value());
  EXPECT_TRUE(subnets->items.at(0).map_public_ip_on_launch);
  EXPECT_TRUE(ec2().ModifyVpcAttribute({vpc->vpc_id, std::nullopt, true}).has_value());
  EXPECT_EQ(CodeOf(ec2().ModifyVpcAttribute({vpc->vpc_id, true, true})),
            "InvalidParameterCombination");
  EXPECT_EQ(CodeOf(ec2().ModifyVpcAttribute({vpc->vpc_id})), "InvalidParameterCombination");
  EXPECT_EQ(CodeOf(ec2().ModifyVpcAttribute({"vpc-0123456789abcdef0", true})),
            "InvalidVpcID.NotFound");
  EXPECT_EQ(CodeOf(ec2().ModifySubnetAttribute({"subnet-0123456789abcdef0", true})),
            "InvalidSubnetID.NotFound");
}

INSTANTIATE_TEST_SUITE_P(
    BothImplementations, Ec2SharedTest,
    ::testing::Values(std::pair<std::string, Factory>{"InProcessSim",
                                                      [] { return std::make_unique<InProcess>(); }},
                      std::pair<std::string, Factory>{"QueryClientOverHttp",
                                                      [] { return std::make_unique<OverHttp>(); }}),
    [](const auto& info) { return info.param.first; });

}  // namespace
}  // namespace ec2m::testing
