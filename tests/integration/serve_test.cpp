// `ec2m serve` end to end: the REST API, its access rules, MFA, lockout, the audit trail and the
// CLI, against a real server process over a real SQLite store and the embedded region.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>

#include "auth/base32.hpp"
#include "auth/totp.hpp"
#include "cloud/aws/http_client.hpp"
#include "core/clock.hpp"
#include "support/control_plane.hpp"
#include "support/rest_client.hpp"

#include <optional>

namespace ec2m::testing {
namespace {

// dev as SimEnvironment makes it (self sign-up on), plus a web group: what a release is of.
std::string DevWithWebGroup() {
  std::string text = SimEnvironment("dev", false, true);
  text.pop_back();
  return text + R"(,"instanceGroups":[{"name":"web","image":"ami-0123456789abcdef0",
      "instanceType":"t3.micro","count":1}]})";
}

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plane_ = std::make_unique<ControlPlane>(
        dir_.path(),
        std::map<std::string, std::string>{{"dev", DevWithWebGroup()},
                                           {"prod", SimEnvironment("prod", true, false)}},
        R"(,"demo":true)");
    ASSERT_TRUE(plane_->Start()) << plane_->error();
    admin_ = Login(plane_->admin_email(), plane_->admin_password());
    ASSERT_FALSE(admin_.empty());
    // prod requires MFA, so global-admin routes need an MFA-verified session.
    admin_mfa_ = EnrolMfa(plane_->url(), admin_, plane_->admin_password());
    ASSERT_TRUE(admin_mfa_);
  }

  Answer Call(const std::string& method, const std::string& path, const std::string& token = "",
              const nlohmann::json& body = nullptr) {
    Answer a = CallApi(plane_->url(), method, path, token, body);
    if (a.status == 0) {
      ADD_FAILURE() << method << " " << path << ": no answer";
    }
    return a;
  }

  std::string Login(const std::string& email, const std::string& password,
                    const std::string& otp = "") {
    const std::string token = LoginApi(plane_->url(), email, password, otp);
    EXPECT_FALSE(token.empty()) << email << " could not sign in";
    return token;
  }

  // Creates a user with `roles` and returns a session token for them.
  std::string UserWith(const std::string& email, const nlohmann::json& roles) {
    Answer created = Call("POST", "/api/v1/users", admin_,
                          {{"email", email}, {"password", kPassword}, {"roles", roles}});
    EXPECT_EQ(created.status, 201) << created.body.dump();
    return Login(email, kPassword);
  }

  std::vector<std::string> InstanceIds(const std::string& env, const std::string& token) {
    Answer a = Call("GET", "/api/v1/instances?env=" + env, token);
    EXPECT_EQ(a.status, 200) << a.body.dump();
    std::vector<std::string> ids;
    for (const auto& i : a.body["items"]) {
      ids.push_back(i["id"]);
    }
    return ids;
  }

  // The routes whose answer also depends on the caller's environments (issue 15,
  // "Authorization"), for every role of RoutesByRoleMatrix: what each sees and may change in
  // dev beyond the route's own access rule. `instance`, `release` and `deployment` are dev's.
  void WalkFilteredRoutes(const std::map<std::string, std::string>& tokens,
                          const std::string& instance, const std::string& release,
                          const std::string& deployment) {
    Answer channel = Call("POST", "/api/v1/channels", admin_,
                          {{"name", "dev-room"},
                           {"type", "webhook"},
                           {"url", "http://127.0.0.1:9/hook"},
                           {"secret", "0123456789abcdef"},
                           {"filter", {{"environments", {"dev"}}}}});
    ASSERT_EQ(channel.status, 201) << channel.body.dump();
    const std::set<std::string> deployers = {"deployer", "dev-admin", "global-admin"};
    auto listed = [&](const std::string& path, const std::string& token, const char* key,
                      const std::string& value) {
      const nlohmann::json items = Call("GET", path, token).body["items"];
      return std::any_of(items.begin(), items.end(),
                         [&](const nlohmann::json& i) { return i.value(key, "") == value; });
    };
    for (const auto& [who, token] : tokens) {
      SCOPED_TRACE(who);
      const bool in_dev = who != "outsider";
      Answer one = Call("GET", "/api/v1/releases/" + release, token);
      EXPECT_EQ(one.status, in_dev ? 200 : 404);
      if (in_dev) {
        EXPECT_EQ(one.body.contains("user_data"), deployers.count(who) == 1) << one.body.dump();
        EXPECT_EQ(one.body.value("user_data_hidden", false), deployers.count(who) == 0);
      }
      EXPECT_EQ(listed("/api/v1/releases", token, "id", release), in_dev);
      EXPECT_EQ(Call("GET", "/api/v1/deployments/" + deployment, token).status, in_dev ? 200 : 403);
      EXPECT_EQ(listed("/api/v1/deployments", token, "id", deployment), in_dev);
      EXPECT_EQ(Call("GET", "/api/v1/channels/dev-room", token).status, in_dev ? 200 : 404);
      EXPECT_EQ(listed("/api/v1/channels", token, "name", "dev-room"), in_dev);
      if (who != "global-admin") {
        EXPECT_FALSE(listed("/api/v1/notifications", token, "environment", ""));
      }
      EXPECT_EQ(Call("POST", "/api/v1/instances/refresh", token, {{"env", "dev"}}).status,
                in_dev ? 202 : 403);
      Answer config = Call("GET", "/api/v1/environments/dev/config", token);
      EXPECT_EQ(config.status, in_dev ? 200 : 403);
      EXPECT_EQ(config.body["text"].is_string(), deployers.count(who) == 1);
      // ManagedBy: operators (and those below) are refused even the value it has.
      Answer tag = Call("PUT", "/api/v1/instances/dev/" + instance + "/tags", token,
                        {{"set", {{"ManagedBy", "ec2m"}}}});
      EXPECT_EQ(tag.status, deployers.count(who) == 1 ? 200 : 403) << tag.body.dump();
    }
  }

  static constexpr const char* kPassword = "Correct-Horse-42";
  TempDir dir_;
  std::unique_ptr<ControlPlane> plane_;
  std::string admin_;
  std::optional<MfaEnrolment> admin_mfa_;
};

TEST_F(ServeTest, ErrorsHaveOneShapeAndRequestIds) {
  Answer none = Call("GET", "/api/v1/instances");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.body["error"]["code"], "unauthenticated");
  EXPECT_EQ(none.body["error"]["request_id"], none.request_id);
  EXPECT_FALSE(none.request_id.empty());

  aws::HttpClient client(aws::HttpClientOptions{});
  auto res =
      client.Send("POST", plane_->url() + "/api/v1/users",
                  {{"Authorization", "Bearer " + admin_}, {"Content-Type", "application/json"}},
                  "{\"email\": ");
  ASSERT_NE(res.status, 0) << res.transport_error;
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(res.body.find("request body: not valid JSON"), std::string::npos) << res.body;

  Answer unknown_key =
      Call("POST", "/api/v1/users", admin_, {{"email", "x@example.com"}, {"role", "viewer"}});
  EXPECT_EQ(unknown_key.status, 400);
  EXPECT_EQ(unknown_key.body["error"]["message"],
            "request body: $.role: unknown key (expected one of email, password, roles)");

  Answer bad_role = Call("POST", "/api/v1/users", admin_,
                         {{"email", "x@example.com"}, {"roles", {{"dev", "boss"}}}});
  EXPECT_EQ(bad_role.status, 400);
  EXPECT_NE(bad_role.body["error"]["message"].get<std::string>().find("$.roles.dev"),
            std::string::npos);

  Answer no_route = Call("GET", "/api/v1/nothing", admin_);
  EXPECT_EQ(no_route.status, 404);
  EXPECT_EQ(no_route.body["error"]["code"], "not_found");

  auto big = client.Send("POST", plane_->url() + "/api/v1/auth/login",
                         {{"Content-Type", "application/json"}}, std::string(2 << 20, 'x'));
  ASSERT_NE(big.status, 0) << big.transport_error;
  EXPECT_EQ(big.status, 413);
  EXPECT_NE(big.body.find("larger than"), std::string::npos) << big.body;

  Answer bad_limit = Call("GET", "/api/v1/instances?limit=5000", admin_);
  EXPECT_EQ(bad_limit.status, 400);
  EXPECT_EQ(bad_limit.body["error"]["message"], "limit: expected an integer 1..1000, got \"5000\"");
}

TEST_F(ServeTest, HealthMetricsAndOpenApi) {
  EXPECT_EQ(Call("GET", "/health/live").status, 200);
  Answer ready = Call("GET", "/health/ready");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body["checks"]["store"], "ok");
  EXPECT_EQ(ready.body["checks"]["cloud:dev"], "ok");
  Answer api = Call("GET", "/api/v1/openapi.json");
  EXPECT_EQ(api.status, 200);
  EXPECT_EQ(api.body["openapi"], "3.0.3");
  EXPECT_TRUE(api.body["paths"].contains("/api/v1/instances/{env}/{id}/stop"));
  EXPECT_EQ(api.body["paths"]["/api/v1/instances"]["get"]["responses"]["default"]["content"]
                    ["application/json"]["schema"]["$ref"],
            "#/components/schemas/Error");
  EXPECT_EQ(api.body["components"]["schemas"]["Error"]["properties"]["error"]["required"],
            nlohmann::json({"code", "message", "request_id"}));
  (void)Call("GET", "/api/v1/instances");
  aws::HttpClient client(aws::HttpClientOptions{});
  auto metrics = client.Send("GET", plane_->url() + "/metrics", {}, "");
  ASSERT_NE(metrics.status, 0) << metrics.transport_error;
  EXPECT_NE(metrics.body.find("ec2m_http_requests_total{route=\"GET /api/v1/instances\",status="
                              "\"401\"}"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("ec2m_auth_failures_total 1"), std::string::npos) << metrics.body;
  // The start-up refresh of the inventory called dev's cloud.
  EXPECT_NE(metrics.body.find("ec2m_cloud_calls_total{env=\"dev\"}"), std::string::npos);
  EXPECT_NE(metrics.body.find("ec2m_cloud_errors_total{env=\"dev\"} 0"), std::string::npos);
  EXPECT_NE(metrics.body.find("ec2m_http_request_duration_seconds_bucket"), std::string::npos);
}

TEST_F(ServeTest, InstancesListFilterSortPageAndAct) {
  Answer all = Call("GET", "/api/v1/instances", admin_);
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.body["items"].size(), 6u);  // 3 demo instances in each environment
  Answer page = Call("GET", "/api/v1/instances?limit=4&sort=-id", admin_);
  ASSERT_EQ(page.status, 200);
  ASSERT_EQ(page.body["items"].size(), 4u);
  ASSERT_TRUE(page.body["next_cursor"].is_string());
  Answer rest = Call(
      "GET",
      "/api/v1/instances?limit=4&sort=-id&cursor=" + page.body["next_cursor"].get<std::string>(),
      admin_);
  ASSERT_EQ(rest.status, 200);
  ASSERT_EQ(rest.body["items"].size(), 2u);
  EXPECT_TRUE(rest.body["next_cursor"].is_null());
  EXPECT_GT(page.body["items"][3]["id"], rest.body["items"][0]["id"]);
  Answer wrong_sort =
      Call("GET", "/api/v1/instances?sort=id&cursor=" + page.body["next_cursor"].get<std::string>(),
           admin_);
  EXPECT_EQ(wrong_sort.status, 400);

  const std::vector<std::string> dev = InstanceIds("dev", admin_);
  ASSERT_EQ(dev.size(), 3u);
  Answer stop = Call("POST", "/api/v1/instances/dev/" + dev[0] + "/stop", admin_);
  ASSERT_EQ(stop.status, 200) << stop.body.dump();
  EXPECT_EQ(stop.body["previous_state"], "running");
  Answer stopped = Call("GET", "/api/v1/instances?env=dev&state=stopped", admin_);
  ASSERT_EQ(stopped.body["items"].size(), 1u);
  EXPECT_EQ(stopped.body["items"][0]["id"], dev[0]);

  // Bulk: per-instance results, 200 even when one fails.
  Answer bulk =
      Call("POST", "/api/v1/instances/actions", admin_,
           {{"env", "dev"}, {"action", "stop"}, {"ids", {dev[1], "i-00000000000000000"}}});
  ASSERT_EQ(bulk.status, 200) << bulk.body.dump();
  EXPECT_TRUE(bulk.body["results"][0]["ok"]);
  EXPECT_FALSE(bulk.body["results"][1]["ok"]);
  EXPECT_EQ(bulk.body["results"][1]["error"]["code"], "not_found");

  Answer tags = Call("PUT", "/api/v1/instances/dev/" + dev[2] + "/tags", admin_,
                     {{"set", {{"Owner", "alice"}}}, {"remove", {"Name"}}});
  ASSERT_EQ(tags.status, 200) << tags.body.dump();
  EXPECT_EQ(tags.body["tags"]["Owner"], "alice");
  EXPECT_FALSE(tags.body["tags"].contains("Name"));
  Answer by_tag = Call("GET", "/api/v1/instances?tag=Owner%3Dalice", admin_);
  EXPECT_EQ(by_tag.body["items"].size(), 1u);
  Answer env_tag = Call("PUT", "/api/v1/instances/dev/" + dev[2] + "/tags", admin_,
                        {{"set", {{"Environment", "prod"}}}});
  EXPECT_EQ(env_tag.status, 400);
}

TEST_F(ServeTest, RoutesByRoleMatrix) {
  // One user per role on dev, plus a global admin and a user with no role there.
  std::map<std::string, std::string> tokens = {
      {"viewer", UserWith("viewer@example.com", {{"dev", "viewer"}})},
      {"operator", UserWith("operator@example.com", {{"dev", "operator"}})},
      {"deployer", UserWith("deployer@example.com", {{"dev", "deployer"}})},
      {"approver", UserWith("approver@example.com", {{"dev", "approver"}})},
      {"dev-admin", UserWith("devadmin@example.com", {{"dev", "admin"}})},
      {"outsider", UserWith("outsider@example.com", {{"prod", "viewer"}})},
      {"global-admin", admin_},
  };
  const std::string id = InstanceIds("dev", admin_).at(0);
  // The incident routes' {id}: an incident in dev (their access is checked in its environment).
  const nlohmann::json new_incident = {
      {"severity", "P4"}, {"title", "role matrix"}, {"environment", "dev"}};
  Answer incident = Call("POST", "/api/v1/incidents", admin_, new_incident);
  ASSERT_EQ(incident.status, 201) << incident.body.dump();
  const std::string incident_id = incident.body["id"];
  // The deployment routes' {id}: a deployment of a release to dev (provisioned first).
  Answer provision =
      Call("POST", "/api/v1/environments/dev/provision", admin_, nlohmann::json::object());
  ASSERT_EQ(provision.status, 202) << provision.body.dump();
  const std::string change_set = provision.body["changeset"]["id"];
  for (int i = 0;
       i < 600 && Call("GET", "/api/v1/environments/dev/changesets/" + change_set, admin_)
                          .body.value("status", "") == "applying";
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  Answer release = Call("POST", "/api/v1/releases", admin_,
                        {{"group", "web"},
                         {"env", "dev"},
                         {"image", "ami-0fedcba9876543210"},
                         {"user_data", "#!/bin/sh\necho matrix"}});
  ASSERT_EQ(release.status, 201) << release.body.dump();
  const nlohmann::json new_deployment = {{"env", "dev"}, {"release", release.body["id"]}};
  Answer deployment = Call("POST", "/api/v1/deployments", admin_, new_deployment);
  ASSERT_EQ(deployment.status, 201) << deployment.body.dump();
  const std::string deployment_id = deployment.body["id"];
  Answer doc = Call("GET", "/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200);
  // What each access rule lets each caller do.
  auto allowed = [](const std::string& access, const std::string& who) {
    if (access == "public" || access == "signed-in") {
      return true;
    }
    if (access == "global admin") {
      return who == "global-admin";
    }
    static const std::map<std::string, std::set<std::string>> kHolders = {
        {"viewer in the environment",
         {"viewer", "operator", "deployer", "approver", "dev-admin", "global-admin"}},
        {"operator in the environment", {"operator", "deployer", "dev-admin", "global-admin"}},
        {"deployer in the environment", {"deployer", "dev-admin", "global-admin"}},
        {"approver in the environment", {"approver", "dev-admin", "global-admin"}},
        {"admin in the environment", {"dev-admin", "global-admin"}},
    };
    return kHolders.at(access).count(who) != 0;
  };
  int checked = 0;
  for (const auto& [path, methods] : doc.body["paths"].items()) {
    for (const auto& [method, op] : methods.items()) {
      std::string concrete = path;
      const bool incident_path = path.starts_with("/api/v1/incidents/");
      const bool deployment_path = path.starts_with("/api/v1/deployments/");
      const bool release_path = path.starts_with("/api/v1/releases/");
      for (const auto& [name, value] : std::map<std::string, std::string>{
               {"{env}", "dev"},
               {"{id}", incident_path     ? incident_id
                        : deployment_path ? deployment_id
                        : release_path    ? release.body["id"].get<std::string>()
                                          : id},
               {"{email}", "nobody%40example.com"},
               {"{name}", "no-such-channel"}}) {
        if (auto at = concrete.find(name); at != std::string::npos) {
          concrete.replace(at, name.size(), value);
        }
      }
      std::string upper = method;
      for (char& c : upper) {
        c = static_cast<char>(std::toupper(c));
      }
      const std::string access = op["x-ec2m-access"];
      // The alarm, metric and dashboard routes name their environment in the query (GET) or
      // the body.
      const bool monitoring = path.starts_with("/api/v1/alarms/") ||
                              path.starts_with("/api/v1/metrics") ||
                              path.starts_with("/api/v1/dashboards/");
      if (monitoring && upper == "GET") {
        concrete += "?env=dev";
      }
      // Bodies that pass Admit (env for the bulk route); handlers may still refuse them.
      const nlohmann::json body =
          path == "/api/v1/instances/actions"
              ? nlohmann::json{{"env", "dev"}, {"action", "reboot"}, {"ids", {id}}}
          : path == "/api/v1/incidents" ? new_incident
          : monitoring || path == "/api/v1/releases" || path == "/api/v1/deployments"
              ? nlohmann::json{{"env", "dev"}}
              : nlohmann::json::object();
      if (access != "public") {
        Answer anonymous = Call(upper, concrete, "", body);
        EXPECT_EQ(anonymous.status, 401) << upper << " " << path << " without a token";
      }
      for (const auto& [who, token] : tokens) {
        if (path == "/api/v1/auth/logout") {
          continue;  // would end the session the rest of the matrix uses
        }
        Answer a = Call(upper, concrete, token, body);
        if (allowed(access, who)) {
          EXPECT_NE(a.status, 403) << who << " " << upper << " " << path << ": " << a.body.dump();
          EXPECT_NE(a.status, 401) << who << " " << upper << " " << path;
        } else {
          EXPECT_EQ(a.status, 403) << who << " " << upper << " " << path << ": " << a.body.dump();
        }
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 150);
  WalkFilteredRoutes(tokens, id, release.body["id"], deployment_id);
}

TEST_F(ServeTest, MfaEnrolmentLoginAndRequiredEnvironments) {
  const std::string ops = UserWith("ops@example.com", {{"*", "operator"}});
  const std::vector<std::string> prod = InstanceIds("prod", ops);
  ASSERT_FALSE(prod.empty());
  // prod says cognito.mfaRequired: a change needs an MFA-verified session.
  Answer refused = Call("POST", "/api/v1/instances/prod/" + prod[0] + "/reboot", ops);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body["error"]["message"].get<std::string>().find("MFA"), std::string::npos);

  // Enrolment needs the current password.
  EXPECT_EQ(Call("POST", "/api/v1/me/mfa/enroll", ops).status, 400);
  EXPECT_EQ(Call("POST", "/api/v1/me/mfa/enroll", ops, {{"password", "Wrong-Horse-42"}}).status,
            403);
  Answer enrol = Call("POST", "/api/v1/me/mfa/enroll", ops, {{"password", kPassword}});
  ASSERT_EQ(enrol.status, 200);
  const std::string secret = enrol.body["secret"];
  EXPECT_EQ(enrol.body["otpauth_uri"].get<std::string>().rfind("otpauth://totp/", 0), 0u);
  Answer wrong = Call("POST", "/api/v1/me/mfa/verify", ops, {{"otp", "000000"}});
  EXPECT_EQ(wrong.status, 400);
  const TimePoint now = SystemClock().Now();
  Answer verified = Call("POST", "/api/v1/me/mfa/verify", ops,
                         {{"otp", auth::Totp(*auth::Base32Decode(secret), now)}});
  ASSERT_EQ(verified.status, 200) << verified.body.dump();
  const auto codes = verified.body["recovery_codes"];
  ASSERT_EQ(codes.size(), 10u);
  // The enrolling session is now MFA-verified.
  EXPECT_EQ(Call("POST", "/api/v1/instances/prod/" + prod[0] + "/reboot", ops).status, 200);

  // Sign-in now needs a code; a TOTP code works once, a recovery code works once.
  Answer no_code = Call("POST", "/api/v1/auth/login", "",
                        {{"email", "ops@example.com"}, {"password", kPassword}});
  EXPECT_EQ(no_code.status, 401);
  EXPECT_EQ(no_code.body["error"]["message"], "otp: an MFA code is required");
  const std::string next = auth::Totp(*auth::Base32Decode(secret), now + std::chrono::seconds(30));
  EXPECT_FALSE(Login("ops@example.com", kPassword, next).empty());
  Answer reused = Call("POST", "/api/v1/auth/login", "",
                       {{"email", "ops@example.com"}, {"password", kPassword}, {"otp", next}});
  EXPECT_EQ(reused.status, 401);
  const std::string recovery = codes[0];
  EXPECT_FALSE(Login("ops@example.com", kPassword, recovery).empty());
  Answer recovery_again =
      Call("POST", "/api/v1/auth/login", "",
           {{"email", "ops@example.com"}, {"password", kPassword}, {"otp", recovery}});
  EXPECT_EQ(recovery_again.status, 401);
}

TEST_F(ServeTest, LockoutSignupTokensAndAuditOfSignIns) {
  UserWith("bob@example.com", {{"dev", "viewer"}});
  for (int i = 0; i < 5; ++i) {
    Answer a = Call("POST", "/api/v1/auth/login", "",
                    {{"email", "bob@example.com"}, {"password", "wrong-password-1A"}});
    EXPECT_EQ(a.status, 401);
  }
  // Five failures from one address slow that address down (tests/security has the rest).
  Answer slowed = Call("POST", "/api/v1/auth/login", "",
                       {{"email", "bob@example.com"}, {"password", kPassword}});
  EXPECT_EQ(slowed.status, 429);
  EXPECT_NE(slowed.body["error"]["message"].get<std::string>().find("try again in"),
            std::string::npos);

  // dev allows self sign-up: the new user is a viewer there only.
  Answer signup = Call("POST", "/api/v1/auth/signup", "",
                       {{"email", "carol@example.com"}, {"password", kPassword}});
  ASSERT_EQ(signup.status, 201) << signup.body.dump();
  EXPECT_EQ(signup.body["user"]["roles"], (nlohmann::json{{"dev", "viewer"}}));
  Answer weak = Call("POST", "/api/v1/auth/signup", "",
                     {{"email", "dave@example.com"}, {"password", "short"}});
  EXPECT_EQ(weak.status, 400);

  // An API token for CI: works, is listed, and stops working once revoked.
  Answer token = Call("POST", "/api/v1/tokens", admin_, {{"name", "ci"}, {"expires_in_days", 7}});
  ASSERT_EQ(token.status, 201) << token.body.dump();
  const std::string ci = token.body["token"];
  EXPECT_EQ(Call("GET", "/api/v1/me", ci).status, 200);
  Answer listed = Call("GET", "/api/v1/tokens", admin_);
  ASSERT_EQ(listed.body["items"].size(), 1u);
  EXPECT_FALSE(listed.body["items"][0].contains("token"));
  // A second token of the same user is listed beside the first; revoking one leaves the other.
  Answer other = Call("POST", "/api/v1/tokens", admin_, {{"name", "cd"}, {"expires_in_days", 1}});
  ASSERT_EQ(other.status, 201) << other.body.dump();
  const std::string id = token.body["id"];
  EXPECT_EQ(Call("GET", "/api/v1/tokens", admin_).body["items"].size(), 2u);
  EXPECT_EQ(Call("DELETE", "/api/v1/tokens/" + id, admin_).status, 204);
  EXPECT_EQ(Call("GET", "/api/v1/me", ci).status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/me", other.body["token"].get<std::string>()).status, 200);
  Answer left = Call("GET", "/api/v1/tokens", admin_);
  ASSERT_EQ(left.body["items"].size(), 1u);
  EXPECT_EQ(left.body["items"][0]["name"], "cd");
  EXPECT_EQ(Call("DELETE", "/api/v1/tokens/" + id, admin_).status, 404);
  EXPECT_EQ(Call("DELETE", "/api/v1/tokens/tok-zz", admin_).status, 404);

  Answer audit = Call("GET", "/api/v1/audit?limit=1000", admin_);
  ASSERT_EQ(audit.status, 200);
  std::multiset<std::string> seen;
  for (const auto& e : audit.body["items"]) {
    seen.insert(e["action"].get<std::string>() + ":" + e["result"].get<std::string>());
  }
  EXPECT_GE(seen.count("auth.login:failure"), 5u);
  EXPECT_GE(seen.count("auth.login:success"), 2u);
  EXPECT_EQ(seen.count("user.signup:success"), 1u);
  EXPECT_EQ(seen.count("token.create:success"), 2u);
  EXPECT_EQ(seen.count("auth.token_use:success"), 2u);
  EXPECT_EQ(seen.count("token.revoke:success"), 1u);
  Answer verify = Call("GET", "/api/v1/audit/verify", admin_);
  EXPECT_EQ(verify.body["intact"], true);
  // `since` is a time: a malformed one is refused naming it; a whole second includes entries of
  // that second (entries carry milliseconds).
  Answer bad_since = Call("GET", "/api/v1/audit?since=yesterday", admin_);
  EXPECT_EQ(bad_since.status, 400);
  EXPECT_NE(bad_since.body.dump().find("since: expected an RFC 3339"), std::string::npos);
  const std::string first = audit.body["items"][0]["time"].get<std::string>();
  Answer from_second =
      Call("GET", "/api/v1/audit?limit=1000&since=" + first.substr(0, 19) + "Z", admin_);
  ASSERT_EQ(from_second.status, 200);
  EXPECT_EQ(from_second.body["items"][0]["time"], first);
}

TEST_F(ServeTest, CliSignsInListsActsAndVerifiesTheAudit) {
  CommandResult login =
      plane_->Ec2m({"login", "--server", plane_->url(), "--email", plane_->admin_email(),
                    "--password-stdin", "--otp", admin_mfa_->recovery_codes.at(0)},
                   plane_->admin_password() + "\n");
  ASSERT_EQ(login.exit_code, 0) << login.err;
  struct stat st {};
  ASSERT_EQ(stat((plane_->dir() + "/cli/credentials.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  CommandResult whoami = plane_->Ec2m({"whoami"});
  EXPECT_EQ(whoami.exit_code, 0) << whoami.err;
  EXPECT_NE(whoami.out.find(plane_->admin_email()), std::string::npos);

  CommandResult list = plane_->Ec2m(
      {"instances", "list", "--env", "dev", "--state", "running", "--output", "table"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out.rfind("INSTANCE", 0), 0u) << list.out;
  CommandResult ids = plane_->Ec2m({"instances", "list", "--env", "dev", "-o", "json"});
  auto items = nlohmann::json::parse(ids.out);
  ASSERT_EQ(items.size(), 3u);
  const std::string id = items[0]["id"];

  CommandResult stop = plane_->Ec2m({"instances", "stop", id, "--env", "dev"});
  EXPECT_EQ(stop.exit_code, 0) << stop.err;
  CommandResult protected_prod =
      plane_->Ec2m({"instances", "terminate", "i-0123456789abcdef0", "--env", "dev", "--yes"});
  EXPECT_EQ(protected_prod.exit_code, 3) << protected_prod.err;  // not found in dev
  CommandResult unconfirmed = plane_->Ec2m({"instances", "terminate", id, "--env", "dev"}, "no\n");
  EXPECT_EQ(unconfirmed.exit_code, 5);

  CommandResult verify = plane_->Ec2m({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  CommandResult exported = plane_->Ec2m({"audit", "export", "--since", "2000-01-01T00:00:00Z"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_NE(exported.out.find("\"action\":\"instance.stop\""), std::string::npos);

  // Someone edits the store behind ec2m's back: verify names the entry and exits non-zero.
  ASSERT_EQ(plane_->Stop(), 0);
  CommandResult edit =
      RunCommand({"sqlite3", plane_->dir() + "/data/ec2m.db",
                  "UPDATE docs SET body = replace(body, 'instance.stop', 'instance.start') "
                  "WHERE collection = 'audit'"});
  ASSERT_EQ(edit.exit_code, 0) << edit.err;
  ASSERT_TRUE(plane_->Start()) << plane_->error();
  CommandResult broken = plane_->Ec2m({"audit", "verify", "--server", plane_->url()});
  EXPECT_EQ(broken.exit_code, 5);
  EXPECT_NE(broken.err.find("was altered"), std::string::npos) << broken.err;

  CommandResult logout = plane_->Ec2m({"logout", "--server", plane_->url()});
  EXPECT_EQ(logout.exit_code, 0);
  CommandResult after = plane_->Ec2m({"whoami"});
  EXPECT_EQ(after.exit_code, 6) << after.err;
}

TEST_F(ServeTest, StopsGracefullyAndKeepsStateAcrossRestarts) {
  const std::vector<std::string> before = InstanceIds("dev", admin_);
  EXPECT_EQ(plane_->Stop(), 0);
  ASSERT_TRUE(plane_->Start()) << plane_->error();
  const std::string again =
      Login(plane_->admin_email(), plane_->admin_password(), admin_mfa_->recovery_codes.at(0));
  EXPECT_EQ(InstanceIds("dev", again), before);
}

TEST(ServeTlsTest, ServesHttpsWithTheConfiguredCertificate) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() + "/tls");
  CommandResult cert =
      RunCommand({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                  dir.path() + "/tls/key.pem", "-out", dir.path() + "/tls/cert.pem", "-days", "1",
                  "-subj", "/CN=127.0.0.1"});
  ASSERT_EQ(cert.exit_code, 0) << cert.err;
  ControlPlane plane(dir.path(), {{"dev", SimEnvironment("dev")}},
                     R"(,"tls_cert":"tls/cert.pem","tls_key":"tls/key.pem")");
  ASSERT_TRUE(plane.Start()) << plane.error();
  ASSERT_EQ(plane.url().rfind("https://", 0), 0u) << plane.url();
  aws::HttpClientOptions verified;  // the certificate and its host name, against the file
  verified.ca_file = dir.path() + "/tls/cert.pem";
  aws::HttpClient tls(verified);
  auto live = tls.Send("GET", plane.url() + "/health/live", {}, "");
  ASSERT_NE(live.status, 0) << live.transport_error;
  EXPECT_EQ(live.status, 200);
  aws::HttpClient plain(aws::HttpClientOptions{});
  EXPECT_NE(plain.Send("GET", "http" + plane.url().substr(5) + "/health/live", {}, "").status, 200);
  EXPECT_EQ(plane.Stop(), 0);

  // A key that is not one: ec2m serve refuses to start, naming the file.
  std::ofstream(dir.path() + "/tls/key.pem") << "not a key";
  CommandResult bad = RunCommand({EC2M_BINARY, "serve", "--config", dir.path() + "/ec2m.json"});
  EXPECT_EQ(bad.exit_code, 2) << bad.out;
  EXPECT_NE(bad.err.find("cannot load the TLS key"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace ec2m::testing
