// Incidents end to end: `ec2m incidents open|ack|assign|note|status|resolve|list|show` and the
// REST routes against a real `ec2m serve` over a real SQLite store: ids of the form YYYY-MMDD-NNN
// in sequence, the timeline, who may do what, and bad input refused naming the field or flag.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "core/clock.hpp"
#include "support/control_plane.hpp"
#include "support/plane_test.hpp"

namespace ec2m::testing {
namespace {

// "2025-0914": the day part of ids of incidents opened now.
std::string Today() {
  const std::string iso = FormatIso8601(SystemClock().Now());
  return iso.substr(0, 4) + "-" + iso.substr(5, 2) + iso.substr(8, 2);
}

int Sequence(const std::string& id) { return std::stoi(id.substr(10)); }

class IncidentsEndToEndTest : public PlaneTest {
 protected:
  void SetUp() override {
    plane_ = std::make_unique<ControlPlane>(
        dir_.path(), std::map<std::string, std::string>{{"dev", SimEnvironment("dev")},
                                                        {"prod", SimEnvironment("prod")}});
    ASSERT_TRUE(plane_->Start()) << plane_->error();
    ASSERT_TRUE(plane_->LoginAdmin());
    admin_ = Login(plane_->admin_email(), plane_->admin_password());
  }

  CommandResult Cli(const std::vector<std::string>& args) {
    std::vector<std::string> all = {"incidents"};
    all.insert(all.end(), args.begin(), args.end());
    return plane_->Ec2m(all);
  }

  // Runs the CLI and expects it to succeed.
  std::string Ok(const std::vector<std::string>& args) {
    CommandResult r = Cli(args);
    EXPECT_EQ(r.exit_code, 0) << args[0] << ": " << r.out << r.err;
    return r.out;
  }
};

TEST_F(IncidentsEndToEndTest, OpenWorkAndResolveThroughTheCli) {
  const std::string day = Today();
  std::string first = Ok({"open", "--severity", "P2", "--title", "Checkout errors", "--env", "prod",
                          "--service", "checkout", "--description", "5xx on /pay"});
  ASSERT_FALSE(first.empty());
  first.pop_back();  // the newline
  EXPECT_TRUE(std::regex_match(first, std::regex(R"(\d{4}-\d{4}-\d{3})"))) << first;
  std::string second = Ok({"open", "--severity", "P4", "--title", "Typo on the console"});
  second.pop_back();
  if (first.substr(0, 9) == day && second.substr(0, 9) == day) {  // not across midnight
    EXPECT_EQ(first, day + "-001");
    EXPECT_EQ(Sequence(second), Sequence(first) + 1);
  }

  EXPECT_EQ(Ok({"ack", first}), first + " acknowledged by " + plane_->admin_email() + "\n");
  CommandResult again = Cli({"ack", first});
  EXPECT_EQ(again.exit_code, 5) << again.err;  // failed_precondition
  EXPECT_NE(again.err.find("was acknowledged by " + plane_->admin_email()), std::string::npos)
      << again.err;
  EXPECT_EQ(Ok({"assign", first, "--commander", "@bob"}), first + " incident commander: @bob\n");
  EXPECT_EQ(Ok({"note", first, "rolled", "back", "the", "payment", "service"}),
            first + ": note added\n");
  EXPECT_EQ(Ok({"status", first, "identified"}), first + " is identified\n");
  EXPECT_EQ(Ok({"status", first, "monitoring"}), first + " is monitoring\n");
  CommandResult backwards = Cli({"status", first, "investigating"});
  EXPECT_EQ(backwards.exit_code, 2);
  EXPECT_NE(backwards.err.find("status: expected identified or monitoring"), std::string::npos)
      << backwards.err;
  EXPECT_EQ(Ok({"resolve", first, "--root-cause", "DB pool exhausted", "--resolution",
                "Pool raised to 64", "--postmortem", "https://wiki.example.com/pm/1"}),
            first + " resolved after less than a minute\n");

  const std::string shown = Ok({"show", first});
  for (const std::string& want :
       {first + "  P2 (High)  resolved  prod", std::string("Service:      checkout"),
        std::string("Commander:    @bob"), std::string("Root cause:   DB pool exhausted"),
        std::string("Post-mortem:  https://wiki.example.com/pm/1"), std::string("Timeline:"),
        std::string("opened       " + plane_->admin_email() + ": P2 incident opened"),
        std::string("acknowledged"),
        std::string("note         " + plane_->admin_email() + ": rolled back the payment service"),
        std::string("status: identified → monitoring"), std::string("resolved     ")}) {
    EXPECT_NE(shown.find(want), std::string::npos) << want << "\n" << shown;
  }
  const auto json = nlohmann::json::parse(Ok({"show", first, "-o", "json"}), nullptr, false);
  EXPECT_EQ(json["status"], "resolved");
  EXPECT_EQ(json["commander"], "bob");
  EXPECT_GE(json["timeline"].size(), 8u);

  const std::string open = Ok({"list"});
  EXPECT_NE(open.find("ID"), std::string::npos) << open;
  EXPECT_NE(open.find(second), std::string::npos) << open;
  EXPECT_EQ(open.find(first), std::string::npos) << open;
  const std::string all = Ok({"list", "--status", "all"});
  EXPECT_LT(all.find(second), all.find(first)) << all;  // newest first
  const auto resolved =
      nlohmann::json::parse(Ok({"list", "--status", "resolved", "-o", "json"}), nullptr, false);
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0]["id"], first);
  EXPECT_EQ(nlohmann::json::parse(Ok({"list", "--env", "dev", "-o", "json"})).size(), 0u);
}

TEST_F(IncidentsEndToEndTest, BadFlagsAreRefusedNamingTheFlag) {
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"open", "--severity", "P5", "--title", "t"}, 2, "--severity: expected P1, P2, P3 or P4"},
      {{"open", "--severity", "P1"}, 2, "--title"},
      {{"list", "--status", "closed"}, 2, "--status: expected open, resolved or all"},
      {{"list", "-o", "yaml"}, 2, "--output: expected table, json or text"},
      {{"show", "2025-0914-001", "-o", "yaml"}, 2, "--output: expected text or json"},
      {{"assign", "2025-0914-001"}, 2, "--commander"},
      {{"resolve", "2025-0914-001", "--root-cause", "x"}, 2, "--resolution"},
      {{"show", "not-an-id"}, 2, "\"not-an-id\" is not an incident id (YYYY-MMDD-NNN)"},
      {{"show", "2020-0101-001"}, 3, "incident 2020-0101-001 not found"},
  };
  for (const Case& c : cases) {
    CommandResult r = Cli(c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args[0] << " " << c.message << ": " << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  }
}

TEST_F(IncidentsEndToEndTest, RestRolesSequenceAndBadFields) {
  const std::string deployer = UserWith("deployer@example.com", {{"dev", "deployer"}});
  const std::string viewer = UserWith("viewer@example.com", {{"dev", "viewer"}});
  const nlohmann::json dev = {{"severity", "P1"}, {"title", "dev down"}, {"environment", "dev"}};

  Answer opened = Call("POST", "/api/v1/incidents", deployer, dev);
  ASSERT_EQ(opened.status, 201) << opened.body.dump();
  const std::string id = opened.body["id"];
  EXPECT_TRUE(std::regex_match(id, std::regex(R"(\d{4}-\d{4}-\d{3})"))) << id;
  EXPECT_EQ(opened.body["status"], "investigating");
  EXPECT_EQ(opened.body["escalation"], "Immediate page");
  Answer next = Call("POST", "/api/v1/incidents", admin_,
                     {{"severity", "P3"}, {"title", "prod slow"}, {"environment", "prod"}});
  ASSERT_EQ(next.status, 201) << next.body.dump();
  const std::string prod_id = next.body["id"];
  if (id.substr(0, 9) == prod_id.substr(0, 9)) {
    EXPECT_EQ(Sequence(prod_id), Sequence(id) + 1);
  }

  // Who may: deployers work incidents of their environments; viewers read them.
  EXPECT_EQ(Call("POST", "/api/v1/incidents", viewer, dev).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/incidents", deployer,
                 {{"severity", "P1"}, {"title", "t"}, {"environment", "prod"}})
                .status,
            403);
  EXPECT_EQ(
      Call("POST", "/api/v1/incidents/" + id + "/ack", viewer, nlohmann::json::object()).status,
      403);
  EXPECT_EQ(Call("GET", "/api/v1/incidents/" + id, viewer).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/incidents/" + prod_id, viewer).status, 403);
  Answer listed = Call("GET", "/api/v1/incidents", viewer);
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.body["items"].size(), 1u);  // dev's only
  EXPECT_EQ(listed.body["items"][0]["id"], id);
  EXPECT_EQ(Call("GET", "/api/v1/incidents?env=prod", viewer).status, 403);
  Answer page = Call("GET", "/api/v1/incidents?limit=1", admin_);
  ASSERT_EQ(page.body["items"].size(), 1u);
  EXPECT_EQ(page.body["items"][0]["id"], prod_id);
  EXPECT_EQ(page.body["next_cursor"], prod_id);
  Answer rest = Call("GET", "/api/v1/incidents?limit=1&cursor=" + prod_id, admin_);
  EXPECT_EQ(rest.body["items"][0]["id"], id);
  EXPECT_TRUE(rest.body["next_cursor"].is_null());

  ASSERT_EQ(Call("POST", "/api/v1/incidents/" + id + "/ack", deployer).status, 200);
  ASSERT_EQ(
      Call("POST", "/api/v1/incidents/" + id + "/notes", deployer, {{"text", "looking"}}).status,
      200);
  Answer resolved = Call("POST", "/api/v1/incidents/" + id + "/resolve", deployer,
                         {{"root_cause", "disk full"}, {"resolution", "log rotation"}});
  ASSERT_EQ(resolved.status, 200) << resolved.body.dump();
  EXPECT_EQ(resolved.body["status"], "resolved");
  EXPECT_EQ(resolved.body["duration_minutes"], 0);
  EXPECT_EQ(Call("POST", "/api/v1/incidents/" + id + "/resolve", deployer,
                 {{"root_cause", "x"}, {"resolution", "y"}})
                .status,
            409);

  // Bad input names the field.
  struct Bad {
    std::string path;
    nlohmann::json body;
    int status;
    std::string message;
  };
  const std::vector<Bad> bad = {
      {"/api/v1/incidents",
       {{"severity", "P9"}, {"title", "t"}, {"environment", "dev"}},
       400,
       "request body: $.severity: expected P1, P2, P3 or P4, got \"P9\""},
      {"/api/v1/incidents",
       {{"severity", "P1"}, {"environment", "dev"}},
       400,
       "request body: $.title: required, missing"},
      {"/api/v1/incidents",
       {{"severity", "P1"}, {"title", " "}, {"environment", "dev"}},
       400,
       "request body: $.title: required"},
      {"/api/v1/incidents",
       {{"severity", "P1"}, {"title", "t"}, {"environment", "dev"}, {"owner", "x"}},
       400,
       "request body: $.owner: unknown key"},
      {"/api/v1/incidents",
       {{"severity", "P1"}, {"title", "t"}},
       400,
       "request body: $.environment: required, missing"},
      {"/api/v1/incidents",
       {{"severity", "P1"}, {"title", "t"}, {"environment", "qa"}},
       404,
       "no environment named \"qa\""},
      {"/api/v1/incidents/" + prod_id + "/status",
       {{"status", "resolved"}},
       400,
       "request body: $.status: expected identified or monitoring"},
      {"/api/v1/incidents/" + prod_id + "/assign",
       {{"commander", "two words"}},
       400,
       "request body: $.commander: a handle without spaces expected"},
      {"/api/v1/incidents/" + prod_id + "/resolve",
       {{"root_cause", "x"}, {"resolution", "y"}, {"postmortem_url", "wiki"}},
       400,
       "request body: $.postmortem_url: expected an http:// or https:// link"},
      {"/api/v1/incidents/2020-0101-001/ack", nlohmann::json::object(), 404,
       "incident 2020-0101-001 not found"},
  };
  for (const Bad& b : bad) {
    Answer a = Call("POST", b.path, admin_, b.body);
    EXPECT_EQ(a.status, b.status) << b.path << " " << a.body.dump();
    EXPECT_NE(a.body["error"]["message"].get<std::string>().find(b.message), std::string::npos)
        << a.body.dump();
  }

  // Every action is in the audit trail.
  Answer audit = Call("GET", "/api/v1/audit?limit=1000", admin_);
  std::multiset<std::string> seen;
  for (const auto& e : audit.body["items"]) {
    seen.insert(e["action"].get<std::string>() + ":" + e["result"].get<std::string>());
  }
  EXPECT_EQ(seen.count("incident.open:success"), 2u);
  EXPECT_EQ(seen.count("incident.acknowledge:success"), 1u);
  EXPECT_EQ(seen.count("incident.note:success"), 1u);
  EXPECT_EQ(seen.count("incident.resolve:success"), 1u);
  EXPECT_GE(seen.count("incident.resolve:failure"), 2u);
  EXPECT_GE(seen.count("access.denied:denied"), 3u);
}

}  // namespace
}  // namespace ec2m::testing
