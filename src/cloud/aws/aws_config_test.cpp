#include "cloud/aws/aws_config.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "cloud/aws/credentials.hpp"
#include "cloud/aws/temp_dir_for_test.hpp"

namespace ec2m::aws {
namespace {

using Env = std::map<std::string, std::string, std::less<>>;

// Replaces every "$HOME" in `s` with `home`.
std::string Expand(std::string s, const std::string& home) {
  for (auto pos = s.find("$HOME"); pos != std::string::npos; pos = s.find("$HOME", pos)) {
    s.replace(pos, 5, home);
    pos += home.size();
  }
  return s;
}

// A HOME of its own with ~/.aws/credentials and ~/.aws/config as each test writes them.
class AwsSettingsTest : public ::testing::Test {
 protected:
  void Files(std::string_view credentials, std::string_view config) {
    if (!credentials.empty()) {
      dir_.Write(".aws/credentials", credentials);
    }
    if (!config.empty()) {
      dir_.Write(".aws/config", config);
    }
  }
  Result<AwsSettings> Resolve(const SettingsRequest& req, Env env = {}) {
    env["HOME"] = dir_.path();
    MapEnvironment e(std::move(env));
    return ResolveSettings(req, e);
  }
  std::string Home(std::string_view s) { return Expand(std::string(s), dir_.path()); }
  testing::TempDir dir_;
};

const Env kEnvKeys = {{"AWS_ACCESS_KEY_ID", "AKIAENV"},
                      {"AWS_SECRET_ACCESS_KEY", "envsecret"},
                      {"AWS_SESSION_TOKEN", "envtoken"}};

constexpr const char* kCredentialsFile =
    "[default]\n"
    "aws_access_key_id = AKIADEFAULT\n"
    "aws_secret_access_key = defaultsecret\n"
    "[staging]\n"
    "aws_access_key_id = AKIASTAGING\n"
    "aws_secret_access_key = stagingsecret\n"
    "aws_session_token = stagingtoken\n"
    "[profile prefixed]\n"  // in the credentials file this names profile "profile prefixed"
    "aws_access_key_id = AKIAPREFIXED\n"
    "aws_secret_access_key = prefixedsecret\n";

constexpr const char* kConfigFile =
    "[default]\n"
    "region = eu-west-1\n"
    "[profile staging]\n"
    "region = us-east-2\n"
    "aws_access_key_id = AKIASTAGINGCONFIG\n"
    "aws_secret_access_key = ignoredsecret\n"
    "[profile configonly]\n"
    "region = ap-southeast-2\n"
    "aws_access_key_id = AKIACONFIGONLY\n"
    "aws_secret_access_key = configsecret\n"
    "[unprefixed]\n"  // not a profile in the config file: needs `profile `
    "aws_access_key_id = AKIAUNPREFIXED\n"
    "aws_secret_access_key = unprefixedsecret\n";

struct PrecedenceCase {
  const char* name;
  Env env;
  std::string flag_profile;
  std::string access_key_id;
  std::string session_token;
  std::string profile;
  std::string source;
  std::string region;
};

class PrecedenceTest : public AwsSettingsTest,
                       public ::testing::WithParamInterface<PrecedenceCase> {};

TEST_P(PrecedenceTest, PicksTheRightCredentials) {
  const PrecedenceCase& c = GetParam();
  Files(kCredentialsFile, kConfigFile);
  SettingsRequest req;
  req.profile = c.flag_profile;
  auto s = Resolve(req, c.env);
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->credentials.access_key_id, c.access_key_id);
  EXPECT_EQ(s->credentials.session_token, c.session_token);
  EXPECT_EQ(s->profile, c.profile);
  EXPECT_EQ(s->source, Home(c.source));
  EXPECT_EQ(s->region, c.region);
}

Env With(Env base, Env more) {
  for (auto& [k, v] : more) {
    base[k] = v;
  }
  return base;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PrecedenceTest,
    ::testing::Values(PrecedenceCase{"EnvKeysBeatDefaultProfile", kEnvKeys, "", "AKIAENV",
                                     "envtoken", "default", "environment", "eu-west-1"},
                      PrecedenceCase{"EnvKeysBeatAwsProfile",
                                     With(kEnvKeys, {{"AWS_PROFILE", "staging"}}), "", "AKIAENV",
                                     "envtoken", "staging", "environment", "us-east-2"},
                      PrecedenceCase{"FlagProfileBeatsEnvKeys", kEnvKeys, "staging", "AKIASTAGING",
                                     "stagingtoken", "staging",
                                     "profile 'staging' in $HOME/.aws/credentials", "us-east-2"},
                      PrecedenceCase{"FlagProfileBeatsAwsProfile",
                                     {{"AWS_PROFILE", "configonly"}},
                                     "staging",
                                     "AKIASTAGING",
                                     "stagingtoken",
                                     "staging",
                                     "profile 'staging' in $HOME/.aws/credentials",
                                     "us-east-2"},
                      PrecedenceCase{"DefaultProfile",
                                     {},
                                     "",
                                     "AKIADEFAULT",
                                     "",
                                     "default",
                                     "profile 'default' in $HOME/.aws/credentials",
                                     "eu-west-1"},
                      PrecedenceCase{"AwsProfile",
                                     {{"AWS_PROFILE", "staging"}},
                                     "",
                                     "AKIASTAGING",
                                     "stagingtoken",
                                     "staging",
                                     "profile 'staging' in $HOME/.aws/credentials",
                                     "us-east-2"},
                      PrecedenceCase{"ConfigFileProfile",
                                     {{"AWS_PROFILE", "configonly"}},
                                     "",
                                     "AKIACONFIGONLY",
                                     "",
                                     "configonly",
                                     "profile 'configonly' in $HOME/.aws/config",
                                     "ap-southeast-2"},
                      PrecedenceCase{"ProfilePrefixIsLiteralInCredentialsFile",
                                     {},
                                     "profile prefixed",
                                     "AKIAPREFIXED",
                                     "",
                                     "profile prefixed",
                                     "profile 'profile prefixed' in $HOME/.aws/credentials",
                                     ""},
                      PrecedenceCase{"OnlyAccessKeySecretIgnored",
                                     {{"AWS_SECRET_ACCESS_KEY", "x"}},
                                     "",
                                     "AKIADEFAULT",
                                     "",
                                     "default",
                                     "profile 'default' in $HOME/.aws/credentials",
                                     "eu-west-1"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(AwsSettingsTest, SharedFilePathsFromEnvironmentWithTildeExpansion) {
  dir_.Write("elsewhere/creds",
             "[default]\naws_access_key_id = AKIAELSE\n"
             "aws_secret_access_key = s\n");
  dir_.Write("elsewhere/conf", "[default]\nregion = sa-east-1\n");
  Files("[default]\naws_access_key_id = AKIAHOME\naws_secret_access_key = s\n",
        "[default]\nregion = us-west-1\n");
  auto s = Resolve({}, {{"AWS_SHARED_CREDENTIALS_FILE", "~/elsewhere/creds"},
                        {"AWS_CONFIG_FILE", dir_.path() + "/elsewhere/conf"}});
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->credentials.access_key_id, "AKIAELSE");
  EXPECT_EQ(s->source, Home("profile 'default' in $HOME/elsewhere/creds"));
  EXPECT_EQ(s->region, "sa-east-1");
}

TEST_F(AwsSettingsTest, ProfileDefaultSectionBeatsDefaultSectionInConfig) {
  Files("",
        "[profile default]\nregion = us-east-1\n[default]\nregion = eu-north-1\n"
        "aws_access_key_id = AKIACFGDEFAULT\naws_secret_access_key = s\n");
  auto s = Resolve({});
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->region, "us-east-1");
  EXPECT_EQ(s->credentials.access_key_id, "AKIACFGDEFAULT");
  EXPECT_EQ(s->source, Home("profile 'default' in $HOME/.aws/config"));
}

TEST_F(AwsSettingsTest, QuotedAndSpacedProfileSectionNames) {
  Files("[ spaced ]\naws_access_key_id = AKIASPACED\naws_secret_access_key = s\n",
        "[profile   \"quoted\"]\naws_access_key_id = AKIAQUOTED\naws_secret_access_key = s\n"
        "[ profile spaced ]\nregion = ca-central-1\n");
  auto quoted = Resolve({.profile = "quoted"});
  ASSERT_TRUE(quoted) << quoted.error().ToString();
  EXPECT_EQ(quoted->credentials.access_key_id, "AKIAQUOTED");
  auto spaced = Resolve({.profile = "spaced"});
  ASSERT_TRUE(spaced) << spaced.error().ToString();
  EXPECT_EQ(spaced->credentials.access_key_id, "AKIASPACED");
  EXPECT_EQ(spaced->region, "ca-central-1");
}

TEST_F(AwsSettingsTest, CommentsInBothFiles) {
  Files(
      "# my keys\n[default]\n; old key:\n;aws_access_key_id = AKIAOLD\n"
      "aws_access_key_id = AKIANEW\n# aws_secret_access_key = old\naws_secret_access_key = s\n",
      "# config\n[default] \n;region = us-east-1\nregion = eu-central-1\n");
  auto s = Resolve({});
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->credentials.access_key_id, "AKIANEW");
  EXPECT_EQ(s->credentials.secret_access_key, "s");
  EXPECT_EQ(s->region, "eu-central-1");
}

TEST_F(AwsSettingsTest, CredentialsFileKeysBeatConfigFileKeysAndSettings) {
  Files(
      "[default]\naws_access_key_id = AKIACRED\naws_secret_access_key = s\n"
      "region = from-credentials\n",
      "[default]\naws_access_key_id = AKIACONF\naws_secret_access_key = s\n"
      "region = from-config\n");
  auto s = Resolve({});
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->credentials.access_key_id, "AKIACRED");
  EXPECT_EQ(s->region, "from-credentials");
}

struct RegionCase {
  const char* name;
  std::string flag;
  Env env;
  std::string config;
  std::string want;
};

class RegionTest : public AwsSettingsTest, public ::testing::WithParamInterface<RegionCase> {};

TEST_P(RegionTest, FirstSourceWins) {
  const RegionCase& c = GetParam();
  Files("", c.config);
  SettingsRequest req;
  req.region = c.flag;
  auto s = Resolve(req, With(kEnvKeys, c.env));
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->region, c.want);
}

const Env kRegionEnv = {{"AWS_REGION", "env-region"}, {"AWS_DEFAULT_REGION", "env-default"}};
INSTANTIATE_TEST_SUITE_P(
    Cases, RegionTest,
    ::testing::Values(
        RegionCase{"Flag", "flag-region", kRegionEnv, "[default]\nregion = cfg\n", "flag-region"},
        RegionCase{"AwsRegion", "", kRegionEnv, "[default]\nregion = cfg\n", "env-region"},
        RegionCase{"AwsDefaultRegion",
                   "",
                   {{"AWS_DEFAULT_REGION", "env-default"}},
                   "[default]\nregion = cfg\n",
                   "env-default"},
        RegionCase{"Profile", "", {}, "[default]\nregion = cfg\n", "cfg"},
        RegionCase{"NamedProfile",
                   "",
                   {{"AWS_PROFILE", "p"}},
                   "[default]\nregion = cfg\n[profile p]\nregion = cfg-p\n",
                   "cfg-p"},
        RegionCase{"NoneIsEmpty", "", {}, "", ""}),
    [](const auto& info) { return std::string(info.param.name); });

struct RetryCase {
  const char* name;
  Env env;
  std::string config;
  int max_attempts;
  std::string retry_mode;
};

class RetryTest : public AwsSettingsTest, public ::testing::WithParamInterface<RetryCase> {};

TEST_P(RetryTest, FirstSourceWins) {
  const RetryCase& c = GetParam();
  Files("", c.config);
  auto s = Resolve({}, With(kEnvKeys, c.env));
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->max_attempts, c.max_attempts);
  EXPECT_EQ(RetryModeName(s->retry_mode), c.retry_mode);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RetryTest,
    ::testing::Values(
        RetryCase{"Defaults", {}, "", 3, "standard"},
        RetryCase{
            "Profile", {}, "[default]\nmax_attempts = 7\nretry_mode = adaptive\n", 7, "adaptive"},
        RetryCase{"EnvBeatsProfile",
                  {{"AWS_MAX_ATTEMPTS", "1"}, {"AWS_RETRY_MODE", "legacy"}},
                  "[default]\nmax_attempts = 7\nretry_mode = adaptive\n",
                  1,
                  "legacy"},
        RetryCase{"Bounds", {{"AWS_MAX_ATTEMPTS", "20"}}, "", 20, "standard"},
        RetryCase{"LegacyDefaultsToFiveAttempts", {{"AWS_RETRY_MODE", "legacy"}}, "", 5, "legacy"},
        RetryCase{"LegacyWithMaxAttempts",
                  {},
                  "[default]\nretry_mode = legacy\nmax_attempts = 2\n",
                  2,
                  "legacy"},
        RetryCase{"AdaptiveDefaultsToThree", {{"AWS_RETRY_MODE", "adaptive"}}, "", 3, "adaptive"}),
    [](const auto& info) { return std::string(info.param.name); });

struct EndpointCase {
  const char* name;
  std::string flag;
  Env env;
  std::string config;
  std::string want;
};

class EndpointTest : public AwsSettingsTest, public ::testing::WithParamInterface<EndpointCase> {};

TEST_P(EndpointTest, FirstSourceWins) {
  const EndpointCase& c = GetParam();
  Files("", c.config);
  SettingsRequest req;
  req.endpoint_url = c.flag;
  auto s = Resolve(req, With(kEnvKeys, c.env));
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->endpoint_url, c.want);
}

const Env kEndpointEnv = {{"AWS_ENDPOINT_URL_EC2", "http://ec2-env"},
                          {"AWS_ENDPOINT_URL", "http://generic-env"}};
const char* const kEndpointConfig = "[default]\nendpoint_url = http://cfg:4566\n";
INSTANTIATE_TEST_SUITE_P(
    Cases, EndpointTest,
    ::testing::Values(EndpointCase{"Flag", "http://flag", kEndpointEnv, kEndpointConfig,
                                   "http://flag"},
                      EndpointCase{"Ec2Env", "", kEndpointEnv, kEndpointConfig, "http://ec2-env"},
                      EndpointCase{"GenericEnv",
                                   "",
                                   {{"AWS_ENDPOINT_URL", "http://generic-env"}},
                                   kEndpointConfig,
                                   "http://generic-env"},
                      EndpointCase{"Profile", "", {}, kEndpointConfig, "http://cfg:4566"},
                      EndpointCase{"None", "", {}, "", ""}),
    [](const auto& info) { return std::string(info.param.name); });

// Every error path. Each case plants kSecret (and kToken) wherever it can reach: environment,
// both files, the credential process's output; the message must name the problem exactly and
// must contain neither.
constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYTOPSECRET";
constexpr const char* kToken = "FwoGZXIvYXdzEXAMPLETOKENSECRET";

struct ErrorCase {
  const char* name;
  std::string credentials;
  std::string config;
  Env env;
  std::string flag_profile;
  std::string script;  // written to $HOME/proc.sh when non-empty
  ErrorCode code;
  std::string message;
};

class ErrorTest : public AwsSettingsTest, public ::testing::WithParamInterface<ErrorCase> {};

TEST_P(ErrorTest, NamesTheProblemAndNeverTheSecret) {
  const ErrorCase& c = GetParam();
  Files(Home(c.credentials), Home(c.config));
  if (!c.script.empty()) {
    dir_.Write("proc.sh", "#!/bin/sh\n" + c.script + "\n", /*executable=*/true);
  }
  Env env = c.env;
  for (auto& [k, v] : env) {
    v = Home(v);
  }
  SettingsRequest req;
  req.profile = c.flag_profile;
  req.credential_process_timeout = std::chrono::milliseconds(300);
  auto s = Resolve(req, env);
  ASSERT_FALSE(s) << "resolved " << s->source;
  EXPECT_EQ(s.error().code, c.code);
  EXPECT_EQ(s.error().message, Home(c.message));
  EXPECT_EQ(s.error().message.find(kSecret), std::string::npos);
  EXPECT_EQ(s.error().message.find(kToken), std::string::npos);
  EXPECT_EQ(s.error().ToString().find(kSecret), std::string::npos);
}

const std::string kS = kSecret;
const std::string kT = kToken;
const std::string kSecretLines =
    "aws_secret_access_key = " + kS + "\naws_session_token = " + kT + "\n";
const std::string kJson = R"({"Version":1,"AccessKeyId":"ASIAX","SecretAccessKey":")" + kS +
                          R"(","SessionToken":")" + kT + "\"}";
const Env kSecretEnv = {{"AWS_SECRET_ACCESS_KEY", kS}, {"AWS_SESSION_TOKEN", kT}};

INSTANTIATE_TEST_SUITE_P(
    Cases, ErrorTest,
    ::testing::Values(
        ErrorCase{"FlagProfileNotFound", "[default]\n" + kSecretLines, "", kSecretEnv, "staging",
                  "", ErrorCode::kInvalidArgument,
                  "profile 'staging' not found in $HOME/.aws/credentials or $HOME/.aws/config"},
        ErrorCase{"AwsProfileNotFoundEvenWithEnvKeys", "", "[default]\nregion = x\n",
                  With(kSecretEnv, {{"AWS_ACCESS_KEY_ID", "AKIAENV"}, {"AWS_PROFILE", "staging"}}),
                  "", "", ErrorCode::kInvalidArgument,
                  "profile 'staging' not found in $HOME/.aws/credentials or $HOME/.aws/config"},
        ErrorCase{"FlagDefaultNotFound",
                  "",
                  "",
                  {},
                  "default",
                  "",
                  ErrorCode::kInvalidArgument,
                  "profile 'default' not found in $HOME/.aws/credentials or $HOME/.aws/config"},
        ErrorCase{"UnprefixedConfigSectionIsNoProfile",
                  "",
                  "[staging]\naws_access_key_id = AKIAX\n" + kSecretLines,
                  {},
                  "staging",
                  "",
                  ErrorCode::kInvalidArgument,
                  "profile 'staging' not found in $HOME/.aws/credentials or $HOME/.aws/config"},
        ErrorCase{"CredentialsFileIdWithoutSecret",
                  "[staging]\naws_access_key_id = AKIAX\naws_session_token = " + kT + "\n",
                  "",
                  {},
                  "staging",
                  "",
                  ErrorCode::kInvalidArgument,
                  "profile 'staging' in $HOME/.aws/credentials has aws_access_key_id but no "
                  "aws_secret_access_key"},
        ErrorCase{"CredentialsFileSecretWithoutId",
                  "[staging]\n" + kSecretLines,
                  "",
                  {},
                  "staging",
                  "",
                  ErrorCode::kInvalidArgument,
                  "profile 'staging' in $HOME/.aws/credentials has aws_secret_access_key but no "
                  "aws_access_key_id"},
        ErrorCase{"ConfigFileSecretWithoutId",
                  "",
                  "[profile staging]\n" + kSecretLines,
                  {},
                  "staging",
                  "",
                  ErrorCode::kInvalidArgument,
                  "profile 'staging' in $HOME/.aws/config has aws_secret_access_key but no "
                  "aws_access_key_id"},
        ErrorCase{"EnvIdWithoutSecret",
                  "[default]\n" + kSecretLines,
                  "",
                  {{"AWS_ACCESS_KEY_ID", "AKIAENV"}, {"AWS_SESSION_TOKEN", kT}},
                  "",
                  "",
                  ErrorCode::kInvalidArgument,
                  "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"},
        ErrorCase{"NothingFoundNoFiles",
                  "",
                  "",
                  {{"AWS_SESSION_TOKEN", kT}},
                  "",
                  "",
                  ErrorCode::kUnauthenticated,
                  "no AWS credentials found; tried AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the "
                  "environment, profile 'default' in $HOME/.aws/credentials (no such file) and "
                  "$HOME/.aws/config (no such file, no credential_process)"},
        ErrorCase{"NothingFoundInFiles",
                  "[other]\naws_access_key_id = AKIAX\n" + kSecretLines,
                  "[default]\nregion = us-east-1\n",
                  {},
                  "",
                  "",
                  ErrorCode::kUnauthenticated,
                  "no AWS credentials found; tried AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the "
                  "environment, profile 'default' in $HOME/.aws/credentials (no such profile) "
                  "and $HOME/.aws/config (no keys, no credential_process)"},
        ErrorCase{"NothingFoundExplicitProfileSkipsEnv", "[p]\nregion = x\n", "",
                  With(kSecretEnv, {{"AWS_ACCESS_KEY_ID", "AKIAENV"}}), "p", "",
                  ErrorCode::kUnauthenticated,
                  "no AWS credentials found; tried profile 'p' in $HOME/.aws/credentials (no "
                  "keys) and $HOME/.aws/config (no such file, no credential_process)"},
        ErrorCase{"UnparsableCredentialsFile",
                  "[default]\naws_secret_access_key " + kS + "\n",
                  "",
                  {},
                  "",
                  "",
                  ErrorCode::kInvalidArgument,
                  "$HOME/.aws/credentials:2: expected '[section]' or 'key = value'"},
        ErrorCase{"ProcessExit1",
                  "",
                  "[default]\ncredential_process = $HOME/proc.sh\n",
                  {},
                  "",
                  "echo '" + kJson + "'\nexit 1",
                  ErrorCode::kUnauthenticated,
                  "credential_process of profile 'default': exited with status 1"},
        ErrorCase{"ProcessBadJson",
                  "",
                  "[default]\ncredential_process = $HOME/proc.sh\n",
                  {},
                  "",
                  "echo '{\"SecretAccessKey\": " + kS + "'",
                  ErrorCode::kUnauthenticated,
                  "credential_process of profile 'default': output is not a JSON object"},
        ErrorCase{"ProcessNoVersion",
                  "",
                  "[default]\ncredential_process = $HOME/proc.sh\n",
                  {},
                  "",
                  "echo '{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"" + kS + "\"}'",
                  ErrorCode::kUnauthenticated,
                  "credential_process of profile 'default': output has no \"Version\": 1 (the "
                  "only version defined)"},
        ErrorCase{"ProcessTimeout",
                  "",
                  "[default]\ncredential_process = $HOME/proc.sh\n",
                  {},
                  "",
                  "echo '" + kS + "'\nsleep 30",
                  ErrorCode::kTimeout,
                  "credential_process of profile 'default': did not finish within 300 ms and was "
                  "killed"},
        ErrorCase{"BadMaxAttemptsEnv", "", "",
                  With(kSecretEnv, {{"AWS_ACCESS_KEY_ID", "AKIAE"}, {"AWS_MAX_ATTEMPTS", "0"}}), "",
                  "", ErrorCode::kInvalidArgument,
                  "AWS_MAX_ATTEMPTS: expected an integer 1..20, got '0'"},
        ErrorCase{"BadMaxAttemptsEnvNotNumber", "", "",
                  With(kSecretEnv, {{"AWS_ACCESS_KEY_ID", "AKIAE"}, {"AWS_MAX_ATTEMPTS", "3x"}}),
                  "", "", ErrorCode::kInvalidArgument,
                  "AWS_MAX_ATTEMPTS: expected an integer 1..20, got '3x'"},
        ErrorCase{"BadMaxAttemptsProfile",
                  "[default]\naws_access_key_id = AKIAX\n" + kSecretLines,
                  "[default]\nmax_attempts = 21\n",
                  {},
                  "",
                  "",
                  ErrorCode::kInvalidArgument,
                  "profile 'default' in $HOME/.aws/config: max_attempts: expected an integer "
                  "1..20, got '21'"},
        ErrorCase{"BadRetryModeEnv", "", "",
                  With(kSecretEnv, {{"AWS_ACCESS_KEY_ID", "AKIAE"}, {"AWS_RETRY_MODE", "fast"}}),
                  "", "", ErrorCode::kInvalidArgument,
                  "AWS_RETRY_MODE: expected standard, legacy or adaptive, got 'fast'"},
        ErrorCase{
            "BadRetryModeProfile",
            "[default]\naws_access_key_id = AKIAX\n" + kSecretLines + "retry_mode = Standard\n",
            "",
            {},
            "",
            "",
            ErrorCode::kInvalidArgument,
            "profile 'default' in $HOME/.aws/credentials: retry_mode: expected standard, "
            "legacy or adaptive, got 'Standard'"}),
    [](const auto& info) { return std::string(info.param.name); });

class CredentialProcessSettingsTest : public AwsSettingsTest {
 protected:
  // Writes $HOME/<name>.sh printing credentials with `id`; returns its path.
  std::string Process(std::string_view name, std::string_view id) {
    return dir_.Write(
        std::string(name) + ".sh",
        "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"" + std::string(id) +
            "\", \"SecretAccessKey\": \"procsecret\", \"SessionToken\": \"proctoken\", "
            "\"Expiration\": \"2026-11-27T20:00:00Z\"}'\n",
        /*executable=*/true);
  }
};

TEST_F(CredentialProcessSettingsTest, RunsTheProfilesProcess) {
  std::string proc = Process("proc", "ASIAPROC");
  Files("", "[profile x]\nregion = us-east-1\ncredential_process = " + proc + " --flag\n");
  auto s = Resolve({.profile = "x"});
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->credentials.access_key_id, "ASIAPROC");
  EXPECT_EQ(s->credentials.secret_access_key, "procsecret");
  EXPECT_EQ(s->credentials.session_token, "proctoken");
  EXPECT_EQ(s->credentials_expiration, "2026-11-27T20:00:00Z");
  EXPECT_EQ(s->source, "credential_process of profile 'x'");
  EXPECT_EQ(s->region, "us-east-1");
}

TEST_F(CredentialProcessSettingsTest, CredentialsFileKeysBeatTheProcess) {
  std::string proc = Process("proc", "ASIAPROC");
  Files("[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = s\n",
        "[default]\ncredential_process = " + proc + "\n");
  auto s = Resolve({});
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->credentials.access_key_id, "AKIAFILE");
}

TEST_F(CredentialProcessSettingsTest, TheProcessBeatsConfigFileKeys) {
  std::string proc = Process("proc", "ASIAPROC");
  Files("",
        "[default]\naws_access_key_id = AKIACONF\naws_secret_access_key = s\n"
        "credential_process = " +
            proc + "\n");
  auto s = Resolve({});
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->credentials.access_key_id, "ASIAPROC");
}

TEST_F(CredentialProcessSettingsTest, CredentialsFileProcessBeatsConfigFileProcess) {
  std::string a = Process("a", "ASIAFROMCREDS");
  std::string b = Process("b", "ASIAFROMCONFIG");
  Files("[default]\ncredential_process = " + a + "\n",
        "[default]\ncredential_process = " + b + "\n");
  auto s = Resolve({});
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->credentials.access_key_id, "ASIAFROMCREDS");
}

TEST_F(CredentialProcessSettingsTest, EnvKeysBeatTheProcess) {
  std::string proc = Process("proc", "ASIAPROC");
  Files("", "[default]\ncredential_process = " + proc + "\n");
  auto s = Resolve({}, kEnvKeys);
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->credentials.access_key_id, "AKIAENV");
  EXPECT_EQ(s->source, "environment");
}

TEST(RedactedAccessKeyTest, KeepsFirstAndLastFour) {
  EXPECT_EQ(RedactedAccessKey("AKIAIOSFODNN7EXAMPLE"), "AKIA************MPLE");
  EXPECT_EQ(RedactedAccessKey("ASIA12345"), "ASIA*2345");
  EXPECT_EQ(RedactedAccessKey("AKIA1234"), "********");
  EXPECT_EQ(RedactedAccessKey(""), "");
}

TEST(ProcessEnvironmentTest, ReadsRealVariables) {
  setenv("EC2M_AWS_TEST_VAR", "value", 1);
  EXPECT_EQ(ProcessEnvironment().Get("EC2M_AWS_TEST_VAR"), "value");
  unsetenv("EC2M_AWS_TEST_VAR");
  EXPECT_EQ(ProcessEnvironment().Get("EC2M_AWS_TEST_VAR"), "");
}

}  // namespace
}  // namespace ec2m::aws
