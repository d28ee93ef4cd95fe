#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/environment.hpp"
#include "config/json_object.hpp"
#include "config/serve_config.hpp"

namespace ec2m::config {
namespace {

struct BadCase {
  const char* name;
  const char* text;
  const char* message;
};

class ServeConfigBadTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ServeConfigBadTest, NamesTheProblem) {
  auto c = ParseServeConfig(GetParam().text, "ec2m.json");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(c.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ServeConfigBadTest,
    ::testing::Values(
        BadCase{"NotJson", "{\"listen\": }",
                "ec2m.json: not valid JSON: line 1, column 12: "
                "syntax error while parsing value - unexpected '}'; "
                "expected '[', '{', or a literal"},
        BadCase{"NotObject", "[1]", "ec2m.json: $: expected an object, got an array"},
        BadCase{
            "UnknownKey", "{\"stor\": \"sqlite\"}",
            "ec2m.json: $.stor: unknown key (expected one of access_log, admin_email, console_dir, "
            "data_dir, demo, ec2_listen, environments_dir, listen, log_format, "
            "max_body_bytes, reconcile_seconds, store, store_url, tls_cert, tls_key)"},
        BadCase{"WrongType", "{\"listen\": 8080}",
                "ec2m.json: $.listen: expected a string, got a number 8080"},
        BadCase{"BadChoice", "{\"store\": \"mysql\"}",
                "ec2m.json: $.store: expected one of sqlite, postgres, got \"mysql\""},
        BadCase{"OutOfRange", "{\"reconcile_seconds\": 0}",
                "ec2m.json: $.reconcile_seconds: expected 1..86400, got 0"},
        BadCase{"NotInteger", "{\"max_body_bytes\": 1.5}",
                "ec2m.json: $.max_body_bytes: expected an integer, got a number 1.5"},
        BadCase{"HalfTls", "{\"tls_cert\": \"c.pem\"}",
                "ec2m.json: $.tls_key: tls_cert and tls_key go together: set both or neither"},
        BadCase{"PostgresWithoutUrl", "{\"store\": \"postgres\"}",
                "ec2m.json: $.store_url: required when store is postgres"},
        BadCase{"BadDemo", "{\"demo\": \"yes\"}",
                "ec2m.json: $.demo: expected true or false, got a string \"yes\""}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ServeConfigTest, DefaultsAndValues) {
  auto c = ParseServeConfig("{}", "ec2m.json");
  ASSERT_TRUE(c) << c.error().ToString();
  EXPECT_EQ(c->listen, "127.0.0.1:8080");
  EXPECT_EQ(c->store, "sqlite");
  auto full = ParseServeConfig(R"({"listen":"0.0.0.0:9","data_dir":"/d","store":"postgres",
      "store_url":"postgresql://u@h/db","ec2_listen":"","log_format":"text","demo":true,
      "reconcile_seconds":5})",
                               "x");
  ASSERT_TRUE(full) << full.error().ToString();
  EXPECT_EQ(full->store_url, "postgresql://u@h/db");
  EXPECT_EQ(full->ec2_listen, "");
  EXPECT_EQ(full->reconcile_seconds, 5);
  EXPECT_TRUE(full->demo);
}

class EnvironmentBadTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(EnvironmentBadTest, NamesTheProblem) {
  auto e = ParseEnvironmentConfig(GetParam().text, "config/dev.json");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, EnvironmentBadTest,
    ::testing::Values(
        BadCase{"MissingName", R"({"region":"us-west-2"})",
                "config/dev.json: $.environment: required, missing"},
        BadCase{"BadName", R"({"environment":"Dev","region":"us-west-2"})",
                "config/dev.json: $.environment: expected lower-case letters, digits and '-' "
                "(1..32), got \"Dev\""},
        BadCase{"BadAzs", R"({"environment":"dev","region":"r","vpc":{"maxAzs":9}})",
                "config/dev.json: $.vpc.maxAzs: expected 1..6, got 9"},
        BadCase{"BadCidr", R"({"environment":"dev","region":"r","vpc":{"cidr":"10.0.0/16"}})",
                "config/dev.json: $.vpc.cidr: expected an IPv4 CIDR like 10.0.0.0/16, got "
                "\"10.0.0/16\""},
        BadCase{"UnknownNested",
                R"({"environment":"dev","region":"r","cognito":{"mfaRequire":true}})",
                "config/dev.json: $.cognito.mfaRequire: unknown key (expected one of "
                "mfaRequired, selfSignUpEnabled)"},
        BadCase{"BadAccount", R"({"environment":"dev","region":"r","accountId":"12"})",
                "config/dev.json: $.accountId: expected 12 digits, got \"12\""},
        BadCase{"SimWithEndpoint",
                R"({"environment":"dev","region":"r","cloud":{"endpoint":"http://x"}})",
                "config/dev.json: $.cloud.endpoint: only for provider \"aws\"; the simulated "
                "region needs neither"},
        BadCase{"BadProvider", R"({"environment":"dev","region":"r","cloud":{"provider":"gcp"}})",
                "config/dev.json: $.cloud.provider: expected one of sim, aws, got \"gcp\""},
        BadCase{"BadRetention",
                R"({"environment":"dev","region":"r","monitoring":{"logRetentionDays":0}})",
                "config/dev.json: $.monitoring.logRetentionDays: expected 1..3653, got 0"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(EnvironmentTest, TheSpecificationsExampleParses) {
  auto e = ParseEnvironmentConfig(R"({
    "environment": "dev", "region": "us-west-2",
    "vpc": {"cidr": "10.0.0.0/16", "maxAzs": 2},
    "cognito": {"mfaRequired": false, "selfSignUpEnabled": true},
    "monitoring": {"detailedMonitoring": false, "logRetentionDays": 7}})",
                                  "config/dev.json");
  ASSERT_TRUE(e) << e.error().ToString();
  EXPECT_EQ(e->name, "dev");
  EXPECT_EQ(e->cloud.provider, "sim");
  EXPECT_TRUE(e->self_signup_enabled);
  EXPECT_FALSE(e->mfa_required);
}

TEST(EnvironmentTest, LoadsADirectoryAndChecksNames) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("ec2m-env-test-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "dev.json") << R"({"environment":"dev","region":"us-west-2"})";
  std::ofstream(dir / "prod.json")
      << R"({"environment":"prod","region":"us-east-1","cloud":{"provider":"aws"}})";
  std::ofstream(dir / "README.md") << "not a config";
  auto envs = LoadEnvironments(dir.string());
  ASSERT_TRUE(envs) << envs.error().ToString();
  ASSERT_EQ(envs->size(), 2u);
  EXPECT_EQ((*envs)[0].name, "dev");
  EXPECT_EQ((*envs)[1].cloud.provider, "aws");

  std::ofstream(dir / "staging.json") << R"({"environment":"prod","region":"r"})";
  auto mismatch = LoadEnvironments(dir.string());
  ASSERT_FALSE(mismatch);
  EXPECT_NE(mismatch.error().message.find("staging.json: $.environment: expected \"staging\""),
            std::string::npos)
      << mismatch.error().message;
  fs::remove_all(dir);
  EXPECT_FALSE(LoadEnvironments(dir.string()));
}

TEST(JsonObjectTest, StringsAndMaps) {
  auto doc = JsonObject::Parse(R"({"ids":["a",1],"tags":{"k":"v","n":2},"ok":["x"]})", "body");
  ASSERT_TRUE(doc);
  auto ids = doc->OptStrings("ids");
  ASSERT_FALSE(ids);
  EXPECT_EQ(ids.error().message, "body: $.ids[1]: expected a string, got a number 1");
  auto tags = doc->OptStringMap("tags");
  ASSERT_FALSE(tags);
  EXPECT_EQ(tags.error().message, "body: $.tags.n: expected a string, got a number 2");
  auto ok = doc->OptStrings("ok");
  ASSERT_TRUE(ok && *ok);
  EXPECT_EQ((*ok)->at(0), "x");
  EXPECT_TRUE(doc->Finish());
}

}  // namespace
}  // namespace ec2m::config
