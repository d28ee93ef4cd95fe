// The embedded EC2 endpoint and the data dir (issue 15, "The embedded EC2 endpoint", "At rest"):
// no fixed keys, an admin key distinct from the secret, refusal to listen beyond loopback with
// keys ec2m made up, and files only their owner can read.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cloud/aws/aws_ec2.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "support/plane_test.hpp"
#include "support/raw_http.hpp"

namespace ec2m::testing {
namespace {

namespace fs = std::filesystem;

unsigned Mode(const fs::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_mode & 0777 : 01000;
}

class EndpointAttackTest : public PlaneTest {
 protected:
  void SetUp() override {
    plane_ = std::make_unique<ControlPlane>(
        dir_.path(), std::map<std::string, std::string>{{"dev", SimEnvironment("dev")}});
    ASSERT_TRUE(plane_->Start()) << plane_->error();
    ASSERT_FALSE(plane_->ec2_url().empty());
  }

  // DescribeAvailabilityZones signed with the given keys.
  Result<std::vector<AvailabilityZone>> Describe(const std::string& access,
                                                 const std::string& secret) {
    aws::AwsEc2Options options;
    options.region = "us-west-2";
    options.endpoint = plane_->ec2_url();
    options.credentials = {access, secret, ""};
    options.retry.max_attempts = 1;
    aws::AwsEc2 client(options, clock_, random_);
    return client.DescribeAvailabilityZones({});
  }

  std::optional<std::string> Admin(const std::string& key) {
    return RawExchange(PortOf(plane_->ec2_url()),
                       "GET /_ec2m/health HTTP/1.1\r\nHost: x\r\nX-Ec2m-Admin-Key: " + key +
                           "\r\nConnection: close\r\n\r\n");
  }

  SystemClock clock_;
  DefaultRandom random_;
};

TEST_F(EndpointAttackTest, TheOldFixedKeysNoLongerSignAnything) {
  auto fixed = Describe("test", "test");
  ASSERT_FALSE(fixed);
  EXPECT_EQ(fixed.error().aws_code, "AuthFailure") << fixed.error().ToString();
  // The keys the server printed (generated on its first start) do.
  EXPECT_NE(plane_->ec2_access_key(), "test");
  EXPECT_GE(plane_->ec2_secret_key().size(), 40u);
  auto zones = Describe(plane_->ec2_access_key(), plane_->ec2_secret_key());
  ASSERT_TRUE(zones) << zones.error().ToString();
  EXPECT_FALSE(zones->empty());
  // They are kept 0600 and survive a restart.
  const fs::path file = fs::path(dir_.path()) / "data" / "ec2-credentials.json";
  EXPECT_EQ(Mode(file), 0600u);
  const std::string key = plane_->ec2_access_key();
  plane_->Stop();
  ASSERT_TRUE(plane_->Start()) << plane_->error();
  EXPECT_EQ(plane_->ec2_access_key(), key);
}

TEST_F(EndpointAttackTest, TheSecretDoesNotOpenTheAdminEndpoints) {
  auto with_secret = Admin(plane_->ec2_secret_key());
  ASSERT_TRUE(with_secret);
  EXPECT_EQ(StatusOf(*with_secret), 401);
  EXPECT_EQ(StatusOf(*Admin("test")), 401);
  std::ifstream in(fs::path(dir_.path()) / "data" / "ec2-credentials.json");
  const auto credentials = nlohmann::json::parse(in);
  const std::string admin_key = credentials["admin_key"];
  EXPECT_NE(admin_key, plane_->ec2_secret_key());
  auto with_admin = Admin(admin_key);
  ASSERT_TRUE(with_admin);
  EXPECT_EQ(StatusOf(*with_admin), 200) << *with_admin;
}

TEST_F(EndpointAttackTest, TheDataDirAndItsFilesAreTheOwnersAlone) {
  const fs::path data = fs::path(dir_.path()) / "data";
  EXPECT_EQ(Mode(data), 0700u);
  for (const char* name : {"ec2m.db", "ec2m.keys", "ec2-credentials.json"}) {
    EXPECT_EQ(Mode(data / name), 0600u) << name;
  }
  for (const auto& entry : fs::directory_iterator(data)) {
    EXPECT_EQ(Mode(entry.path()) & 0077, 0u) << entry.path() << " is readable by others";
  }
}

TEST_F(EndpointAttackTest, SecretsAreSealedAndSurviveAKeyRotation) {
  admin_ = Login(plane_->admin_email(), plane_->admin_password());
  auto mfa = EnrolMfa(plane_->url(), admin_, plane_->admin_password());
  ASSERT_TRUE(mfa);
  ASSERT_EQ(Call("POST", "/api/v1/channels", admin_,
                 {{"name", "hook"},
                  {"type", "webhook"},
                  {"url", "https://hooks.example.com/services/T0/B0/very-secret-path"},
                  {"secret", "whsec-0123456789abcdef"}})
                .status,
            201);
  ASSERT_EQ(plane_->Stop(), 0);
  // The database holds neither the TOTP secret nor the channel's credentials.
  const std::string db = dir_.path() + "/data/ec2m.db";
  CommandResult dump = RunCommand({"sqlite3", db, "SELECT CAST(body AS TEXT) FROM docs"});
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  for (const std::string& secret :
       {mfa->secret, std::string("very-secret-path"), std::string("whsec-0123456789abcdef")}) {
    EXPECT_EQ(dump.out.find(secret), std::string::npos) << secret;
  }
  CommandResult rotated =
      RunCommand({EC2M_BINARY, "keys", "rotate", "--data-dir", dir_.path() + "/data"});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_NE(rotated.out.find("added key k2"), std::string::npos) << rotated.out;
  EXPECT_EQ(Mode(fs::path(dir_.path()) / "data" / "ec2m.keys"), 0600u);
  ASSERT_TRUE(plane_->Start()) << plane_->error();
  // What k1 sealed still opens: the TOTP secret signs in, the channel reads whole for delivery.
  const std::string again = LoginApi(plane_->url(), plane_->admin_email(), plane_->admin_password(),
                                     TotpCode(mfa->secret, std::chrono::seconds(30)));
  ASSERT_FALSE(again.empty());
  Answer channel = Call("GET", "/api/v1/channels/hook", again);
  EXPECT_EQ(channel.status, 200) << channel.body.dump();
  EXPECT_EQ(Call("GET", "/api/v1/audit/verify", again).body["intact"], true);
}

TEST(EndpointStartTest, ANonLoopbackEndpointNeedsKeysOfItsOwn) {
  TempDir dir;
  ControlPlane plane(dir.path(), {{"dev", SimEnvironment("dev")}});
  const std::string config = dir.path() + "/ec2m.json";
  std::ofstream(config) << R"({"listen":"127.0.0.1:0","data_dir":"data",)"
                        << R"("environments_dir":"config","ec2_listen":"0.0.0.0:0"})";
  CommandResult refused =
      RunCommand({EC2M_BINARY, "serve", "--config", config}, {}, std::chrono::seconds(30));
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("ec2_listen: 0.0.0.0 is not a loopback address: set "
                             "ec2_credentials"),
            std::string::npos)
      << refused.err;
}

}  // namespace
}  // namespace ec2m::testing
