#include "stack/changesets.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "store/sqlite/sqlite_store.hpp"

namespace ec2m::stack {
namespace {

class ChangeSetsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::SqliteStore::Open(":memory:");
    ASSERT_TRUE(store);
    store_ = std::move(*store);
  }
  ManualClock clock_{FromUnixMillis(1'795'000'000'000)};
  std::unique_ptr<Store> store_;
};

TEST_F(ChangeSetsTest, NumbersPerEnvironmentAndReadsBack) {
  ChangeSets sets(*store_, clock_);
  auto a = sets.Create("prod", "alice@example.com", "{\"environment\":\"prod\"}", {{"k", 1}});
  ASSERT_TRUE(a) << a.error().ToString();
  EXPECT_EQ(a->id, "cs-prod-1");
  EXPECT_EQ(a->status, "planned");
  EXPECT_EQ(a->config_version.size(), 12u);
  auto b = sets.Create("prod", "bob@example.com", "{}", nullptr);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->id, "cs-prod-2");
  auto other = sets.Create("dev-eu", "bob@example.com", "{}", nullptr);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->id, "cs-dev-eu-1");

  auto got = sets.Get("cs-prod-1");
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(got->author, "alice@example.com");
  EXPECT_EQ(got->config_text, "{\"environment\":\"prod\"}");
  EXPECT_EQ(got->plan["k"], 1);
  EXPECT_EQ(got->created_at, "2026-11-18T11:06:40.000Z");
  EXPECT_EQ(sets.Get("cs-dev-eu-1")->environment, "dev-eu");
  EXPECT_EQ(sets.Get("cs-prod-9").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(sets.Get("prod-1").error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(ParseChangeSetId("cs-prod-0"));
  EXPECT_FALSE(ParseChangeSetId("cs--1"));
  EXPECT_FALSE(ParseChangeSetId("cs-prod-x"));
}

TEST_F(ChangeSetsTest, TheJournalIsSavedStepByStepAndStaleWritesAreRefused) {
  ChangeSets sets(*store_, clock_);
  auto cs = sets.Create("dev", "ci", "{}", nullptr);
  ASSERT_TRUE(cs);
  cs->status = "applying";
  ASSERT_TRUE(sets.Record(*cs, {1, "Vpc", "create", "pending", "", "", "t"}));
  ASSERT_TRUE(sets.Record(*cs, {1, "Vpc", "create", "done", "vpc-1", "", "t"}));
  auto saved = sets.Save(*cs);
  ASSERT_TRUE(saved) << saved.error().ToString();
  EXPECT_EQ(saved->version, cs->version + 1);
  // A second writer with the old version loses.
  auto stale = sets.Save(*cs);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(sets.Record(
      *saved, {2, "InstanceWeb1", "create", "failed", "", "InsufficientInstanceCapacity", "t"}));
  auto back = sets.Get(cs->id);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->journal.size(), 2u);
  EXPECT_EQ(back->journal[0].status, "done");  // the later write of step 1 replaced the first
  EXPECT_EQ(back->journal[0].physical_id, "vpc-1");
  EXPECT_EQ(back->journal[1].error, "InsufficientInstanceCapacity");
  EXPECT_EQ(back->status, "applying");
  // The REST shape: the summary of the plan, the journal; plan and config only in full.
  const nlohmann::json brief = ChangeSetJson(*back, false);
  EXPECT_EQ(brief["journal"].size(), 2u);
  EXPECT_FALSE(brief.contains("config_text"));
  EXPECT_TRUE(ChangeSetJson(*back, true).contains("config_text"));
  // Listing leaves journals out.
  EXPECT_TRUE(sets.List("dev", 10)->front().journal.empty());
}

TEST_F(ChangeSetsTest, ListsNewestFirstAndFindsWhatWasLiveAtATime) {
  ChangeSets sets(*store_, clock_);
  for (int i = 1; i <= 5; ++i) {
    auto cs = sets.Create("prod", "ci", "v" + std::to_string(i), nullptr);
    ASSERT_TRUE(cs);
    cs->status = i == 4 ? "failed" : "succeeded";
    ASSERT_TRUE(sets.Save(*cs));
    clock_.Advance(std::chrono::hours(1));
  }
  auto all = sets.List("prod", 10);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ(all->front().number, 5);
  auto older = sets.List("prod", 2, 4);
  ASSERT_TRUE(older);
  ASSERT_EQ(older->size(), 2u);
  EXPECT_EQ((*older)[0].number, 3);
  EXPECT_EQ((*older)[1].number, 2);
  EXPECT_FALSE(sets.List("prod", 0));
  // 3.5 hours after the first: the fourth (created at +3 h) failed, so the third was live.
  auto at =
      sets.LastSucceededAt("prod", FromUnixMillis(1'795'000'000'000) + std::chrono::minutes(210));
  ASSERT_TRUE(at);
  ASSERT_TRUE(at->has_value());
  EXPECT_EQ((*at)->config_text, "v3");
  auto before_all =
      sets.LastSucceededAt("prod", FromUnixMillis(1'795'000'000'000) - std::chrono::seconds(1));
  ASSERT_TRUE(before_all);
  EXPECT_FALSE(before_all->has_value());
}

TEST_F(ChangeSetsTest, ConcurrentCreatorsNeverShareANumber) {
  std::vector<std::thread> threads;
  threads.reserve(4);
  std::mutex mu;
  std::set<int64_t> numbers;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      ChangeSets mine(*store_, clock_);  // each as a replica would
      for (int i = 0; i < 10; ++i) {
        auto cs = mine.Create("prod", "ci", "{}", nullptr);
        ASSERT_TRUE(cs) << cs.error().ToString();
        std::lock_guard lock(mu);
        numbers.insert(cs->number);
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(numbers.size(), 40u);
  EXPECT_EQ(*numbers.rbegin(), 40);
}

TEST(DeploymentNotificationTest, SaysHowTheChangeSetEndedWithTheSpecificationsPayload) {
  ChangeSet cs;
  cs.id = "cs-prod-7";
  cs.environment = "prod";
  cs.author = "alice@example.com";
  cs.config_version = "0123456789ab";
  cs.status = "succeeded";
  cs.result = "3 steps done in 41 s";
  Notification ok = DeploymentNotification(cs);
  EXPECT_EQ(ok.id, "deployment-cs-prod-7-success");
  EXPECT_EQ(ok.kind, "deployment");
  EXPECT_EQ(ok.environment, "prod");
  EXPECT_EQ(ok.severity, "info");
  EXPECT_EQ(ok.title, "Deployment cs-prod-7 of prod: success");
  EXPECT_EQ(ok.text, "3 steps done in 41 s");
  EXPECT_EQ(ok.fields.at("status"), "success");
  EXPECT_EQ(ok.fields.at("author"), "alice@example.com");
  EXPECT_EQ(ok.fields.at("config_version"), "0123456789ab");
  EXPECT_EQ(ok.fields.count("rollback_of"), 0u);

  cs.status = "failed";
  Notification failed = DeploymentNotification(cs);
  EXPECT_EQ(failed.id, "deployment-cs-prod-7-failure");  // another outcome, another message
  EXPECT_EQ(failed.severity, "warning");

  cs.status = "interrupted";
  cs.rollback_of = "cs-prod-5";
  Notification rollback = DeploymentNotification(cs);
  EXPECT_EQ(rollback.fields.at("status"), "cancelled");
  EXPECT_EQ(rollback.severity, "critical");  // a rollback that did not finish
  EXPECT_EQ(rollback.title, "Rollback cs-prod-7 of prod: cancelled");
  EXPECT_EQ(rollback.fields.at("rollback_of"), "cs-prod-5");
}

TEST_F(ChangeSetsTest, ALockNotRenewedWithinItsLeaseIsTakenOver) {
  EnvironmentLocks locks(*store_, clock_, std::chrono::seconds(30));
  auto first = locks.Acquire("dev", "alice (cs-dev-1)");
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->has_value());
  clock_.Advance(std::chrono::seconds(20));
  ASSERT_TRUE(locks.Renew("dev", "alice (cs-dev-1)"));
  clock_.Advance(std::chrono::seconds(20));
  EXPECT_FALSE(locks.Acquire("dev", "bob (cs-dev-2)"));  // renewed 20 s ago: alive
  // Its holder come back (a restarted process resuming its own work) takes it again.
  auto again = locks.Acquire("dev", "alice (cs-dev-1)");
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ((*again)->owner, "alice (cs-dev-1)");
  clock_.Advance(std::chrono::seconds(20));
  EXPECT_FALSE(locks.Acquire("dev", "bob (cs-dev-2)"));
  clock_.Advance(std::chrono::seconds(15));
  auto taken = locks.Acquire("dev", "bob (cs-dev-2)");  // 35 s without a renewal: dead
  ASSERT_TRUE(taken) << taken.error().ToString();
  ASSERT_TRUE(taken->has_value());
  EXPECT_EQ((*taken)->owner, "alice (cs-dev-1)");
  EXPECT_EQ((*taken)->idle_seconds, 35);
  // The dead holder, should it wake, finds it gone.
  EXPECT_EQ(locks.Renew("dev", "alice (cs-dev-1)").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(locks.Renew("dev", "bob (cs-dev-2)"));
}

TEST_F(ChangeSetsTest, OneApplyPerEnvironmentAtATime) {
  EnvironmentLocks locks(*store_, clock_, std::chrono::seconds(120));
  ASSERT_TRUE(locks.Acquire("prod", "alice (cs-prod-1)"));
  ASSERT_TRUE(locks.Acquire("dev", "bob (cs-dev-1)"));
  clock_.Advance(std::chrono::seconds(95));
  auto second = locks.Acquire("prod", "bob (cs-prod-2)");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(second.error().message,
            "environment prod is locked by alice (cs-prod-1) since 2026-11-18T11:06:40.000Z (95 s "
            "ago): one apply at a time; `ec2m unlock prod` frees it if that apply is gone");
  // Only the holder releases; anyone may break it (ec2m unlock), which says who held it.
  ASSERT_TRUE(locks.Release("prod", "bob (cs-prod-2)"));
  EXPECT_TRUE(locks.Holder("prod")->has_value());
  ASSERT_TRUE(locks.Release("prod", "alice (cs-prod-1)"));
  EXPECT_FALSE(locks.Holder("prod")->has_value());
  auto broken = locks.Break("dev");
  ASSERT_TRUE(broken);
  ASSERT_TRUE(broken->has_value());
  EXPECT_EQ((*broken)->owner, "bob (cs-dev-1)");
  EXPECT_EQ((*broken)->age_seconds, 95);
  EXPECT_FALSE(locks.Break("dev")->has_value());
  EXPECT_TRUE(locks.Acquire("dev", "carol (cs-dev-2)"));
}

}  // namespace
}  // namespace ec2m::stack
