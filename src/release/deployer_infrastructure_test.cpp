// The two-person rule for infrastructure: provision and rollback of an environment whose config
// in force requires approval are held as deployments until approved inside a window, under the
// rules in force (never those of the config proposed), and are never emergencies.

#include <gtest/gtest.h>

#include "release/deployer.hpp"
#include "release/deployer_fixture.hpp"

namespace ec2m::release {
namespace {

using std::chrono::hours;
using test_support::Config;
using test_support::DeployerTest;
using test_support::kQuick;

const std::string kTwoPersons = R"(, "approval": {"required": true, "approvals": 1})";
const std::string kSundayWindow =
    R"(, "maintenanceWindows": [{"days": ["sun"], "start": "02:00", "end": "06:00",
                                 "timeZone": "America/Los_Angeles"}])";

// `text` with its web group at `count` instances.
std::string WithCount(std::string text, int count) {
  const std::string from = R"("count": 2)";
  text.replace(text.find(from), from.size(), R"("count": )" + std::to_string(count));
  return text;
}

class InfrastructureTest : public DeployerTest {
 protected:
  InfrastructureRequest Provision(const std::string& env, const std::string& text) {
    InfrastructureRequest r;
    r.environment = env;
    r.author = "alice@example.com";
    r.action = "provision";
    r.config_text = text;
    r.mfa_verified = true;
    return r;
  }

  int ChangeSets(const std::string& env) {
    auto list = provisioner_->change_sets().List(env, 100);
    EXPECT_TRUE(list);
    return static_cast<int>(list->size());
  }

  const Actor lead_{"lead@example.com", "approver", false, true};
  const Actor author_{"alice@example.com", "admin", true, true};
};

TEST_F(InfrastructureTest, HeldUntilAnotherApprovesAndTheWindowOpensThenApplied) {
  const std::string prod = Config("prod", kQuick + "}", kTwoPersons + kSundayWindow);
  Start({{"prod", prod}});
  const int before = ChangeSets("prod");
  auto outcome = deployer_->ChangeInfrastructure(Provision("prod", WithCount(prod, 3)));
  ASSERT_TRUE(outcome) << outcome.error().ToString();
  ASSERT_TRUE(outcome->held);
  EXPECT_FALSE(outcome->started);
  const Deployment held = *outcome->held;
  EXPECT_EQ(held.kind, kKindInfrastructure);
  EXPECT_EQ(held.required_approvals, 1);
  ASSERT_TRUE(held.infrastructure);
  EXPECT_EQ(held.infrastructure->action, "provision");
  EXPECT_EQ(held.infrastructure->summary.value("create", 0), 1);
  EXPECT_NE(held.infrastructure->plan.find("InstanceWeb3"), std::string::npos);

  Deployment d = Drive(held.id, {kAwaitingApproval});
  ASSERT_EQ(d.state, kAwaitingApproval);
  EXPECT_EQ(deployer_->Approve(held.id, author_, "").error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(deployer_->Approve(held.id, lead_, "ok"));
  // Approved on Saturday: it waits for Sunday's window, and nothing is applied meanwhile.
  d = Drive(held.id, {kAwaitingWindow});
  ASSERT_EQ(d.state, kAwaitingWindow);
  EXPECT_EQ(d.window_opens_at, "2026-11-29T10:00:00Z");
  EXPECT_EQ(ChangeSets("prod"), before);
  EXPECT_EQ(Live("prod").size(), 2u);

  clock_.Advance(hours(22));  // Sunday 02:00 in Los Angeles
  d = Drive(held.id, {kApplying, kFailed});
  ASSERT_EQ(d.state, kApplying) << d.reason;
  provisioner_->Wait();
  d = Drive(held.id, {kSucceeded, kFailed});
  ASSERT_EQ(d.state, kSucceeded) << d.reason;
  auto cs = provisioner_->change_sets().Get(d.change_set);
  ASSERT_TRUE(cs);
  EXPECT_EQ(cs->approval, held.id);
  EXPECT_EQ(cs->author, "alice@example.com");
  EXPECT_EQ(Live("prod").size(), 3u);
  // The deployment's transitions were told (awaiting approval, approved, succeeded).
  ASSERT_FALSE(notifications_.empty());
  EXPECT_NE(notifications_.back().title.find("Infrastructure change " + held.id + " (provision)"),
            std::string::npos)
      << notifications_.back().title;
}

TEST_F(InfrastructureTest, AChangeThatLowersTheRulesIsHeldUnderTheRulesInForce) {
  const std::string prod = Config("prod", kQuick + "}", kTwoPersons);
  Start({{"prod", prod}});
  // The proposed config turns approval off: it is held all the same, and says what it lowers.
  const std::string lowered = Config("prod", kQuick + "}", R"(, "approval": {"required": false})");
  auto outcome = deployer_->ChangeInfrastructure(Provision("prod", WithCount(lowered, 3)));
  ASSERT_TRUE(outcome) << outcome.error().ToString();
  ASSERT_TRUE(outcome->held);
  ASSERT_TRUE(outcome->held->infrastructure);
  EXPECT_EQ(outcome->held->infrastructure->lowers,
            std::vector<std::string>{"approval.required true → false"});
  const std::string id = outcome->held->id;
  ASSERT_EQ(Drive(id, {kAwaitingApproval}).state, kAwaitingApproval);
  ASSERT_TRUE(deployer_->Approve(id, lead_, ""));
  ASSERT_EQ(Drive(id, {kApplying, kFailed}).state, kApplying);
  provisioner_->Wait();
  ASSERT_EQ(Drive(id, {kSucceeded, kFailed}).state, kSucceeded);
  // Once applied, its rules are those in force: the next change goes at once.
  auto direct = deployer_->ChangeInfrastructure(Provision("prod", WithCount(lowered, 4)));
  ASSERT_TRUE(direct) << direct.error().ToString();
  EXPECT_FALSE(direct->held);
  ASSERT_TRUE(direct->started);
  EXPECT_TRUE(direct->started->change_set.has_value());
  provisioner_->Wait();
}

TEST_F(InfrastructureTest, TheMfaRuleInForceHoldsForTheRequest) {
  const std::string prod =
      Config("prod", kQuick + "}", kTwoPersons + R"(, "cognito": {"mfaRequired": true})");
  Start({{"prod", prod}});
  InfrastructureRequest request = Provision("prod", WithCount(prod, 3));
  request.mfa_verified = false;
  auto refused = deployer_->ChangeInfrastructure(request);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(refused.error().message.find("cognito.mfaRequired in force"), std::string::npos);
  // Turning MFA off is itself approved by an MFA-verified approver, as the rules in force say.
  const std::string no_mfa =
      Config("prod", kQuick + "}", kTwoPersons + R"(, "cognito": {"mfaRequired": false})");
  auto held = deployer_->ChangeInfrastructure(Provision("prod", WithCount(no_mfa, 3)));
  ASSERT_TRUE(held && held->held);
  EXPECT_EQ(held->held->infrastructure->lowers,
            std::vector<std::string>{"cognito.mfaRequired true → false"});
  ASSERT_EQ(Drive(held->held->id, {kAwaitingApproval}).state, kAwaitingApproval);
  const Actor lead_without_mfa{"lead@example.com", "approver", false, false};
  auto approved = deployer_->Approve(held->held->id, lead_without_mfa, "");
  ASSERT_FALSE(approved);
  EXPECT_NE(approved.error().message.find("requires MFA"), std::string::npos);
}

TEST_F(InfrastructureTest, NeverAnEmergencyAndOneAtATimeAndWithdrawnBeforeItApplies) {
  const std::string prod = Config("prod", kQuick + "}", kTwoPersons + kSundayWindow);
  Start({{"prod", prod}});
  InfrastructureRequest emergency = Provision("prod", WithCount(prod, 3));
  emergency.emergency = "security-patch";
  auto refused = deployer_->ChangeInfrastructure(emergency);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().message.find("never an emergency"), std::string::npos);
  EXPECT_TRUE(releases_->ListDeployments("prod", 10)->empty());

  // A config with nothing to change is answered at once, held by nobody.
  auto same = deployer_->ChangeInfrastructure(Provision("prod", prod));
  ASSERT_TRUE(same);
  ASSERT_TRUE(same->started);
  EXPECT_FALSE(same->started->change_set.has_value());

  auto first = deployer_->ChangeInfrastructure(Provision("prod", WithCount(prod, 3)));
  ASSERT_TRUE(first && first->held);
  auto second = deployer_->ChangeInfrastructure(Provision("prod", WithCount(prod, 4)));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kFailedPrecondition);

  ASSERT_TRUE(deployer_->Abort(first->held->id, lead_));
  EXPECT_EQ(Drive(first->held->id, {kAborted}).state, kAborted);
  // A rollback is held as well, to the change set it names.
  InfrastructureRequest back = Provision("prod", "");
  back.action = "rollback";
  back.config_text.reset();
  back.target = "previous";
  auto rollback = deployer_->ChangeInfrastructure(back);
  ASSERT_FALSE(rollback);  // no known good state before the one applied at the start
  EXPECT_EQ(rollback.error().code, ErrorCode::kFailedPrecondition);
}

TEST_F(InfrastructureTest, WithoutApprovalRequiredItAppliesAtOnce) {
  const std::string dev = Config("dev", kQuick + "}");
  Start({{"dev", dev}});
  auto outcome = deployer_->ChangeInfrastructure(Provision("dev", WithCount(dev, 3)));
  ASSERT_TRUE(outcome) << outcome.error().ToString();
  EXPECT_FALSE(outcome->held);
  ASSERT_TRUE(outcome->started && outcome->started->change_set);
  EXPECT_EQ(outcome->started->change_set->approval, "");
  provisioner_->Wait();
  EXPECT_EQ(Live("dev").size(), 3u);
}

}  // namespace
}  // namespace ec2m::release
