#include "sim/region.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "core/paging.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ec2m::sim {
namespace {

constexpr const char* kImage = "ami-0abcdef1234567890";

class RegionTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(SimConfig{}); }

  void Open(SimConfig config, const std::string& path = ":memory:") {
    region_.reset();
    if (path == ":memory:" || !store_) {
      auto store = store::SqliteStore::Open(path);
      ASSERT_TRUE(store.has_value()) << store.error().message;
      store_ = std::move(*store);
    }
    auto region = SimRegion::Open(std::move(config), *store_, clock_, random_);
    ASSERT_TRUE(region.has_value()) << region.error().message;
    region_ = std::move(*region);
  }

  Reservation Run(int count = 1, RunInstancesRequest req = {}) {
    if (req.image_id.empty()) {
      req.image_id = kImage;
    }
    req.min_count = req.max_count = count;
    if (req.instance_type.empty()) {
      req.instance_type = "t3.micro";
    }
    auto res = region_->RunInstances(req);
    EXPECT_TRUE(res.has_value()) << res.error().ToString();
    return res.has_value() ? *res : Reservation{};
  }

  std::vector<Instance> Describe(const DescribeRequest& req = {}) {
    std::vector<Instance> out;
    auto walked = ForEachPage(
        req, [&](const DescribeRequest& r) { return region_->DescribeInstances(r); },
        [&](std::vector<Reservation>&& page) {
          for (const auto& r : page) {
            out.insert(out.end(), r.instances.begin(), r.instances.end());
          }
        });
    EXPECT_TRUE(walked.has_value()) << walked.error().ToString();
    return out;
  }

  InstanceState StateOf(const std::string& id) {
    auto found = Describe(DescribeRequest{{id}, {}, std::nullopt, "", false});
    EXPECT_EQ(found.size(), 1u);
    return found.empty() ? InstanceState::kPending : found[0].state;
  }

  static DescribeRequest Filtered(std::string name, std::vector<std::string> values) {
    DescribeRequest req;
    req.filters.push_back(Filter{std::move(name), std::move(values)});
    return req;
  }

  ManualClock clock_{FromUnixMillis(1'800'000'000'000)};
  DefaultRandom random_{42};
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<SimRegion> region_;
};

template <typename T>
std::string AwsCode(const Result<T>& r) {
  return r.has_value() ? "(success)" : r.error().aws_code;
}

TEST_F(RegionTest, FreshRegionHasDefaultVpcSubnetsAndGroup) {
  auto vpcs = region_->DescribeVpcs({});
  ASSERT_TRUE(vpcs.has_value());
  ASSERT_EQ(vpcs->items.size(), 1u);
  EXPECT_TRUE(vpcs->items[0].is_default);
  EXPECT_EQ(vpcs->items[0].cidr_block, "172.31.0.0/16");
  auto subnets = region_->DescribeSubnets({});
  ASSERT_TRUE(subnets.has_value());
  ASSERT_EQ(subnets->items.size(), 4u);
  std::set<std::string> zones;
  for (const auto& s : subnets->items) {
    zones.insert(s.availability_zone);
    EXPECT_TRUE(s.default_for_az);
    EXPECT_EQ(s.available_ip_address_count, 4091);
  }
  EXPECT_EQ(zones, (std::set<std::string>{"us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"}));
  auto groups = region_->DescribeSecurityGroups({});
  ASSERT_TRUE(groups.has_value());
  ASSERT_EQ(groups->items.size(), 1u);
  EXPECT_EQ(groups->items[0].group_name, "default");
}

TEST_F(RegionTest, LaunchAnswersPendingThenRunsWithZeroDelay) {
  Reservation res = Run(3);
  ASSERT_EQ(res.instances.size(), 3u);
  std::set<std::string> ips;
  for (const auto& i : res.instances) {
    EXPECT_EQ(i.state, InstanceState::kPending);
    EXPECT_EQ(i.instance_type, "t3.micro");
    EXPECT_EQ(i.availability_zone, "us-west-2a");
    EXPECT_FALSE(i.vpc_id.empty());
    EXPECT_EQ(i.security_groups.size(), 1u);
    ips.insert(i.private_ip_address);
    EXPECT_TRUE(i.private_ip_address.starts_with("172.31.")) << i.private_ip_address;
  }
  EXPECT_EQ(ips.size(), 3u);
  for (const auto& i : Describe()) {
    EXPECT_EQ(i.state, InstanceState::kRunning);
    EXPECT_EQ(i.reservation_id, res.reservation_id);
  }
}

TEST_F(RegionTest, StatesFollowConfiguredDelays) {
  SimConfig config;
  config.delays.pending = Millis(1000);
  config.delays.stopping = Millis(2000);
  config.delays.shutting_down = Millis(3000);
  Open(config);
  const std::string id = Run().instances[0].instance_id;
  EXPECT_EQ(StateOf(id), InstanceState::kPending);
  clock_.Advance(Millis(999));
  EXPECT_EQ(StateOf(id), InstanceState::kPending);
  clock_.Advance(Millis(1));
  EXPECT_EQ(StateOf(id), InstanceState::kRunning);

  auto stop = region_->StopInstances({{id}});
  ASSERT_TRUE(stop.has_value());
  EXPECT_EQ((*stop)[0].previous, InstanceState::kRunning);
  EXPECT_EQ((*stop)[0].current, InstanceState::kStopping);
  EXPECT_EQ(StateOf(id), InstanceState::kStopping);
  EXPECT_EQ(AwsCode(region_->StartInstances({{id}})), "IncorrectInstanceState");
  clock_.Advance(Millis(2000));
  EXPECT_EQ(StateOf(id), InstanceState::kStopped);

  auto start = region_->StartInstances({{id}});
  ASSERT_TRUE(start.has_value());
  EXPECT_EQ((*start)[0].previous, InstanceState::kStopped);
  EXPECT_EQ((*start)[0].current, InstanceState::kPending);
  clock_.Advance(Millis(1000));
  EXPECT_EQ(StateOf(id), InstanceState::kRunning);

  auto term = region_->TerminateInstances({{id}});
  ASSERT_TRUE(term.has_value());
  EXPECT_EQ((*term)[0].current, InstanceState::kShuttingDown);
  clock_.Advance(Millis(3000));
  EXPECT_EQ(StateOf(id), InstanceState::kTerminated);
  auto again = region_->TerminateInstances({{id}});
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ((*again)[0].previous, InstanceState::kTerminated);
  EXPECT_EQ((*again)[0].current, InstanceState::kTerminated);
  EXPECT_EQ(AwsCode(region_->StartInstances({{id}})), "IncorrectInstanceState");
  EXPECT_EQ(AwsCode(region_->StopInstances({{id}})), "IncorrectInstanceState");
}

TEST_F(RegionTest, StateCodesAreEc2s) {
  EXPECT_EQ(InstanceStateCode(InstanceState::kPending), 0);
  EXPECT_EQ(InstanceStateCode(InstanceState::kRunning), 16);
  EXPECT_EQ(InstanceStateCode(InstanceState::kShuttingDown), 32);
  EXPECT_EQ(InstanceStateCode(InstanceState::kTerminated), 48);
  EXPECT_EQ(InstanceStateCode(InstanceState::kStopping), 64);
  EXPECT_EQ(InstanceStateCode(InstanceState::kStopped), 80);
}

TEST_F(RegionTest, StopOfStoppedAndStartOfRunningSucceedUnchanged) {
  const std::string id = Run().instances[0].instance_id;
  auto start = region_->StartInstances({{id}});
  ASSERT_TRUE(start.has_value());
  EXPECT_EQ((*start)[0].current, InstanceState::kRunning);
  ASSERT_TRUE(region_->StopInstances({{id}}).has_value());
  auto stop = region_->StopInstances({{id}});
  ASSERT_TRUE(stop.has_value());
  EXPECT_EQ((*stop)[0].previous, InstanceState::kStopped);
  EXPECT_EQ((*stop)[0].current, InstanceState::kStopped);
  EXPECT_EQ(AwsCode(region_->RebootInstances({{id}})), "IncorrectInstanceState");
}

TEST_F(RegionTest, TerminatedInstancesStayVisibleForAWhile) {
  const std::string id = Run().instances[0].instance_id;
  ASSERT_TRUE(region_->TerminateInstances({{id}}).has_value());
  clock_.Advance(std::chrono::minutes(59));
  EXPECT_EQ(StateOf(id), InstanceState::kTerminated);
  clock_.Advance(std::chrono::minutes(2));
  EXPECT_TRUE(Describe().empty());
  EXPECT_EQ(AwsCode(region_->DescribeInstances(DescribeRequest{{id}})),
            "InvalidInstanceID.NotFound");
  Run();  // a mutating call collects the expired record
  EXPECT_EQ(region_->InstanceCount(), 1u);
}

TEST_F(RegionTest, UnknownIdFailsTheWholeRequest) {
  const std::string id = Run().instances[0].instance_id;
  auto r = region_->StopInstances({{id, "i-0000000000000dead"}});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().aws_code, "InvalidInstanceID.NotFound");
  EXPECT_EQ(r.error().message, "The instance ID 'i-0000000000000dead' does not exist");
  EXPECT_EQ(StateOf(id), InstanceState::kRunning);
  auto two = region_->TerminateInstances({{"i-0000000000000dead", "i-0000000000000beef"}});
  EXPECT_EQ(two.error().message,
            "The instance IDs 'i-0000000000000dead, i-0000000000000beef' do not exist");
}

TEST_F(RegionTest, TerminationProtectionRefusesTheWholeBatch) {
  RunInstancesRequest protected_req;
  protected_req.disable_api_termination = true;
  const std::string guarded = Run(1, protected_req).instances[0].instance_id;
  const std::string plain = Run().instances[0].instance_id;
  auto r = region_->TerminateInstances({{plain, guarded}});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().aws_code, "OperationNotPermitted");
  EXPECT_NE(r.error().message.find("may not be terminated"), std::string::npos);
  EXPECT_EQ(StateOf(plain), InstanceState::kRunning);
  EXPECT_EQ(StateOf(guarded), InstanceState::kRunning);

  auto attr = region_->DescribeInstanceAttribute({guarded, "disableApiTermination"});
  ASSERT_TRUE(attr.has_value());
  EXPECT_EQ(attr->value, "true");
  ModifyInstanceAttributeRequest off;
  off.instance_id = guarded;
  off.disable_api_termination = false;
  ASSERT_TRUE(region_->ModifyInstanceAttribute(off).has_value());
  EXPECT_TRUE(region_->TerminateInstances({{plain, guarded}}).has_value());
}

TEST_F(RegionTest, InstanceTypeChangesOnlyWhenStopped) {
  const std::string id = Run().instances[0].instance_id;
  ModifyInstanceAttributeRequest req;
  req.instance_id = id;
  req.instance_type = "m5.large";
  EXPECT_EQ(AwsCode(region_->ModifyInstanceAttribute(req)), "IncorrectInstanceState");
  ASSERT_TRUE(region_->StopInstances({{id}}).has_value());
  ASSERT_TRUE(region_->ModifyInstanceAttribute(req).has_value());
  EXPECT_EQ(region_->DescribeInstanceAttribute({id, "instanceType"})->value, "m5.large");
  req.instance_type = "t9.huge";
  EXPECT_EQ(AwsCode(region_->ModifyInstanceAttribute(req)), "InvalidInstanceAttributeValue");
}

TEST_F(RegionTest, ClientTokenReturnsTheOriginalReservation) {
  RunInstancesRequest req;
  req.client_token = "deploy-42";
  Reservation first = Run(2, req);
  Reservation second = Run(2, req);
  EXPECT_EQ(first.reservation_id, second.reservation_id);
  ASSERT_EQ(second.instances.size(), 2u);
  EXPECT_EQ(first.instances[0].instance_id, second.instances[0].instance_id);
  EXPECT_EQ(Describe().size(), 2u);

  req.min_count = req.max_count = 3;
  req.image_id = kImage;
  req.instance_type = "t3.micro";
  EXPECT_EQ(AwsCode(region_->RunInstances(req)), "IdempotentParameterMismatch");
}

TEST_F(RegionTest, DryRunChangesNothing) {
  RunInstancesRequest req;
  req.image_id = kImage;
  req.dry_run = true;
  auto r = region_->RunInstances(req);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().aws_code, "DryRunOperation");
  EXPECT_TRUE(Describe().empty());
  const std::string id = Run().instances[0].instance_id;
  EXPECT_EQ(AwsCode(region_->StopInstances({{id}, false, true})), "DryRunOperation");
  EXPECT_EQ(StateOf(id), InstanceState::kRunning);
  CreateTagsRequest tags{{id}, {{"Name", "web"}}, true};
  EXPECT_EQ(AwsCode(region_->CreateTags(tags)), "DryRunOperation");
  EXPECT_TRUE(Describe()[0].tags.empty());
}

TEST_F(RegionTest, LaunchValidation) {
  RunInstancesRequest req;
  req.image_id = "ami-00000000000000000";
  EXPECT_EQ(AwsCode(region_->RunInstances(req)), "InvalidAMIID.NotFound");
  req.image_id = kImage;
  req.instance_type = "t9.huge";
  EXPECT_EQ(AwsCode(region_->RunInstances(req)), "InvalidParameterValue");
  req.instance_type = "t3.micro";
  req.min_count = 3;
  req.max_count = 2;
  EXPECT_EQ(AwsCode(region_->RunInstances(req)), "InvalidParameterValue");
  req.min_count = req.max_count = 1;
  req.subnet_id = "subnet-00000000000000000";
  EXPECT_EQ(AwsCode(region_->RunInstances(req)), "InvalidSubnetID.NotFound");
  req.subnet_id.clear();
  req.security_group_ids = {"sg-00000000000000000"};
  EXPECT_EQ(AwsCode(region_->RunInstances(req)), "InvalidGroup.NotFound");
  EXPECT_TRUE(Describe().empty());
}

TEST_F(RegionTest, FiltersMatchEc2Semantics) {
  RunInstancesRequest web;
  web.tag_specifications = {{"instance", {{"Name", "web"}, {"Env", "dev"}}}};
  web.key_name = "ops";
  RunInstancesRequest db;
  db.tag_specifications = {{"instance", {{"Name", "db"}}}};
  db.instance_type = "m5.large";
  db.availability_zone = "us-west-2b";
  const Instance w = Run(2, web).instances[0];
  const Instance d = Run(1, db).instances[0];
  ASSERT_TRUE(region_->StopInstances({{d.instance_id}}).has_value());

  struct Case {
    std::string name;
    std::vector<std::string> values;
    size_t expected;
  } cases[] = {
      {"tag:Name", {"web"}, 2},
      {"tag:Name", {"w*"}, 2},
      {"tag:Name", {"web", "db"}, 3},
      {"tag:Name", {"d?"}, 1},
      {"tag-key", {"Env"}, 2},
      {"tag-value", {"dev"}, 2},
      {"instance-state-name", {"running"}, 2},
      {"instance-state-name", {"stopped"}, 1},
      {"instance-state-code", {"80"}, 1},
      {"instance-type", {"m5.large"}, 1},
      {"instance-type", {"t3.*"}, 2},
      {"image-id", {kImage}, 3},
      {"availability-zone", {"us-west-2b"}, 1},
      {"vpc-id", {w.vpc_id}, 3},
      {"subnet-id", {w.subnet_id}, 2},
      {"instance-id", {d.instance_id}, 1},
      {"private-ip-address", {w.private_ip_address}, 1},
      {"key-name", {"ops"}, 2},
      {"tag:Missing", {"*"}, 0},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Describe(Filtered(c.name, c.values)).size(), c.expected) << c.name;
  }
  DescribeRequest both = Filtered("tag:Name", {"web", "db"});
  both.filters.push_back(Filter{"instance-state-name", {"stopped"}});
  EXPECT_EQ(Describe(both).size(), 1u);
  EXPECT_EQ(AwsCode(region_->DescribeInstances(Filtered("no-such-filter", {"x"}))),
            "InvalidParameterValue");
}

TEST_F(RegionTest, PaginationCoversEveryInstanceOnce) {
  for (int i = 0; i < 5; ++i) {
    Run(5);
  }
  DescribeRequest req;
  req.max_results = 7;
  std::set<std::string> seen;
  int pages = 0;
  for (;;) {
    auto page = region_->DescribeInstances(req);
    ASSERT_TRUE(page.has_value()) << page.error().ToString();
    ++pages;
    size_t n = 0;
    for (const auto& r : page->items) {
      for (const auto& i : r.instances) {
        EXPECT_TRUE(seen.insert(i.instance_id).second);
        ++n;
      }
    }
    EXPECT_LE(n, 7u);
    if (page->next_token.empty()) {
      break;
    }
    req.next_token = page->next_token;
  }
  EXPECT_EQ(seen.size(), 25u);
  EXPECT_EQ(pages, 4);

  DescribeRequest bad;
  bad.max_results = 4;
  EXPECT_EQ(AwsCode(region_->DescribeInstances(bad)), "InvalidParameterValue");
  bad.max_results = 1001;
  EXPECT_EQ(AwsCode(region_->DescribeInstances(bad)), "InvalidParameterValue");
  bad.max_results = 5;
  bad.ids = {*seen.begin()};
  EXPECT_EQ(AwsCode(region_->DescribeInstances(bad)), "InvalidParameterCombination");
  DescribeRequest token;
  token.next_token = "garbage";
  EXPECT_EQ(AwsCode(region_->DescribeInstances(token)), "InvalidNextToken");
}

// Windows (for a streamed answer) page id lists too, with the tokens of the rest; together they
// are the whole answer, in its order.
TEST_F(RegionTest, WindowsReadIdListsAndEverythingInOrder) {
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    for (const Instance& inst : Run(6).instances) {
      ids.push_back(inst.instance_id);
    }
  }
  // Every instance but the first, last first, once twice.
  DescribeRequest some;
  some.ids.assign(ids.rbegin(), ids.rend() - 1);
  some.ids.push_back(ids[5]);
  for (const DescribeRequest& req : {some, DescribeRequest{}, Filtered("instance-id", ids)}) {
    auto whole = region_->DescribeInstances(req);
    ASSERT_TRUE(whole.has_value()) << whole.error().ToString();
    std::vector<std::string> expected;
    for (const auto& r : whole->items) {
      for (const auto& i : r.instances) {
        expected.push_back(i.instance_id);
      }
    }
    std::vector<std::string> windowed;
    DescribeRequest window = req;
    int windows = 0;
    do {
      auto page = region_->DescribeInstancesWindow(window, 5);
      ASSERT_TRUE(page.has_value()) << page.error().ToString();
      ++windows;
      for (const auto& r : page->items) {
        for (const auto& i : r.instances) {
          windowed.push_back(i.instance_id);
        }
      }
      window.next_token = page->next_token;
    } while (!window.next_token.empty());
    EXPECT_EQ(windowed, expected);
    EXPECT_EQ(windows, static_cast<int>((expected.size() + 4) / 5));
  }
  DescribeRequest unknown;
  unknown.ids = {ids[0], "i-0123456789abcdef0"};
  EXPECT_EQ(AwsCode(region_->DescribeInstancesWindow(unknown, 5)), "InvalidInstanceID.NotFound");
}

TEST_F(RegionTest, StateSurvivesRestart) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("ec2m-region-" + std::to_string(::getpid()) + "-" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  const std::string path = (dir / "sim.db").string();
  store_.reset();
  Open(SimConfig{}, path);
  RunInstancesRequest req;
  req.client_token = "once";
  req.tag_specifications = {{"instance", {{"Name", "web"}}}};
  const Reservation res = Run(3, req);
  ASSERT_TRUE(region_->StopInstances({{res.instances[1].instance_id}}).has_value());
  CreateVpcRequest vpc_req;
  vpc_req.cidr_block = "10.0.0.0/16";
  auto vpc = region_->CreateVpc(vpc_req);
  ASSERT_TRUE(vpc.has_value());
  const auto before = Describe();

  region_.reset();
  store_.reset();
  Open(SimConfig{}, path);
  const auto after = Describe();
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].instance_id, before[i].instance_id);
    EXPECT_EQ(after[i].state, before[i].state);
    EXPECT_EQ(after[i].private_ip_address, before[i].private_ip_address);
    EXPECT_EQ(after[i].tags, before[i].tags);
  }
  EXPECT_EQ(region_->DescribeVpcs({})->items.size(), 2u);
  // The token is remembered, and addresses in use are not handed out again.
  EXPECT_EQ(Run(3, req).reservation_id, res.reservation_id);
  const Instance fresh = Run().instances[0];
  for (const auto& i : before) {
    EXPECT_NE(i.private_ip_address, fresh.private_ip_address);
  }
  region_.reset();
  store_.reset();
  std::filesystem::remove_all(dir);
}

TEST_F(RegionTest, VpcSubnetAndGroupRules) {
  EXPECT_EQ(AwsCode(region_->CreateVpc({"10.0.0.1/16"})), "InvalidParameterValue");
  EXPECT_EQ(AwsCode(region_->CreateVpc({"10.0.0.0/8"})), "InvalidVpc.Range");
  auto vpc = region_->CreateVpc({"10.0.0.0/16"});
  ASSERT_TRUE(vpc.has_value());
  const std::string vpc_id = vpc->vpc_id;

  CreateSubnetRequest sub{vpc_id, "10.1.0.0/24"};
  EXPECT_EQ(AwsCode(region_->CreateSubnet(sub)), "InvalidSubnet.Range");
  sub.cidr_block = "10.0.1.0/24";
  sub.availability_zone = "us-west-2z";
  EXPECT_EQ(AwsCode(region_->CreateSubnet(sub)), "InvalidParameterValue");
  sub.availability_zone = "us-west-2c";
  auto subnet = region_->CreateSubnet(sub);
  ASSERT_TRUE(subnet.has_value());
  EXPECT_EQ(subnet->available_ip_address_count, 251);
  sub.cidr_block = "10.0.1.128/25";
  EXPECT_EQ(AwsCode(region_->CreateSubnet(sub)), "InvalidSubnet.Conflict");

  auto group = region_->CreateSecurityGroup({"web", "web servers", vpc_id});
  ASSERT_TRUE(group.has_value());
  EXPECT_EQ(AwsCode(region_->CreateSecurityGroup({"web", "again", vpc_id})),
            "InvalidGroup.Duplicate");
  SecurityGroupRulesRequest ssh;
  ssh.group_id = group->group_id;
  ssh.permissions = {IpPermission{"tcp", 22, 22, {IpRange{"0.0.0.0/0", "ssh"}}, {}}};
  ASSERT_TRUE(region_->AuthorizeSecurityGroupIngress(ssh).has_value());
  EXPECT_EQ(AwsCode(region_->AuthorizeSecurityGroupIngress(ssh)), "InvalidPermission.Duplicate");

  RunInstancesRequest in_subnet;
  in_subnet.subnet_id = subnet->subnet_id;
  in_subnet.security_group_ids = {group->group_id};
  const Instance inst = Run(1, in_subnet).instances[0];
  EXPECT_TRUE(inst.private_ip_address.starts_with("10.0.1.")) << inst.private_ip_address;
  EXPECT_EQ(inst.availability_zone, "us-west-2c");

  EXPECT_EQ(AwsCode(region_->DeleteVpc({vpc_id})), "DependencyViolation");
  EXPECT_EQ(AwsCode(region_->DeleteSubnet({subnet->subnet_id})), "DependencyViolation");
  EXPECT_EQ(AwsCode(region_->DeleteSecurityGroup({group->group_id})), "DependencyViolation");
  ASSERT_TRUE(region_->TerminateInstances({{inst.instance_id}}).has_value());
  ASSERT_TRUE(region_->RevokeSecurityGroupIngress(ssh).has_value());
  EXPECT_EQ(AwsCode(region_->RevokeSecurityGroupIngress(ssh)), "InvalidPermission.NotFound");
  ASSERT_TRUE(region_->DeleteSecurityGroup({group->group_id}).has_value());
  ASSERT_TRUE(region_->DeleteSubnet({subnet->subnet_id}).has_value());
  ASSERT_TRUE(region_->DeleteVpc({vpc_id}).has_value());
  EXPECT_EQ(AwsCode(region_->DeleteVpc({vpc_id})), "InvalidVpcID.NotFound");
}

TEST_F(RegionTest, TagRules) {
  const std::string id = Run().instances[0].instance_id;
  EXPECT_EQ(AwsCode(region_->CreateTags({{id}, {{"aws:x", "y"}}})), "InvalidParameterValue");
  Tags many;
  for (int i = 0; i < 51; ++i) {
    many.push_back({"k" + std::to_string(i), "v"});
  }
  EXPECT_EQ(AwsCode(region_->CreateTags({{id}, many})), "TagLimitExceeded");
  EXPECT_EQ(AwsCode(region_->CreateTags({{id, "i-0000000000000dead"}, {{"a", "b"}}})),
            "InvalidInstanceID.NotFound");
  ASSERT_TRUE(region_->CreateTags({{id}, {{"Name", "web"}, {"Env", "dev"}}}).has_value());
  ASSERT_TRUE(region_->CreateTags({{id}, {{"Name", "api"}}}).has_value());
  auto tags = region_->DescribeTags(Filtered("resource-id", {id}));
  ASSERT_TRUE(tags.has_value());
  ASSERT_EQ(tags->items.size(), 2u);
  EXPECT_EQ(tags->items[1].key, "Name");
  EXPECT_EQ(tags->items[1].value, "api");
  EXPECT_EQ(tags->items[1].resource_type, "instance");
  ASSERT_TRUE(region_->DeleteTags({{id}, {{"Name", std::string("web")}}}).has_value());
  EXPECT_EQ(Describe()[0].tags.size(), 2u);  // value did not match: kept
  ASSERT_TRUE(region_->DeleteTags({{id}, {{"Name", std::nullopt}}}).has_value());
  EXPECT_EQ(Describe()[0].tags, (Tags{{"Env", "dev"}}));
}

TEST_F(RegionTest, InjectedFaults) {
  FaultConfig faults;
  faults.operations["RunInstances"].throttle_rate = 1;
  region_->SetFaults(faults);
  RunInstancesRequest req;
  req.image_id = kImage;
  auto r = region_->RunInstances(req);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().aws_code, "RequestLimitExceeded");
  EXPECT_EQ(r.error().code, ErrorCode::kThrottled);
  EXPECT_TRUE(region_->DescribeInstances({}).has_value());  // other operations unaffected

  faults = {};
  faults.all.error_rate = 1;
  region_->SetFaults(faults);
  EXPECT_EQ(AwsCode(region_->DescribeVpcs({})), "InternalError");

  faults = {};
  faults.insufficient_capacity = {{"t3.micro", "us-west-2a"}};
  region_->SetFaults(faults);
  EXPECT_EQ(AwsCode(region_->RunInstances(RunInstancesRequest{kImage, "t3.micro"})),
            "InsufficientInstanceCapacity");
  RunInstancesRequest other_zone{kImage, "t3.micro"};
  other_zone.availability_zone = "us-west-2b";
  EXPECT_TRUE(region_->RunInstances(other_zone).has_value());

  region_->SetFaults({});
  const std::string sick = Run().instances[0].instance_id;
  const std::string well = Run().instances[0].instance_id;
  faults = {};
  faults.impaired_instances = {sick};
  region_->SetFaults(faults);
  DescribeInstanceStatusRequest status;
  status.base.ids = {sick, well};
  auto statuses = region_->DescribeInstanceStatus(status);
  ASSERT_TRUE(statuses.has_value());
  ASSERT_EQ(statuses->items.size(), 2u);
  EXPECT_EQ(statuses->items[0].instance_status, "impaired");
  EXPECT_EQ(statuses->items[1].instance_status, "ok");
}

TEST_F(RegionTest, StatusChecksInitializeThenPass) {
  SimConfig config;
  config.delays.initializing = Millis(5000);
  Open(config);
  const std::string id = Run().instances[0].instance_id;
  const std::string stopped = Run().instances[0].instance_id;
  ASSERT_TRUE(region_->StopInstances({{stopped}}).has_value());
  auto status = region_->DescribeInstanceStatus({});
  ASSERT_TRUE(status.has_value());
  ASSERT_EQ(status->items.size(), 1u);  // running only, unless IncludeAllInstances
  EXPECT_EQ(status->items[0].instance_status, "initializing");
  clock_.Advance(Millis(5000));
  EXPECT_EQ(region_->DescribeInstanceStatus({})->items[0].instance_status, "ok");
  DescribeInstanceStatusRequest all;
  all.include_all_instances = true;
  EXPECT_EQ(region_->DescribeInstanceStatus(all)->items.size(), 2u);
}

TEST_F(RegionTest, CatalogsAnswer) {
  auto zones = region_->DescribeAvailabilityZones({});
  ASSERT_TRUE(zones.has_value());
  ASSERT_EQ(zones->size(), 4u);
  EXPECT_EQ((*zones)[0].zone_id, "usw2-az1");
  auto regions = region_->DescribeRegions({});
  ASSERT_TRUE(regions.has_value());
  EXPECT_GE(regions->size(), 4u);
  auto types = region_->DescribeInstanceTypes(DescribeRequest{{"t3.micro"}});
  ASSERT_TRUE(types.has_value());
  ASSERT_EQ(types->items.size(), 1u);
  EXPECT_EQ(types->items[0].vcpus, 2);
  EXPECT_EQ(types->items[0].memory_mib, 1024);
  auto images = region_->DescribeImages(DescribeImagesRequest{DescribeRequest{{kImage}}, {}});
  ASSERT_TRUE(images.has_value());
  ASSERT_EQ(images->items.size(), 1u);
  DescribeImagesRequest mine;
  mine.owners = {"self"};
  EXPECT_TRUE(region_->DescribeImages(mine)->items.empty());
}

}  // namespace
}  // namespace ec2m::sim
