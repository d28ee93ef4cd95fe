#include "stack/plan.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/random.hpp"
#include "sim/region.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ec2m::stack {
namespace {

const char* kBase = R"({
  "environment": "ENV", "region": "us-west-2",
  "vpc": {"cidr": "10.0.0.0/16", "maxAzs": 2},
  "securityGroups": [{"name": "lb", "ingress": [{"port": 443, "cidr": "0.0.0.0/0"}]},
                     {"name": "web", "ingress": [{"port": 8080, "source": "lb"}]}],
  "instanceGroups": [{"name": "web", "image": "ami-0123456789abcdef0", "instanceType": "t3.micro",
                      "count": 2, "securityGroups": ["web"], "userData": "v1"}],
  "tags": {"Team": "platform"}
})";

Template SynthText(std::string text, const std::string& env = "dev") {
  text.replace(text.find("ENV"), 3, env);
  auto e = config::ParseEnvironmentConfig(text, env + ".json");
  EXPECT_TRUE(e) << e.error().ToString();
  auto t = Synth(*e);
  EXPECT_TRUE(t);
  return *t;
}

// Replaces `from` by `to` in the base config.
std::string Edited(const std::string& from, const std::string& to) {
  std::string text = kBase;
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  return text;
}

// A cloud that holds exactly what `t` describes, as ReadActual would report it.
ActualState AsFound(const Template& t) {
  ActualState out;
  std::map<std::string, std::string> ids;
  for (const Resource& r : t.resources) {
    ids[r.logical_id] = "id-" + r.logical_id;
  }
  std::function<nlohmann::json(const nlohmann::json&)> resolve = [&](const nlohmann::json& v) {
    if (v.is_object() && v.contains("Ref")) {
      return nlohmann::json(ids.at(v["Ref"].get<std::string>()));
    }
    if (v.is_object() || v.is_array()) {
      nlohmann::json o = v;
      for (auto& item : o) {
        item = resolve(item);
      }
      return o;
    }
    return v;
  };
  for (const Resource& r : t.resources) {
    nlohmann::json props = resolve(r.properties);
    for (const std::string& k : SpecProperties(r.type)) {
      props.erase(k);
    }
    for (const std::string& k : SettingsProperties(r.type)) {
      props.erase(k);
    }
    out.resources.push_back({r.logical_id, r.type, ids[r.logical_id], "running", props, r.tags});
  }
  return out;
}

// Compares the rendered plan with tests/data/plans/NAME.txt (EC2M_UPDATE_GOLDEN=1 rewrites it).
void ExpectGolden(const Plan& plan, const std::string& name) {
  const std::string path = std::string(EC2M_SOURCE_DIR) + "/tests/data/plans/" + name + ".txt";
  const std::string got = plan.Render();
  if (std::getenv("EC2M_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path) << got;
  }
  std::ifstream in(path);
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(got, want.str()) << "golden file " << path;
}

TEST(PlanTest, NothingToDoWhenTheCloudMatches) {
  const Template t = SynthText(kBase);
  Plan plan = MakePlan(t, AsFound(t));
  EXPECT_TRUE(plan.empty()) << plan.Render();
  EXPECT_EQ(plan.unchanged, static_cast<int>(t.resources.size()));
  ExpectGolden(plan, "no_changes");
}

TEST(PlanTest, EverythingCreatedInDependencyOrderOnAnEmptyCloud) {
  Plan plan = MakePlan(SynthText(kBase), {});
  EXPECT_EQ(plan.Count(ChangeKind::kCreate), 9);
  EXPECT_EQ(plan.changes.front().logical_id, "Vpc");
  ExpectGolden(plan, "new_environment");
}

TEST(PlanTest, ScaleUpCreatesOneInstance) {
  Plan plan =
      MakePlan(SynthText(Edited("\"count\": 2", "\"count\": 3")), AsFound(SynthText(kBase)));
  ASSERT_EQ(plan.changes.size(), 1u) << plan.Render();
  EXPECT_EQ(plan.changes[0].kind, ChangeKind::kCreate);
  EXPECT_EQ(plan.changes[0].logical_id, "InstanceWeb3");
  ExpectGolden(plan, "scale_up");
}

TEST(PlanTest, InstanceTypeIsAnUpdateAndImageAReplacement) {
  Plan type = MakePlan(SynthText(Edited("t3.micro", "t3.small")), AsFound(SynthText(kBase)));
  EXPECT_EQ(type.Count(ChangeKind::kUpdate), 2);
  EXPECT_FALSE(type.changes[0].destructive);
  ExpectGolden(type, "instance_type");
  Plan image = MakePlan(SynthText(Edited("ami-0123456789abcdef0", "ami-0fedcba9876543210")),
                        AsFound(SynthText(kBase)));
  EXPECT_EQ(image.Count(ChangeKind::kReplace), 2);
  EXPECT_TRUE(image.changes[0].destructive);
  ExpectGolden(image, "image");
  Plan user_data = MakePlan(SynthText(Edited("\"v1\"", "\"v2\"")), AsFound(SynthText(kBase)));
  EXPECT_EQ(user_data.Count(ChangeKind::kReplace), 2);
  ExpectGolden(user_data, "user_data");
}

TEST(PlanTest, RulesAndTagsAreUpdates) {
  Plan rules = MakePlan(SynthText(Edited(R"({"port": 443, "cidr": "0.0.0.0/0"})",
                                         R"({"port": 443, "cidr": "0.0.0.0/0"},
                                            {"port": 80, "cidr": "10.0.0.0/8"})")),
                        AsFound(SynthText(kBase)));
  ASSERT_EQ(rules.changes.size(), 1u) << rules.Render();
  EXPECT_EQ(rules.changes[0].kind, ChangeKind::kUpdate);
  ExpectGolden(rules, "security_group_rule");
  Plan tags =
      MakePlan(SynthText(Edited("\"platform\"", "\"payments\"")), AsFound(SynthText(kBase)));
  EXPECT_EQ(tags.Count(ChangeKind::kUpdate), 9);
  ExpectGolden(tags, "tags");
}

TEST(PlanTest, ANewVpcCidrReplacesEverythingThatHangsOffIt) {
  Plan plan = MakePlan(SynthText(Edited("10.0.0.0/16", "10.9.0.0/16")), AsFound(SynthText(kBase)));
  EXPECT_EQ(plan.Count(ChangeKind::kReplace), 9) << plan.Render();
  ExpectGolden(plan, "vpc_cidr");
}

TEST(PlanTest, ScaleDownDeletesButProdRefusesWithoutTheOverride) {
  Plan dev = MakePlan(SynthText(Edited("\"count\": 2", "\"count\": 1")), AsFound(SynthText(kBase)));
  ASSERT_EQ(dev.changes.size(), 1u);
  EXPECT_EQ(dev.changes[0].kind, ChangeKind::kDelete);
  EXPECT_FALSE(dev.refused());
  ExpectGolden(dev, "scale_down");
  Plan prod = MakePlan(SynthText(Edited("\"count\": 2", "\"count\": 1"), "prod"),
                       AsFound(SynthText(kBase, "prod")));
  EXPECT_TRUE(prod.refused());
  ExpectGolden(prod, "scale_down_prod");
  EXPECT_FALSE(MakePlan(SynthText(Edited("\"count\": 2", "\"count\": 1"), "prod"),
                        AsFound(SynthText(kBase, "prod")), {.allow_retained_deletes = true})
                   .refused());
}

TEST(PlanTest, DuplicatesAndStrangersAreDeleted) {
  const Template t = SynthText(kBase);
  ActualState actual = AsFound(t);
  Found copy = actual.resources.back();
  copy.physical_id = "i-duplicate";
  actual.resources.push_back(copy);
  Found stranger = copy;
  stranger.logical_id = "InstanceOld1";
  stranger.physical_id = "i-stranger";
  actual.resources.push_back(stranger);
  Plan plan = MakePlan(t, actual);
  ASSERT_EQ(plan.Count(ChangeKind::kDelete), 2) << plan.Render();
  ExpectGolden(plan, "duplicates");
  auto json = plan.ToJson();
  EXPECT_EQ(json["summary"]["delete"], 2);
  EXPECT_EQ(json["changes"][0]["reason"], "a duplicate of id-InstanceWeb2");
}

TEST(PlanTest, ASubnetsPublicAddressingIsASettingChangedInPlace) {
  const std::string tiers =
      R"("maxAzs": 2, "subnets": [{"name": "public", "type": "public"},
                                  {"name": "private", "type": "TYPE"}])";
  std::string before = tiers;
  before.replace(before.find("TYPE"), 4, "private");
  std::string after = tiers;
  after.replace(after.find("TYPE"), 4, "public");
  Plan plan = MakePlan(SynthText(Edited("\"maxAzs\": 2", after)),
                       AsFound(SynthText(Edited("\"maxAzs\": 2", before))));
  ASSERT_EQ(plan.Count(ChangeKind::kUpdate), 2) << plan.Render();
  EXPECT_EQ(plan.Count(ChangeKind::kReplace), 0);
  EXPECT_EQ(plan.changes[0].properties[0].property, "MapPublicIpOnLaunch");
}

// An interrupted replacement leaves the old and the new resource under one logical id: the plan
// keeps the one that matches the config (the new one), whichever the cloud listed first.
TEST(PlanTest, OfTwoUnderOneLogicalIdTheOneMatchingTheConfigIsKept) {
  const Template want = SynthText(Edited("\"v1\"", "\"v2\""));
  ActualState actual = AsFound(SynthText(kBase));  // both instances still at v1
  Found fresh = AsFound(want).resources.back();    // InstanceWeb2 made at v2
  fresh.physical_id = "i-new";
  actual.resources.push_back(fresh);
  Plan plan = MakePlan(want, actual);
  // InstanceWeb1 is replaced; InstanceWeb2 keeps i-new and the old one is a duplicate.
  ASSERT_EQ(plan.Count(ChangeKind::kReplace), 1) << plan.Render();
  ASSERT_EQ(plan.Count(ChangeKind::kDelete), 1) << plan.Render();
  EXPECT_EQ(plan.changes.back().physical_id, "id-InstanceWeb2");
  EXPECT_EQ(plan.changes.back().reason, "a duplicate of i-new");
}

// ReadActual against the simulated region: what a plan will see after resources are made with
// the template's tags.
TEST(ReadActualTest, FindsTaggedResourcesInTheTemplatesShape) {
  auto store = store::SqliteStore::Open(":memory:");
  ASSERT_TRUE(store);
  ManualClock clock{FromUnixMillis(1'795'000'000'000)};
  DefaultRandom random{3};
  auto region = sim::SimRegion::Open(sim::SimConfig{}, **store, clock, random);
  ASSERT_TRUE(region) << region.error().ToString();
  auto tags = [](const std::string& id) {
    return Tags{{"Environment", "dev"}, {kLogicalIdTag, id}, {"ManagedBy", "ec2m"}};
  };
  auto vpc = (*region)->CreateVpc({"10.0.0.0/16", "", {{"vpc", tags("Vpc")}}});
  ASSERT_TRUE(vpc) << vpc.error().ToString();
  auto subnet = (*region)->CreateSubnet(
      {vpc->vpc_id, "10.0.0.0/24", "us-west-2a", "", {{"subnet", tags("SubnetPublicA")}}});
  ASSERT_TRUE(subnet) << subnet.error().ToString();
  RunInstancesRequest run;
  run.image_id = "ami-0abcdef1234567890";
  run.instance_type = "t3.micro";
  run.subnet_id = subnet->subnet_id;
  run.tag_specifications = {{"instance", tags("InstanceWeb1")}};
  ASSERT_TRUE((*region)->RunInstances(run));
  // Another environment's and untagged resources are not this environment's.
  ASSERT_TRUE((*region)->CreateVpc({"10.1.0.0/16", "", {}}));
  auto actual = ReadActual(**region, "dev");
  ASSERT_TRUE(actual) << actual.error().ToString();
  ASSERT_EQ(actual->resources.size(), 3u);
  EXPECT_EQ(actual->resources[0].logical_id, "Vpc");
  EXPECT_EQ(actual->resources[0].properties["CidrBlock"], "10.0.0.0/16");
  EXPECT_EQ(actual->resources[1].properties["VpcId"], vpc->vpc_id);
  EXPECT_EQ(actual->resources[1].properties["AvailabilityZone"], "us-west-2a");
  EXPECT_EQ(actual->resources[2].type, "AWS::EC2::Instance");
  EXPECT_EQ(actual->resources[2].properties["SubnetId"], subnet->subnet_id);
  EXPECT_EQ(actual->resources[2].properties["InstanceType"], "t3.micro");
  EXPECT_GE(actual->calls, 4);
}

}  // namespace
}  // namespace ec2m::stack
