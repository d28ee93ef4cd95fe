// Two `ec2m serve` replicas sharing one PostgreSQL database (Debian's server, started by the
// test): a session made on one works on the other, changes made on either land in one audit
// chain that verifies, and a user created on one can sign in on the other.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/control_plane.hpp"
#include "support/postgres_server.hpp"
#include "support/rest_client.hpp"

namespace ec2m::testing {
namespace {

nlohmann::json Call(const std::string& url, const std::string& method, const std::string& path,
                    const std::string& token, const nlohmann::json& body, int* status) {
  const Answer res = CallApi(url, method, path, token, body);
  *status = res.status;
  return res.body;
}

TEST(ServeReplicasTest, TwoReplicasShareSessionsUsersAndOneAuditChain) {
  PostgresServer& pg = PostgresServer::Shared();
  ASSERT_TRUE(pg.running()) << pg.error();
  PostgresServer::Schema schema = pg.CreateSchema();
  ASSERT_FALSE(schema.name.empty()) << schema.error;
  TempDir a_dir;
  TempDir b_dir;
  TempDir keys_dir;
  // Replicas share the database and so the key file: it signs the one audit chain.
  const std::string settings = R"(,"store":"postgres","store_url":")" + schema.uri +
                               R"(","key_file":")" + keys_dir.path() + "/ec2m.keys\"";
  // Only the first replica may launch the demo fleet; both see it through the shared store.
  ControlPlane a(a_dir.path(), {{"dev", SimEnvironment("dev")}}, settings + R"(,"demo":true)");
  ASSERT_TRUE(a.Start()) << a.error();
  ControlPlane b(b_dir.path(), {{"dev", SimEnvironment("dev")}}, settings);
  ASSERT_TRUE(b.Start()) << b.error();
  EXPECT_FALSE(a.admin_password().empty());
  EXPECT_TRUE(b.admin_password().empty()) << "the first admin is made once, by one replica";

  int status = 0;
  auto login = Call(a.url(), "POST", "/api/v1/auth/login", "",
                    {{"email", a.admin_email()}, {"password", a.admin_password()}}, &status);
  ASSERT_EQ(status, 200) << login.dump();
  const std::string token = login["token"];
  auto me = Call(b.url(), "GET", "/api/v1/me", token, nullptr, &status);
  EXPECT_EQ(status, 200) << "a session made on replica a must work on replica b";
  EXPECT_EQ(me["email"], a.admin_email());

  auto created = Call(b.url(), "POST", "/api/v1/users", token,
                      {{"email", "ops@example.com"},
                       {"password", "Correct-Horse-42"},
                       {"roles", {{"dev", "operator"}}}},
                      &status);
  ASSERT_EQ(status, 201) << created.dump();
  auto ops = Call(a.url(), "POST", "/api/v1/auth/login", "",
                  {{"email", "ops@example.com"}, {"password", "Correct-Horse-42"}}, &status);
  ASSERT_EQ(status, 200) << ops.dump();

  // Both replicas act; the entries of both chain into one log.
  for (const auto* replica : {&a, &b}) {
    auto refreshed = Call(replica->url(), "POST", "/api/v1/instances/refresh", token,
                          nlohmann::json::object(), &status);
    EXPECT_EQ(status, 202) << refreshed.dump();
    auto list = Call(replica->url(), "GET", "/api/v1/instances?env=dev", token, nullptr, &status);
    ASSERT_EQ(status, 200);
    ASSERT_EQ(list["items"].size(), 3u) << replica->url();
    auto stop =
        Call(replica->url(), "POST",
             "/api/v1/instances/dev/" + list["items"][0]["id"].get<std::string>() + "/reboot",
             ops["token"], nlohmann::json::object(), &status);
    EXPECT_EQ(status, 200) << stop.dump();
  }
  auto verify = Call(b.url(), "GET", "/api/v1/audit/verify", token, nullptr, &status);
  ASSERT_EQ(status, 200);
  EXPECT_EQ(verify["intact"], true) << verify.dump();
  EXPECT_GE(verify["entries"].get<int>(), 6);
  EXPECT_EQ(a.Stop(), 0);
  EXPECT_EQ(b.Stop(), 0);
}

}  // namespace
}  // namespace ec2m::testing
