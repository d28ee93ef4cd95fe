#include "server/tag_rules.hpp"

#include <gtest/gtest.h>

namespace ec2m::server {
namespace {

User With(Role role) {
  User u;
  u.email = "someone@example.com";
  u.roles = {{"dev", role}};
  return u;
}

TEST(TagRulesTest, ProtectedKeysAreEc2msOwn) {
  for (const char* key : {"Environment", "ManagedBy", "ec2m:logical-id", "ec2m:spec", "ec2m:"}) {
    EXPECT_TRUE(IsProtectedTag(key)) << key;
  }
  for (const char* key : {"Name", "Owner", "environment", "EC2M:logical-id", "managedby", "ec2m"}) {
    EXPECT_FALSE(IsProtectedTag(key)) << key;
  }
}

TEST(TagRulesTest, OperatorsAndViewersAreRefusedNamingTheKeyAndWhoMay) {
  for (Role role : {Role::kViewer, Role::kOperator, Role::kApprover}) {
    auto refused = CheckTagChange(With(role), "dev", {"Owner", "ec2m:logical-id"});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
    EXPECT_EQ(refused.error().message,
              "tag \"ec2m:logical-id\" is one ec2m manages instances by: changing or removing it "
              "needs the deployer or admin role in dev; someone@example.com has " +
                  std::string(RoleName(role)));
    EXPECT_TRUE(CheckTagChange(With(role), "dev", {"Owner", "Name"}));
  }
  auto outsider = CheckTagChange(With(Role::kAdmin), "prod", {"ManagedBy"});
  ASSERT_FALSE(outsider);
  EXPECT_NE(outsider.error().message.find("has no role there"), std::string::npos);
}

TEST(TagRulesTest, DeployersAndAdminsMay) {
  for (Role role : {Role::kDeployer, Role::kAdmin}) {
    EXPECT_TRUE(CheckTagChange(With(role), "dev", {"ManagedBy", "ec2m:logical-id"}));
  }
  User global;
  global.roles = {{"*", Role::kDeployer}};
  EXPECT_TRUE(CheckTagChange(global, "prod", {"ec2m:spec"}));
}

}  // namespace
}  // namespace ec2m::server
