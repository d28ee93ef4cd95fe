// Notifications delivered for real: the outbox over libcurl against receivers the tests start (an
// HTTP receiver standing in for Slack, Teams, a webhook and the GitHub API; an SMTP sink), with
// retries on a ManualClock; then `ec2m serve` with the CLI's `channels` commands, and the server
// killed with SIGKILL at random moments while notifications wait: after restarts, every
// enqueued id reaches the receiver.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "core/digest.hpp"
#include "notify/outbox.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/control_plane.hpp"
#include "support/smtp_sink.hpp"
#include "support/webhook_receiver.hpp"

namespace ec2m::testing {
namespace {

using std::chrono::seconds;

constexpr const char* kSecret = "whsec-0123456789abcdef";

class NotifyDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(receiver_.Start());
    ASSERT_TRUE(sink_.Start());
    auto opened = store::SqliteStore::Open(dir_.path() + "/ec2m.db");
    ASSERT_TRUE(opened) << opened.error().ToString();
    store_ = std::move(*opened);
    notify::OutboxOptions options;
    options.max_attempts = 3;
    outbox_ = std::make_unique<notify::Outbox>(*store_, transport_, clock_, random_, options);
  }

  void AddChannel(const nlohmann::json& body) {
    auto object = config::JsonObject::Parse(body.dump(), "channel");
    ASSERT_TRUE(object);
    auto channel = notify::ParseChannel(*object);
    ASSERT_TRUE(channel) << channel.error().ToString();
    ASSERT_TRUE(outbox_->channels().Add(*channel, "admin@example.com"));
  }
  void AddWebhook(const std::string& url) {
    AddChannel({{"name", "hook"}, {"type", "webhook"}, {"url", url}, {"secret", kSecret}});
  }

  notify::PassReport Pass() {
    auto report = outbox_->DeliverDue();
    EXPECT_TRUE(report) << report.error().ToString();
    return report ? *report : notify::PassReport{};
  }

  std::vector<notify::Delivery> List(const std::string& state) {
    notify::DeliveryQuery q;
    q.state = state;
    auto page = outbox_->List(q);
    EXPECT_TRUE(page) << page.error().ToString();
    return page ? page->items : std::vector<notify::Delivery>{};
  }

  static Notification Deployment() {
    Notification n;
    n.id = "deploy-production-17";
    n.kind = "deployment";
    n.environment = "production";
    n.severity = "info";
    n.title = "Deployed main to production";
    n.text = "All health checks passed.\n.a line that starts with a dot\n..and one with two";
    n.fields = {{"environment", "production"},
                {"status", "success"},
                {"branch", "main"},
                {"author", "developer-name"},
                {"commit", "9f1c2ab"},
                {"workflow_url", "https://github.com/acme/web/actions/runs/17"}};
    return n;
  }

  TempDir dir_;
  WebhookReceiver receiver_;
  SmtpSink sink_;
  ManualClock clock_{SystemClock().Now()};
  DefaultRandom random_{2026};
  notify::CurlTransport transport_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<notify::Outbox> outbox_;
};

TEST_F(NotifyDeliveryTest, EveryChannelTypeReachesItsReceiver) {
  AddChannel({{"name", "slack"},
              {"type", "slack"},
              {"url", receiver_.url() + "/slack/services/T0/B0/XYZ"}});
  AddChannel({{"name", "teams"}, {"type", "teams"}, {"url", receiver_.url() + "/teams/hook"}});
  AddWebhook(receiver_.url() + "/hook");
  AddChannel({{"name", "mail"},
              {"type", "email"},
              {"smtp_url", sink_.url()},
              {"from", "ec2m@example.com"},
              {"to", {"ops@example.com", "lead@example.com"}},
              {"filter", {{"environments", {"production"}}}}});
  AddChannel({{"name", "github"},
              {"type", "github"},
              {"api_url", receiver_.url() + "/gh"},
              {"repo", "acme/web"},
              {"token", "ghp_0123456789"}});
  receiver_.Respond([](const ReceivedRequest& r) -> std::pair<int, std::string> {
    if (r.path == "/gh/repos/acme/web/deployments") {
      return {201, R"({"id":4242,"ref":"9f1c2ab"})"};
    }
    if (r.path == "/gh/repos/acme/web/deployments/4242/statuses") {
      return {201, R"({"id":1,"state":"success"})"};
    }
    return {200, "ok"};
  });
  const Notification n = Deployment();
  auto id = outbox_->Enqueue(n);
  ASSERT_TRUE(id) << id.error().ToString();
  EXPECT_EQ(Pass().delivered, 5);
  EXPECT_EQ(List("delivered").size(), 5u);

  std::map<std::string, ReceivedRequest> by_path;
  for (const ReceivedRequest& r : receiver_.Requests()) {
    by_path[r.path] = r;
  }
  // Slack: text and blocks with the specification's payload.
  const auto slack = nlohmann::json::parse(by_path.at("/slack/services/T0/B0/XYZ").body);
  EXPECT_EQ(slack["text"], "[info] Deployed main to production");
  const std::string fields = slack["blocks"][2]["fields"].dump();
  for (const char* want :
       {"*environment*\\nproduction", "*status*\\nsuccess", "*branch*\\nmain",
        "*author*\\ndeveloper-name", "*commit*\\n9f1c2ab", "actions/runs/17|workflow run"}) {
    EXPECT_NE(fields.find(want), std::string::npos) << want << " in " << fields;
  }
  // Teams: a MessageCard.
  const auto card = nlohmann::json::parse(by_path.at("/teams/hook").body);
  EXPECT_EQ(card["@type"], "MessageCard");
  EXPECT_EQ(card["sections"][0]["facts"][1]["value"], "success");
  // The webhook: the notification as JSON, signed so the receiver can verify it.
  const ReceivedRequest& hook = by_path.at("/hook");
  EXPECT_EQ(hook.headers.at("x-ec2m-delivery"), *id);
  const std::string timestamp = hook.headers.at("x-ec2m-timestamp");
  EXPECT_EQ(hook.headers.at("x-ec2m-signature"),
            "sha256=" + HexEncode(HmacSha256(kSecret, timestamp + "." + hook.body)));
  EXPECT_NEAR(std::stoll(timestamp),
              std::chrono::duration_cast<seconds>(clock_.Now().time_since_epoch()).count(), 5);
  const auto payload = nlohmann::json::parse(hook.body);
  EXPECT_EQ(payload["id"], *id);
  EXPECT_EQ(payload["fields"]["commit"], "9f1c2ab");
  // GitHub: a deployment of the commit, then its status.
  const ReceivedRequest& deployment = by_path.at("/gh/repos/acme/web/deployments");
  EXPECT_EQ(deployment.method, "POST");
  EXPECT_EQ(deployment.headers.at("authorization"), "Bearer ghp_0123456789");
  EXPECT_EQ(deployment.headers.at("accept"), "application/vnd.github+json");
  EXPECT_FALSE(deployment.headers.at("user-agent").empty());
  const auto created = nlohmann::json::parse(deployment.body);
  EXPECT_EQ(created["ref"], "9f1c2ab");
  EXPECT_EQ(created["environment"], "production");
  EXPECT_EQ(created["auto_merge"], false);
  EXPECT_EQ(created["required_contexts"], nlohmann::json::array());
  const auto status =
      nlohmann::json::parse(by_path.at("/gh/repos/acme/web/deployments/4242/statuses").body);
  EXPECT_EQ(status["state"], "success");
  EXPECT_EQ(status["log_url"], "https://github.com/acme/web/actions/runs/17");
  // Email: one message to both recipients, over real SMTP.
  ASSERT_TRUE(sink_.WaitFor(1, seconds(5)));
  const ReceivedMail mail = sink_.Mails().at(0);
  EXPECT_EQ(mail.from, "ec2m@example.com");
  EXPECT_EQ(mail.to, (std::vector<std::string>{"ops@example.com", "lead@example.com"}));
  EXPECT_NE(mail.data.find("Subject: Deployed main to production\r\n"), std::string::npos)
      << mail.data;
  EXPECT_NE(mail.data.find("Message-ID: <deploy-production-17@ec2m>\r\n"), std::string::npos);
  // Dot-stuffed by libcurl, unstuffed by the sink: the lines arrive as written.
  EXPECT_NE(mail.data.find("\r\n.a line that starts with a dot\r\n..and one with two\r\n"),
            std::string::npos)
      << mail.data;
  EXPECT_NE(mail.data.find("workflow_url: https://github.com/acme/web/actions/runs/17\r\n"),
            std::string::npos);
}

TEST_F(NotifyDeliveryTest, ServerErrorsAreRetriedUntilDelivered) {
  AddWebhook(receiver_.url() + "/hook");
  receiver_.FailNext(2);
  ASSERT_TRUE(outbox_->Enqueue(Deployment()));
  EXPECT_EQ(Pass().retrying, 1);
  EXPECT_EQ(List("pending").at(0).last_error,
            "POST " + receiver_.url() + "/****: HTTP 500: failing on purpose");
  clock_.Advance(seconds(6));
  EXPECT_EQ(Pass().retrying, 1);
  clock_.Advance(seconds(11));
  EXPECT_EQ(Pass().delivered, 1);
  const auto requests = receiver_.Requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const auto& r : requests) {
    EXPECT_EQ(r.headers.at("x-ec2m-delivery"), "deploy-production-17");  // the same id each time
  }
  EXPECT_EQ(List("delivered").at(0).attempts, 3);
}

TEST_F(NotifyDeliveryTest, GitHubRetriesPostTheStatusToTheSameDeployment) {
  AddChannel({{"name", "github"},
              {"type", "github"},
              {"api_url", receiver_.url()},
              {"repo", "acme/web"},
              {"token", "ghp_0123456789"}});
  // The deployment is created; its first status fails, the retry's passes.
  int deployments = 0;
  int statuses = 0;
  receiver_.Respond([&](const ReceivedRequest& r) -> std::pair<int, std::string> {
    if (r.path == "/repos/acme/web/deployments") {
      ++deployments;
      return {201, R"({"id":7})"};
    }
    return ++statuses == 1 ? std::pair<int, std::string>{502, "bad gateway"}
                           : std::pair<int, std::string>{201, "{}"};
  });
  ASSERT_TRUE(outbox_->Enqueue(Deployment()));
  EXPECT_EQ(Pass().retrying, 1);
  clock_.Advance(seconds(6));
  EXPECT_EQ(Pass().delivered, 1);
  EXPECT_EQ(deployments, 1);
  const auto requests = receiver_.Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[2].path, "/repos/acme/web/deployments/7/statuses");
}

TEST_F(NotifyDeliveryTest, GivesUpAfterMaxAttemptsAndListsTheFailure) {
  AddWebhook(receiver_.url() + "/hook");
  receiver_.FailNext(1000);
  ASSERT_TRUE(outbox_->Enqueue(Deployment()));
  for (int i = 0; i < 6; ++i) {
    Pass();
    clock_.Advance(seconds(60));
  }
  EXPECT_EQ(receiver_.Requests().size(), 3u);
  const auto failed = List("failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].attempts, 3);
  EXPECT_NE(failed[0].last_error.find("HTTP 500"), std::string::npos);
  EXPECT_TRUE(List("pending").empty());
}

TEST_F(NotifyDeliveryTest, UnreachableReceiversAndRefusedMailboxes) {
  receiver_.Stop();  // nothing listens there now
  AddWebhook(receiver_.url() + "/hook");
  AddChannel({{"name", "mail"},
              {"type", "email"},
              {"smtp_url", sink_.url()},
              {"from", "ec2m@example.com"},
              {"to", {"nobody@example.com"}}});
  sink_.RejectRecipients(true);
  Notification n = Deployment();
  n.kind = "alarm";
  ASSERT_TRUE(outbox_->Enqueue(n));
  notify::PassReport report = Pass();
  EXPECT_EQ(report.retrying, 1);  // no answer: worth another try
  EXPECT_EQ(report.failed, 1);    // 550: final
  const auto pending = List("pending");
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_NE(pending[0].last_error.find("no answer"), std::string::npos) << pending[0].last_error;
  const auto failed = List("failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_NE(failed[0].last_error.find("550"), std::string::npos) << failed[0].last_error;
}

// --- Through `ec2m serve` and the CLI.

class NotifyServeTest : public ::testing::Test {
 protected:
  void StartServer() {
    plane_ = std::make_unique<ControlPlane>(
        dir_.path(), std::map<std::string, std::string>{{"dev", SimEnvironment("dev")}});
    ASSERT_TRUE(plane_->Start()) << plane_->error();
    ASSERT_TRUE(plane_->LoginAdmin());
  }
  CommandResult Ec2m(const std::vector<std::string>& args) { return plane_->Ec2m(args); }

  TempDir dir_;
  WebhookReceiver receiver_;
  std::unique_ptr<ControlPlane> plane_;
};

std::set<std::string> DistinctIds(const std::vector<ReceivedRequest>& requests) {
  std::set<std::string> ids;
  for (const auto& r : requests) {
    auto it = r.headers.find("x-ec2m-delivery");
    if (it != r.headers.end()) {
      ids.insert(it->second);
    }
  }
  return ids;
}

TEST_F(NotifyServeTest, ChannelsAreManagedAndTestedThroughTheCli) {
  ASSERT_TRUE(receiver_.Start());
  StartServer();
  CommandResult added =
      Ec2m({"channels", "add", "webhook", "ops-hook", "--url", receiver_.url() + "/in/secret-path",
            "--secret", kSecret, "--env", "dev", "--min-severity", "warning"});
  ASSERT_EQ(added.exit_code, 0) << added.out << added.err;
  EXPECT_NE(added.out.find("added webhook channel ops-hook"), std::string::npos) << added.out;

  // Bad input names the flag.
  CommandResult wrong_flag =
      Ec2m({"channels", "add", "slack", "s", "--url", "https://h/x", "--token", "t"});
  EXPECT_EQ(wrong_flag.exit_code, 2);
  EXPECT_NE(wrong_flag.err.find("--token: not a setting of slack channels (they take --url)"),
            std::string::npos)
      << wrong_flag.err;
  CommandResult bad_url = Ec2m({"channels", "add", "email", "m", "--smtp-url", "http://h", "--from",
                                "a@example.com", "--to", "b@example.com"});
  EXPECT_EQ(bad_url.exit_code, 2);
  EXPECT_NE(bad_url.err.find("--smtp-url: expected a smtp:// or smtps:// URL"), std::string::npos)
      << bad_url.err;
  CommandResult bad_to = Ec2m({"channels", "add", "email", "m", "--smtp-url", "smtp://h:25",
                               "--from", "a@example.com", "--to", "b@example.com,oops"});
  EXPECT_NE(bad_to.err.find("--to: expected an address"), std::string::npos) << bad_to.err;
  CommandResult bad_type = Ec2m({"channels", "add", "pager", "p"});
  EXPECT_NE(bad_type.err.find("TYPE: expected slack, teams"), std::string::npos) << bad_type.err;
  CommandResult twice = Ec2m({"channels", "add", "webhook", "ops-hook", "--url",
                              receiver_.url() + "/x", "--secret", kSecret});
  EXPECT_EQ(twice.exit_code, 4) << twice.err;  // already exists

  // Listed with the secret and the URL's path masked.
  CommandResult listed = Ec2m({"channels", "list", "-o", "json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(listed.out.find("secret-path"), std::string::npos) << listed.out;
  EXPECT_EQ(listed.out.find(kSecret), std::string::npos) << listed.out;
  const auto channels = nlohmann::json::parse(listed.out);
  ASSERT_EQ(channels.size(), 1u);
  EXPECT_EQ(channels[0]["secret"], "****cdef");
  EXPECT_EQ(channels[0]["filter"]["min_severity"], "warning");
  CommandResult table = Ec2m({"channels", "list"});
  EXPECT_NE(table.out.find("environments=dev >=warning"), std::string::npos) << table.out;

  // A test notification goes to the named channel whatever its filter.
  CommandResult tested = Ec2m({"channels", "test", "ops-hook"});
  ASSERT_EQ(tested.exit_code, 0) << tested.err;
  std::string id = tested.out;
  while (!id.empty() && (id.back() == '\n' || id.back() == '\r')) {
    id.pop_back();
  }
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(receiver_.WaitFor(
      [&](const auto& requests) { return DistinctIds(requests).count(id) == 1; }, seconds(10)));
  const ReceivedRequest r = receiver_.Requests().back();
  EXPECT_EQ(r.path, "/in/secret-path");
  EXPECT_EQ(
      r.headers.at("x-ec2m-signature"),
      "sha256=" + HexEncode(HmacSha256(kSecret, r.headers.at("x-ec2m-timestamp") + "." + r.body)));
  EXPECT_EQ(nlohmann::json::parse(r.body)["kind"], "test");
  nlohmann::json deliveries;
  for (int i = 0; i < 100; ++i) {
    CommandResult listed_deliveries =
        Ec2m({"notifications", "list", "--state", "delivered", "-o", "json"});
    ASSERT_EQ(listed_deliveries.exit_code, 0) << listed_deliveries.err;
    deliveries = nlohmann::json::parse(listed_deliveries.out);
    if (!deliveries.empty()) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0]["id"], id);
  EXPECT_EQ(deliveries[0]["channel"], "ops-hook");
  EXPECT_EQ(deliveries[0]["attempts"], 1);
  CommandResult bad_state = Ec2m({"notifications", "list", "--state", "lost"});
  EXPECT_EQ(bad_state.exit_code, 2);
  EXPECT_NE(bad_state.err.find("--state: expected pending"), std::string::npos) << bad_state.err;

  EXPECT_EQ(Ec2m({"channels", "test", "nothing"}).exit_code, 3);
  CommandResult removed = Ec2m({"channels", "remove", "ops-hook"});
  EXPECT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(Ec2m({"channels", "remove", "ops-hook"}).exit_code, 3);
  CommandResult audit = Ec2m({"audit", "export"});
  for (const char* action : {"channel.create", "channel.test", "channel.delete"}) {
    EXPECT_NE(audit.out.find(std::string("\"action\":\"") + action + "\""), std::string::npos)
        << action;
  }
}

// kill -9 at random moments while notifications wait in the outbox or are being sent (the
// receiver answers slowly, so some kills land mid-send and the entry waits out its claim's
// lease): after the restarts, every id the CLI was given reaches the receiver at least once.
// The receiver takes a second per delivery, longer than the CLI takes to queue one even in a
// sanitizer build (at 250 ms, an ASan run delivered all eight before the kill).
TEST_F(NotifyServeTest, KilledServersLoseNoNotification) {
  receiver_.Respond([](const ReceivedRequest&) -> std::pair<int, std::string> {
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    return {200, "ok"};
  });
  ASSERT_TRUE(receiver_.Start());
  StartServer();
  CommandResult added = Ec2m({"channels", "add", "webhook", "hook", "--url",
                              receiver_.url() + "/hook", "--secret", kSecret});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  std::mt19937 random(20261201);
  std::set<std::string> enqueued;
  size_t waiting_at_a_kill = 0;
  for (int round = 0; round < 4; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    for (int i = 0; i < 8; ++i) {
      CommandResult tested = Ec2m({"channels", "test", "hook"});
      ASSERT_EQ(tested.exit_code, 0) << tested.err;
      enqueued.insert(tested.out.substr(0, tested.out.find('\n')));
    }
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 500)(random)));
    plane_->Kill();
    waiting_at_a_kill += enqueued.size() - DistinctIds(receiver_.Requests()).size();
    ASSERT_TRUE(plane_->Start()) << plane_->error();
    ASSERT_TRUE(plane_->LoginAdmin());
  }
  EXPECT_GT(waiting_at_a_kill, 0u) << "no kill landed while notifications waited";
  // Every id the CLI was given reaches the receiver.
  const bool all = receiver_.WaitFor(
      [&](const std::vector<ReceivedRequest>& requests) {
        const std::set<std::string> got = DistinctIds(requests);
        return std::includes(got.begin(), got.end(), enqueued.begin(), enqueued.end());
      },
      seconds(90));
  const std::set<std::string> got = DistinctIds(receiver_.Requests());
  EXPECT_TRUE(all) << got.size() << " of " << enqueued.size() << " ids arrived";
  EXPECT_EQ(got.size(), enqueued.size());  // nothing but what was enqueued
  // And the outbox records each as delivered: an entry a killed server had claimed mid-send is
  // sent again once its claim's lease ends (its id reaches the receiver twice), so it shows a
  // second attempt.
  size_t delivered = 0;
  size_t reclaimed = 0;
  for (int i = 0; i < 450 && delivered < enqueued.size(); ++i) {
    if (i > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    CommandResult listed = Ec2m({"notifications", "list", "--limit", "1000", "-o", "json"});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    delivered = 0;
    reclaimed = 0;
    for (const auto& d : nlohmann::json::parse(listed.out)) {
      delivered += d["state"] == "delivered" ? 1 : 0;
      reclaimed += d["attempts"].get<int>() > 1 ? 1 : 0;
    }
  }
  EXPECT_EQ(delivered, enqueued.size());
  EXPECT_GE(receiver_.Requests().size(), enqueued.size() + reclaimed);
  std::fprintf(stderr, "%zu ids, %zu requests, %zu waiting at kills, %zu claimed at a kill\n",
               enqueued.size(), receiver_.Requests().size(), waiting_at_a_kill, reclaimed);
}

}  // namespace
}  // namespace ec2m::testing
