#include "stack/apply.hpp"

#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "core/digest.hpp"
#include "core/paging.hpp"
#include "core/random.hpp"
#include "sim/region.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ec2m::stack {
namespace {

const char* kBase = R"({
  "environment": "dev", "region": "us-west-2",
  "vpc": {"cidr": "10.0.0.0/16", "maxAzs": 2,
          "subnets": [{"name": "public", "type": "public", "cidrMask": 24},
                      {"name": "app", "type": "private", "cidrMask": 20}]},
  "securityGroups": [{"name": "lb", "ingress": [{"port": 443, "cidr": "0.0.0.0/0"}]},
                     {"name": "web", "ingress": [{"port": 8080, "source": "lb"}]}],
  "instanceGroups": [{"name": "web", "image": "ami-0123456789abcdef0", "instanceType": "t3.micro",
                      "count": 3, "subnets": "app", "securityGroups": ["web"],
                      "userData": "#!/bin/sh\necho v1"}],
  "tags": {"Team": "platform"}
})";

std::string Edited(const std::string& from, const std::string& to) {
  std::string text = kBase;
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  return text;
}

class ApplyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::SqliteStore::Open(":memory:");
    ASSERT_TRUE(store);
    store_ = std::move(*store);
    auto region = sim::SimRegion::Open(sim::SimConfig{}, *store_, clock_, random_);
    ASSERT_TRUE(region) << region.error().ToString();
    region_ = std::move(*region);
  }

  struct Outcome {
    Plan plan;
    ApplyReport report;
    std::vector<StepRecord> journal;  // every write, in order
  };

  // Plans `text` against the region and applies it as `change_set`; the journal fails on its
  // write number `fail_at` (1-based; 0 = never), as a process killed there would stop.
  Result<Outcome> Converge(const std::string& text, const std::string& change_set, int fail_at = 0,
                           PlanOptions plan_options = {}) {
    auto env = config::ParseEnvironmentConfig(text, "dev.json");
    EC2M_RETURN_IF_ERROR(env);
    auto desired = Synth(*env);
    EC2M_RETURN_IF_ERROR(desired);
    auto actual = ReadActual(*region_, "dev");
    EC2M_RETURN_IF_ERROR(actual);
    Outcome out;
    out.plan = MakePlan(*desired, *actual, plan_options);
    std::mutex mu;
    int writes = 0;
    JournalSink sink = [&](const StepRecord& r) -> Result<void> {
      std::lock_guard lock(mu);
      if (++writes == fail_at) {
        return Fail(ErrorCode::kUnavailable, "the store went away");
      }
      out.journal.push_back(r);
      return {};
    };
    auto report = Apply(*region_, *desired, *actual, out.plan, change_set, sink, clock_);
    EC2M_RETURN_IF_ERROR(report);
    out.report = *report;
    return out;
  }

  Plan PlanOf(const std::string& text) {
    auto env = config::ParseEnvironmentConfig(text, "dev.json");
    EXPECT_TRUE(env) << env.error().ToString();
    auto actual = ReadActual(*region_, "dev");
    EXPECT_TRUE(actual) << actual.error().ToString();
    return MakePlan(*Synth(*env), *actual);
  }

  std::vector<Instance> Live() {
    DescribeRequest req;
    req.filters = {{"instance-state-name", {"pending", "running", "stopping", "stopped"}}};
    auto all =
        DescribeAll(req, [&](const DescribeRequest& r) { return region_->DescribeInstances(r); });
    EXPECT_TRUE(all);
    std::vector<Instance> out;
    for (const Reservation& r : *all) {
      out.insert(out.end(), r.instances.begin(), r.instances.end());
    }
    return out;
  }

  // Every resource of the environment, by logical id: exactly one each, nothing untagged.
  void ExpectOneOfEach(int instances) {
    auto actual = ReadActual(*region_, "dev");
    ASSERT_TRUE(actual);
    std::map<std::string, int> seen;
    for (const Found& f : actual->resources) {
      ++seen[f.logical_id];
    }
    for (const auto& [id, n] : seen) {
      EXPECT_EQ(n, 1) << id << " exists " << n << " times";
    }
    EXPECT_EQ(static_cast<int>(Live().size()), instances);
    auto vpcs = region_->DescribeVpcs({});
    ASSERT_TRUE(vpcs);
    int ours = 0;
    for (const Vpc& v : vpcs->items) {
      ours += v.is_default ? 0 : 1;
    }
    EXPECT_EQ(ours, 1) << "an orphaned VPC";
  }

  ManualClock clock_{FromUnixMillis(1'795'000'000'000)};
  DefaultRandom random_{11};
  std::unique_ptr<Store> store_;
  std::unique_ptr<sim::SimRegion> region_;
};

TEST_F(ApplyTest, BuildsAnEnvironmentFromNothingAndThenHasNothingLeftToDo) {
  auto done = Converge(kBase, "cs-dev-1");
  ASSERT_TRUE(done) << done.error().ToString();
  EXPECT_TRUE(done->report.ok()) << done->report.first_error;
  // VPC, 4 subnets, 2 groups, 3 instances, and the wait for them to run.
  EXPECT_EQ(done->report.steps, 11);
  EXPECT_EQ(done->journal.size(), 22u);  // each step: pending, then done
  EXPECT_EQ(done->journal.front().status, "pending");
  EXPECT_EQ(done->journal.back().action, "wait running");
  Plan again = PlanOf(kBase);
  EXPECT_TRUE(again.empty()) << again.Render();

  const std::vector<Instance> live = Live();
  ASSERT_EQ(live.size(), 3u);
  for (const Instance& i : live) {
    EXPECT_EQ(i.state, InstanceState::kRunning);
    EXPECT_EQ(i.user_data, Base64Encode("#!/bin/sh\necho v1"));
    ASSERT_EQ(i.block_device_mappings.size(), 1u);
    EXPECT_TRUE(i.block_device_mappings[0].ebs.encrypted);
    std::string logical;
    for (const Tag& t : i.tags) {
      logical = t.key == kLogicalIdTag ? t.value : logical;
    }
    EXPECT_EQ(i.client_token, LaunchToken("cs-dev-1", logical));
  }
  auto subnets = region_->DescribeSubnets({});
  ASSERT_TRUE(subnets);
  int public_ones = 0;
  for (const Subnet& s : subnets->items) {
    public_ones += s.map_public_ip_on_launch && !s.default_for_az ? 1 : 0;
  }
  EXPECT_EQ(public_ones, 2);
  ExpectOneOfEach(3);
}

TEST_F(ApplyTest, UpdatesInPlaceKeepTheResources) {
  ASSERT_TRUE(Converge(kBase, "cs-dev-1"));
  const std::vector<Instance> before = Live();
  std::string text = Edited("\"t3.micro\"", "\"t3.small\"");
  text.replace(text.find("\"port\": 8080"), 12, "\"port\": 8081");
  text.replace(text.find("\"platform\""), 10, "\"payments\"");
  auto done = Converge(text, "cs-dev-2");
  ASSERT_TRUE(done) << done.error().ToString();
  EXPECT_TRUE(done->report.ok()) << done->report.first_error;
  EXPECT_EQ(done->plan.Count(ChangeKind::kReplace), 0) << done->plan.Render();
  Plan again = PlanOf(text);
  EXPECT_TRUE(again.empty()) << again.Render();
  const std::vector<Instance> after = Live();
  ASSERT_EQ(after.size(), before.size());
  for (const Instance& i : after) {
    EXPECT_EQ(i.instance_type, "t3.small");
    EXPECT_EQ(i.state, InstanceState::kRunning);  // stopped for the change, started again
    EXPECT_TRUE(std::any_of(before.begin(), before.end(),
                            [&i](const Instance& b) { return b.instance_id == i.instance_id; }));
  }
}

TEST_F(ApplyTest, ReplacementsMakeTheNewBeforeRemovingTheOld) {
  ASSERT_TRUE(Converge(kBase, "cs-dev-1"));
  const std::vector<Instance> before = Live();
  const std::string text = Edited("echo v1", "echo v2");
  auto done = Converge(text, "cs-dev-2");
  ASSERT_TRUE(done) << done.error().ToString();
  EXPECT_TRUE(done->report.ok()) << done->report.first_error;
  EXPECT_EQ(done->plan.Count(ChangeKind::kReplace), 3);
  // Every launch (and the wait for it) is journaled before the first delete.
  size_t last_create = 0;
  size_t first_delete = done->journal.size();
  for (size_t i = 0; i < done->journal.size(); ++i) {
    if (done->journal[i].action == "replace" || done->journal[i].action == "wait running") {
      last_create = i;
    }
    if (done->journal[i].action == "delete") {
      first_delete = std::min(first_delete, i);
    }
  }
  EXPECT_LT(last_create, first_delete);
  EXPECT_TRUE(PlanOf(text).empty());
  for (const Instance& i : Live()) {
    EXPECT_EQ(i.user_data, Base64Encode("#!/bin/sh\necho v2"));
    EXPECT_FALSE(std::any_of(before.begin(), before.end(),
                             [&i](const Instance& b) { return b.instance_id == i.instance_id; }));
  }
  ExpectOneOfEach(3);
}

TEST_F(ApplyTest, WhatLeavesTheConfigIsDeletedDependentsFirst) {
  ASSERT_TRUE(Converge(kBase, "cs-dev-1"));
  // One instance fewer, and the private tier gone: the instances move to the public subnets
  // (a replacement), the private subnets are deleted once nothing uses them.
  std::string text = Edited("\"count\": 3", "\"count\": 2");
  text.replace(text.find(",\n                      {\"name\": \"app\""),
               std::string(",\n                      {\"name\": \"app\", \"type\": \"private\", "
                           "\"cidrMask\": 20}")
                   .size(),
               "");
  text.replace(text.find("\"subnets\": \"app\""), 16, "\"subnets\": \"public\"");
  auto done = Converge(text, "cs-dev-2");
  ASSERT_TRUE(done) << done.error().ToString();
  EXPECT_TRUE(done->report.ok()) << done->report.first_error << "\n" << done->plan.Render();
  EXPECT_EQ(done->plan.Count(ChangeKind::kDelete), 3) << done->plan.Render();  // 1 + 2 subnets
  EXPECT_TRUE(PlanOf(text).empty()) << PlanOf(text).Render();
  ExpectOneOfEach(2);
}

TEST_F(ApplyTest, AFailedStepStopsTheApplyBeforeAnyDeleteAndARerunFinishesIt) {
  ASSERT_TRUE(Converge(kBase, "cs-dev-1"));
  sim::FaultConfig faults;
  faults.insufficient_capacity = {{"t3.large", ""}};
  region_->SetFaults(faults);
  const std::string text =
      Edited("echo v1", "echo v2")
          .replace(Edited("echo v1", "echo v2").find("\"t3.micro\""), 10, "\"t3.large\"");
  auto failed = Converge(text, "cs-dev-2");
  ASSERT_TRUE(failed) << failed.error().ToString();
  EXPECT_FALSE(failed->report.ok());
  EXPECT_NE(failed->report.first_error.find("InsufficientInstanceCapacity"), std::string::npos)
      << failed->report.first_error;
  for (const StepRecord& r : failed->journal) {
    EXPECT_NE(r.action, "delete") << "nothing may be removed while its replacement is missing";
  }
  EXPECT_EQ(Live().size(), 3u);  // the old fleet still stands
  region_->SetFaults({});
  auto rerun = Converge(text, "cs-dev-3");
  ASSERT_TRUE(rerun) << rerun.error().ToString();
  EXPECT_TRUE(rerun->report.ok()) << rerun->report.first_error;
  EXPECT_TRUE(PlanOf(text).empty());
  ExpectOneOfEach(3);
}

// An apply stopped after each possible journal write (what kill -9 leaves: the store stops
// hearing from it), then a rerun — under a new change set, and resuming the same one: always
// one of each resource, nothing orphaned, nothing left to do.
TEST_F(ApplyTest, StoppedAtAnyStepARerunConvergesWithoutDuplicatesOrOrphans) {
  const std::string next =
      Edited("echo v1", "echo v2")
          .replace(Edited("echo v1", "echo v2").find("\"count\": 3"), 10, "\"count\": 2");
  int total_writes = 0;
  {
    ASSERT_TRUE(Converge(kBase, "cs-dev-1"));
    auto full = Converge(next, "cs-dev-2");
    ASSERT_TRUE(full);
    total_writes = static_cast<int>(full->journal.size());
    ASSERT_GT(total_writes, 10);
  }
  for (int fail_at = 1; fail_at <= total_writes; ++fail_at) {
    for (bool same_change_set : {false, true}) {
      SCOPED_TRACE("stopped at write " + std::to_string(fail_at) +
                   (same_change_set ? ", resumed" : ", new change set"));
      SetUp();
      ASSERT_TRUE(Converge(kBase, "cs-dev-1"));
      auto stopped = Converge(next, "cs-dev-2", fail_at);
      ASSERT_FALSE(stopped);
      EXPECT_EQ(stopped.error().message, "the store went away");
      auto rerun = Converge(next, same_change_set ? "cs-dev-2" : "cs-dev-3");
      ASSERT_TRUE(rerun) << rerun.error().ToString();
      EXPECT_TRUE(rerun->report.ok()) << rerun->report.first_error;
      const Plan left = PlanOf(next);
      EXPECT_TRUE(left.empty()) << left.Render();
      ExpectOneOfEach(2);
    }
  }
}

TEST_F(ApplyTest, RefusedDeletesAreLeftStanding) {
  std::string prod = kBase;
  prod.replace(prod.find("\"tags\""), 6, "\"removalPolicy\": \"RETAIN\", \"tags\"");
  ASSERT_TRUE(Converge(prod, "cs-dev-1"));
  std::string fewer = prod;
  fewer.replace(fewer.find("\"count\": 3"), 10, "\"count\": 1");
  auto done = Converge(fewer, "cs-dev-2");
  ASSERT_TRUE(done) << done.error().ToString();
  EXPECT_TRUE(done->plan.refused());
  EXPECT_EQ(done->report.steps, 0);
  EXPECT_EQ(Live().size(), 3u);
  // With the explicit override the protected instances go: protection is lifted first.
  PlanOptions allow;
  allow.allow_retained_deletes = true;
  auto allowed = Converge(fewer, "cs-dev-3", 0, allow);
  ASSERT_TRUE(allowed) << allowed.error().ToString();
  EXPECT_TRUE(allowed->report.ok()) << allowed->report.first_error;
  EXPECT_EQ(Live().size(), 1u);
}

}  // namespace
}  // namespace ec2m::stack
