// Damaged stored records (issue 15, "Input"): someone or something wrote garbage into the
// database; `ec2m serve` still starts, reports what it skipped, and serves the rest.

#include <gtest/gtest.h>

#include "support/plane_test.hpp"

namespace ec2m::testing {
namespace {

class StoredRecordsTest : public PlaneTest {
 protected:
  void SetUp() override {
    std::string dev = SimEnvironment("dev");
    dev.pop_back();
    dev += R"(,"instanceGroups":[{"name":"web","image":"ami-0123456789abcdef0",
        "instanceType":"t3.micro","count":1}]})";
    plane_ = std::make_unique<ControlPlane>(
        dir_.path(), std::map<std::string, std::string>{{"dev", dev}}, R"(,"demo":true)");
    ASSERT_TRUE(plane_->Start()) << plane_->error();
    admin_ = Login(plane_->admin_email(), plane_->admin_password());
  }
};

TEST_F(StoredRecordsTest, AGarbledRecordOfEveryKindDoesNotStopTheServer) {
  // Something of every kind the server keeps.
  UserWith("aaa@example.com", {{"dev", "viewer"}});
  ASSERT_EQ(Call("POST", "/api/v1/tokens", admin_, {{"name", "ci"}}).status, 201);
  ASSERT_EQ(Call("POST", "/api/v1/channels", admin_,
                 {{"name", "hook"},
                  {"type", "webhook"},
                  {"url", "http://127.0.0.1:9/h"},
                  {"secret", "0123456789abcdef"}})
                .status,
            201);
  ASSERT_EQ(Call("POST", "/api/v1/incidents", admin_,
                 {{"severity", "P4"}, {"title", "t"}, {"environment", "dev"}})
                .status,
            201);
  Answer release = Call("POST", "/api/v1/releases", admin_,
                        {{"group", "web"}, {"env", "dev"}, {"image", "ami-0fedcba9876543210"}});
  ASSERT_EQ(release.status, 201) << release.body.dump();
  ASSERT_EQ(Call("POST", "/api/v1/metrics", admin_,
                 {{"env", "dev"}, {"data", {{{"metric", "Requests"}, {"value", 1}}}}})
                .status,
            200);
  ASSERT_EQ(plane_->Stop(), 0);
  // The first document of every collection and the first simulated record of every kind become
  // garbage: a truncated object, and an array nested far too deep.
  const std::string db = plane_->dir() + "/data/ec2m.db";
  CommandResult garble = RunCommand(
      {"sqlite3", db,
       "UPDATE docs SET body = CAST('{\"broken\": ' AS BLOB) WHERE (collection, key) IN "
       "(SELECT collection, min(key) FROM docs WHERE collection NOT IN ('audit', "
       "'audit_head') GROUP BY collection);"
       "UPDATE sim_records SET body = CAST(printf('%.*c', 5000, '[') AS BLOB) WHERE (kind, id) IN "
       "(SELECT kind, min(id) FROM sim_records GROUP BY kind);"});
  ASSERT_EQ(garble.exit_code, 0) << garble.err;
  ASSERT_TRUE(plane_->Start()) << plane_->error();
  EXPECT_EQ(Call("GET", "/health/live", "").status, 200);
  // The admin is not the first user any more ("aaa@..." is, and it is garbled).
  const std::string admin = Login(plane_->admin_email(), plane_->admin_password());
  ASSERT_FALSE(admin.empty());
  EXPECT_EQ(Call("GET", "/api/v1/users", admin).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/instances?env=dev", admin).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/channels", admin).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/incidents", admin).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/releases", admin).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/alarms?env=dev", admin).status, 200);
  // The garbled user cannot sign in, and saying so is not an error of the server.
  EXPECT_NE(Call("POST", "/api/v1/auth/login", "",
                 {{"email", "aaa@example.com"}, {"password", "Correct-Horse-42"}})
                .status,
            0);
  EXPECT_EQ(Call("GET", "/health/live", "").status, 200);
}

}  // namespace
}  // namespace ec2m::testing
