#include "auth/keyring.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "auth/secure_random.hpp"

namespace ec2m::auth {
namespace {

namespace fs = std::filesystem;

class KeyRingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("keyring-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  SecureRandom random_;
  const TimePoint now_ = FromUnixMillis(1'800'000'000'000);
};

TEST_F(KeyRingTest, CreatesAPrivateFileOnceAndLoadsTheSameKeys) {
  const std::string path = (dir_ / "keys" / "ec2m.keys").string();
  auto first = KeyRing::LoadOrCreate(path, random_, now_);
  ASSERT_TRUE(first) << first.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((dir_ / "keys").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  auto again = KeyRing::LoadOrCreate(path, random_, now_);
  ASSERT_TRUE(again);
  const std::string mac = first->Mac("audit", "head 7");
  EXPECT_EQ(mac.rfind("k1:", 0), 0u);
  EXPECT_TRUE(again->VerifyMac("audit", "head 7", mac));
  EXPECT_FALSE(again->VerifyMac("audit", "head 8", mac));
  EXPECT_FALSE(again->VerifyMac("secrets", "head 7", mac));  // another purpose, another subkey
  EXPECT_FALSE(again->VerifyMac("audit", "head 7", "k9:" + mac.substr(3)));
  EXPECT_FALSE(again->VerifyMac("audit", "head 7", "garbage"));
}

TEST_F(KeyRingTest, SealsToTheContextAndDetectsTampering) {
  const KeyRing ring = KeyRing::ForTesting(std::string(32, 'k'));
  const std::string sealed = ring.Seal("secrets", "JBSWY3DPEHPK3PXP", "user a@b.c mfa", random_);
  EXPECT_TRUE(KeyRing::IsSealed(sealed));
  EXPECT_EQ(sealed.find("JBSWY3DP"), std::string::npos);
  EXPECT_NE(sealed, ring.Seal("secrets", "JBSWY3DPEHPK3PXP", "user a@b.c mfa", random_));
  EXPECT_EQ(*ring.Open("secrets", sealed, "user a@b.c mfa"), "JBSWY3DPEHPK3PXP");
  EXPECT_FALSE(ring.Open("secrets", sealed, "user mallory@b.c mfa"));  // moved to another record
  EXPECT_FALSE(ring.Open("audit", sealed, "user a@b.c mfa"));
  std::string altered = sealed;
  altered[altered.size() - 6] = altered[altered.size() - 6] == 'A' ? 'B' : 'A';
  auto bad = ring.Open("secrets", altered, "user a@b.c mfa");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInternal);
  EXPECT_FALSE(ring.Open("secrets", "plain text", "user a@b.c mfa"));
  EXPECT_EQ(*ring.Open("secrets", ring.Seal("secrets", "", "c", random_), "c"), "");
}

TEST_F(KeyRingTest, RotationKeepsOldValuesReadable) {
  const std::string path = (dir_ / "ec2m.keys").string();
  auto before = KeyRing::LoadOrCreate(path, random_, now_);
  ASSERT_TRUE(before);
  const std::string old_sealed = before->Seal("secrets", "s3cret", "c", random_);
  const std::string old_mac = before->Mac("audit", "d");
  auto id = KeyRing::Rotate(path, random_, now_);
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(*id, "k2");
  auto after = KeyRing::Load(path);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->size(), 2u);
  EXPECT_EQ(after->current_id(), "k2");
  EXPECT_EQ(*after->Open("secrets", old_sealed, "c"), "s3cret");
  EXPECT_TRUE(after->VerifyMac("audit", "d", old_mac));
  EXPECT_EQ(after->Mac("audit", "d").rfind("k2:", 0), 0u);
  EXPECT_NE(after->Seal("secrets", "x", "c", random_).find(":k2:"), std::string::npos);
}

TEST_F(KeyRingTest, RefusesAFileOthersCanReadOrThatIsNotAKeyFile) {
  fs::create_directories(dir_);
  const std::string path = (dir_ / "ec2m.keys").string();
  std::ofstream(path) << "{\"format\":\"ec2m-keys-1\",\"keys\":[]}";
  ::chmod(path.c_str(), 0644);
  auto open = KeyRing::Load(path);
  ASSERT_FALSE(open);
  EXPECT_EQ(open.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(open.error().message.find("can be read by others (mode 644)"), std::string::npos);
  ::chmod(path.c_str(), 0600);
  auto empty = KeyRing::Load(path);
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("holds no key"), std::string::npos);
  std::ofstream(path) << "not json";
  EXPECT_FALSE(KeyRing::LoadOrCreate(path, random_, now_));
  EXPECT_EQ(KeyRing::Load((dir_ / "none").string()).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace ec2m::auth
