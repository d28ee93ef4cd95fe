// Environments as code through the server, end to end: `ec2m provision`, `changesets`,
// `rollback`, `status`, `drift` and `unlock` against a real `ec2m serve` on its embedded region;
// the confirmations at a pseudo-terminal and without one; and `kill -9` of the server in the
// middle of an apply followed by a restart and another provision.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "support/control_plane.hpp"
#include "support/rest_client.hpp"
#include "support/webhook_receiver.hpp"

namespace ec2m::testing {
namespace {

std::string Environment(const std::string& name, int count, const std::string& version,
                        bool retain = false) {
  return R"({"environment":")" + name + R"(","region":"us-west-2","accountId":"123456789012",
  "cloud":{"provider":"sim"},
  "vpc":{"cidr":"10.0.0.0/16","maxAzs":2,
         "subnets":[{"name":"public","type":"public","cidrMask":24},
                    {"name":"private","type":"private","cidrMask":20}]},
  "securityGroups":[{"name":"lb","ingress":[{"port":443,"cidr":"0.0.0.0/0"}]},
                    {"name":"web","ingress":[{"port":8080,"source":"lb"}]}],
  "instanceGroups":[{"name":"web","image":"ami-0abcdef1234567890","instanceType":"t3.micro",
                     "count":)" +
         std::to_string(count) + R"(,"subnets":"private","securityGroups":["web"],
                     "userData":"#!/bin/sh\necho )" +
         version + R"("}],
  "removalPolicy":")" +
         (retain ? "RETAIN" : "DESTROY") + R"(",
  "cognito":{"mfaRequired":false}})";
}

class ProvisionTest : public ::testing::Test {
 protected:
  // `pending_ms`: how long the embedded region's instances stay pending.
  void Start(const std::map<std::string, std::string>& envs, int pending_ms = 0) {
    std::ofstream(dir_.path() + "/sim.json") << R"({"delays_ms":{"pending":)" << pending_ms << "}}";
    plane_ = std::make_unique<ControlPlane>(dir_.path(), envs,
                                            R"(,"apply_lease_seconds":1,"sim_config":"sim.json")");
    ASSERT_TRUE(plane_->Start()) << plane_->error();
    ASSERT_TRUE(plane_->LoginAdmin());
  }

  // The reviewed config the CLI sends (the checkout's), apart from the server's own copy.
  void Write(const std::string& env, const std::string& text) {
    std::filesystem::create_directories(dir_.path() + "/checkout");
    std::ofstream(dir_.path() + "/checkout/" + env + ".json") << text;
  }

  CommandResult Provision(const std::string& env, std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"provision",     env,
                                     "--config-dir",  dir_.path() + "/checkout",
                                     "--outputs-dir", dir_.path() + "/outputs"};
    args.insert(args.end(), more.begin(), more.end());
    return plane_->Ec2m(args);
  }

  nlohmann::json Json(const std::vector<std::string>& args) {
    CommandResult r = plane_->Ec2m(args);
    EXPECT_EQ(r.exit_code, 0) << args[0] << " " << args[1] << ": " << r.out << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }

  // What the environment's cloud holds, by logical id (instances counted).
  std::map<std::string, int> Resources(const std::string& env) {
    const Answer login =
        CallApi(plane_->url(), "POST", "/api/v1/auth/login", "",
                {{"email", plane_->admin_email()}, {"password", plane_->admin_password()}});
    std::map<std::string, int> out;
    if (login.status != 200) {
      ADD_FAILURE() << "login failed";
      return out;
    }
    const std::string token = login.body["token"];
    const Answer res =
        CallApi(plane_->url(), "GET", "/api/v1/environments/" + env + "/resources", token);
    EXPECT_TRUE(res.status == 200) << (res.status != 0 ? res.body.dump() : "no answer");
    if (std::getenv("EC2M_TEST_DEBUG") != nullptr) {
      std::fprintf(stderr, "%s\n", res.body.dump().c_str());
    }
    const nlohmann::json& body = res.body;
    for (const auto& r : body["items"]) {
      ++out[r["logical_id"].get<std::string>()];
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<ControlPlane> plane_;
};

TEST_F(ProvisionTest, ProvisionChangeRollBackAndWatchDrift) {
  Start({{"dev", Environment("dev", 2, "v1")}});
  Write("dev", Environment("dev", 2, "v1"));

  // A new environment: bootstrapped without a question, progress lines, health, outputs.
  CommandResult first = Provision("dev");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("Bootstrapping dev"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("done     create Vpc vpc-"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("cs-dev-1 succeeded: applied: 9 created"), std::string::npos)
      << first.out;
  EXPECT_NE(first.out.find("health: HEALTHY"), std::string::npos) << first.out;
  std::ifstream env_file(dir_.path() + "/outputs/dev.env");
  std::stringstream env_text;
  env_text << env_file.rdbuf();
  EXPECT_NE(env_text.str().find("EC2M_VPC_ID=vpc-"), std::string::npos) << env_text.str();
  EXPECT_NE(env_text.str().find("EC2M_CHANGE_SET=cs-dev-1"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir_.path() + "/outputs/dev.outputs.json"));

  // The audit trail has who asked and how the apply ended.
  CommandResult audit = plane_->Ec2m({"audit", "export"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_NE(audit.out.find("\"action\":\"environment.provision\""), std::string::npos) << audit.out;
  EXPECT_NE(audit.out.find("\"action\":\"environment.apply\""), std::string::npos) << audit.out;

  // Nothing to do: exit 0 and no change set.
  CommandResult again = Provision("dev");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("No changes"), std::string::npos) << again.out;

  // A change to an environment that exists asks first; without a terminal it refuses and
  // changes nothing, --yes says it.
  Write("dev", Environment("dev", 3, "v2"));
  CommandResult asked = Provision("dev");
  EXPECT_EQ(asked.exit_code, 1);
  EXPECT_NE(asked.err.find("no terminal to confirm on; pass --yes"), std::string::npos)
      << asked.err;
  CommandResult second = Provision("dev", {"--yes"});
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_NE(second.out.find("replace InstanceWeb1"), std::string::npos) << second.out;
  EXPECT_EQ(Resources("dev")["InstanceWeb3"], 1) << second.out;

  nlohmann::json list = Json({"changesets", "list", "dev", "-o", "json"});
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["id"], "cs-dev-2");
  EXPECT_EQ(list[0]["status"], "succeeded");
  EXPECT_EQ(list[0]["author"], plane_->admin_email());
  CommandResult shown = plane_->Ec2m({"changesets", "show", "cs-dev-2"});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("wait running"), std::string::npos) << shown.out;

  // Drift: an instance terminated by hand is found, status is UNHEALTHY (exit 2).
  std::string victim;
  {
    CommandResult instances =
        plane_->Ec2m({"instances", "list", "--env", "dev", "--state", "running", "-o", "json"});
    ASSERT_EQ(instances.exit_code, 0) << instances.err;
    victim = nlohmann::json::parse(instances.out)[0]["id"];
  }
  ASSERT_EQ(plane_->Ec2m({"instances", "terminate", victim, "--env", "dev", "--yes"}).exit_code, 0);
  CommandResult drift = plane_->Ec2m({"drift", "dev"});
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_NE(drift.out.find("deleted"), std::string::npos) << drift.out;
  CommandResult status = plane_->Ec2m({"status", "dev"});
  EXPECT_EQ(status.exit_code, 2) << status.out << status.err;
  EXPECT_NE(status.out.find("dev: UNHEALTHY"), std::string::npos) << status.out;
  CommandResult infra = plane_->Ec2m({"status", "dev", "infrastructure", "--json"});
  EXPECT_EQ(infra.exit_code, 2);
  nlohmann::json json_status = nlohmann::json::parse(infra.out, nullptr, false);
  EXPECT_EQ(json_status["status"], "UNHEALTHY");
  ASSERT_EQ(json_status["checks"].size(), 1u);

  // Provisioning again repairs it.
  ASSERT_EQ(Provision("dev", {"--yes"}).exit_code, 0);
  EXPECT_EQ(plane_->Ec2m({"drift", "dev"}).exit_code, 0);
  EXPECT_EQ(plane_->Ec2m({"status", "dev"}).exit_code, 0);

  // Rollback to the previous version: back to two instances running v1.
  CommandResult back = plane_->Ec2m(
      {"rollback", "dev", "previous", "--yes", "--outputs-dir", dir_.path() + "/outputs"});
  ASSERT_EQ(back.exit_code, 0) << back.out << back.err;
  EXPECT_NE(back.out.find("rolling back to cs-dev-1"), std::string::npos) << back.out;
  EXPECT_NE(back.out.find("done     backup (backup)"), std::string::npos) << back.out;
  auto after = Resources("dev");
  EXPECT_EQ(after.count("InstanceWeb3"), 0u);
  EXPECT_EQ(after["InstanceWeb1"], 1);
  // ... and forward again by change set id, then to a time before anything: refused.
  ASSERT_EQ(plane_->Ec2m({"rollback", "dev", "cs-dev-2", "--yes"}).exit_code, 0);
  EXPECT_EQ(Resources("dev")["InstanceWeb3"], 1);
  CommandResult too_early = plane_->Ec2m({"rollback", "dev", "2001-01-01T00:00:00Z", "--yes"});
  EXPECT_EQ(too_early.exit_code, 5) << too_early.err;
  EXPECT_NE(too_early.err.find("nothing had been applied by 2001-01-01T00:00:00Z"),
            std::string::npos)
      << too_early.err;
  CommandResult bad_target = plane_->Ec2m({"rollback", "dev", "yesterday", "--yes"});
  EXPECT_EQ(bad_target.exit_code, 2) << bad_target.err;
  EXPECT_NE(bad_target.err.find("got \"yesterday\""), std::string::npos) << bad_target.err;
  nlohmann::json history = Json({"changesets", "list", "dev", "-o", "json"});
  EXPECT_EQ(history[0]["rollback_of"], "cs-dev-2");

  CommandResult unlock = plane_->Ec2m({"unlock", "dev", "--yes"});
  EXPECT_EQ(unlock.exit_code, 0);
  EXPECT_NE(unlock.out.find("dev is not locked"), std::string::npos) << unlock.out;
}

// `instances list --limit N` prints N instances even when N spans pages (the server gives at
// most 1,000 a page): it printed 2,000 for --limit 1500.
TEST_F(ProvisionTest, InstancesListLimitIsExactAcrossPages) {
  constexpr int kInstances = 1100;  // two groups: a group holds at most 1,000
  std::string config = Environment("dev", 600, "v1");
  const std::string web_end = R"(echo v1"}])";
  config.replace(config.find(web_end), web_end.size(),
                 R"(echo v1"},{"name":"api","image":"ami-0abcdef1234567890",
                    "instanceType":"t3.micro","count":500,"subnets":"private",
                    "securityGroups":["web"]}])");
  Write("dev", config);
  Start({{"dev", config}});
  CommandResult provisioned = Provision("dev", {"--yes"});
  ASSERT_EQ(provisioned.exit_code, 0) << provisioned.out << provisioned.err;
  for (const int limit : {1050, 3}) {
    nlohmann::json items =
        Json({"instances", "list", "--env", "dev", "--limit", std::to_string(limit), "-o", "json"});
    EXPECT_EQ(items.size(), static_cast<size_t>(limit));
  }
  EXPECT_EQ(Json({"instances", "list", "--env", "dev", "-o", "json"}).size(),
            static_cast<size_t>(kInstances));
  EXPECT_EQ(plane_->Ec2m({"instances", "list", "--env", "dev", "--limit", "0"}).exit_code, 2);
}

TEST_F(ProvisionTest, VersionOfTheCliAndOfTheServer) {
  Start({{"dev", Environment("dev", 1, "v1")}});
  CommandResult flag = plane_->Ec2m({"--version"});
  EXPECT_EQ(flag.exit_code, 0);
  EXPECT_EQ(flag.out.rfind("ec2m 0.1.0 (commit ", 0), 0u) << flag.out;
  CommandResult version = plane_->Ec2m({"version", "-o", "json"});
  ASSERT_EQ(version.exit_code, 0) << version.err;
  const nlohmann::json both = nlohmann::json::parse(version.out);
  EXPECT_EQ(both["client"]["version"], "0.1.0");
  EXPECT_EQ(both["server"], both["client"]);  // one build: no warning
  EXPECT_EQ(version.err, "");
  EXPECT_NE(flag.out.find(both["client"]["commit"].get<std::string>()), std::string::npos);
}

// A server of another build: the CLI says so on stderr and still answers.
TEST(VersionTest, TheCliWarnsWhenTheServerIsAnotherBuild) {
  WebhookReceiver older;
  ASSERT_TRUE(older.Start());
  older.Respond([](const ReceivedRequest& request) -> std::pair<int, std::string> {
    if (request.path != "/api/v1/version") {
      return {404, "{}"};
    }
    return {200, R"({"version":"0.0.9","commit":"0123456789ab"})"};
  });
  TempDir home;
  CommandResult version = RunCommand(
      {EC2M_BINARY, "version"},
      {{"EC2M_SERVER", older.url()}, {"EC2M_TOKEN", "a-token"}, {"EC2M_CONFIG_DIR", home.path()}});
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_NE(version.out.find("server: ec2m 0.0.9 (commit 0123456789ab)"), std::string::npos)
      << version.out;
  EXPECT_NE(version.err.find("warning: the server runs ec2m 0.0.9 (commit 0123456789ab), this "
                             "CLI is 0.1.0"),
            std::string::npos)
      << version.err;
}

TEST_F(ProvisionTest, ProductionAsksAtATerminalAndNeverWithoutOne) {
  Start({{"prod", Environment("prod", 1, "v1", true)}});
  Write("prod", Environment("prod", 1, "v1", true));
  // At a terminal: "Are you sure? (y/N)"; anything but y leaves it alone.
  const std::vector<std::string> args = {"provision",     "prod",
                                         "--config-dir",  dir_.path() + "/checkout",
                                         "--outputs-dir", dir_.path() + "/outputs"};
  CommandResult no = plane_->Ec2mAtTerminal(args, "n\n");
  EXPECT_EQ(no.exit_code, 1) << no.out;
  EXPECT_NE(no.out.find("⚠️  PRODUCTION DEPLOYMENT"), std::string::npos) << no.out;
  EXPECT_NE(no.out.find("❓ Are you sure? (y/N)"), std::string::npos) << no.out;
  EXPECT_NE(no.out.find("not confirmed; nothing was changed"), std::string::npos) << no.out;
  EXPECT_TRUE(Resources("prod").empty());
  // Without a terminal it does not wait for an answer.
  CommandResult piped = Provision("prod");
  EXPECT_EQ(piped.exit_code, 1);
  EXPECT_NE(piped.err.find("production: no terminal to confirm on; pass --yes"), std::string::npos)
      << piped.err;
  CommandResult yes = plane_->Ec2mAtTerminal(args, "y\n");
  ASSERT_EQ(yes.exit_code, 0) << yes.out;
  EXPECT_NE(yes.out.find("cs-prod-1 succeeded"), std::string::npos) << yes.out;

  // An in-place change (a replacement would be refused in prod: RETAIN).
  std::string bigger = Environment("prod", 1, "v1", true);
  bigger.replace(bigger.find("t3.micro"), 8, "t3.small");
  Write("prod", bigger);
  CommandResult changed = Provision("prod", {"--yes"});
  ASSERT_EQ(changed.exit_code, 0) << changed.out << changed.err;

  // A production rollback wants ROLLBACK typed, or --confirm ROLLBACK.
  CommandResult typo = plane_->Ec2mAtTerminal({"rollback", "prod"}, "rollback\n");
  EXPECT_EQ(typo.exit_code, 1) << typo.out;
  EXPECT_NE(typo.out.find("⚠️  WARNING: PRODUCTION rollback!"), std::string::npos) << typo.out;
  EXPECT_NE(typo.out.find("❓ Type 'ROLLBACK' to confirm:"), std::string::npos) << typo.out;
  CommandResult unattended = plane_->Ec2m({"rollback", "prod", "--yes"});
  EXPECT_EQ(unattended.exit_code, 1);
  EXPECT_NE(unattended.err.find("pass --confirm ROLLBACK"), std::string::npos) << unattended.err;
  EXPECT_EQ(
      nlohmann::json::parse(plane_->Ec2m({"changesets", "list", "prod", "-o", "json"}).out).size(),
      2u);
  CommandResult typed = plane_->Ec2mAtTerminal({"rollback", "prod"}, "ROLLBACK\n");
  ASSERT_EQ(typed.exit_code, 0) << typed.out;
  EXPECT_NE(typed.out.find("rolling back to cs-prod-1"), std::string::npos) << typed.out;

  // Deleting retained resources is refused unless --allow-delete-retained says so.
  Write("prod", Environment("prod", 2, "v1", true));
  ASSERT_EQ(Provision("prod", {"--yes"}).exit_code, 0);
  Write("prod", Environment("prod", 1, "v1", true));
  CommandResult refused = Provision("prod", {"--yes"});
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_NE(refused.out.find("refused: RemovalPolicy RETAIN keeps it"), std::string::npos)
      << refused.out;
  EXPECT_EQ(Resources("prod")["InstanceWeb2"], 1);
  CommandResult allowed = Provision("prod", {"--yes", "--allow-delete-retained"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.out << allowed.err;
  EXPECT_EQ(Resources("prod").count("InstanceWeb2"), 0u);
}

// The specification's three scripts: exactly its usage lines, and the commands behind them.
TEST_F(ProvisionTest, TheScriptsWrapTheCommands) {
  const std::string scripts = std::string(EC2M_SOURCE_DIR) + "/scripts/";
  const std::map<std::string, std::string> usage = {
      {"provision-env.sh", "Usage: ./scripts/provision-env.sh <environment> [aws-profile]"},
      {"rollback.sh", "Usage: ./scripts/rollback.sh <environment> [rollback-target] [aws-profile]"},
      {"deployment-status.sh",
       "Usage: ./scripts/deployment-status.sh <environment> [check-type] [aws-profile]"}};
  for (const auto& [script, line] : usage) {
    CommandResult r = RunCommand({"bash", scripts + script});
    EXPECT_EQ(r.exit_code, 1) << script;
    EXPECT_EQ(r.err, line + "\n") << script;
  }
  Start({{"dev", Environment("dev", 1, "v1")}});
  Write("dev", Environment("dev", 1, "v1"));
  const std::map<std::string, std::string> env = {{"EC2M_BIN", EC2M_BINARY},
                                                  {"EC2M_CONFIG_DIR", dir_.path() + "/cli"},
                                                  {"CONFIG_DIR", dir_.path() + "/checkout"},
                                                  {"OUTPUTS_DIR", dir_.path() + "/outputs"},
                                                  {"EC2M_ASSUME_YES", "1"}};
  CommandResult status = RunCommand({"bash", scripts + "deployment-status.sh", "dev"}, env);
  // Nothing runs yet: the application is UNHEALTHY (exit 2), infrastructure says why.
  EXPECT_EQ(status.exit_code, 2) << status.out << status.err;
  EXPECT_NE(status.out.find("not provisioned yet"), std::string::npos) << status.out;
  CommandResult provision = RunCommand({"bash", scripts + "provision-env.sh", "dev"}, env);
  ASSERT_EQ(provision.exit_code, 0) << provision.out << provision.err;
  EXPECT_TRUE(std::filesystem::exists(dir_.path() + "/outputs/dev.env"));
  Write("dev", Environment("dev", 2, "v1"));
  ASSERT_EQ(RunCommand({"bash", scripts + "provision-env.sh", "dev"}, env).exit_code, 0);
  status = RunCommand({"bash", scripts + "deployment-status.sh", "dev", "application"}, env);
  EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
  EXPECT_NE(status.out.find("2 of 2 instances running"), std::string::npos) << status.out;
  CommandResult back = RunCommand({"bash", scripts + "rollback.sh", "dev"}, env);
  ASSERT_EQ(back.exit_code, 0) << back.out << back.err;
  EXPECT_EQ(Resources("dev").count("InstanceWeb2"), 0u);
}

// kill -9 of the server at a random moment of an apply, then a restart: the server resumes the
// interrupted change set once its lock's lease runs out, and a provision afterwards has nothing
// left to do. Never a duplicate, never an orphan.
TEST_F(ProvisionTest, KilledMidApplyTheServerResumesAndConverges) {
  constexpr int kInstances = 30;
  // Instances take 0.6 s to run, so an apply lasts about that long; the kill lands anywhere in
  // its launches, its wait or its deletes.
  Start({{"dev", Environment("dev", kInstances, "v1")}}, 600);
  std::mt19937 random(20261128);
  int interrupted = 0;
  for (int trial = 1; trial <= 6; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    const std::string version = "v" + std::to_string(trial);
    Write("dev", Environment("dev", kInstances, version));
    CommandResult started = Provision("dev", {"--yes", "--no-wait"});
    ASSERT_EQ(started.exit_code, 0) << started.out << started.err;
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 900)(random)));
    plane_->Kill();
    ASSERT_TRUE(plane_->Start()) << plane_->error();
    ASSERT_TRUE(plane_->LoginAdmin());  // a new port
    // The resumed apply (or none, if it had finished) ends; then nothing is left to do.
    CommandResult settled;
    for (int i = 0; i < 200; ++i) {
      nlohmann::json latest = Json({"changesets", "list", "dev", "--limit", "1", "-o", "json"});
      if (!latest.empty() && latest[0]["status"] != "applying") {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    nlohmann::json history = Json({"changesets", "list", "dev", "--limit", "3", "-o", "json"});
    for (const auto& cs : history) {
      interrupted += cs["result"].get<std::string>().rfind("resumed after", 0) == 0 ? 1 : 0;
    }
    CommandResult converge = Provision("dev", {"--yes"});
    ASSERT_EQ(converge.exit_code, 0) << converge.out << converge.err;
    EXPECT_EQ(Provision("dev").out.find("No changes") != std::string::npos, true);
    std::map<std::string, int> found = Resources("dev");
    int instances = 0;
    for (const auto& [logical, n] : found) {
      EXPECT_EQ(n, 1) << logical << " exists " << n << " times";
      instances += logical.rfind("Instance", 0) == 0 ? 1 : 0;
    }
    EXPECT_EQ(instances, kInstances);
    EXPECT_EQ(found.size(), static_cast<size_t>(kInstances + 7));  // VPC, 4 subnets, 2 groups
    CommandResult listed = plane_->Ec2m({"instances", "list", "--env", "dev", "-o", "json"});
    ASSERT_EQ(listed.exit_code, 0);
    int live = 0;
    const nlohmann::json items = nlohmann::json::parse(listed.out);
    for (const auto& i : items) {
      live += i["state"] == "running" || i["state"] == "pending" ? 1 : 0;
    }
    EXPECT_EQ(live, kInstances) << "an orphaned instance";
  }
  // The kills landed inside applies (each then resumed by the restarted server), not only
  // between them.
  EXPECT_GE(interrupted, 2);
}

}  // namespace
}  // namespace ec2m::testing
