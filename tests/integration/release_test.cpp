// Releases end to end against a real `ec2m serve` on its embedded region: `ec2m release create`,
// `ec2m deploy --wait`, the promotion dev → staging → prod, an approver's approval over REST,
// `ec2m deployments watch|list|show`; a failing health check rolled back with green terminated;
// and `kill -9` of the server at random moments of a deployment, after which the restarted
// server ends it consistently with nothing orphaned.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "support/control_plane.hpp"
#include "support/plane_test.hpp"

namespace ec2m::testing {
namespace {

constexpr const char* kGreenImage = "ami-0fedcba9876543210";
constexpr const char* kBadImage = "ami-0aa11bb22cc33dd44";  // impaired by `ec2m sim faults`

// A simulated environment with a web group of two; `more`: extra top-level members. Its
// windows cover every hour (the waiting for a window is the deployer's unit test's, on a
// manual clock).
std::string Environment(const std::string& name, const std::string& promote_to,
                        const std::string& more = "") {
  return R"({"environment":")" + name + R"(","region":"us-west-2","cloud":{"provider":"sim"},
  "securityGroups":[{"name":"web","ingress":[{"port":443,"cidr":"0.0.0.0/0"}]}],
  "instanceGroups":[{"name":"web","image":"ami-0123456789abcdef0","instanceType":"t3.micro",
                     "count":2,"securityGroups":["web"],"userData":"v1"}],
  "removalPolicy":")" +
         std::string(name == "prod" ? "RETAIN" : "DESTROY") + R"(",
  "deployment":{"stabilizationSeconds":1,"watchSeconds":1,"healthTimeoutSeconds":60)" +
         (promote_to.empty() ? "" : R"(,"promoteTo":")" + promote_to + "\"") + R"(},
  "maintenanceWindows":[{"days":["mon","tue","wed","thu","fri","sat","sun"],
                         "start":"00:00","end":"12:00","timeZone":"America/Los_Angeles"},
                        {"days":["mon","tue","wed","thu","fri","sat","sun"],
                         "start":"12:00","end":"00:00","timeZone":"America/Los_Angeles"}],
  "cognito":{"mfaRequired":false})" +
         more + "}";
}

class ReleaseEndToEndTest : public PlaneTest {
 protected:
  void Start(const std::map<std::string, std::string>& envs, int pending_ms = 0) {
    std::ofstream(dir_.path() + "/sim.json") << R"({"delays_ms":{"pending":)" << pending_ms
                                             << R"(,"shutting_down":)" << pending_ms << R"(}})";
    plane_ = std::make_unique<ControlPlane>(dir_.path(), envs,
                                            R"(,"apply_lease_seconds":2,"sim_config":"sim.json")");
    ASSERT_TRUE(plane_->Start()) << plane_->error();
    ASSERT_TRUE(plane_->LoginAdmin());
    admin_ = Login(plane_->admin_email(), plane_->admin_password());
    for (const auto& [name, text] : envs) {
      Provision(name);
    }
  }

  void Restart() {
    ASSERT_TRUE(plane_->Start()) << plane_->error();
    ASSERT_TRUE(plane_->LoginAdmin());  // on its new port
    admin_ = Login(plane_->admin_email(), plane_->admin_password());
  }

  // The first deployment of `env` in `state` (polling up to 60 s), or null.
  nlohmann::json WaitFor(const std::string& env, const std::string& state) {
    for (int i = 0; i < 600; ++i) {
      Answer list = Call("GET", "/api/v1/deployments?env=" + env, admin_);
      for (const auto& d : list.body["items"]) {
        if (d["state"] == state) {
          return d;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return nullptr;
  }

  // The environment's instances by id → state, as EC2 says now.
  std::map<std::string, std::string> Instances(const std::string& env) {
    EXPECT_EQ(Call("POST", "/api/v1/instances/refresh", admin_, {{"env", env}}).status, 202);
    Answer list = Call("GET", "/api/v1/instances?limit=1000&env=" + env, admin_);
    std::map<std::string, std::string> out;
    for (const auto& i : list.body["items"]) {
      out[i.value("id", "")] = i.value("state", "");
    }
    return out;
  }

  // The group's live instances: those carrying its logical ids.
  std::set<std::string> Live(const std::string& env) {
    Answer found = Call("GET", "/api/v1/environments/" + env + "/resources", admin_);
    std::set<std::string> out;
    for (const auto& r : found.body["items"]) {
      if (r.value("type", "") == "AWS::EC2::Instance") {
        out.insert(r.value("physical_id", ""));
      }
    }
    return out;
  }
};

TEST_F(ReleaseEndToEndTest, ReleaseIsPromotedThroughStagingAndApprovedIntoProd) {
  Start({{"dev", Environment("dev", "staging")},
         {"staging", Environment("staging", "prod")},
         {"prod", Environment("prod", "", R"(,"approval":{"required":true,"approvals":1})")}});
  const std::set<std::string> blue_prod = Live("prod");
  ASSERT_EQ(blue_prod.size(), 2u);

  CommandResult made = plane_->Ec2m({"release", "create", "web", "--env", "dev", "--image",
                                     kGreenImage, "--commit", "0123abc", "--branch", "main"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_EQ(made.out, "r-1\n");
  CommandResult dev =
      plane_->Ec2m({"deploy", "dev", "web", "--release", "r-1", "--wait", "--timeout", "120"});
  ASSERT_EQ(dev.exit_code, 0) << dev.out << dev.err;
  // d-1 is prod's first apply, held for approval (the two-person rule) and approved.
  EXPECT_EQ(dev.out.substr(0, 4), "d-2\n");
  EXPECT_NE(dev.out.find("launched 2 green instance(s)"), std::string::npos) << dev.out;
  EXPECT_NE(dev.out.find("green is live"), std::string::npos) << dev.out;
  EXPECT_NE(dev.out.find("d-2 succeeded"), std::string::npos) << dev.out;

  // Staging followed by itself; prod waits for an approver.
  const nlohmann::json waiting = WaitFor("prod", "awaiting_approval");
  ASSERT_TRUE(waiting.is_object()) << Call("GET", "/api/v1/deployments", admin_).body.dump();
  const std::string prod_id = waiting["id"];
  EXPECT_EQ(WaitFor("staging", "succeeded").value("promoted_from", ""), "d-2");
  EXPECT_EQ(Live("prod"), blue_prod);

  // The author may not approve their own deployment; a deployer may not approve at all.
  Answer own = Call("POST", "/api/v1/deployments/" + prod_id + "/approve", admin_);
  EXPECT_EQ(own.status, 409) << own.body.dump();
  const std::string deployer = UserWith("dev@example.com", {{"*", "deployer"}});
  EXPECT_EQ(Call("POST", "/api/v1/deployments/" + prod_id + "/approve", deployer).status, 403);
  const std::string lead = UserWith("lead@example.com", {{"prod", "approver"}});
  Answer approved =
      Call("POST", "/api/v1/deployments/" + prod_id + "/approve", lead, {{"comment", "go"}});
  ASSERT_EQ(approved.status, 200) << approved.body.dump();
  EXPECT_EQ(approved.body["approvals"][0]["by"], "lead@example.com");

  CommandResult watched = plane_->Ec2m({"deployments", "watch", prod_id, "--timeout", "120"});
  ASSERT_EQ(watched.exit_code, 0) << watched.out << watched.err;
  EXPECT_NE(watched.out.find("approved by lead@example.com (1 of 1): go"), std::string::npos)
      << watched.out;
  const std::set<std::string> live = Live("prod");
  EXPECT_EQ(live.size(), 2u);
  for (const std::string& id : blue_prod) {
    EXPECT_EQ(live.count(id), 0u);
    EXPECT_EQ(Instances("prod")[id], "terminated");
  }

  CommandResult list = plane_->Ec2m({"deployments", "list", "--kind", "release", "-o", "json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  auto items = nlohmann::json::parse(list.out);
  ASSERT_EQ(items.size(), 3u);
  for (const auto& d : items) {
    EXPECT_EQ(d["state"], "succeeded") << d.dump();
  }
  CommandResult releases = plane_->Ec2m({"release", "list"});
  EXPECT_NE(releases.out.find("prod:succeeded(d-4)"), std::string::npos) << releases.out;
  // The approval is in the audit log.
  Answer audit = Call("GET", "/api/v1/audit?action=deployment.approve", admin_);
  EXPECT_NE(audit.body.dump().find("lead@example.com"), std::string::npos) << audit.body.dump();
}

TEST_F(ReleaseEndToEndTest, FailingHealthCheckInStagingRollsBackWithGreenTerminated) {
  Start({{"staging", Environment("staging", "")}});
  const std::set<std::string> blue = Live("staging");
  // The simulated region's health checks are made to fail while the server runs.
  CommandResult wrong = plane_->Ec2m({"sim", "faults", "us-west-2", "--set", R"({"impared":[]})"});
  EXPECT_EQ(wrong.exit_code, 2) << wrong.err;
  EXPECT_NE(wrong.err.find("$.impared"), std::string::npos) << wrong.err;
  CommandResult faults =
      plane_->Ec2m({"sim", "faults", "us-west-2", "--set",
                    std::string(R"({"impaired_images":[")") + kBadImage + "\"]}"});
  ASSERT_EQ(faults.exit_code, 0) << faults.err;
  EXPECT_NE(plane_->Ec2m({"sim", "faults", "us-west-2"}).out.find(kBadImage), std::string::npos);
  CommandResult made =
      plane_->Ec2m({"release", "create", "web", "--env", "staging", "--image", kBadImage});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  CommandResult deploy =
      plane_->Ec2m({"deploy", "staging", "web", "--release", "r-1", "--wait", "--timeout", "120"});
  EXPECT_EQ(deploy.exit_code, 1) << deploy.out << deploy.err;
  EXPECT_NE(deploy.out.find("d-1 rolled_back: health check: green"), std::string::npos)
      << deploy.out;
  Answer d = Call("GET", "/api/v1/deployments/d-1", admin_);
  ASSERT_EQ(d.body["green"].size(), 2u);
  const auto instances = Instances("staging");
  for (const auto& id : d.body["green"]) {
    EXPECT_EQ(instances.at(id.get<std::string>()), "terminated") << id;
  }
  EXPECT_EQ(Live("staging"), blue);
  CommandResult show = plane_->Ec2m({"deployments", "show", "d-1"});
  EXPECT_NE(show.out.find("Reason:"), std::string::npos) << show.out;
  // Bad input is refused naming the flag, and changes nothing.
  CommandResult bad =
      plane_->Ec2m({"deploy", "staging", "web", "--release", "r-1", "--emergency", "yesterday"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("--emergency: expected security-patch"), std::string::npos) << bad.err;
  CommandResult unknown = plane_->Ec2m({"deploy", "staging", "web", "--release", "r-9"});
  EXPECT_EQ(unknown.exit_code, 3) << unknown.err;
  EXPECT_EQ(Call("GET", "/api/v1/deployments?env=staging", admin_).body["items"].size(), 1u);
}

TEST_F(ReleaseEndToEndTest, KilledMidDeploymentTheRestartEndsItWithNothingOrphaned) {
  Start({{"dev", Environment("dev", "")}}, 300);
  std::mt19937 random(std::random_device{}());
  for (int round = 1; round <= 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string release = "r-" + std::to_string(round);
    nlohmann::json body = {{"group", "web"}, {"env", "dev"}, {"image", kGreenImage}};
    body["user_data"] = "v" + std::to_string(round + 1);
    ASSERT_EQ(Call("POST", "/api/v1/releases", admin_, body).status, 201);
    Answer started = Call("POST", "/api/v1/deployments", admin_,
                          {{"env", "dev"}, {"group", "web"}, {"release", release}});
    ASSERT_EQ(started.status, 201) << started.body.dump();
    const std::string id = started.body["id"];
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 2500)(random)));
    plane_->Kill();
    Restart();
    CommandResult watched = plane_->Ec2m({"deployments", "watch", id, "--timeout", "120"});
    ASSERT_TRUE(watched.exit_code == 0 || watched.exit_code == 1) << watched.out << watched.err;
    Answer d = Call("GET", "/api/v1/deployments/" + id, admin_);
    const auto instances = Instances("dev");
    int running = 0;
    for (const auto& [instance, state] : instances) {
      running += state == "running" || state == "pending" ? 1 : 0;
    }
    // One fleet: the group's two, live, and everything else terminated.
    EXPECT_EQ(running, 2) << d.body.dump();
    const std::set<std::string> live = Live("dev");
    EXPECT_EQ(live.size(), 2u);
    for (const std::string& instance : live) {
      EXPECT_EQ(instances.at(instance), "running");
    }
    if (d.body["state"] == "succeeded") {
      for (const auto& g : d.body["green"]) {
        EXPECT_EQ(live.count(g.get<std::string>()), 1u);
      }
    }
  }
}

}  // namespace
}  // namespace ec2m::testing
