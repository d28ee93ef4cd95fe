#include "stack/compliance.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace ec2m::stack {
namespace {

std::vector<Finding> Check(const std::string& text) {
  auto env = config::ParseEnvironmentConfig(text, "config/x.json");
  EXPECT_TRUE(env) << env.error().ToString();
  if (!env) {
    return {};
  }
  auto t = Synth(*env);
  EXPECT_TRUE(t);
  return CheckCompliance(*env, *t, text);
}

constexpr const char* kGroup =
    R"({"name": "web", "image": "ami-0123456789abcdef0", "instanceType": "t3.micro")";

TEST(ComplianceTest, ACompliantConfigHasNoFindings) {
  EXPECT_TRUE(Check(std::string(R"({"environment": "prod", "region": "us-west-2",
      "instanceGroups": [)") +
                    kGroup + R"(, "userData": "DB_PASSWORD=${DB_PASSWORD}"}]})")
                  .empty());
}

TEST(ComplianceTest, EachRuleNamesWhereAndWhy) {
  struct Case {
    std::string text;
    std::string rule;
    std::string where;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {std::string(R"({"environment": "dev", "region": "us-west-2", "instanceGroups": [)") +
           kGroup + R"(, "volume": {"encrypted": false}}]})",
       "ebs-encryption", "config/x.json: $.instanceGroups[0].volume.encrypted", "unencrypted"},
      {R"({"environment": "prod", "region": "us-west-2", "removalPolicy": "DESTROY"})",
       "retain-in-prod", "config/x.json: $.removalPolicy", "must be RETAIN"},
      {std::string(R"({"environment": "prod", "region": "us-west-2", "instanceGroups": [)") +
           kGroup + R"(, "terminationProtection": false}]})",
       "retain-in-prod", "config/x.json: $.instanceGroups[0].terminationProtection",
       "termination protection off"},
      {std::string(R"({"environment": "dev", "region": "us-west-2", "instanceGroups": [)") +
           kGroup + R"(, "userData": "export AWS_ACCESS_KEY_ID=AKIA)" + "ABCDEFGHIJKLMNOP" +
           R"("}]})",
       "no-literal-secrets", "config/x.json: $.instanceGroups[0].userData", "AKIA..."},
      {std::string(R"({"environment": "dev", "region": "us-west-2", "instanceGroups": [)") +
           kGroup + R"(, "userData": "db_password = 'hunter2'"}]})",
       "no-literal-secrets", "config/x.json: $.instanceGroups[0].userData", "${NAME}"},
      {R"({"environment": "dev", "region": "us-west-2", "tags": {"Team": "secret: abc"}})",
       "no-literal-secrets", "config/x.json: $.tags.Team", "secret"},
  };
  for (const Case& c : cases) {
    auto findings = Check(c.text);
    ASSERT_EQ(findings.size(), 1u) << c.text;
    EXPECT_EQ(findings[0].rule, c.rule) << c.text;
    EXPECT_EQ(findings[0].where, c.where) << c.text;
    EXPECT_NE(findings[0].message.find(c.message_part), std::string::npos) << findings[0].message;
  }
}

TEST(ComplianceTest, ShippedConfigsComply) {
  for (const std::string name : {"dev", "staging", "prod"}) {
    std::ifstream in(std::string(EC2M_SOURCE_DIR) + "/config/" + name + ".json");
    std::stringstream text;
    text << in.rdbuf();
    auto env = config::ParseEnvironmentConfig(text.str(), name + ".json");
    ASSERT_TRUE(env) << env.error().ToString();
    auto t = Synth(*env);
    ASSERT_TRUE(t);
    for (const Finding& f : CheckCompliance(*env, *t, text.str())) {
      ADD_FAILURE() << f.where << ": " << f.rule << ": " << f.message;
    }
  }
  EXPECT_EQ(ComplianceRules().size(), 4u);
  EXPECT_TRUE(IsProduction("prod"));
  EXPECT_TRUE(IsProduction("production"));
  EXPECT_FALSE(IsProduction("staging"));
}

}  // namespace
}  // namespace ec2m::stack
