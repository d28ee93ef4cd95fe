#include "store/postgres/conninfo.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ec2m::store::pg {
namespace {

ConnInfo MustParse(const std::string& conninfo) {
  auto info = ConnInfo::Parse(conninfo);
  EXPECT_TRUE(info) << info.error().ToString();
  // After a failure, any ConnInfo will do: the test has failed already.
  return info ? std::move(*info) : std::move(*ConnInfo::Parse(""));
}

std::string ParseError(const std::string& conninfo) {
  auto info = ConnInfo::Parse(conninfo);
  EXPECT_FALSE(info) << conninfo;
  if (info) {
    return "";
  }
  EXPECT_EQ(info.error().code, ErrorCode::kInvalidArgument);
  return info.error().message;
}

TEST(ConnInfoTest, DisplayOfAUriLeavesThePasswordOut) {
  const ConnInfo info = MustParse("postgresql://ec2m:pw@db.internal:6432/fleet?sslmode=require");
  EXPECT_EQ(info.display(), "postgresql://ec2m@db.internal:6432/fleet");
  EXPECT_EQ(info.conninfo(), "postgresql://ec2m:pw@db.internal:6432/fleet?sslmode=require");
}

TEST(ConnInfoTest, DisplayOfKeywordPairs) {
  EXPECT_EQ(MustParse("host=10.0.0.5 port=5432 user=ec2m dbname=fleet password='a b'").display(),
            "postgresql://ec2m@10.0.0.5:5432/fleet");
  EXPECT_EQ(MustParse("hostaddr=127.0.0.1 dbname=fleet").display(), "postgresql://127.0.0.1/fleet");
}

TEST(ConnInfoTest, ScrubReplacesEveryFormOfThePassword) {
  // The URI holds it percent-encoded, libpq decodes it: a message may quote either.
  const ConnInfo info = MustParse("postgresql://ec2m:p%40ss-word@localhost/fleet");
  EXPECT_EQ(info.Scrub("bad p@ss-word and p%40ss-word\n\tsecond line\n"),
            "bad *** and *** second line");
}

TEST(ConnInfoTest, ScrubCoversQueryAndKeywordPasswords) {
  EXPECT_EQ(MustParse("postgresql://localhost/fleet?password=qpw&sslpassword=kpw").Scrub("qpw kpw"),
            "*** ***");
  EXPECT_EQ(MustParse(R"(dbname=fleet password = 'it\'s' user=u)").Scrub("it's"), "***");
}

TEST(ConnInfoTest, UnparsableStringsAreInvalidWithoutThePassword) {
  std::string message = ParseError("postgresql://ec2m:hunter2@[::1/fleet");
  EXPECT_EQ(message,
            "store: invalid PostgreSQL connection string: end of string reached when looking for "
            "matching \"]\" in IPv6 host address in URI: \"postgresql://ec2m:***@[::1/fleet\"");
  message = ParseError("host=db password=hunter2 bogus");
  EXPECT_NE(message.find("bogus"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
  message = ParseError("postgresql://ec2m:hunter2@db/fleet?colour=blue");
  EXPECT_EQ(message,
            "store: invalid PostgreSQL connection string: invalid URI query parameter: \"colour\"");
}

TEST(ConnInfoTest, UnencodedAtOrSlashInThePasswordIsRefusedWithoutEchoingIt) {
  for (const char* uri :
       {"postgresql://ec2m:hun@ter2@db/fleet", "postgresql://ec2m:hun/ter2@db/fleet"}) {
    const std::string message = ParseError(uri);
    EXPECT_NE(message.find("%40"), std::string::npos) << message;
    EXPECT_EQ(message.find("ter2"), std::string::npos) << message;
  }
}

TEST(ConnInfoTest, PortMustBeANumber) {
  EXPECT_EQ(ParseError("postgresql://ec2m:hunter2@db:fivefour/fleet"),
            "store postgresql://ec2m@db:fivefour/fleet: port 'fivefour' is not a number");
  EXPECT_EQ(MustParse("postgresql://db1:5432,db2:5433/fleet").display(),
            "postgresql://db1,db2:5432,5433/fleet");
}

}  // namespace
}  // namespace ec2m::store::pg
