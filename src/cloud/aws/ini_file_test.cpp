#include "cloud/aws/ini_file.hpp"

#include <gtest/gtest.h>

#include <string>

#include "cloud/aws/temp_dir_for_test.hpp"

namespace ec2m::aws {
namespace {

std::string Value(const IniFile& f, std::string_view section, std::string_view key) {
  const IniSection* s = f.Find(section);
  if (s == nullptr) {
    return "<no section>";
  }
  auto it = s->find(key);
  return it == s->end() ? "<no key>" : it->second;
}

TEST(IniFileTest, CommentsTrimmingAndDelimiters) {
  auto f = ParseIni(
      "# leading comment\n"
      "; another\n"
      "[  default  ]\n"
      "  # indented comment\n"
      "region   =   eu-west-1   \n"
      "Output: json\n"
      "url = https://example.com:8443/a=b\n"
      "note = a # not a comment\n"
      "empty =\n"
      "\r\n"
      "[profile staging]\r\n"
      "region=us-east-2\r\n",
      "cfg");
  ASSERT_TRUE(f) << f.error().ToString();
  EXPECT_EQ(Value(*f, "default", "region"), "eu-west-1");
  EXPECT_EQ(Value(*f, "default", "output"), "json");  // keys lower-cased, ':' delimiter
  EXPECT_EQ(Value(*f, "default", "url"), "https://example.com:8443/a=b");
  EXPECT_EQ(Value(*f, "default", "note"), "a # not a comment");
  EXPECT_EQ(Value(*f, "default", "empty"), "");
  EXPECT_EQ(Value(*f, "profile staging", "region"), "us-east-2");
  EXPECT_EQ(f->sections.size(), 2u);
}

TEST(IniFileTest, NestedSubSectionsAreIgnored) {
  auto f = ParseIni(
      "[default]\n"
      "s3 =\n"
      "  max_concurrent_requests = 20\n"
      "  region = nested-region\n"
      "\n"
      "\tregion = still-nested\n"
      "region = us-west-2\n",
      "cfg");
  ASSERT_TRUE(f) << f.error().ToString();
  EXPECT_EQ(Value(*f, "default", "region"), "us-west-2");
  EXPECT_EQ(Value(*f, "default", "max_concurrent_requests"), "<no key>");
  EXPECT_EQ(Value(*f, "default", "s3"), "");
}

TEST(IniFileTest, DuplicateSectionsMergeLaterKeysWin) {
  auto f = ParseIni(
      "[a]\nx = 1\ny = 1\n"
      "[b]\nx = b\n"
      "[a]\ny = 2\nz = 2\n",
      "cfg");
  ASSERT_TRUE(f) << f.error().ToString();
  EXPECT_EQ(Value(*f, "a", "x"), "1");
  EXPECT_EQ(Value(*f, "a", "y"), "2");
  EXPECT_EQ(Value(*f, "a", "z"), "2");
  EXPECT_EQ(Value(*f, "b", "x"), "b");
}

struct BadIniCase {
  const char* name;
  const char* text;
  const char* message;
};

class BadIniTest : public ::testing::TestWithParam<BadIniCase> {};

TEST_P(BadIniTest, FailsNamingFileAndLineWithoutQuotingIt) {
  auto f = ParseIni(GetParam().text, "/x/config");
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(f.error().message, GetParam().message);
  EXPECT_EQ(f.error().message.find("SECRETVALUE"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadIniTest,
    ::testing::Values(BadIniCase{"KeyBeforeSection", "# c\nkey = SECRETVALUE\n",
                                 "/x/config:2: key outside of any [section]"},
                      BadIniCase{"NoDelimiter", "[default]\naws_secret_access_key SECRETVALUE\n",
                                 "/x/config:2: expected '[section]' or 'key = value'"},
                      BadIniCase{"EmptyKey", "[default]\n= SECRETVALUE\n",
                                 "/x/config:2: expected '[section]' or 'key = value'"},
                      BadIniCase{"UnclosedSection", "[default]\n[SECRETVALUE\n",
                                 "/x/config:2: section header without closing ']'"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(IniFileTest, ReadIniFileMissingIsEmptyNotError) {
  testing::TempDir dir;
  auto f = ReadIniFile(dir.path() + "/nope");
  ASSERT_TRUE(f) << f.error().ToString();
  EXPECT_FALSE(f->exists);
  EXPECT_TRUE(f->sections.empty());
}

TEST(IniFileTest, ReadIniFileReadsAndNamesThePath) {
  testing::TempDir dir;
  std::string good = dir.Write("good", "[default]\nregion = ap-south-1\n");
  auto f = ReadIniFile(good);
  ASSERT_TRUE(f) << f.error().ToString();
  EXPECT_TRUE(f->exists);
  EXPECT_EQ(f->path, good);
  EXPECT_EQ(Value(*f, "default", "region"), "ap-south-1");

  std::string bad = dir.Write("bad", "[default]\n\nnonsense\n");
  auto b = ReadIniFile(bad);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().message, bad + ":3: expected '[section]' or 'key = value'");
}

}  // namespace
}  // namespace ec2m::aws
