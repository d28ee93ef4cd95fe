// Monitoring through the real server: datapoints published over the REST API and the CLI, the
// specification's alarms evaluated by `ec2m serve`'s loop, a critical alarm opening one P1
// incident per episode and notifying a real webhook receiver through the outbox, mute and
// acknowledge, history, alarms and metrics surviving a restart, and bad input refused naming it.

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/control_plane.hpp"
#include "support/rest_client.hpp"
#include "support/webhook_receiver.hpp"

namespace ec2m::testing {
namespace {

using std::chrono::milliseconds;

class MonitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(receiver_.Start());
    plane_ = std::make_unique<ControlPlane>(
        dir_.path(), std::map<std::string, std::string>{{"dev", SimEnvironment("dev")}},
        R"(,"alarm_evaluation_seconds":1,"collector_seconds":1)");
    ASSERT_TRUE(plane_->Start()) << plane_->error();
    ASSERT_TRUE(plane_->LoginAdmin());
    Login();
  }

  void Login() {
    Answer r = CallApi(plane_->url(), "POST", "/api/v1/auth/login", "",
                       {{"email", plane_->admin_email()}, {"password", plane_->admin_password()}});
    ASSERT_NE(r.status, 0);
    ASSERT_EQ(r.status, 200) << r.body.dump();
    token_ = r.body["token"].get<std::string>();
  }

  Answer Call(const std::string& method, const std::string& path,
              const nlohmann::json& body = nullptr) {
    return CallApi(plane_->url(), method, path, token_, body);
  }

  // An alarm's state as the server reports it.
  std::string State(const std::string& env, const std::string& alarm) {
    Answer a = Call("GET", "/api/v1/alarms/" + Encode(alarm) + "?env=" + env);
    return a.status == 200 ? a.body["state"].get<std::string>()
                           : "status " + std::to_string(a.status);
  }

  bool WaitForState(const std::string& env, const std::string& alarm, const std::string& want) {
    for (int i = 0; i < 100; ++i) {
      if (State(env, alarm) == want) {
        return true;
      }
      std::this_thread::sleep_for(milliseconds(100));
    }
    return false;
  }

  // Alarm names have spaces; nothing else here needs escaping.
  static std::string Encode(const std::string& s) {
    std::string out;
    for (char c : s) {
      out += c == ' ' ? std::string("%20") : std::string(1, c);
    }
    return out;
  }

  // A datapoint one minute back: in the last whole minute, which the next evaluation reads.
  Answer PutPast(const std::string& env, const std::string& metric, double value) {
    const auto t = std::chrono::system_clock::now() - std::chrono::minutes(1);
    const auto secs =
        std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
    char stamp[32];
    const std::time_t tt = secs;
    std::tm tm{};
    gmtime_r(&tt, &tm);
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return Call(
        "POST", "/api/v1/metrics",
        {{"env", env}, {"data", {{{"metric", metric}, {"value", value}, {"timestamp", stamp}}}}});
  }

  TempDir dir_;
  WebhookReceiver receiver_;
  std::unique_ptr<ControlPlane> plane_;
  std::string token_;
};

TEST_F(MonitorTest, ACriticalAlarmFiresNotifiesAndOpensOneIncident) {
  Answer channel = Call("POST", "/api/v1/channels",
                        {{"name", "ops"},
                         {"type", "webhook"},
                         {"url", receiver_.url() + "/hook"},
                         {"secret", "0123456789abcdef0123"},
                         {"filter", {{"kinds", {"alarm", "incident"}}}}});
  ASSERT_EQ(channel.status, 201) << channel.body.dump();

  // The five alarms of the specification are there for dev and for the control plane.
  Answer list = Call("GET", "/api/v1/alarms?env=dev");
  ASSERT_EQ(list.status, 200) << list.body.dump();
  std::set<std::string> names;
  for (const auto& a : list.body["items"]) {
    names.insert(a["name"].get<std::string>());
  }
  EXPECT_EQ(names, (std::set<std::string>{"Critical API Errors", "High Latency", "Throttling",
                                          "Security Alert", "Low Activity"}));
  ASSERT_TRUE(WaitForState("dev", "Critical API Errors", "OK"));
  EXPECT_EQ(Call("GET", "/api/v1/alarms?env=ec2m").body["items"].size(), 5U);

  ASSERT_EQ(PutPast("dev", "ServerErrors", 3).status, 200);
  ASSERT_TRUE(WaitForState("dev", "Critical API Errors", "ALARM"));
  Answer alarm = Call("GET", "/api/v1/alarms/" + Encode("Critical API Errors") + "?env=dev");
  EXPECT_NE(alarm.body["reason"].get<std::string>().find("[3]"), std::string::npos)
      << alarm.body.dump();
  EXPECT_EQ(alarm.body["episode"], 1);

  // One P1 for the episode, however many evaluations see the alarm in ALARM.
  std::this_thread::sleep_for(milliseconds(2500));
  Answer incidents = Call("GET", "/api/v1/incidents?status=open");
  ASSERT_EQ(incidents.status, 200) << incidents.body.dump();
  int p1 = 0;
  for (const auto& i : incidents.body["items"]) {
    if (i["severity"] == "P1" &&
        i["title"].get<std::string>().find("Critical API Errors") != std::string::npos) {
      ++p1;
    }
  }
  EXPECT_EQ(p1, 1) << incidents.body.dump();

  // The alarm's notification reached the receiver through the outbox.
  EXPECT_TRUE(receiver_.WaitFor(
      [](const std::vector<ReceivedRequest>& got) {
        for (const auto& r : got) {
          if (r.body.find("\"kind\":\"alarm\"") != std::string::npos &&
              r.body.find("Critical API Errors") != std::string::npos) {
            return true;
          }
        }
        return false;
      },
      std::chrono::seconds(20)))
      << Call("GET", "/api/v1/alarms/" + Encode("Critical API Errors") + "/history?env=dev")
             .body.dump()
      << Call("GET", "/api/v1/notifications").body.dump();

  // The CLI: list, show, history, ack, mute.
  CommandResult cli = plane_->Ec2m({"alarms", "list", "--env", "dev", "--state", "ALARM"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find("Critical API Errors"), std::string::npos) << cli.out;
  EXPECT_EQ(cli.out.find("Low Activity"), std::string::npos) << cli.out;
  cli = plane_->Ec2m({"alarms", "history", "Critical API Errors", "--env", "dev"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find("Alarm updated from OK to ALARM"), std::string::npos) << cli.out;
  cli = plane_->Ec2m({"alarms", "ack", "Critical API Errors", "--env", "dev"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  cli = plane_->Ec2m({"alarms", "mute", "Critical API Errors", "--env", "dev", "--until-resolved"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  cli = plane_->Ec2m({"alarms", "show", "Critical API Errors", "--env", "dev"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find("muted"), std::string::npos) << cli.out;
  EXPECT_NE(cli.out.find("acknowledged by " + plane_->admin_email()), std::string::npos) << cli.out;
  // Acknowledging an alarm that is not in ALARM is refused, naming why.
  cli = plane_->Ec2m({"alarms", "ack", "Throttling", "--env", "dev"});
  EXPECT_NE(cli.exit_code, 0);
  EXPECT_NE(cli.err.find("not ALARM"), std::string::npos) << cli.err;

  // A restart keeps the alarm's state and the metrics behind it.
  ASSERT_EQ(plane_->Stop(), 0);
  ASSERT_TRUE(plane_->Start()) << plane_->error();
  Login();
  ASSERT_TRUE(plane_->LoginAdmin());
  EXPECT_EQ(State("dev", "Critical API Errors"), "ALARM");
  cli = plane_->Ec2m({"metrics", "get", "ServerErrors", "--env", "dev", "--stat", "Sum", "--period",
                      "60", "-o", "json"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find("\"v\": 3"), std::string::npos) << cli.out;
}

TEST_F(MonitorTest, PublishedMetricsAndBadInput) {
  CommandResult put = plane_->Ec2m(
      {"metrics", "put", "QueueDepth", "7", "--env", "dev", "--dimensions", "Queue=jobs"});
  ASSERT_EQ(put.exit_code, 0) << put.err;
  CommandResult series = plane_->Ec2m({"metrics", "list", "--env", "dev"});
  ASSERT_EQ(series.exit_code, 0) << series.err;
  EXPECT_NE(series.out.find("QueueDepth"), std::string::npos) << series.out;
  EXPECT_NE(series.out.find("Queue=jobs"), std::string::npos) << series.out;

  put = plane_->Ec2m({"metrics", "put", "QueueDepth", "7", "--env", "dev", "--dimensions", "=x"});
  EXPECT_NE(put.exit_code, 0);
  EXPECT_NE(put.err.find("--dimensions"), std::string::npos) << put.err;

  // A bad datapoint among good ones: refused naming it, and none of them recorded.
  Answer bad = Call("POST", "/api/v1/metrics",
                    {{"env", "dev"},
                     {"data",
                      {{{"metric", "Good"}, {"value", 1}},
                       {{"metric", "Good"}, {"value", 2}, {"timestamp", "tomorrow"}}}}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.dump().find("$.data[1].timestamp"), std::string::npos) << bad.body.dump();
  Answer metrics = Call("GET", "/api/v1/metrics?env=dev");
  EXPECT_EQ(metrics.body.dump().find("\"Good\""), std::string::npos) << metrics.body.dump();

  EXPECT_EQ(Call("GET", "/api/v1/alarms?state=RED").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/alarms/" + Encode("No Such") + "?env=dev").status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/alarms/" + Encode("Throttling")).status, 400);
  Answer query = Call("GET", "/api/v1/metrics/query?env=dev&metric=Latency&period=90");
  EXPECT_EQ(query.status, 400);
  EXPECT_NE(query.body.dump().find("period"), std::string::npos) << query.body.dump();
  query = Call("GET", "/api/v1/metrics/query?env=dev&metric=Latency&stat=Median");
  EXPECT_EQ(query.status, 400);
  // The collector's figures: dev's cost and instances, the control plane's active users.
  Answer cost;
  for (int i = 0; i < 50; ++i) {
    cost = Call("GET", "/api/v1/metrics/query?env=dev&metric=EstimatedHourlyCost&period=60");
    if (cost.status == 200 && !cost.body["points"].empty()) {
      break;
    }
    std::this_thread::sleep_for(milliseconds(100));
  }
  EXPECT_FALSE(cost.body["points"].empty()) << cost.body.dump();
  Answer users =
      Call("GET", "/api/v1/metrics/query?env=ec2m&metric=ActiveUsers&stat=Maximum&period=60");
  ASSERT_EQ(users.status, 200) << users.body.dump();
  EXPECT_FALSE(users.body["points"].empty()) << users.body.dump();
  // The requests above count in dev's own metrics.
  query = Call("GET", "/api/v1/metrics/query?env=dev&metric=Requests&stat=Sum&period=60");
  ASSERT_EQ(query.status, 200) << query.body.dump();
  EXPECT_FALSE(query.body["points"].empty()) << query.body.dump();
}

// A provision's outcome reaches a channel that takes deployments, and the three dashboards
// assemble what the server recorded: the deployment, the requests, the alarms, the sign-in.
TEST_F(MonitorTest, DeploymentsAreNotifiedAndTheDashboardsShowThem) {
  Answer channel = Call("POST", "/api/v1/channels",
                        {{"name", "deploys"},
                         {"type", "webhook"},
                         {"url", receiver_.url() + "/deploys"},
                         {"secret", "0123456789abcdef0123"},
                         {"filter", {{"kinds", {"deployment"}}}}});
  ASSERT_EQ(channel.status, 201) << channel.body.dump();
  Answer started = Call("POST", "/api/v1/environments/dev/provision", nlohmann::json::object());
  ASSERT_EQ(started.status, 202) << started.body.dump();
  const std::string cs = started.body["changeset"]["id"].get<std::string>();
  nlohmann::json delivered;
  ASSERT_TRUE(receiver_.WaitFor(
      [&](const std::vector<ReceivedRequest>& got) {
        for (const ReceivedRequest& r : got) {
          auto j = nlohmann::json::parse(r.body, nullptr, false);
          if (r.path == "/deploys" && j.is_object() && j.value("kind", "") == "deployment") {
            delivered = j;
            return true;
          }
        }
        return false;
      },
      std::chrono::seconds(60)));
  EXPECT_EQ(delivered["id"], "deployment-" + cs + "-success") << delivered.dump();
  EXPECT_EQ(delivered["environment"], "dev") << delivered.dump();
  EXPECT_EQ(delivered["fields"]["status"], "success") << delivered.dump();
  EXPECT_EQ(delivered["fields"]["author"], plane_->admin_email()) << delivered.dump();

  Answer exec = Call("GET", "/api/v1/dashboards/executive?env=dev&hours=24");
  ASSERT_EQ(exec.status, 200) << exec.body.dump();
  EXPECT_EQ(exec.body["period"], 300);
  std::map<std::string, nlohmann::json> panels;
  for (const auto& p : exec.body["panels"]) {
    panels[p["id"].get<std::string>()] = p;
  }
  EXPECT_EQ(panels["deployments"]["value"], 1) << exec.body.dump();
  EXPECT_EQ(panels["open_incidents"]["value"], 0) << exec.body.dump();
  EXPECT_EQ(panels["availability"]["value"], 100.0) << exec.body.dump();
  ASSERT_TRUE(panels.count("availability_trend")) << exec.body.dump();
  const size_t points = panels["availability_trend"]["series"][0]["values"].size();
  EXPECT_GE(points, 288u);  // 24 hours of 5-minute periods (and the one under way)
  EXPECT_LE(points, 289u);

  Answer ops = Call("GET", "/api/v1/dashboards/operations?env=dev&hours=1");
  ASSERT_EQ(ops.status, 200) << ops.body.dump();
  EXPECT_EQ(ops.body["period"], 60);
  panels.clear();
  for (const auto& p : ops.body["panels"]) {
    panels[p["id"].get<std::string>()] = p;
  }
  EXPECT_EQ(panels["alarms"]["alarms"].size(), 5u) << ops.body.dump();
  ASSERT_EQ(panels["latency"]["series"].size(), 2u) << ops.body.dump();
  EXPECT_EQ(panels["latency"]["series"][1]["label"], "p99");
  const auto& requests = panels["requests"]["series"][0]["values"];
  double total = 0;
  for (const auto& v : requests) {
    total += v.is_number() ? v.get<double>() : 0;
  }
  EXPECT_GE(total, 2) << ops.body.dump();  // the channel and the provision, at least

  Answer business = Call("GET", "/api/v1/dashboards/business?env=dev");
  ASSERT_EQ(business.status, 200) << business.body.dump();
  panels.clear();
  for (const auto& p : business.body["panels"]) {
    panels[p["id"].get<std::string>()] = p;
  }
  EXPECT_GE(panels["sign_ins_total"]["value"].get<double>(), 1) << business.body.dump();
  EXPECT_NE(panels["feature_use"].dump().find("\"environments\""), std::string::npos)
      << business.body.dump();

  Answer bad = Call("GET", "/api/v1/dashboards/finance?env=dev");
  EXPECT_EQ(bad.status, 404);
  EXPECT_NE(bad.body.dump().find("finance"), std::string::npos) << bad.body.dump();
  bad = Call("GET", "/api/v1/dashboards/operations?env=dev&hours=0");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.dump().find("hours"), std::string::npos) << bad.body.dump();
  bad = Call("GET", "/api/v1/dashboards/operations");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.dump().find("env"), std::string::npos) << bad.body.dump();
}

}  // namespace
}  // namespace ec2m::testing
