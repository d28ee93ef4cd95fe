#include "release/policy.hpp"

#include <gtest/gtest.h>

#include "release/deployer_fixture.hpp"

namespace ec2m::release {
namespace {

using test_support::Config;
using test_support::DeployerTest;
using test_support::kQuick;

Policy Rules(bool required, int approvals, bool mfa) {
  Policy p;
  p.approval_required = required;
  p.approvals = required ? approvals : 0;
  p.mfa_required = mfa;
  return p;
}

TEST(PolicyTest, WhatAConfigSets) {
  config::EnvironmentConfig c;
  c.approval = {true, 2};
  c.mfa_required = true;
  const Policy p = PolicyOf(c);
  EXPECT_TRUE(p.approval_required);
  EXPECT_EQ(p.approvals, 2);
  EXPECT_TRUE(p.mfa_required);
  c.approval.required = false;
  EXPECT_EQ(PolicyOf(c).approvals, 0);  // approvals count only where approval is required
}

TEST(PolicyTest, LoweredNamesEachRuleAProposalLowers) {
  const Policy strict = Rules(true, 2, true);
  EXPECT_TRUE(Lowered(strict, strict).empty());
  EXPECT_TRUE(Lowered(Rules(false, 0, false), strict).empty());  // raising lowers nothing
  EXPECT_EQ(Lowered(strict, Rules(false, 0, true)),
            std::vector<std::string>{"approval.required true → false"});
  EXPECT_EQ(Lowered(strict, Rules(true, 1, true)),
            std::vector<std::string>{"approval.approvals 2 → 1"});
  EXPECT_EQ(Lowered(strict, Rules(false, 0, false)),
            (std::vector<std::string>{"approval.required true → false",
                                      "cognito.mfaRequired true → false"}));
}

class PolicyInForceTest : public DeployerTest {};

TEST_F(PolicyInForceTest, TheLastSucceededChangeSetsRulesElseTheFilesNeverAProposals) {
  const std::string strict = Config("prod", kQuick + "}",
                                    R"(, "approval": {"required": true, "approvals": 2},
                                       "cognito": {"mfaRequired": true})");
  const std::string lax = Config("prod", kQuick + "}", R"(, "approval": {"required": false})");
  // Before anything is applied: the server's own file.
  std::vector<stack::Target> targets = {{"prod", strict, "config/prod.json", region_.get()}};
  provisioner_ = std::make_unique<stack::Provisioner>(*store_, clock_, targets);
  auto first = ConfigInForce(*provisioner_, "prod");
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(first->policy.approvals, 2);
  EXPECT_TRUE(first->policy.mfa_required);
  EXPECT_EQ(first->policy.change_set, "");
  // A plan of a lax config (a proposal) changes nothing in force.
  ASSERT_TRUE(provisioner_->MakePlanFor("prod", lax, false));
  EXPECT_TRUE(ConfigInForce(*provisioner_, "prod")->policy.approval_required);
  // Once a lax config is applied (succeeded), its rules are in force.
  auto applied = provisioner_->Provision("prod", "alice@example.com", lax, false);
  ASSERT_TRUE(applied && applied->change_set);
  provisioner_->Wait();
  auto now = ConfigInForce(*provisioner_, "prod");
  ASSERT_TRUE(now);
  EXPECT_FALSE(now->policy.approval_required);
  EXPECT_FALSE(now->policy.mfa_required);
  EXPECT_EQ(now->policy.change_set, applied->change_set->id);
  EXPECT_EQ(ConfigInForce(*provisioner_, "staging").error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace ec2m::release
