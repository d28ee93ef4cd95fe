#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

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
        BadCase{"UnknownKey", "{\"stor\": \"sqlite\"}",
                "ec2m.json: $.stor: unknown key (expected one of access_log, admin_email, "
                "alarm_evaluation_seconds, apply_lease_seconds, collector_seconds, console_dir, "
                "data_dir, demo, ec2_credentials, "
                "ec2_listen, environments_dir, http, key_file, "
                "listen, log_format, max_body_bytes, metrics_token, ready_check_seconds, "
                "reconcile_seconds, sim_config, store, "
                "store_url, tls_cert, tls_key)"},
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
        BadCase{"NegativeRate", "{\"http\": {\"rate_limit_per_second\": -1}}",
                "ec2m.json: $.http.rate_limit_per_second: expected 0..1000000, got -1"},
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
                "config/dev.json: $.vpc.cidr: expected an IPv4 network /16../28 like 10.0.0.0/16, "
                "got \"10.0.0/16\""},
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

TEST(EnvironmentTest, AlarmsAreTheDefaultsWithOverridesAndAdditions) {
  auto plain =
      ParseEnvironmentConfig(R"({"environment": "dev", "region": "us-west-2"})", "dev.json");
  ASSERT_TRUE(plain);
  ASSERT_EQ(plain->alarms.size(), 5U);
  EXPECT_EQ(plain->alarms[0].name, "Critical API Errors");
  auto e = ParseEnvironmentConfig(R"({
    "environment": "prod", "region": "us-west-2",
    "monitoring": {"alarms": [
      {"name": "High Latency", "threshold": 1.5, "evaluationPeriods": 2},
      {"name": "Low Activity", "enabled": false},
      {"name": "CPU High", "metric": "CPUUtilization", "statistic": "p90", "period": 300,
       "comparison": "GreaterThanThreshold", "threshold": 80, "datapointsToAlarm": 2,
       "evaluationPeriods": 3, "treatMissingData": "breaching", "severity": "critical",
       "channels": ["ops-slack"], "dimensions": {"Group": "web"}}]}})",
                                  "prod.json");
  ASSERT_TRUE(e) << e.error().ToString();
  ASSERT_EQ(e->alarms.size(), 5U);
  const monitor::AlarmSpec& latency = e->alarms[1];
  EXPECT_EQ(latency.name, "High Latency");
  EXPECT_EQ(latency.threshold, 1.5);
  EXPECT_EQ(latency.evaluation_periods, 2);
  EXPECT_EQ(latency.datapoints_to_alarm, 2) << "N overridden alone keeps all-of-N";
  EXPECT_EQ(latency.statistic.Name(), "Average") << "fields not named keep the default's";
  for (const auto& a : e->alarms) {
    EXPECT_NE(a.name, "Low Activity");
  }
  const monitor::AlarmSpec& cpu = e->alarms.back();
  EXPECT_EQ(cpu.name, "CPU High");
  EXPECT_EQ(cpu.statistic.Name(), "p90");
  EXPECT_EQ(cpu.datapoints_to_alarm, 2);
  EXPECT_EQ(cpu.missing, monitor::MissingData::kBreaching);
  EXPECT_EQ(cpu.channels, std::vector<std::string>{"ops-slack"});
  EXPECT_EQ(cpu.dimensions.at("Group"), "web");
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

// tests/data/env_errors: each NAME.json must be refused with a message containing NAME.expect.
TEST(EnvironmentTest, ErrorCasesFromDataFiles) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(EC2M_SOURCE_DIR) / "tests/data/env_errors";
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") {
      continue;
    }
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    std::ifstream expect_in(fs::path(entry.path()).replace_extension(".expect"));
    std::string expect;
    std::getline(expect_in, expect);
    ASSERT_FALSE(expect.empty()) << entry.path();
    auto e = ParseEnvironmentConfig(text.str(), entry.path().filename().string());
    ASSERT_FALSE(e) << entry.path();
    EXPECT_EQ(e.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(e.error().message.find(expect), std::string::npos)
        << entry.path().filename() << "\n  got:    " << e.error().message
        << "\n  wanted: " << expect;
    ++cases;
  }
  EXPECT_GE(cases, 20);
}

TEST(EnvironmentTest, ResourcesDefaultsAndReferences) {
  auto e = ParseEnvironmentConfig(R"({
    "environment": "prod", "region": "us-west-2",
    "securityGroups": [{"name": "lb", "ingress": [{"port": 443, "cidr": "0.0.0.0/0"}]},
                       {"name": "web", "ingress": [{"protocol": "all", "source": "lb"}]}],
    "instanceGroups": [{"name": "web", "image": "ami-0123456789abcdef0",
                        "instanceType": "t3.micro", "securityGroups": ["web"]}],
    "maintenanceWindows": [{"days": ["sun"], "start": "02:00", "end": "06:00",
                            "timeZone": "America/Los_Angeles"}],
    "approval": {"required": true}})",
                                  "config/prod.json");
  ASSERT_TRUE(e) << e.error().ToString();
  EXPECT_EQ(e->service, "ec2m");
  EXPECT_TRUE(e->retain());  // prod's default
  ASSERT_EQ(e->subnet_groups.size(), 2u);
  EXPECT_EQ(e->subnet_groups[0].name, "public");
  EXPECT_TRUE(e->subnet_groups[0].is_public);
  EXPECT_EQ(e->subnet_groups[1].cidr_mask, 24);
  ASSERT_EQ(e->instance_groups.size(), 1u);
  const InstanceGroupConfig& g = e->instance_groups[0];
  EXPECT_EQ(g.subnets, "private");
  EXPECT_EQ(g.count, 1);
  EXPECT_TRUE(g.volume.encrypted);
  EXPECT_EQ(g.health_check.type, "ec2");
  EXPECT_FALSE(g.termination_protection.has_value());
  EXPECT_EQ(e->security_groups[1].ingress[0].source_group, "lb");
  EXPECT_EQ(e->security_groups[0].ingress[0].from_port, 443);
  EXPECT_EQ(e->security_groups[0].ingress[0].to_port, 443);
  ASSERT_EQ(e->maintenance_windows.size(), 1u);
  EXPECT_EQ(e->maintenance_windows[0].time_zone, "America/Los_Angeles");
  EXPECT_TRUE(e->approval.required);
  EXPECT_EQ(e->approval.approvals, 1);
  auto blocks = SubnetBlocks(*e);
  ASSERT_TRUE(blocks);
  ASSERT_EQ(blocks->size(), 4u);
  EXPECT_EQ((*blocks)[3].cidr, "10.0.3.0/24");
  EXPECT_EQ((*blocks)[3].zone, "us-west-2b");
  auto dev = ParseEnvironmentConfig(R"({"environment": "dev", "region": "r"})", "dev.json");
  ASSERT_TRUE(dev);
  EXPECT_FALSE(dev->retain());
}

TEST(EnvironmentTest, Cidrs) {
  EXPECT_EQ(CidrPrefix("10.0.0.0/16"), 16);
  EXPECT_EQ(CidrPrefix("0.0.0.0/0"), 0);
  EXPECT_EQ(CidrPrefix("10.0.0.0/16", 17, 28), -1);
  EXPECT_EQ(CidrPrefix("10.0.0.1/16"), -1);
  EXPECT_EQ(CidrPrefix("10.0.0.0/33"), -1);
  EXPECT_EQ(CidrPrefix("256.0.0.0/8"), -1);
  EXPECT_EQ(CidrPrefix("10.0.0.0/16x"), -1);
  EXPECT_EQ(CidrPrefix(" 10.0.0.0/16"), -1);
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
