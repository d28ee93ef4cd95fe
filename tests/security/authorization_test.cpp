// Attacks on who may see and do what (issue 15, "Authorization"), each sent to a real
// `ec2m serve` as the caller would send it: a dev viewer reading prod's releases, deployments,
// notifications and channels; an outsider acting on another environment's deployment; a viewer
// reading user data; an operator retagging what ec2m manages instances by; a refresh of an
// environment without a role; an infrastructure change in an approval-required environment
// applied without a second person, outside its window, under lowered rules or as an emergency.
// Each checks the answer and that nothing changed that should not have.

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "support/plane_test.hpp"
#include "support/webhook_receiver.hpp"

namespace ec2m::testing {
namespace {

using std::chrono::seconds;

constexpr const char* kImage = "ami-0fedcba9876543210";
constexpr const char* kPassword = "Correct-Horse-42";

// Every hour of every day, in two halves.
const std::string kAlways = R"([{"days":["mon","tue","wed","thu","fri","sat","sun"],
    "start":"00:00","end":"12:00","timeZone":"UTC"},
   {"days":["mon","tue","wed","thu","fri","sat","sun"],"start":"12:00","end":"00:00",
    "timeZone":"UTC"}])";

// One minute a week, three days from now: never open while a test runs.
std::string Never() {
  static const char* kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  return std::string(R"([{"days":[")") + kDays[(utc.tm_wday + 3) % 7] +
         R"("],"start":"00:00","end":"00:01","timeZone":"UTC"}])";
}

// A simulated environment with a web group of one. `approval`: its approval rule (JSON);
// `windows`: its maintenance windows.
std::string Environment(const std::string& name, const std::string& approval,
                        const std::string& windows = kAlways) {
  return R"({"environment":")" + name + R"(","region":"us-west-2","cloud":{"provider":"sim"},
  "securityGroups":[{"name":"web","ingress":[{"port":443,"cidr":"0.0.0.0/0"}]}],
  "instanceGroups":[{"name":"web","image":"ami-0123456789abcdef0","instanceType":"t3.micro",
                     "count":1,"securityGroups":["web"],"userData":"v1"}],
  "removalPolicy":")" +
         std::string(name == "prod" ? "RETAIN" : "DESTROY") + R"(",
  "deployment":{"stabilizationSeconds":1,"watchSeconds":1,"healthTimeoutSeconds":60},
  "maintenanceWindows":)" +
         windows + R"(,"approval":)" + approval + R"(,"cognito":{"mfaRequired":false}})";
}

const std::string kTwoPersons = R"({"required":true,"approvals":1})";
const std::string kOnePerson = R"({"required":false})";

class AuthorizationAttackTest : public PlaneTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(receiver_.Start());
    plane_ = std::make_unique<ControlPlane>(
        dir_.path(),
        std::map<std::string, std::string>{
            {"dev", Environment("dev", kOnePerson)},
            {"prod", Environment("prod", kTwoPersons)},
            {"staging", Environment("staging", kTwoPersons, Never())}},
        R"(,"demo":true,"apply_lease_seconds":2)");
    ASSERT_TRUE(plane_->Start()) << plane_->error();
    admin_ = Login(plane_->admin_email(), plane_->admin_password());
    ASSERT_TRUE(plane_->LoginAdmin());
  }

  void ExpectAlive() { EXPECT_EQ(Call("GET", "/health/live", "").status, 200); }

  // A webhook channel to the receiver taking `environments` (all when empty).
  void Channel(const std::string& name, const nlohmann::json& environments) {
    nlohmann::json body = {{"name", name},
                           {"type", "webhook"},
                           {"url", receiver_.url() + "/" + name},
                           {"secret", "0123456789abcdef"}};
    if (!environments.empty()) {
      body["filter"] = {{"environments", environments}};
    }
    Answer added = Call("POST", "/api/v1/channels", admin_, body);
    ASSERT_EQ(added.status, 201) << added.body.dump();
  }

  std::string MakeRelease(const std::string& env, const std::string& user_data = "") {
    nlohmann::json body = {{"group", "web"}, {"env", env}, {"image", kImage}};
    if (!user_data.empty()) {
      body["user_data"] = user_data;
    }
    Answer made = Call("POST", "/api/v1/releases", admin_, body);
    EXPECT_EQ(made.status, 201) << made.body.dump();
    return made.body.value("id", "");
  }

  // Deployment `id` once it is in one of `states` (polling up to 60 s), as the admin reads it.
  nlohmann::json WaitFor(const std::string& id, const std::set<std::string>& states) {
    nlohmann::json d;
    for (int i = 0; i < 600; ++i) {
      d = Call("GET", "/api/v1/deployments/" + id, admin_).body;
      if (states.count(d.value("state", ""))) {
        return d;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << id << " never reached the state awaited: " << d.dump();
    return d;
  }

  nlohmann::json ChangeSets(const std::string& env) {
    Answer list = Call("GET", "/api/v1/environments/" + env + "/changesets", admin_);
    EXPECT_EQ(list.status, 200) << list.body.dump();
    return list.body["items"];
  }

  // The resources ec2m finds in `env`'s cloud (by their logical-id tags).
  size_t Resources(const std::string& env) {
    return Call("GET", "/api/v1/environments/" + env + "/resources", admin_).body["items"].size();
  }

  // Applies prod's first config with a second person's approval; its change set.
  std::string FirstApplyOfProd(const std::string& lead) {
    Answer held = Call("POST", "/api/v1/environments/prod/provision", admin_);
    EXPECT_EQ(held.status, 202) << held.body.dump();
    const std::string id = held.body["deployment"].value("id", "");
    WaitFor(id, {"awaiting_approval"});
    EXPECT_EQ(Call("POST", "/api/v1/deployments/" + id + "/approve", lead).status, 200);
    return WaitFor(id, {"succeeded", "failed"}).value("change_set", "");
  }

  // The environments of the items of `path` as `token` reads them.
  std::multiset<std::string> EnvironmentsOf(const std::string& path, const std::string& token,
                                            const char* key = "environment") {
    Answer list = Call("GET", path, token);
    EXPECT_EQ(list.status, 200) << path << ": " << list.body.dump();
    std::multiset<std::string> out;
    for (const auto& item : list.body["items"]) {
      out.insert(item.value(key, ""));
    }
    return out;
  }

  WebhookReceiver receiver_;
};

TEST_F(AuthorizationAttackTest, ADevViewerListsNothingOfProdNorOfNoEnvironment) {
  Channel("everything", nlohmann::json::array());
  Channel("prod-pager", {"prod"});
  Channel("dev-room", {"dev"});
  Provision("dev");
  Provision("prod");
  const std::string dev_release = MakeRelease("dev");
  const std::string prod_release = MakeRelease("prod", "#!/bin/sh\nexport TOKEN=prod-only");
  Answer prod_deploy =
      Call("POST", "/api/v1/deployments", admin_, {{"env", "prod"}, {"release", prod_release}});
  ASSERT_EQ(prod_deploy.status, 201) << prod_deploy.body.dump();
  const std::string prod_id = prod_deploy.body["id"];
  ASSERT_EQ(Call("POST", "/api/v1/deployments", admin_, {{"env", "dev"}, {"release", dev_release}})
                .status,
            201);
  ASSERT_EQ(Call("POST", "/api/v1/channels/everything/test", admin_).status, 202);
  // prod's "awaits approval" and the channel test (about no environment) are in the outbox.
  WaitFor(prod_id, {"awaiting_approval"});
  for (int i = 0; i < 100 && EnvironmentsOf("/api/v1/notifications", admin_).count("prod") == 0;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto all = EnvironmentsOf("/api/v1/notifications", admin_);
  ASSERT_GT(all.count("prod"), 0u);
  ASSERT_GT(all.count(""), 0u);

  const std::string viewer = UserWith("viewer@example.com", {{"dev", "viewer"}});
  Answer releases = Call("GET", "/api/v1/releases", viewer);
  ASSERT_EQ(releases.status, 200);
  ASSERT_EQ(releases.body["items"].size(), 1u) << releases.body.dump();
  EXPECT_EQ(releases.body["items"][0]["id"], dev_release);
  EXPECT_EQ(releases.body.dump().find("prod-only"), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/v1/releases/" + prod_release, viewer).status, 404);
  for (const std::string& env : EnvironmentsOf("/api/v1/deployments", viewer)) {
    EXPECT_EQ(env, "dev");
  }
  EXPECT_EQ(Call("GET", "/api/v1/deployments?env=prod", viewer).status, 403);
  const auto seen = EnvironmentsOf("/api/v1/notifications", viewer);
  EXPECT_FALSE(seen.empty());  // dev's own are there
  for (const std::string& env : seen) {
    EXPECT_EQ(env, "dev") << "a notification about prod or about no environment";
  }
  Answer channels = Call("GET", "/api/v1/channels", viewer);
  ASSERT_EQ(channels.body["items"].size(), 1u) << channels.body.dump();
  EXPECT_EQ(channels.body["items"][0]["name"], "dev-room");
  EXPECT_EQ(Call("GET", "/api/v1/channels/prod-pager", viewer).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/channels/everything", viewer).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/channels/dev-room", viewer).status, 200);
  // A "*" role sees everything.
  const std::string auditor = UserWith("auditor@example.com", {{"*", "viewer"}});
  EXPECT_EQ(Call("GET", "/api/v1/channels", auditor).body["items"].size(), 3u);
  EXPECT_EQ(Call("GET", "/api/v1/releases", auditor).body["items"].size(), 2u);
  ExpectAlive();
}

TEST_F(AuthorizationAttackTest, AnOutsiderCannotReadOrDecideAnotherEnvironmentsDeployment) {
  Provision("prod");
  const std::string release = MakeRelease("prod");
  Answer d = Call("POST", "/api/v1/deployments", admin_, {{"env", "prod"}, {"release", release}});
  ASSERT_EQ(d.status, 201);
  const std::string id = d.body["id"];
  WaitFor(id, {"awaiting_approval"});
  const std::string outsider = UserWith("outsider@example.com", {{"dev", "admin"}});
  EXPECT_EQ(Call("GET", "/api/v1/deployments/" + id, outsider).status, 403);
  for (const char* verb : {"approve", "reject", "abort"}) {
    Answer a =
        Call("POST", "/api/v1/deployments/" + id + "/" + verb, outsider, {{"comment", "mine now"}});
    EXPECT_EQ(a.status, 403) << verb << ": " << a.body.dump();
  }
  EXPECT_EQ(Call("GET", "/api/v1/deployments/d-999", outsider).status, 404);
  const nlohmann::json after = Call("GET", "/api/v1/deployments/" + id, admin_).body;
  EXPECT_EQ(after["state"], "awaiting_approval");
  EXPECT_TRUE(after["approvals"].empty());
  EXPECT_EQ(after["abort_requested_by"], "");
}

TEST_F(AuthorizationAttackTest, ViewersOperatorsAndApproversSeeNoUserData) {
  const std::string secret = "#!/bin/sh\nexport DB_PASSWORD=hunter2";
  const std::string id = MakeRelease("dev", secret);
  for (const char* role : {"viewer", "operator", "approver"}) {
    const std::string token = UserWith(std::string(role) + "@example.com", {{"dev", role}});
    Answer one = Call("GET", "/api/v1/releases/" + id, token);
    ASSERT_EQ(one.status, 200) << role;
    EXPECT_FALSE(one.body.contains("user_data")) << role << ": " << one.body.dump();
    EXPECT_EQ(one.body["user_data_hidden"], true) << role;
    EXPECT_EQ(Call("GET", "/api/v1/releases", token).body.dump().find("hunter2"), std::string::npos)
        << role;
  }
  const std::string deployer = UserWith("deployer@example.com", {{"dev", "deployer"}});
  EXPECT_EQ(Call("GET", "/api/v1/releases/" + id, deployer).body["user_data"], secret);

  // The config text carries every group's user data: hidden from the same callers.
  Answer started = Call("POST", "/api/v1/environments/dev/provision", admin_);
  ASSERT_EQ(started.status, 202) << started.body.dump();
  const std::string cs = started.body["changeset"]["id"];
  const std::string viewer = Login("viewer@example.com", kPassword);
  Answer shown = Call("GET", "/api/v1/environments/dev/changesets/" + cs, viewer);
  ASSERT_EQ(shown.status, 200);
  EXPECT_FALSE(shown.body.contains("config_text"));
  EXPECT_EQ(shown.body["config_text_hidden"], true);
  Answer config = Call("GET", "/api/v1/environments/dev/config", viewer);
  EXPECT_TRUE(config.body["text"].is_null());
  EXPECT_EQ(config.body["text_hidden"], true);
  EXPECT_TRUE(Call("GET", "/api/v1/environments/dev/config", deployer).body["text"].is_string());
}

TEST_F(AuthorizationAttackTest, AnOperatorCannotRetagWhatEc2mManagesInstancesBy) {
  const std::string op = UserWith("op@example.com", {{"dev", "operator"}});
  Answer list = Call("GET", "/api/v1/instances?env=dev", op);
  ASSERT_FALSE(list.body["items"].empty());
  const std::string id = list.body["items"][0]["id"];
  const std::string path = "/api/v1/instances/dev/" + id;
  const nlohmann::json before = Call("GET", path, op).body["tags"];
  ASSERT_EQ(before["ManagedBy"], "ec2m");
  const std::vector<nlohmann::json> attacks = {
      {{"set", {{"Owner", "mallory"}, {"ec2m:logical-id", "InstanceWeb1"}}}},
      {{"remove", {"ManagedBy"}}},
      {{"set", {{"Environment", "prod"}}}},
      {{"set", {{"Owner", "mallory"}}}, {"remove", {"ec2m:spec"}}},
  };
  for (const nlohmann::json& attack : attacks) {
    Answer refused = Call("PUT", path + "/tags", op, attack);
    EXPECT_EQ(refused.status, 403) << attack.dump() << ": " << refused.body.dump();
    const std::string message = refused.body["error"].value("message", "");
    EXPECT_NE(message.find("needs the deployer or admin role in dev"), std::string::npos)
        << message;
    EXPECT_NE(message.find("op@example.com has operator"), std::string::npos) << message;
  }
  // Read back from the cloud: not one tag changed, Owner included.
  ASSERT_EQ(Call("POST", "/api/v1/instances/refresh", op, {{"env", "dev"}}).status, 202);
  EXPECT_EQ(Call("GET", path, op).body["tags"], before);
  // Other tags stay the operator's to change.
  EXPECT_EQ(Call("PUT", path + "/tags", op, {{"set", {{"Owner", "ops"}}}}).status, 200);

  // The CLI's `instances tag` is refused the same way, exit 7 (permission denied).
  ASSERT_EQ(plane_
                ->Ec2m({"login", "--server", plane_->url(), "--email", "op@example.com",
                        "--password-stdin"},
                       kPassword)
                .exit_code,
            0);
  CommandResult cli =
      plane_->Ec2m({"instances", "tag", id, "--env", "dev", "--set", "ManagedBy=mallory"});
  EXPECT_EQ(cli.exit_code, 7) << cli.out << cli.err;
  EXPECT_NE(cli.err.find("tag \"ManagedBy\""), std::string::npos) << cli.err;
  // A deployer may.
  const std::string deployer = UserWith("deployer@example.com", {{"dev", "deployer"}});
  EXPECT_EQ(Call("PUT", path + "/tags", deployer, {{"set", {{"ManagedBy", "ec2m"}}}}).status, 200);
  ExpectAlive();
}

TEST_F(AuthorizationAttackTest, RefreshingAnEnvironmentWithoutARoleIsRefused) {
  const std::string viewer = UserWith("viewer@example.com", {{"dev", "viewer"}});
  Answer refused = Call("POST", "/api/v1/instances/refresh", viewer, {{"env", "prod"}});
  EXPECT_EQ(refused.status, 403) << refused.body.dump();
  EXPECT_EQ(Call("POST", "/api/v1/instances/refresh", viewer, {{"env", "nowhere"}}).status, 404);
  Answer own = Call("POST", "/api/v1/instances/refresh", viewer, {{"env", "dev"}});
  EXPECT_EQ(own.status, 202);
  Answer mine = Call("POST", "/api/v1/instances/refresh", viewer);
  EXPECT_EQ(mine.status, 202);
  EXPECT_EQ(mine.body["refreshed"], "dev");  // only where they hold a role
  EXPECT_EQ(Call("POST", "/api/v1/instances/refresh", admin_).body["refreshed"], "all");
}

TEST_F(AuthorizationAttackTest, ProvisionOfAnApprovalRequiredEnvironmentWaitsForASecondPerson) {
  // The CLI of the admin (who may approve) asks; the change is held and the CLI says so.
  std::filesystem::create_directories(dir_.path() + "/checkout");
  std::ofstream(dir_.path() + "/checkout/prod.json") << Environment("prod", kTwoPersons);
  CommandResult held =
      plane_->Ec2m({"provision", "prod", "--yes", "--config-dir", dir_.path() + "/checkout",
                    "--outputs-dir", dir_.path() + "/outputs"});
  EXPECT_EQ(held.exit_code, 11) << held.out << held.err;
  EXPECT_NE(held.out.find("awaits approval"), std::string::npos) << held.out;
  Answer list = Call("GET", "/api/v1/deployments?kind=infrastructure", admin_);
  ASSERT_EQ(list.body["items"].size(), 1u) << list.body.dump();
  const std::string id = list.body["items"][0]["id"];
  EXPECT_EQ(list.body["items"][0]["infrastructure"]["action"], "provision");
  CommandResult listed = plane_->Ec2m({"deployments", "list", "--kind", "infrastructure"});
  EXPECT_NE(listed.out.find(id), std::string::npos) << listed.out;
  WaitFor(id, {"awaiting_approval"});
  // Nothing is applied while it waits.
  EXPECT_TRUE(ChangeSets("prod").empty());
  EXPECT_EQ(Resources("prod"), 0u);

  // Its author cannot approve it, a deployer cannot approve at all, another person's apply
  // request does not slip past it.
  Answer own = Call("POST", "/api/v1/deployments/" + id + "/approve", admin_);
  EXPECT_EQ(own.status, 409) << own.body.dump();
  const std::string deployer = UserWith("deployer@example.com", {{"prod", "deployer"}});
  EXPECT_EQ(Call("POST", "/api/v1/deployments/" + id + "/approve", deployer).status, 403);
  Answer second = Call("POST", "/api/v1/environments/prod/provision", deployer);
  EXPECT_EQ(second.status, 409) << second.body.dump();
  EXPECT_TRUE(ChangeSets("prod").empty());

  const std::string lead = UserWith("lead@example.com", {{"prod", "approver"}});
  ASSERT_EQ(Call("POST", "/api/v1/deployments/" + id + "/approve", lead).status, 200);
  const nlohmann::json done = WaitFor(id, {"succeeded", "failed"});
  ASSERT_EQ(done["state"], "succeeded") << done.dump();
  const nlohmann::json sets = ChangeSets("prod");
  ASSERT_EQ(sets.size(), 1u);
  EXPECT_EQ(sets[0]["approval"], id);
  EXPECT_EQ(sets[0]["author"], plane_->admin_email());
  EXPECT_GT(Resources("prod"), 0u);
}

TEST_F(AuthorizationAttackTest, AnApprovedChangeStillWaitsForItsWindow) {
  const std::string deployer = UserWith("deployer@example.com", {{"staging", "deployer"}});
  Answer held = Call("POST", "/api/v1/environments/staging/provision", deployer);
  ASSERT_EQ(held.status, 202) << held.body.dump();
  const std::string id = held.body["deployment"]["id"];
  WaitFor(id, {"awaiting_approval"});
  const std::string lead = UserWith("lead@example.com", {{"staging", "approver"}});
  ASSERT_EQ(Call("POST", "/api/v1/deployments/" + id + "/approve", lead).status, 200);
  const nlohmann::json waiting = WaitFor(id, {"awaiting_window"});
  EXPECT_FALSE(waiting.value("window_opens_at", "").empty()) << waiting.dump();
  std::this_thread::sleep_for(seconds(2));  // several deployer passes
  EXPECT_EQ(WaitFor(id, {"awaiting_window"})["state"], "awaiting_window");
  EXPECT_TRUE(ChangeSets("staging").empty());
  EXPECT_EQ(Resources("staging"), 0u);
  // --wait follows it (here until its --timeout: exit 10).
  CommandResult waited = plane_->Ec2m({"deployments", "watch", id, "--timeout", "1"});
  EXPECT_EQ(waited.exit_code, 10) << waited.out << waited.err;
}

TEST_F(AuthorizationAttackTest, AConfigThatTurnsApprovalOffIsHeldUnderTheRulesItReplaces) {
  const std::string lead = UserWith("lead@example.com", {{"prod", "approver"}});
  ASSERT_FALSE(FirstApplyOfProd(lead).empty());
  const std::string lax = Environment("prod", kOnePerson);
  Answer held = Call("POST", "/api/v1/environments/prod/provision", admin_, {{"config", lax}});
  ASSERT_EQ(held.status, 202) << held.body.dump();
  ASSERT_TRUE(held.body["deployment"].is_object()) << "applied without a second person";
  EXPECT_TRUE(held.body["changeset"].is_null());
  const std::string id = held.body["deployment"]["id"];
  EXPECT_EQ(held.body["deployment"]["infrastructure"]["lowers"],
            nlohmann::json({"approval.required true → false"}));
  WaitFor(id, {"awaiting_approval"});
  EXPECT_EQ(ChangeSets("prod").size(), 1u);  // the first apply only
  ASSERT_EQ(Call("POST", "/api/v1/deployments/" + id + "/approve", lead).status, 200);
  ASSERT_EQ(WaitFor(id, {"succeeded", "failed"})["state"], "succeeded");
  // Now the lax rules are in force: the next change applies at once.
  std::string more = lax;
  more.replace(more.find(R"("count":1)"), 9, R"("count":2)");
  Answer direct = Call("POST", "/api/v1/environments/prod/provision", admin_, {{"config", more}});
  ASSERT_EQ(direct.status, 202) << direct.body.dump();
  EXPECT_TRUE(direct.body["deployment"].is_null());
  EXPECT_TRUE(direct.body["changeset"].is_object());
}

TEST_F(AuthorizationAttackTest, AnInfrastructureChangeIsNeverAnEmergency) {
  const nlohmann::json emergency = {{"emergency", "security-patch"},
                                    {"emergency_reason", "CVE-2026-1234"}};
  nlohmann::json rollback = emergency;
  rollback["confirm"] = "ROLLBACK";
  for (const auto& [route, body] :
       {std::pair{"provision", emergency}, std::pair{"rollback", rollback}}) {
    Answer refused = Call("POST", std::string("/api/v1/environments/prod/") + route, admin_, body);
    EXPECT_EQ(refused.status, 400) << route << ": " << refused.body.dump();
    EXPECT_NE(refused.body["error"].value("message", "").find("never an emergency"),
              std::string::npos)
        << refused.body.dump();
  }
  EXPECT_TRUE(Call("GET", "/api/v1/deployments?kind=infrastructure", admin_).body["items"].empty());
  EXPECT_TRUE(ChangeSets("prod").empty());
}

TEST_F(AuthorizationAttackTest, AnEmergencySecurityPatchSkipsApprovalIsAuditedAndToldAtOnce) {
  const std::string lead = UserWith("lead@example.com", {{"prod", "approver"}});
  ASSERT_FALSE(FirstApplyOfProd(lead).empty());
  Channel("admins", nlohmann::json::array());
  const std::string release = MakeRelease("prod");
  const std::string deployer = UserWith("deployer@example.com", {{"prod", "deployer"}});
  Answer unexplained =
      Call("POST", "/api/v1/deployments", deployer,
           {{"env", "prod"}, {"release", release}, {"emergency", "security-patch"}});
  EXPECT_EQ(unexplained.status, 400) << unexplained.body.dump();
  Answer patch = Call("POST", "/api/v1/deployments", deployer,
                      {{"env", "prod"},
                       {"release", release},
                       {"emergency", "security-patch"},
                       {"emergency_reason", "CVE-2026-1234"}});
  ASSERT_EQ(patch.status, 201) << patch.body.dump();
  const std::string id = patch.body["id"];
  EXPECT_EQ(patch.body["required_approvals"], 0);
  // Told at once, critically, with the reason.
  ASSERT_TRUE(receiver_.WaitFor(
      [&](const std::vector<ReceivedRequest>& requests) {
        for (const auto& r : requests) {
          const auto n = nlohmann::json::parse(r.body, nullptr, false);
          if (!n.is_discarded() && n.value("id", "") == "deployment-" + id + "-emergency") {
            return true;
          }
        }
        return false;
      },
      seconds(15)));
  for (const auto& r : receiver_.Requests()) {
    const auto n = nlohmann::json::parse(r.body, nullptr, false);
    if (n.value("id", "") == "deployment-" + id + "-emergency") {
      EXPECT_EQ(n["severity"], "critical");
      EXPECT_NE(n.value("title", "").find("Emergency security-patch"), std::string::npos);
      EXPECT_EQ(n["fields"]["emergency_reason"], "CVE-2026-1234");
    }
  }
  // It went ahead without anyone's approval.
  const nlohmann::json done = WaitFor(id, {"succeeded", "rolled_back", "failed"});
  EXPECT_EQ(done["state"], "succeeded") << done.dump();
  EXPECT_EQ(done.dump().find("waiting for 1 approval"), std::string::npos) << done.dump();
  // The audit trail marks it.
  Answer audit = Call("GET", "/api/v1/audit?order=desc&limit=200", admin_);
  bool marked = false;
  for (const auto& e : audit.body["items"]) {
    if (e.value("action", "") == "deployment.create" && e.value("target", "") == id) {
      const std::string detail = e.value("detail", "");
      marked = detail.find("emergency security-patch") != std::string::npos &&
               detail.find("CVE-2026-1234") != std::string::npos;
    }
  }
  EXPECT_TRUE(marked) << audit.body.dump();
}

}  // namespace
}  // namespace ec2m::testing
