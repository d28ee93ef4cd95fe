// The audit trail (issue 15, "Audit"): no change without its entry, and a database rewritten
// behind ec2m's back is caught even when every hash in it was recomputed.

#include <gtest/gtest.h>

#include "support/plane_test.hpp"

namespace ec2m::testing {
namespace {

class AuditAttackTest : public PlaneTest {
 protected:
  void SetUp() override {
    plane_ = std::make_unique<ControlPlane>(
        dir_.path(), std::map<std::string, std::string>{{"dev", SimEnvironment("dev")}},
        R"(,"demo":true)");
    ASSERT_TRUE(plane_->Start()) << plane_->error();
    admin_ = Login(plane_->admin_email(), plane_->admin_password());
  }

  CommandResult Sql(const std::string& sql) {
    return RunCommand({"sqlite3", plane_->dir() + "/data/ec2m.db", sql});
  }

  std::string FirstInstance() {
    return Call("GET", "/api/v1/instances?env=dev", admin_).body["items"][0]["id"];
  }
};

TEST_F(AuditAttackTest, AChangeTheAuditLogCannotRecordIsRefusedAndNotMade) {
  const std::string id = FirstInstance();
  // The store starts failing every audit write (a full disk for that table, say).
  CommandResult trigger =
      Sql("CREATE TRIGGER no_audit BEFORE INSERT ON docs WHEN NEW.collection = 'audit' "
          "BEGIN SELECT RAISE(ABORT, 'audit write failed'); END;");
  ASSERT_EQ(trigger.exit_code, 0) << trigger.err;
  // Identity commits change and entry together: the user is not created.
  Answer user = Call("POST", "/api/v1/users", admin_,
                     {{"email", "new@example.com"}, {"roles", {{"dev", "viewer"}}}});
  EXPECT_GE(user.status, 400) << user.body.dump();
  // The store's error reaches the admin without saying where the server keeps its data.
  EXPECT_EQ(user.body.dump().find(plane_->dir()), std::string::npos) << user.body.dump();
  // Everything else writes its entry first: the instance is not stopped, the tag not set.
  Answer stop = Call("POST", "/api/v1/instances/dev/" + id + "/stop", admin_);
  EXPECT_EQ(stop.status, 503) << stop.body.dump();
  Answer tag = Call("PUT", "/api/v1/instances/dev/" + id + "/tags", admin_,
                    {{"set", {{"Owner", "mallory"}}}});
  EXPECT_EQ(tag.status, 503);
  Answer channel = Call("POST", "/api/v1/channels", admin_,
                        {{"name", "hook"},
                         {"type", "webhook"},
                         {"url", "http://127.0.0.1:9/h"},
                         {"secret", "0123456789abcdef"}});
  EXPECT_EQ(channel.status, 503);
  ASSERT_EQ(Sql("DROP TRIGGER no_audit;").exit_code, 0);
  // Nothing of it happened.
  Answer instance = Call("GET", "/api/v1/instances/dev/" + id, admin_);
  EXPECT_EQ(instance.body["state"], "running") << instance.body.dump();
  EXPECT_FALSE(instance.body["tags"].contains("Owner")) << instance.body.dump();
  // The answer is kept: a loop over a member of a temporary would read freed memory.
  const Answer users = Call("GET", "/api/v1/users", admin_);
  for (const auto& u : users.body["items"]) {
    EXPECT_NE(u["email"], "new@example.com");
  }
  EXPECT_TRUE(Call("GET", "/api/v1/channels", admin_).body["items"].empty());
  // And once the log can be written again, so can changes.
  EXPECT_EQ(Call("POST", "/api/v1/instances/dev/" + id + "/stop", admin_).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/audit/verify", admin_).body["intact"], true);
}

TEST_F(AuditAttackTest, ATruncatedLogWithRecomputedHeadIsCaught) {
  const std::string id = FirstInstance();
  ASSERT_EQ(Call("POST", "/api/v1/instances/dev/" + id + "/stop", admin_).status, 200);
  ASSERT_EQ(Call("GET", "/api/v1/audit/verify", admin_).body["intact"], true);
  ASSERT_EQ(plane_->Stop(), 0);
  // Someone with the database (not the key file) drops the last entries, which recorded the
  // stop, and points the head at the entry before them: every hash left is right.
  CommandResult rewrite = Sql(
      "DELETE FROM docs WHERE collection = 'audit' AND key > (SELECT printf('%020d', "
      "json_extract(CAST(body AS TEXT), '$.seq') - 2) FROM docs WHERE collection = 'audit_head');"
      "UPDATE docs SET body = CAST((SELECT json_object('seq', json_extract(CAST(body AS TEXT), "
      "'$.seq'), 'hash', json_extract(CAST(body AS TEXT), '$.hash')) FROM docs WHERE collection "
      "= 'audit' ORDER BY key DESC LIMIT 1) AS BLOB) WHERE collection = 'audit_head';");
  ASSERT_EQ(rewrite.exit_code, 0) << rewrite.err;
  ASSERT_TRUE(plane_->Start()) << plane_->error();
  const std::string admin = Login(plane_->admin_email(), plane_->admin_password());
  Answer verify = Call("GET", "/api/v1/audit/verify", admin);
  EXPECT_EQ(verify.body["intact"], false) << verify.body.dump();
  EXPECT_NE(verify.body["problem"].get<std::string>().find("was not signed by this key file"),
            std::string::npos)
      << verify.body.dump();
  ASSERT_TRUE(plane_->LoginAdmin());
  CommandResult cli = plane_->Ec2m({"audit", "verify"});
  EXPECT_NE(cli.exit_code, 0);
  EXPECT_NE(cli.err.find("not signed"), std::string::npos) << cli.err;
}

}  // namespace
}  // namespace ec2m::testing
