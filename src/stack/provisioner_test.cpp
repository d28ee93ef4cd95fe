#include "stack/provisioner.hpp"

#include <gtest/gtest.h>

#include "core/random.hpp"
#include "sim/region.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ec2m::stack {
namespace {

std::string Config(int count, const std::string& version) {
  return R"({"environment": "dev", "region": "us-west-2",
    "securityGroups": [{"name": "web", "ingress": [{"port": 443, "cidr": "0.0.0.0/0"}]}],
    "instanceGroups": [{"name": "web", "image": "ami-0123456789abcdef0",
                        "instanceType": "t3.micro", "count": )" +
         std::to_string(count) + R"(, "securityGroups": ["web"], "userData": ")" + version +
         R"("}]})";
}

class ProvisionerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::SqliteStore::Open(":memory:");
    ASSERT_TRUE(store);
    store_ = std::move(*store);
    auto region = sim::SimRegion::Open(sim::SimConfig{}, *store_, clock_, random_);
    ASSERT_TRUE(region);
    region_ = std::move(*region);
    ProvisionerOptions options;
    options.lease = std::chrono::seconds(30);
    options.on_finished = [this](const ChangeSet& cs) { finished_.push_back(cs.id); };
    provisioner_ = std::make_unique<Provisioner>(
        *store_, clock_,
        std::vector<Target>{{"dev", Config(1, "v0"), "config/dev.json", region_.get()}}, options);
  }

  // Provisions `text` and waits for the apply; the change set as it ended.
  ChangeSet Apply(const std::string& text) {
    auto started = provisioner_->Provision("dev", "alice@example.com", text, false);
    EXPECT_TRUE(started) << started.error().ToString();
    EXPECT_TRUE(started->change_set.has_value());
    provisioner_->Wait();
    auto cs = provisioner_->change_sets().Get(started->change_set->id);
    EXPECT_TRUE(cs);
    return *cs;
  }

  ManualClock clock_{FromUnixMillis(1'795'000'000'000)};
  DefaultRandom random_{5};
  std::unique_ptr<Store> store_;
  std::unique_ptr<sim::SimRegion> region_;
  std::vector<std::string> finished_;
  std::unique_ptr<Provisioner> provisioner_;
};

TEST_F(ProvisionerTest, ProvisionsRecordsAndThenHasNothingToDo) {
  // Before anything is applied, the config in force is the server's file.
  EXPECT_EQ(provisioner_->CurrentConfig("dev")->first, Config(1, "v0"));
  const ChangeSet first = Apply(Config(2, "v1"));
  EXPECT_EQ(first.status, "succeeded") << first.result;
  EXPECT_EQ(first.author, "alice@example.com");
  EXPECT_NE(first.result.find("applied: 8 created"), std::string::npos) << first.result;
  EXPECT_EQ(first.journal.back().status, "done");
  EXPECT_EQ(finished_, std::vector<std::string>{first.id});
  EXPECT_EQ(provisioner_->CurrentConfig("dev")->second, first.id);
  auto again = provisioner_->Provision("dev", "alice@example.com", std::nullopt, false);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->change_set.has_value());
  EXPECT_TRUE(provisioner_->Drift("dev")->empty());
  auto status = provisioner_->Status("dev", "all");
  ASSERT_TRUE(status) << status.error().ToString();
  EXPECT_EQ(status->status, "HEALTHY");
  ASSERT_EQ(status->checks.size(), 4u);
  for (const CheckResult& c : status->checks) {
    EXPECT_EQ(c.status, "HEALTHY") << c.category << ": " << c.summary;
  }
  EXPECT_EQ(provisioner_->Status("dev", "everything").error().code, ErrorCode::kInvalidArgument);
}

TEST_F(ProvisionerTest, AConfigChangeWithoutResourceChangesIsRecordedAndCarriesItsApproval) {
  const ChangeSet first = Apply(Config(1, "v1"));
  ASSERT_EQ(first.status, "succeeded");
  // The same resources under another approval rule: the cloud has nothing to do, the config in
  // force changes all the same (else a rule could never be raised or lowered alone).
  std::string ruled = Config(1, "v1");
  ruled.insert(ruled.size() - 1, R"(, "approval": {"required": true})");
  auto plan = provisioner_->MakePlanFor("dev", ruled, false);
  ASSERT_TRUE(plan) << plan.error().ToString();
  EXPECT_TRUE(plan->plan.empty());
  EXPECT_TRUE(plan->config_changed);
  EXPECT_FALSE(plan->nothing_to_do());
  const ChangeSet second = Apply(ruled);
  EXPECT_EQ(second.status, "succeeded") << second.result;
  EXPECT_EQ(provisioner_->CurrentConfig("dev")->first, ruled);
  auto again = provisioner_->Provision("dev", "alice@example.com", ruled, false);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->change_set.has_value());
  // An apply carrying out an approved deployment says which.
  auto approved =
      provisioner_->Provision("dev", "alice@example.com", Config(2, "v1"), false, "d-7");
  ASSERT_TRUE(approved && approved->change_set);
  EXPECT_EQ(approved->change_set->approval, "d-7");
  provisioner_->Wait();
  EXPECT_EQ(provisioner_->change_sets().Get(approved->change_set->id)->approval, "d-7");
  EXPECT_FALSE(provisioner_->LiveHolder("dev")->has_value());
  // RollbackTarget names the known good state a rollback returns to, without applying it.
  auto back = provisioner_->RollbackTarget("dev", "previous");
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(back->id, second.id);
  EXPECT_EQ(provisioner_->RollbackTarget("dev", "cs-dev-99").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(provisioner_->RollbackTarget("dev", "yesterday").error().code,
            ErrorCode::kInvalidArgument);
}

TEST_F(ProvisionerTest, BadConfigsAndUnknownEnvironmentsChangeNothing) {
  std::string qa = Config(1, "v1");
  qa.replace(qa.find("\"dev\""), 5, "\"qa1\"");
  auto wrong = provisioner_->Provision("dev", "a", qa, false);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().message, "config/dev.json: $.environment: expected \"dev\", got \"qa1\"");
  std::string elsewhere = Config(1, "v1");
  elsewhere.replace(elsewhere.find("us-west-2"), 9, "eu-west-1");
  auto moved = provisioner_->Provision("dev", "a", elsewhere, false);
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().message,
            "config/dev.json: $.region: expected \"us-west-2\" (the server's environment dev), "
            "got \"eu-west-1\"");
  auto broken = provisioner_->Provision("dev", "a", "{", false);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(provisioner_->Provision("qa", "a", std::nullopt, false).error().code,
            ErrorCode::kNotFound);
  EXPECT_TRUE(provisioner_->change_sets().List("dev", 10)->empty());
}

TEST_F(ProvisionerTest, RollsBackToPreviousAChangeSetOrATime) {
  EXPECT_EQ(provisioner_->Rollback("dev", "a", "previous").error().code,
            ErrorCode::kFailedPrecondition);
  const ChangeSet v1 = Apply(Config(1, "v1"));
  clock_.Advance(std::chrono::hours(1));
  const ChangeSet v2 = Apply(Config(2, "v2"));
  clock_.Advance(std::chrono::hours(1));

  auto back = provisioner_->Rollback("dev", "bob@example.com", "previous");
  ASSERT_TRUE(back) << back.error().ToString();
  provisioner_->Wait();
  auto rolled = provisioner_->change_sets().Get(back->change_set->id);
  ASSERT_TRUE(rolled);
  EXPECT_EQ(rolled->status, "succeeded") << rolled->result;
  EXPECT_EQ(rolled->rollback_of, v1.id);
  EXPECT_EQ(rolled->config_text, v1.config_text);
  EXPECT_EQ(rolled->journal.front().action, "backup");  // the state it replaced, kept first
  EXPECT_EQ(provisioner_->CurrentConfig("dev")->first, v1.config_text);

  // A time between the two: v1 was in force. By id: v2.
  const std::string between =
      FormatIso8601Millis(FromUnixMillis(1'795'000'000'000) + std::chrono::minutes(30));
  auto at_time = provisioner_->Rollback("dev", "a", between);
  ASSERT_TRUE(at_time);
  EXPECT_FALSE(at_time->change_set.has_value());  // already there
  auto by_id = provisioner_->Rollback("dev", "a", v2.id);
  ASSERT_TRUE(by_id);
  provisioner_->Wait();
  EXPECT_EQ(provisioner_->CurrentConfig("dev")->first, v2.config_text);

  EXPECT_EQ(provisioner_->Rollback("dev", "a", "cs-prod-1").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(provisioner_->Rollback("dev", "a", "cs-dev-99").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(provisioner_->Rollback("dev", "a", "soon").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(provisioner_->Rollback("dev", "a", "2001-02-30T00:00:00Z").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(provisioner_->Rollback("dev", "a", "2001-01-01T00:00:00Z").error().code,
            ErrorCode::kFailedPrecondition);
}

TEST_F(ProvisionerTest, ALiveLockRefusesADeadOneIsTakenOverAndItsChangeSetResumed) {
  const ChangeSet v1 = Apply(Config(1, "v1"));
  // Someone else's apply holds the lock and renews it: refused, nothing recorded.
  ASSERT_TRUE(provisioner_->locks().Acquire("dev", "carol (cs-dev-7)"));
  auto refused = provisioner_->Provision("dev", "alice", Config(2, "v1"), false);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(refused.error().message.find("locked by carol (cs-dev-7)"), std::string::npos);
  EXPECT_EQ(provisioner_->change_sets().List("dev", 10)->size(), 1u);
  EXPECT_EQ(*provisioner_->RecoverInterrupted(), 0);

  // A process died in the middle of an apply: its change set says "applying", its lock is not
  // renewed. Once the lease ran out, recovery resumes that change set.
  ASSERT_TRUE(provisioner_->locks().Break("dev"));
  auto dead = provisioner_->change_sets().Create("dev", "dave", Config(2, "v1"), nullptr);
  ASSERT_TRUE(dead);
  dead->status = "applying";
  ASSERT_TRUE(provisioner_->change_sets().Save(*dead));
  ASSERT_TRUE(provisioner_->change_sets().Record(
      *dead, {1, "InstanceWeb2", "create", "pending", "", "", "t"}));
  ASSERT_TRUE(provisioner_->locks().Acquire("dev", "dave (" + dead->id + ")"));
  EXPECT_EQ(*provisioner_->RecoverInterrupted(), 0);  // still within its lease
  auto status = provisioner_->Status("dev", "infrastructure");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->status, "DEPLOYING");
  clock_.Advance(std::chrono::seconds(31));
  EXPECT_EQ(*provisioner_->RecoverInterrupted(), 1);
  provisioner_->Wait();
  auto resumed = provisioner_->change_sets().Get(dead->id);
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->status, "succeeded") << resumed->result;
  EXPECT_EQ(resumed->result.rfind("resumed after an interruption; applied: 1 created", 0), 0u)
      << resumed->result;
  EXPECT_EQ(resumed->journal.front().seq, 1);
  EXPECT_EQ(resumed->journal[1].seq, 2);  // the resumed apply continued the journal
  EXPECT_FALSE(provisioner_->locks().Holder("dev")->has_value());
  EXPECT_NE(v1.id, resumed->id);
}

}  // namespace
}  // namespace ec2m::stack
