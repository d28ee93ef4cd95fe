#include "release/deployer.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/paging.hpp"
#include "http/server.hpp"
#include "release/deployer_fixture.hpp"

namespace ec2m::release {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using test_support::Config;
using test_support::DeployerTest;
using test_support::kBadImage;
using test_support::kGreenImage;
using test_support::kQuick;

TEST_F(DeployerTest, ReleaseGoesDevStagingApprovalWindowProd) {
  const std::string prod_more =
      R"(, "approval": {"required": true, "approvals": 1},
      "maintenanceWindows": [{"days": ["sun"], "start": "02:00", "end": "06:00",
                              "timeZone": "America/Los_Angeles"}])";
  Start({{"dev", Config("dev", kQuick + R"(, "promoteTo": "staging"})")},
         {"staging", Config("staging", kQuick + R"(, "promoteTo": "prod"})")},
         {"prod", Config("prod", kQuick + "}", prod_more)}});
  const std::set<std::string> blue_prod = Live("prod");
  const Release r = MakeRelease(kGreenImage);
  EXPECT_EQ(r.id, "r-1");
  const Deployment dev = Drive(Deploy("dev", r.id).id, {kSucceeded, kRolledBack, kFailed});
  ASSERT_EQ(dev.state, kSucceeded) << dev.reason;
  EXPECT_EQ(dev.green.size(), 2u);
  // Green is live, blue terminated, and the change set says so: a plan has nothing to do.
  std::set<std::string> green;
  for (const Member& m : dev.green) {
    green.insert(m.id);
  }
  EXPECT_EQ(Live("dev"), green);
  auto cs = provisioner_->change_sets().Get(dev.change_set);
  ASSERT_TRUE(cs);
  EXPECT_EQ(cs->status, "succeeded");
  EXPECT_EQ(cs->deployment, dev.id);
  EXPECT_NE(cs->config_text.find(kGreenImage), std::string::npos);
  auto plan = provisioner_->MakePlanFor("dev", std::nullopt, false);
  ASSERT_TRUE(plan) << plan.error().ToString();
  EXPECT_TRUE(plan->plan.empty()) << plan->plan.Render();

  // Dev's success started staging; staging's success started prod, which waits for approval.
  auto all = releases_->ListDeployments("", 10);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  const Deployment staging = Drive(all->front().id, {kSucceeded, kRolledBack, kFailed});
  EXPECT_EQ(staging.environment, "staging");
  EXPECT_EQ(staging.promoted_from, dev.id);
  ASSERT_EQ(staging.state, kSucceeded) << staging.reason;
  auto prod_list = releases_->ListDeployments("prod", 10);
  ASSERT_EQ(prod_list->size(), 1u);
  const std::string prod_id = prod_list->front().id;
  Deployment prod = Drive(prod_id, {kAwaitingApproval});
  ASSERT_EQ(prod.state, kAwaitingApproval);
  EXPECT_EQ(prod.required_approvals, 1);

  // Its author may not approve it; an approver may, once.
  const Actor author{"alice@example.com", "admin", true, true};
  const Actor lead{"lead@example.com", "approver", false, true};
  EXPECT_EQ(deployer_->Approve(prod_id, author, "").error().code, ErrorCode::kFailedPrecondition);
  auto approved = deployer_->Approve(prod_id, lead, "ship it");
  ASSERT_TRUE(approved) << approved.error().ToString();
  EXPECT_EQ(deployer_->Approve(prod_id, lead, "").error().code, ErrorCode::kFailedPrecondition);

  // Saturday noon UTC is outside Sunday 02:00-06:00 in Los Angeles: it waits for 10:00 UTC.
  prod = Drive(prod_id, {kAwaitingWindow});
  ASSERT_EQ(prod.state, kAwaitingWindow);
  EXPECT_EQ(prod.window_opens_at, "2026-11-29T10:00:00Z");
  EXPECT_EQ(Live("prod"), blue_prod);
  clock_.Set(*ParseIso8601("2026-11-29T10:00:00Z"));
  prod = Drive(prod_id, {kSucceeded, kRolledBack, kFailed});
  ASSERT_EQ(prod.state, kSucceeded) << prod.reason;
  EXPECT_GE(At(prod.started_at), *ParseIso8601("2026-11-29T10:00:00Z"));
  EXPECT_NE(Live("prod"), blue_prod);

  // Notified: three successes, the approval request and the approval.
  std::vector<std::string> ids;
  for (const Notification& n : notifications_) {
    ids.push_back(n.id);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"deployment-d-1-succeeded", "deployment-d-2-succeeded",
                                           "deployment-d-3-awaiting_approval",
                                           "deployment-d-3-approved", "deployment-d-3-succeeded"}));
  EXPECT_EQ(notifications_.back().fields.at("status"), "success");
  EXPECT_EQ(notifications_.back().fields.at("commit"), "0123abc");
}

TEST_F(DeployerTest, AnEnvironmentNeverProvisionedIsRefusedNamingTheFix) {
  Start({{"dev", Config("dev", kQuick + "}")}, {"staging", Config("staging", kQuick + "}")}},
        {"staging"});
  const Release r = MakeRelease(kGreenImage, "staging");
  auto refused = deployer_->Deploy({"staging", "web", r.id, "alice@example.com", "", "", "", true});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(refused.error().message.find("never provisioned"), std::string::npos);
  EXPECT_NE(refused.error().message.find("`ec2m provision staging`"), std::string::npos);
  EXPECT_TRUE(releases_->ListActive()->empty());  // nothing was recorded
  EXPECT_TRUE(Live("staging").empty());
}

TEST_F(DeployerTest, StepsThatNeedNoWaitingFollowEachOtherInOnePass) {
  Start({{"dev", Config("dev", R"({"stabilizationSeconds": 0, "watchSeconds": 0})")}});
  deployer_ = std::make_unique<Deployer>(*releases_, *provisioner_, clock_, &metrics_);
  const std::string id = Deploy("dev", MakeRelease(kGreenImage).id).id;
  int passes = 0;
  while (!IsFinal(Get(id).state) && passes < 10) {
    deployer_->RunOnce();
    ++passes;
  }
  EXPECT_EQ(Get(id).state, kSucceeded);
  // Launch and health check in the first; the retired blue is seen terminated in the next.
  EXPECT_LE(passes, 3);
}

TEST_F(DeployerTest, ADeploymentIsAChangeSetThatRollbackGoesBackPast) {
  Start({{"dev", Config("dev", kQuick + "}")}});
  const Deployment d =
      Drive(Deploy("dev", MakeRelease(kGreenImage).id).id, {kSucceeded, kRolledBack, kFailed});
  ASSERT_EQ(d.state, kSucceeded) << d.reason;
  auto back = provisioner_->Rollback("dev", "bob@example.com", "previous");
  ASSERT_TRUE(back) << back.error().ToString();
  provisioner_->Wait();
  auto cs = provisioner_->change_sets().Get(back->change_set->id);
  EXPECT_EQ(cs->status, "succeeded") << cs->result;
  EXPECT_EQ(cs->rollback_of, "cs-dev-1");  // the config before the deployment's cs-dev-2
  EXPECT_EQ(provisioner_->CurrentConfig("dev")->first.find(kGreenImage), std::string::npos);
  EXPECT_TRUE(provisioner_->MakePlanFor("dev", std::nullopt, false)->plan.empty());
  EXPECT_EQ(Live("dev").size(), 2u);
}

TEST_F(DeployerTest, FailingHealthCheckRollsBackAndTerminatesGreen) {
  Start({{"dev", Config("dev", kQuick + "}")}});
  const std::set<std::string> blue = Live("dev");
  sim::FaultConfig faults;
  faults.impaired_images = {kBadImage};
  region_->SetFaults(faults);
  const Release r = MakeRelease(kBadImage);
  const Deployment d = Drive(Deploy("dev", r.id).id, {kRolledBack, kSucceeded, kFailed});
  ASSERT_EQ(d.state, kRolledBack);
  EXPECT_NE(d.reason.find("health check: green"), std::string::npos) << d.reason;
  EXPECT_NE(d.reason.find("impaired"), std::string::npos) << d.reason;
  EXPECT_EQ(d.green.size(), 2u);
  EXPECT_TRUE(NotTerminated(d.id).empty());
  EXPECT_EQ(Live("dev"), blue);
  auto cs = provisioner_->change_sets().Get(d.change_set);
  EXPECT_EQ(cs->status, "failed");
  EXPECT_NE(cs->result.find("green terminated, blue kept"), std::string::npos) << cs->result;
  // The config in force is still blue's, and the lock is free for the next change.
  EXPECT_EQ(provisioner_->CurrentConfig("dev")->first.find(kBadImage), std::string::npos);
  EXPECT_FALSE(provisioner_->locks().Holder("dev")->has_value());
  ASSERT_FALSE(notifications_.empty());
  EXPECT_EQ(notifications_.back().fields.at("status"), "failure");
  EXPECT_EQ(notifications_.back().severity, "warning");  // not production
}

TEST_F(DeployerTest, LatencyRiseDuringStabilizationRollsBackWithTheTrigger) {
  Start({{"dev", Config("dev", R"({"stabilizationSeconds": 600, "watchSeconds": 60})")}});
  const std::set<std::string> blue = Live("dev");
  const TimePoint t0 = clock_.Now();
  Traffic(t0 - minutes(30), t0, 100);
  const Release r = MakeRelease(kGreenImage);
  const std::string id = Deploy("dev", r.id).id;
  Deployment d = Drive(id, {kStabilizing});
  ASSERT_EQ(d.state, kStabilizing) << d.reason;
  ASSERT_TRUE(d.baseline.has_value());
  EXPECT_DOUBLE_EQ(*d.baseline->latency_ms, 100);
  EXPECT_DOUBLE_EQ(*d.baseline->requests_per_minute, 100);
  // Three minutes at five times the baseline: the third breach in a row rolls back.
  const TimePoint live = FirstMinute(d);
  Traffic(live, live + minutes(3), 500);
  clock_.Set(live + minutes(3) + seconds(1));
  d = Drive(id, {kRolledBack, kSucceeded, kFailed});
  ASSERT_EQ(d.state, kRolledBack);
  ASSERT_TRUE(d.trigger.has_value());
  EXPECT_EQ(d.trigger->name, "latency");
  EXPECT_DOUBLE_EQ(d.trigger->threshold, 200);
  EXPECT_EQ(d.trigger->values, (std::vector<double>{500, 500, 500}));
  EXPECT_NE(d.reason.find("rollback trigger latency: response time"), std::string::npos)
      << d.reason;
  EXPECT_TRUE(NotTerminated(id).empty());
  EXPECT_EQ(Live("dev"), blue);
  EXPECT_EQ(notifications_.back().fields.at("trigger"), "latency");
}

TEST_F(DeployerTest, OneFlakyDatapointDoesNotRollBack) {
  Start({{"dev", Config("dev", R"({"stabilizationSeconds": 300, "watchSeconds": 60})")}});
  const TimePoint t0 = clock_.Now();
  Traffic(t0 - minutes(30), t0, 100);
  const std::string id = Deploy("dev", MakeRelease(kGreenImage).id).id;
  Deployment d = Drive(id, {kStabilizing});
  ASSERT_EQ(d.state, kStabilizing);
  const TimePoint live = FirstMinute(d);
  Traffic(live, live + minutes(1), 100);
  Traffic(live + minutes(1), live + minutes(2), 900);  // one bad minute
  Traffic(live + minutes(2), live + minutes(8), 110);
  d = Drive(id, {kRolledBack, kSucceeded, kFailed});
  EXPECT_EQ(d.state, kSucceeded) << d.reason;
  EXPECT_FALSE(d.trigger.has_value());
  ASSERT_TRUE(d.comparison.has_value());
  EXPECT_TRUE(d.comparison->latency_ms.has_value());
}

TEST_F(DeployerTest, ServerErrorsAfterTheSwitchPutBlueBackLive) {
  Start({{"dev", Config("dev", R"({"stabilizationSeconds": 0, "watchSeconds": 900})")}});
  const std::set<std::string> blue = Live("dev");
  const std::string id = Deploy("dev", MakeRelease(kGreenImage).id).id;
  Deployment d = Drive(id, {kWatching});
  ASSERT_EQ(d.state, kWatching);
  EXPECT_NE(Live("dev"), blue);  // green took the logical ids
  const TimePoint live = FirstMinute(d);
  Traffic(live, live + minutes(2), 100, 100, 7);  // 7 server errors a minute, twice
  clock_.Set(live + minutes(2) + seconds(1));
  d = Drive(id, {kRolledBack, kSucceeded});
  ASSERT_EQ(d.state, kRolledBack);
  EXPECT_EQ(d.trigger->name, "health");
  EXPECT_EQ(Live("dev"), blue);
  EXPECT_TRUE(NotTerminated(id).empty());
}

TEST_F(DeployerTest, AbortBeforeLaunchEndsAtOnceAndAfterLaunchRollsBack) {
  Start({{"dev", Config("dev", kQuick + "}")}});
  const std::set<std::string> blue = Live("dev");
  const Actor ops{"ops@example.com", "deployer", false, false};
  const std::string first = Deploy("dev", MakeRelease(kGreenImage).id).id;
  // One deployment of a group at a time.
  EXPECT_EQ(deployer_->Deploy({"dev", "web", "r-1", "bob@example.com", "", "", ""}).error().code,
            ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(deployer_->Abort(first, ops));
  Deployment d = Drive(first, {kAborted});
  EXPECT_EQ(d.state, kAborted);
  EXPECT_TRUE(d.green.empty());
  EXPECT_EQ(deployer_->Abort(first, ops).error().code, ErrorCode::kFailedPrecondition);

  const std::string second = Deploy("dev", "r-1").id;
  d = Drive(second, {kHealthCheck, kStabilizing, kWatching});
  ASSERT_FALSE(d.green.empty());
  ASSERT_TRUE(deployer_->Abort(second, ops));
  d = Drive(second, {kAborted, kRolledBack});
  EXPECT_EQ(d.state, kAborted);
  EXPECT_EQ(d.reason, "aborted by ops@example.com");
  EXPECT_TRUE(NotTerminated(second).empty());
  EXPECT_EQ(Live("dev"), blue);
}

TEST_F(DeployerTest, AnAbortAfterASwitchWhoseSaveWasLostStillPutsBlueBack) {
  Start({{"dev", Config("dev", R"({"stabilizationSeconds": 0, "watchSeconds": 900})")}});
  const std::set<std::string> blue = Live("dev");
  const Actor ops{"ops@example.com", "deployer", false, false};
  const std::string id = Deploy("dev", MakeRelease(kGreenImage).id).id;
  Deployment d = Drive(id, {kWatching});
  ASSERT_EQ(d.state, kWatching);
  // The tags moved, but the document still says switching (its save lost to the abort's).
  d.state = kSwitching;
  d.switched = false;
  d.abort_requested_by = ops.email;
  ASSERT_TRUE(releases_->SaveDeployment(d));
  d = Drive(id, {kAborted, kRolledBack});
  EXPECT_EQ(d.state, kAborted);
  EXPECT_EQ(Live("dev"), blue);
  EXPECT_TRUE(NotTerminated(id).empty());
}

TEST_F(DeployerTest, AnAbortWhileBlueIsRetiredComesTooLate) {
  Start({{"dev", Config("dev", kQuick + "}")}});
  const std::string id = Deploy("dev", MakeRelease(kGreenImage).id).id;
  Deployment d = Drive(id, {kRetiring}, seconds(1));
  ASSERT_EQ(d.state, kRetiring);
  ASSERT_TRUE(deployer_->Abort(id, {"ops@example.com", "deployer", false, false}));
  d = Drive(id, {kSucceeded, kAborted, kRolledBack});
  EXPECT_EQ(d.state, kSucceeded);
  EXPECT_EQ(Live("dev").size(), 2u);
}

TEST_F(DeployerTest, EmergenciesSkipTheWindowWithTheSignOffTheirReasonNeeds) {
  const std::string prod_more =
      R"(, "approval": {"required": true, "approvals": 1}, "cognito": {"mfaRequired": true},
      "maintenanceWindows": [{"days": ["sun"], "start": "02:00", "end": "06:00",
                              "timeZone": "America/Los_Angeles"}])";
  Start({{"prod", Config("prod", kQuick + "}", prod_more)}});
  const Release r = MakeRelease(kGreenImage, "prod");
  EXPECT_EQ(deployer_->Deploy({"prod", "web", r.id, "a", "hotfix", "", ""}).error().code,
            ErrorCode::kInvalidArgument);

  // A security patch goes at once: no approval, no window.
  auto patch = deployer_->Deploy(
      {"prod", "web", r.id, "alice@example.com", "security-patch", "CVE-2026-1234", "", true});
  ASSERT_TRUE(patch) << patch.error().ToString();
  EXPECT_EQ(patch->required_approvals, 0);
  // Admins are told at once, critically, with the reason: nobody approved it.
  ASSERT_EQ(notifications_.size(), 1u);
  EXPECT_EQ(notifications_[0].id, "deployment-" + patch->id + "-emergency");
  EXPECT_EQ(notifications_[0].severity, "critical");
  EXPECT_EQ(notifications_[0].fields.at("emergency_reason"), "CVE-2026-1234");
  EXPECT_NE(notifications_[0].title.find("without approval"), std::string::npos);
  // An emergency names its reason.
  auto unexplained = deployer_->Deploy(
      {"prod", "web", r.id, "alice@example.com", "security-patch", " ", "", true});
  ASSERT_FALSE(unexplained);
  EXPECT_EQ(unexplained.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(unexplained.error().message.find("emergency_reason"), std::string::npos);
  Deployment d = Drive(patch->id, {kSucceeded, kRolledBack, kFailed});
  ASSERT_EQ(d.state, kSucceeded) << d.reason;
  auto noted = [&](const std::string& text) {
    return std::any_of(d.events.begin(), d.events.end(),
                       [&](const Event& e) { return e.message.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(noted("emergency deployment (security-patch): CVE-2026-1234"));
  EXPECT_TRUE(
      noted("outside the maintenance window (sun 02:00–06:00 America/Los_Angeles): going "
            "ahead as an emergency (security-patch)"));

  // A data-integrity fix needs an admin's approval, from an MFA session; then no window.
  auto fix = deployer_->Deploy(
      {"prod", "web", r.id, "alice@example.com", "data-integrity", "orders table", "", true});
  ASSERT_TRUE(fix);
  d = Drive(fix->id, {kAwaitingApproval});
  ASSERT_EQ(d.state, kAwaitingApproval);
  const Actor lead{"lead@example.com", "approver", false, true};
  const Actor cto_without_mfa{"cto@example.com", "admin", true, false};
  const Actor cto{"cto@example.com", "admin", true, true};
  auto refused = deployer_->Approve(fix->id, lead, "");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("approved by an admin"), std::string::npos);
  refused = deployer_->Approve(fix->id, cto_without_mfa, "");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("requires MFA"), std::string::npos);
  ASSERT_TRUE(deployer_->Approve(fix->id, cto, "go"));
  d = Drive(fix->id, {kSucceeded, kRolledBack, kFailed, kAwaitingWindow});
  EXPECT_EQ(d.state, kSucceeded) << d.reason;

  // A rejection says why and ends it.
  auto late = Deploy("prod", r.id);
  d = Drive(late.id, {kAwaitingApproval});
  EXPECT_EQ(deployer_->Reject(late.id, lead, "").error().code, ErrorCode::kInvalidArgument);
  auto rejected = deployer_->Reject(late.id, lead, "not on a Saturday");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->state, kRejected);
  EXPECT_EQ(rejected->reason, "rejected by lead@example.com: not on a Saturday");
}

TEST_F(DeployerTest, ANewDeployerResumesWhereTheKilledOneStoppedWithoutDuplicates) {
  Start({{"dev", Config("dev", kQuick + "}")}});
  const std::string id = Deploy("dev", MakeRelease(kGreenImage).id).id;
  Deployment d = Drive(id, {kLaunching});
  ASSERT_EQ(d.state, kLaunching);
  // The launch happened but its answer was never written (the process died right after).
  deployer_->RunOnce();
  Deployment launched = Get(id);
  ASSERT_EQ(launched.state, kHealthCheck);
  launched.state = kLaunching;
  launched.green.clear();
  launched.version = 0;
  // Put the document back as it was before the launch was recorded.
  auto stale = releases_->GetDeployment(id);
  d.version = stale->version;
  ASSERT_TRUE(releases_->SaveDeployment(d));
  deployer_ = std::make_unique<Deployer>(*releases_, *provisioner_, clock_, &metrics_);
  d = Drive(id, {kSucceeded, kRolledBack, kFailed});
  ASSERT_EQ(d.state, kSucceeded) << d.reason;
  // The same ClientTokens found the same two instances: nothing else was launched.
  DescribeRequest req;
  req.filters = {{std::string("tag:") + kDeploymentTag, {id}}};
  auto all =
      DescribeAll(req, [&](const DescribeRequest& r) { return region_->DescribeInstances(r); });
  size_t count = 0;
  for (const Reservation& res : *all) {
    count += res.instances.size();
  }
  EXPECT_EQ(count, 2u);
  EXPECT_EQ(Live("dev").size(), 2u);
}

TEST(HttpHealthCheckTest, HealthyOnlyOnA2xxInTime) {
  http::Server server;
  auto port = server.Listen(
      "127.0.0.1", 0, http::ServerOptions{.io_threads = 1, .worker_threads = 2},
      [](const http::Request& req, http::Response& res) {
        if (req.path == "/health") {
          res.Set("Content-Type", "text/plain");
          res.body = "ok";
        } else if (req.path == "/sick") {
          res.status = 503;
        } else {
          res.status = 404;
        }
      },
      "the health endpoint");
  ASSERT_TRUE(port.has_value()) << port.error().ToString();
  config::HealthCheckConfig check;
  check.type = "http";
  check.port = *port;
  const auto timeout = std::chrono::milliseconds(2000);
  EXPECT_TRUE(HttpHealthCheck("127.0.0.1", check, timeout));
  check.path = "/sick";
  auto sick = HttpHealthCheck("127.0.0.1", check, timeout);
  ASSERT_FALSE(sick);
  EXPECT_EQ(sick.error().message,
            "GET http://127.0.0.1:" + std::to_string(*port) + "/sick: HTTP 503");
  server.Stop();
  check.path = "/health";
  auto gone = HttpHealthCheck("127.0.0.1", check, timeout);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace ec2m::release
