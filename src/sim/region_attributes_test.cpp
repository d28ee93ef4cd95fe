// SimRegion: block device mappings, VPC and subnet attributes, monitoring, and their durability.

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "sim/codec.hpp"
#include "sim/region.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ec2m::sim {
namespace {

constexpr const char* kImage = "ami-0abcdef1234567890";

template <typename T>
std::string AwsCode(const Result<T>& r) {
  return r.has_value() ? "(success)" : r.error().aws_code;
}

bool IsVolumeId(const std::string& id) {
  return id.size() == 21 && id.starts_with("vol-") &&
         id.find_first_not_of("0123456789abcdef", 4) == std::string::npos;
}

class RegionAttributesTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(":memory:"); }
  void TearDown() override {
    region_.reset();
    store_.reset();
    if (!dir_.empty()) {
      std::filesystem::remove_all(dir_);
    }
  }

  void Open(const std::string& path) {
    region_.reset();
    store_.reset();
    auto store = store::SqliteStore::Open(path);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    store_ = std::move(*store);
    auto region = SimRegion::Open(SimConfig{}, *store_, clock_, random_);
    ASSERT_TRUE(region.has_value()) << region.error().message;
    region_ = std::move(*region);
  }

  // A database file of this test's own, which TearDown removes.
  std::string FilePath() {
    dir_ = std::filesystem::temp_directory_path() /
           ("ec2m-attributes-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    return (dir_ / "sim.db").string();
  }

  Reservation Run(RunInstancesRequest req = {}) {
    req.image_id = kImage;
    req.instance_type = "t3.micro";
    auto res = region_->RunInstances(req);
    EXPECT_TRUE(res.has_value()) << res.error().ToString();
    return res.has_value() ? *res : Reservation{};
  }

  Instance DescribeOne(const std::string& id) {
    auto page = region_->DescribeInstances(DescribeRequest{{id}, {}, std::nullopt, "", false});
    EXPECT_TRUE(page.has_value()) << page.error().ToString();
    if (!page || page->items.empty() || page->items[0].instances.empty()) {
      return Instance{};
    }
    return page->items[0].instances[0];
  }

  Subnet DescribeSubnet(const std::string& id) {
    auto page = region_->DescribeSubnets(DescribeRequest{{id}, {}, std::nullopt, "", false});
    EXPECT_TRUE(page.has_value() && page->items.size() == 1);
    return page && !page->items.empty() ? page->items[0] : Subnet{};
  }

  // A VPC and a subnet of our own (EC2's defaults: no public addresses, no DNS hostnames).
  std::pair<std::string, std::string> CreateNetwork() {
    auto vpc = region_->CreateVpc({"10.0.0.0/16"});
    EXPECT_TRUE(vpc.has_value());
    CreateSubnetRequest sub;
    sub.vpc_id = vpc ? vpc->vpc_id : "";
    sub.cidr_block = "10.0.1.0/24";
    auto subnet = region_->CreateSubnet(sub);
    EXPECT_TRUE(subnet.has_value());
    return {sub.vpc_id, subnet ? subnet->subnet_id : ""};
  }

  static std::vector<BlockDeviceMapping> SampleMappings() {
    return {{"/dev/xvda", {20, "gp3", true, true, "", ""}},
            {"/dev/sdf", {100, "", false, false, "", ""}}};
  }

  ManualClock clock_{FromUnixMillis(1'800'000'000'000)};
  DefaultRandom random_{42};
  std::filesystem::path dir_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<SimRegion> region_;
};

TEST_F(RegionAttributesTest, BlockDeviceMappingsAreStoredAndDescribed) {
  RunInstancesRequest req;
  req.min_count = req.max_count = 2;
  req.block_device_mappings = SampleMappings();
  const Reservation res = Run(req);
  ASSERT_EQ(res.instances.size(), 2u);
  // EC2 attaches the volumes after RunInstances answers.
  EXPECT_TRUE(res.instances[0].block_device_mappings.empty());

  std::set<std::string> volume_ids;
  for (const Instance& launched : res.instances) {
    const Instance i = DescribeOne(launched.instance_id);
    ASSERT_EQ(i.block_device_mappings.size(), 2u);
    const BlockDeviceMapping& root = i.block_device_mappings[0];
    EXPECT_EQ(root.device_name, "/dev/xvda");
    EXPECT_EQ(root.ebs.volume_size_gb, 20);
    EXPECT_EQ(root.ebs.volume_type, "gp3");
    EXPECT_TRUE(root.ebs.encrypted);
    EXPECT_TRUE(root.ebs.delete_on_termination);
    EXPECT_EQ(root.ebs.status, "attached");
    const BlockDeviceMapping& data = i.block_device_mappings[1];
    EXPECT_EQ(data.device_name, "/dev/sdf");
    EXPECT_EQ(data.ebs.volume_size_gb, 100);
    EXPECT_EQ(data.ebs.volume_type, "gp2");
    EXPECT_FALSE(data.ebs.encrypted);
    EXPECT_FALSE(data.ebs.delete_on_termination);
    for (const BlockDeviceMapping& m : i.block_device_mappings) {
      EXPECT_TRUE(IsVolumeId(m.ebs.volume_id)) << m.ebs.volume_id;
      volume_ids.insert(m.ebs.volume_id);
    }
  }
  EXPECT_EQ(volume_ids.size(), 4u);  // a volume per mapping per instance

  // DescribeInstances' block-device-mapping.* filters.
  DescribeRequest by_volume;
  by_volume.filters = {{"block-device-mapping.volume-id", {*volume_ids.begin()}}};
  auto found = region_->DescribeInstances(by_volume);
  ASSERT_TRUE(found.has_value()) << found.error().ToString();
  ASSERT_EQ(found->items.size(), 1u);
  EXPECT_EQ(found->items[0].instances.size(), 1u);
  DescribeRequest by_device;
  by_device.filters = {{"block-device-mapping.device-name", {"/dev/sdf"}},
                       {"block-device-mapping.delete-on-termination", {"false"}}};
  found = region_->DescribeInstances(by_device);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->items.at(0).instances.size(), 2u);
  by_device.filters = {{"block-device-mapping.size", {"20"}}};
  EXPECT_EQ(AwsCode(region_->DescribeInstances(by_device)), "InvalidParameterValue");

  // Without mappings: the image's root volume.
  const Instance plain = DescribeOne(Run().instances[0].instance_id);
  ASSERT_EQ(plain.block_device_mappings.size(), 1u);
  EXPECT_EQ(plain.block_device_mappings[0].device_name, "/dev/xvda");
  EXPECT_EQ(plain.block_device_mappings[0].ebs.volume_size_gb, 8);

  // Terminated instances list no volumes.
  ASSERT_TRUE(region_->TerminateInstances({{plain.instance_id}}).has_value());
  EXPECT_TRUE(DescribeOne(plain.instance_id).block_device_mappings.empty());
}

TEST_F(RegionAttributesTest, InvalidMappingsLaunchNothing) {
  RunInstancesRequest req;
  req.image_id = kImage;
  req.block_device_mappings = {{"/dev/xvda", {4, "gp3", false, true, "", ""}}};
  EXPECT_EQ(AwsCode(region_->RunInstances(req)), "InvalidBlockDeviceMapping");
  req.block_device_mappings = {{"/dev/sdf", {10, "gp9", false, true, "", ""}}};
  EXPECT_EQ(AwsCode(region_->RunInstances(req)), "InvalidParameterValue");
  req.block_device_mappings = {{"/dev/sdf", {20000, "gp3", false, true, "", ""}}};
  EXPECT_EQ(AwsCode(region_->RunInstances(req)), "InvalidParameterValue");
  req.block_device_mappings = {{"/dev/sdf", {0, "gp3", false, true, "", ""}}};
  EXPECT_EQ(AwsCode(region_->RunInstances(req)), "InvalidBlockDeviceMapping");
  req.block_device_mappings = SampleMappings();
  req.dry_run = true;
  EXPECT_EQ(AwsCode(region_->RunInstances(req)), "DryRunOperation");
  EXPECT_EQ(region_->InstanceCount(), 0u);
}

TEST_F(RegionAttributesTest, ClientTokenCoversMappings) {
  RunInstancesRequest req;
  req.client_token = "bdm-once";
  req.block_device_mappings = SampleMappings();
  const Reservation first = Run(req);
  EXPECT_EQ(Run(req).reservation_id, first.reservation_id);
  req.image_id = kImage;
  req.block_device_mappings[1].ebs.volume_size_gb = 200;
  EXPECT_EQ(AwsCode(region_->RunInstances(req)), "IdempotentParameterMismatch");
}

TEST_F(RegionAttributesTest, SubnetMapPublicIpOnLaunch) {
  const auto [vpc_id, subnet_id] = CreateNetwork();
  EXPECT_FALSE(DescribeSubnet(subnet_id).map_public_ip_on_launch);
  RunInstancesRequest req;
  req.subnet_id = subnet_id;
  const std::string before = Run(req).instances[0].instance_id;

  ModifySubnetAttributeRequest modify{subnet_id, true, true};
  EXPECT_EQ(AwsCode(region_->ModifySubnetAttribute(modify)), "DryRunOperation");
  EXPECT_FALSE(DescribeSubnet(subnet_id).map_public_ip_on_launch);
  modify.dry_run = false;
  ASSERT_TRUE(region_->ModifySubnetAttribute(modify).has_value());
  EXPECT_TRUE(DescribeSubnet(subnet_id).map_public_ip_on_launch);

  // The setting applies at launch: the earlier instance keeps its private-only address.
  const Instance after = DescribeOne(Run(req).instances[0].instance_id);
  EXPECT_TRUE(after.public_ip_address.starts_with("100.64.")) << after.public_ip_address;
  EXPECT_TRUE(after.public_dns_name.empty());  // the VPC has no DNS hostnames
  EXPECT_TRUE(DescribeOne(before).public_ip_address.empty());

  EXPECT_EQ(AwsCode(region_->ModifySubnetAttribute({subnet_id, std::nullopt, false})),
            "InvalidParameterCombination");
  EXPECT_EQ(AwsCode(region_->ModifySubnetAttribute({"subnet-00000000000000000", true, false})),
            "InvalidSubnetID.NotFound");
}

TEST_F(RegionAttributesTest, VpcDnsAttributes) {
  const auto [vpc_id, subnet_id] = CreateNetwork();
  ASSERT_TRUE(region_->ModifySubnetAttribute({subnet_id, true, false}).has_value());
  RunInstancesRequest req;
  req.subnet_id = subnet_id;
  const std::string id = Run(req).instances[0].instance_id;
  EXPECT_TRUE(DescribeOne(id).public_dns_name.empty());

  ModifyVpcAttributeRequest hostnames{vpc_id, std::nullopt, true, true};
  EXPECT_EQ(AwsCode(region_->ModifyVpcAttribute(hostnames)), "DryRunOperation");
  EXPECT_TRUE(DescribeOne(id).public_dns_name.empty());
  hostnames.dry_run = false;
  ASSERT_TRUE(region_->ModifyVpcAttribute(hostnames).has_value());
  const Instance named = DescribeOne(id);
  EXPECT_EQ(named.public_ip_address, "100.64.0.1");
  EXPECT_EQ(named.public_dns_name, "ec2-100-64-0-1.us-west-2.compute.amazonaws.com");

  // Without DNS support there are no public DNS names, and hostnames cannot be turned on.
  ASSERT_TRUE(region_->ModifyVpcAttribute({vpc_id, false, std::nullopt, false}).has_value());
  EXPECT_TRUE(DescribeOne(id).public_dns_name.empty());
  EXPECT_EQ(AwsCode(region_->ModifyVpcAttribute({vpc_id, std::nullopt, true, false})),
            "InvalidParameterCombination");
  ASSERT_TRUE(region_->ModifyVpcAttribute({vpc_id, std::nullopt, false, false}).has_value());

  EXPECT_EQ(AwsCode(region_->ModifyVpcAttribute({vpc_id, std::nullopt, std::nullopt, false})),
            "InvalidParameterCombination");
  auto both = region_->ModifyVpcAttribute({vpc_id, true, true, false});
  EXPECT_EQ(AwsCode(both), "InvalidParameterCombination");
  EXPECT_EQ(both.error().message,
            "Fields for multiple attribute types specified: enableDnsSupport, enableDnsHostnames");
  EXPECT_EQ(AwsCode(region_->ModifyVpcAttribute({"vpc-00000000000000000", true, {}, false})),
            "InvalidVpcID.NotFound");
}

TEST_F(RegionAttributesTest, DefaultVpcHasDnsHostnames) {
  const Instance i = DescribeOne(Run().instances[0].instance_id);
  EXPECT_FALSE(i.public_ip_address.empty());
  EXPECT_TRUE(i.public_dns_name.ends_with(".us-west-2.compute.amazonaws.com")) << i.public_dns_name;
}

TEST_F(RegionAttributesTest, MonitorAndUnmonitor) {
  RunInstancesRequest req;
  req.min_count = req.max_count = 2;
  const Reservation res = Run(req);
  const std::string a = res.instances[0].instance_id;
  const std::string b = res.instances[1].instance_id;
  EXPECT_EQ(AwsCode(region_->MonitorInstances({{a, b}, false, true})), "DryRunOperation");
  EXPECT_FALSE(DescribeOne(a).monitoring_enabled);
  // An unknown id fails the whole request.
  EXPECT_EQ(AwsCode(region_->MonitorInstances({{a, "i-00000000000000000"}})),
            "InvalidInstanceID.NotFound");
  EXPECT_FALSE(DescribeOne(a).monitoring_enabled);
  EXPECT_EQ(AwsCode(region_->MonitorInstances({})), "MissingParameter");

  ASSERT_TRUE(region_->MonitorInstances({{a, b, a}}).has_value());
  EXPECT_TRUE(DescribeOne(a).monitoring_enabled);
  EXPECT_TRUE(DescribeOne(b).monitoring_enabled);
  ASSERT_TRUE(region_->MonitorInstances({{a}}).has_value());  // again: no change, no error
  ASSERT_TRUE(region_->UnmonitorInstances({{b}}).has_value());
  EXPECT_TRUE(DescribeOne(a).monitoring_enabled);
  EXPECT_FALSE(DescribeOne(b).monitoring_enabled);
  EXPECT_EQ(AwsCode(region_->UnmonitorInstances({{a}, false, true})), "DryRunOperation");
  EXPECT_TRUE(DescribeOne(a).monitoring_enabled);
}

TEST_F(RegionAttributesTest, EverythingSurvivesRestart) {
  const std::string path = FilePath();
  Open(path);
  const auto [vpc_id, subnet_id] = CreateNetwork();
  ASSERT_TRUE(region_->ModifySubnetAttribute({subnet_id, true, false}).has_value());
  ASSERT_TRUE(region_->ModifyVpcAttribute({vpc_id, std::nullopt, true, false}).has_value());
  RunInstancesRequest req;
  req.subnet_id = subnet_id;
  req.block_device_mappings = SampleMappings();
  const std::string id = Run(req).instances[0].instance_id;
  ASSERT_TRUE(region_->MonitorInstances({{id}}).has_value());
  const Instance before = DescribeOne(id);

  Open(path);
  const Instance after = DescribeOne(id);
  ASSERT_EQ(after.block_device_mappings.size(), 2u);
  for (size_t n = 0; n < 2; ++n) {
    EXPECT_EQ(after.block_device_mappings[n], before.block_device_mappings[n]);
    EXPECT_EQ(after.block_device_mappings[n].ebs.volume_id,
              before.block_device_mappings[n].ebs.volume_id);
  }
  EXPECT_TRUE(after.monitoring_enabled);
  EXPECT_EQ(after.public_ip_address, before.public_ip_address);
  EXPECT_FALSE(after.public_dns_name.empty());  // the VPC's DNS hostnames were kept
  EXPECT_TRUE(DescribeSubnet(subnet_id).map_public_ip_on_launch);
  // DNS support is still on: turning hostnames off and on again is allowed.
  EXPECT_TRUE(region_->ModifyVpcAttribute({vpc_id, std::nullopt, true, false}).has_value());
}

// Records as ec2m wrote them in format version 1, before block devices, public address flags and
// VPC DNS attributes were stored: a default VPC, its subnet and a running instance.
std::vector<SimRecord> Version1Records() {
  Encoder vpc;
  vpc.PutU64(1);
  vpc.PutString("172.31.0.0/16");
  vpc.PutString("default");
  vpc.PutBool(true);  // is_default
  vpc.PutU64(0);      // tags
  Encoder subnet;
  subnet.PutU64(1);
  subnet.PutString("vpc-0000000000000000a");
  subnet.PutString("172.31.0.0/20");
  subnet.PutString("us-west-2a");
  subnet.PutString("usw2-az1");
  subnet.PutBool(true);  // default_for_az
  subnet.PutBool(true);  // map_public_ip_on_launch
  subnet.PutU64(0);
  Encoder inst;
  inst.PutU64(1);
  inst.PutU64(1);  // seq
  for (const char* s :
       {"r-0000000000000000c", kImage, "t3.micro", "", "subnet-0000000000000000b"}) {
    inst.PutString(s);
  }
  inst.PutU64((172u << 24) | (31u << 16) | 4u);  // 172.31.0.4
  inst.PutU64(0);                                // group ids
  inst.PutU64(0);                                // tags
  inst.PutString("");                            // client token
  inst.PutString("");                            // user data
  inst.PutI64(1'700'000'000'000);                // launched
  inst.PutU64(0);                                // pending, long done
  inst.PutI64(1'700'000'000'000);
  inst.PutI64(1'700'000'000'000);
  inst.PutString("");
  inst.PutString("");
  inst.PutU64(0);  // launch index
  for (int flag = 0; flag < 4; ++flag) {
    inst.PutBool(false);
  }
  return {{"vpc", "vpc-0000000000000000a", vpc.Take()},
          {"subnet", "subnet-0000000000000000b", subnet.Take()},
          {"instance", "i-0123456789abcdef0", inst.Take()}};
}

TEST_F(RegionAttributesTest, Version1RecordsStillLoad) {
  const std::string path = FilePath();
  Open(path);
  ASSERT_TRUE(store_->ClearSimRecords("us-west-2").has_value());
  const std::vector<SimRecord> records = Version1Records();
  ASSERT_TRUE(store_->WriteSimRecords("us-west-2", records, {}).has_value());
  Open(path);

  const Instance i = DescribeOne("i-0123456789abcdef0");
  EXPECT_EQ(i.state, InstanceState::kRunning);
  ASSERT_EQ(i.block_device_mappings.size(), 1u);
  EXPECT_EQ(i.block_device_mappings[0].device_name, "/dev/xvda");
  EXPECT_EQ(i.block_device_mappings[0].ebs.volume_id, "vol-0123456789abcdef0");
  EXPECT_EQ(i.block_device_mappings[0].ebs.status, "attached");
  EXPECT_EQ(i.public_ip_address, "100.64.0.1");  // its subnet gave public addresses
  // The default VPC got EC2's DNS defaults for a default VPC, both on: a public DNS name.
  EXPECT_EQ(i.public_dns_name, "ec2-100-64-0-1.us-west-2.compute.amazonaws.com");

  // Written back in the current format, the instance keeps what the upgrade gave it.
  ASSERT_TRUE(region_->MonitorInstances({{"i-0123456789abcdef0"}}).has_value());
  Open(path);
  const Instance again = DescribeOne("i-0123456789abcdef0");
  ASSERT_EQ(again.block_device_mappings.size(), 1u);
  EXPECT_EQ(again.block_device_mappings[0].ebs.volume_id, "vol-0123456789abcdef0");
  EXPECT_EQ(again.public_ip_address, "100.64.0.1");
  EXPECT_TRUE(again.monitoring_enabled);
}

}  // namespace
}  // namespace ec2m::sim
