#include "cloud/aws/credential_process.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "cloud/aws/temp_dir_for_test.hpp"

namespace ec2m::aws {
namespace {

using std::chrono::milliseconds;

constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYPROCSECRET";

TEST(CredentialProcessOutputTest, ParsesAllFields) {
  auto pc = ParseCredentialProcessOutput(
      R"({"Version": 1, "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s",
          "SessionToken": "t", "Expiration": "2026-11-27T20:00:00Z"})",
      "p");
  ASSERT_TRUE(pc) << pc.error().ToString();
  EXPECT_EQ(pc->credentials.access_key_id, "ASIAEXAMPLE");
  EXPECT_EQ(pc->credentials.secret_access_key, "s");
  EXPECT_EQ(pc->credentials.session_token, "t");
  EXPECT_EQ(pc->expiration, "2026-11-27T20:00:00Z");
}

TEST(CredentialProcessOutputTest, LongTermKeysNeedNoTokenOrExpiration) {
  auto pc = ParseCredentialProcessOutput(
      R"({"Version":1,"AccessKeyId":"AKIAEXAMPLE","SecretAccessKey":"s"})", "p");
  ASSERT_TRUE(pc) << pc.error().ToString();
  EXPECT_EQ(pc->credentials.session_token, "");
  EXPECT_EQ(pc->expiration, "");
}

struct BadOutputCase {
  const char* name;
  std::string output;
  const char* message;
};

class BadOutputTest : public ::testing::TestWithParam<BadOutputCase> {};

TEST_P(BadOutputTest, FailsWithoutQuotingTheOutput) {
  auto pc = ParseCredentialProcessOutput(GetParam().output, "dev");
  ASSERT_FALSE(pc);
  EXPECT_EQ(pc.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(pc.error().message, GetParam().message);
  EXPECT_EQ(pc.error().message.find(kSecret), std::string::npos);
}

const std::string kS = kSecret;
INSTANTIATE_TEST_SUITE_P(
    Cases, BadOutputTest,
    ::testing::Values(
        BadOutputCase{"NotJson", "SecretAccessKey=" + kS,
                      "credential_process of profile 'dev': output is not a JSON object"},
        BadOutputCase{"TruncatedJson", R"({"Version":1,"SecretAccessKey":")" + kS,
                      "credential_process of profile 'dev': output is not a JSON object"},
        BadOutputCase{"Array", "[\"" + kS + "\"]",
                      "credential_process of profile 'dev': output is not a JSON object"},
        BadOutputCase{"Version2",
                      R"({"Version":2,"AccessKeyId":"A","SecretAccessKey":")" + kS + "\"}",
                      "credential_process of profile 'dev': output has no \"Version\": 1 (the "
                      "only version defined)"},
        BadOutputCase{"NoVersion", R"({"AccessKeyId":"A","SecretAccessKey":")" + kS + "\"}",
                      "credential_process of profile 'dev': output has no \"Version\": 1 (the "
                      "only version defined)"},
        BadOutputCase{"NoSecret", R"({"Version":1,"AccessKeyId":"A"})",
                      "credential_process of profile 'dev': output lacks AccessKeyId or "
                      "SecretAccessKey"},
        BadOutputCase{"NoKeyId", R"({"Version":1,"SecretAccessKey":")" + kS + "\"}",
                      "credential_process of profile 'dev': output lacks AccessKeyId or "
                      "SecretAccessKey"},
        BadOutputCase{"SecretNotString",
                      R"({"Version":1,"AccessKeyId":"A","SecretAccessKey":["x"]})",
                      "credential_process of profile 'dev': AccessKeyId, SecretAccessKey, "
                      "SessionToken and Expiration must be strings"}),
    [](const auto& info) { return std::string(info.param.name); });

class RunCredentialProcessTest : public ::testing::Test {
 protected:
  // A script in the temp dir; returns the command that runs it.
  std::string Script(std::string_view body) {
    return dir_.Write("proc.sh", "#!/bin/sh\n" + std::string(body) + "\n", /*executable=*/true);
  }
  testing::TempDir dir_;
};

TEST_F(RunCredentialProcessTest, Success) {
  std::string cmd = Script(
      R"(printf '{"Version":1,"AccessKeyId":"ASIAPROC","SecretAccessKey":"%s","SessionToken":"tok"}' "$1")");
  auto pc = RunCredentialProcess(cmd + " 'sec ret'", "dev", milliseconds(5000));
  ASSERT_TRUE(pc) << pc.error().ToString();
  EXPECT_EQ(pc->credentials.access_key_id, "ASIAPROC");
  EXPECT_EQ(pc->credentials.secret_access_key, "sec ret");  // shell quoting via /bin/sh -c
  EXPECT_EQ(pc->credentials.session_token, "tok");
}

TEST_F(RunCredentialProcessTest, NonZeroExitNamesStatusNotOutput) {
  std::string cmd = Script(std::string("echo '") + kSecret + "'\nexit 3");
  auto pc = RunCredentialProcess(cmd, "dev", milliseconds(5000));
  ASSERT_FALSE(pc);
  EXPECT_EQ(pc.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(pc.error().message, "credential_process of profile 'dev': exited with status 3");
}

TEST_F(RunCredentialProcessTest, CommandNotFound) {
  auto pc = RunCredentialProcess(dir_.path() + "/does-not-exist", "dev", milliseconds(5000));
  ASSERT_FALSE(pc);
  EXPECT_EQ(pc.error().message, "credential_process of profile 'dev': exited with status 127");
}

TEST_F(RunCredentialProcessTest, BadJson) {
  std::string cmd = Script(std::string("echo '{\"Version\":1,") + kSecret + "'");
  auto pc = RunCredentialProcess(cmd, "dev", milliseconds(5000));
  ASSERT_FALSE(pc);
  EXPECT_EQ(pc.error().message, "credential_process of profile 'dev': output is not a JSON object");
}

TEST_F(RunCredentialProcessTest, TimeoutKillsTheCommandAndItsChildren) {
  std::string cmd = Script("sleep 30\necho '{}'");
  auto start = std::chrono::steady_clock::now();
  auto pc = RunCredentialProcess(cmd, "dev", milliseconds(200));
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(pc);
  EXPECT_EQ(pc.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(pc.error().message,
            "credential_process of profile 'dev': did not finish within 200 ms and was killed");
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST_F(RunCredentialProcessTest, TimeoutAfterClosingStdout) {
  std::string cmd = Script("exec >&-\nsleep 30");
  auto pc = RunCredentialProcess(cmd, "dev", milliseconds(200));
  ASSERT_FALSE(pc);
  EXPECT_EQ(pc.error().code, ErrorCode::kTimeout);
}

TEST_F(RunCredentialProcessTest, KilledBySignal) {
  // `$$` is the `sh -c` itself, so the process ec2m waits for is the one killed.
  auto pc = RunCredentialProcess("kill -KILL $$", "dev", milliseconds(5000));
  ASSERT_FALSE(pc);
  EXPECT_EQ(pc.error().message, "credential_process of profile 'dev': killed by signal 9");
}

}  // namespace
}  // namespace ec2m::aws
