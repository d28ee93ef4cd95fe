#include "notify/outbox.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "store/sqlite/sqlite_store.hpp"

namespace ec2m::notify {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

struct Sent {
  std::string method;
  std::string url;
  std::string body;
  std::map<std::string, std::string> headers;
};

// Records every request and mail; answers what `respond` says (200 by default).
class FakeTransport final : public Transport {
 public:
  aws::HttpResult Http(const std::string& method, const std::string& url, const Headers& headers,
                       const std::string& body) override {
    Sent s{method, url, body, {headers.begin(), headers.end()}};
    std::function<aws::HttpResult(const Sent&)> respond;
    {
      std::lock_guard lock(mu_);
      sent_.push_back(s);
      respond = respond_;
    }
    if (respond) {
      return respond(s);
    }
    return aws::HttpResult{200, "ok", "", false, ""};
  }
  Result<void> Send(const Mail& mail) override {
    std::lock_guard lock(mu_);
    mails_.push_back(mail);
    return {};
  }
  void Respond(std::function<aws::HttpResult(const Sent&)> respond) {
    std::lock_guard lock(mu_);
    respond_ = std::move(respond);
  }
  std::vector<Sent> sent() {
    std::lock_guard lock(mu_);
    return sent_;
  }
  std::vector<Mail> mails() {
    std::lock_guard lock(mu_);
    return mails_;
  }

 private:
  std::mutex mu_;
  std::vector<Sent> sent_;
  std::vector<Mail> mails_;
  std::function<aws::HttpResult(const Sent&)> respond_;
};

aws::HttpResult Status(int status, std::string body = "") {
  return aws::HttpResult{status, std::move(body), "", false, ""};
}

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::SqliteStore::Open(":memory:");
    ASSERT_TRUE(opened) << opened.error().ToString();
    store_ = std::move(*opened);
    options_.owner = "replica-a";
    options_.max_attempts = 4;
    outbox_ = std::make_unique<Outbox>(*store_, transport_, clock_, random_, options_);
  }

  void AddChannel(const nlohmann::json& body) {
    auto object = config::JsonObject::Parse(body.dump(), "channel");
    ASSERT_TRUE(object);
    auto c = ParseChannel(*object);
    ASSERT_TRUE(c) << c.error().ToString();
    auto added = outbox_->channels().Add(*c, "admin@example.com");
    ASSERT_TRUE(added) << added.error().ToString();
  }
  void AddHook(const std::string& name, const nlohmann::json& filter = nlohmann::json::object()) {
    AddChannel({{"name", name},
                {"type", "webhook"},
                {"url", "http://receiver.test/" + name},
                {"secret", "0123456789abcdef"},
                {"filter", filter}});
  }

  std::string Enqueue(Notification n) {
    auto id = outbox_->Enqueue(std::move(n));
    EXPECT_TRUE(id) << id.error().ToString();
    return id ? *id : "";
  }
  static Notification Alarm(const std::string& id, const std::string& env = "dev") {
    Notification n;
    n.id = id;
    n.kind = "alarm";
    n.environment = env;
    n.severity = "critical";
    n.title = "HighErrorRate in " + env;
    return n;
  }

  PassReport Pass(Outbox& outbox) {
    auto report = outbox.DeliverDue();
    EXPECT_TRUE(report) << report.error().ToString();
    return report ? *report : PassReport{};
  }
  PassReport Pass() { return Pass(*outbox_); }

  std::vector<Delivery> List(const std::string& state = "") {
    DeliveryQuery q;
    q.state = state;
    auto page = outbox_->List(q);
    EXPECT_TRUE(page) << page.error().ToString();
    return page ? page->items : std::vector<Delivery>{};
  }

  ManualClock clock_{FromUnixMillis(1'795'000'000'000)};
  DefaultRandom random_{7};
  FakeTransport transport_;
  OutboxOptions options_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Outbox> outbox_;
};

TEST_F(OutboxTest, EnqueueStoresOneDeliveryPerMatchingChannel) {
  AddHook("everything");
  AddHook("prod-only", {{"environments", {"prod"}}});
  AddChannel({{"name", "gh"}, {"type", "github"}, {"repo", "acme/web"}, {"token", "t"}});
  Enqueue(Alarm("a-1", "dev"));
  Enqueue(Alarm("a-2", "prod"));
  const auto pending = List("pending");
  ASSERT_EQ(pending.size(), 3u);  // newest first; GitHub takes no alarms
  std::multiset<std::string> pairs;
  for (const auto& d : pending) {
    pairs.insert(d.notification.id + "→" + d.channel);
    EXPECT_EQ(d.attempts, 0);
  }
  EXPECT_EQ(pairs,
            (std::multiset<std::string>{"a-1→everything", "a-2→everything", "a-2→prod-only"}));
  EXPECT_TRUE(transport_.sent().empty());  // stored, not sent, before Enqueue returns
}

TEST_F(OutboxTest, AnIdEnqueuedTwiceIsStoredOnce) {
  AddHook("h");
  EXPECT_EQ(Enqueue(Alarm("same")), "same");
  clock_.Advance(seconds(1));
  EXPECT_EQ(Enqueue(Alarm("same")), "same");
  EXPECT_EQ(List().size(), 1u);
  Pass();
  EXPECT_EQ(Enqueue(Alarm("same")), "same");  // delivered already: still once
  EXPECT_EQ(List().size(), 1u);
  EXPECT_EQ(transport_.sent().size(), 1u);
  // Without an id, each gets its own.
  Notification n = Alarm("");
  const std::string a = Enqueue(n);
  const std::string b = Enqueue(n);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("n-", 0), 0u);
}

TEST_F(OutboxTest, EnqueueRefusesWhatCannotBeDelivered) {
  AddHook("h");
  AddChannel({{"name", "gh"}, {"type", "github"}, {"repo", "acme/web"}, {"token", "t"}});
  Notification n = Alarm("x");
  n.channels = {"h", "nope"};
  auto missing = outbox_->Enqueue(n);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(missing.error().message, "notification: channels[1]: no channel named \"nope\"");
  n.channels = {"gh"};
  EXPECT_NE(outbox_->Enqueue(n).error().message.find("does not take alarm"), std::string::npos);
  n.channels = {};
  n.title = "";
  EXPECT_EQ(outbox_->Enqueue(n).error().message, "notification: title: must not be empty");
  n = Alarm("has space");
  EXPECT_NE(outbox_->Enqueue(n).error().message.find("notification: id:"), std::string::npos);
  n = Alarm("y");
  n.severity = "loud";
  EXPECT_NE(outbox_->Enqueue(n).error().message.find("severity"), std::string::npos);
  n = Alarm("z");
  n.text = "\xff\xfe";
  EXPECT_EQ(outbox_->Enqueue(n).error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(List().empty());  // nothing of a refused notification was stored
}

TEST_F(OutboxTest, NamedChannelsTakeTheNotificationWhateverTheirFilter) {
  AddHook("critical-prod", {{"environments", {"prod"}}, {"min_severity", "critical"}});
  Notification n = Alarm("t-1", "dev");
  n.severity = "info";
  Enqueue(n);
  EXPECT_TRUE(List().empty());
  n.id = "t-2";
  n.channels = {"critical-prod"};
  Enqueue(n);
  EXPECT_EQ(List().size(), 1u);
}

TEST_F(OutboxTest, BackoffDoublesUpToItsCapWithJitter) {
  OutboxOptions o;
  o.first_backoff = seconds(5);
  o.max_backoff = seconds(60);
  DefaultRandom random(1);
  const std::vector<int64_t> full = {5000, 10000, 20000, 40000, 60000, 60000, 60000};
  for (int round = 0; round < 50; ++round) {
    for (size_t i = 0; i < full.size(); ++i) {
      const int64_t d = Backoff(static_cast<int>(i) + 1, o, random).count();
      EXPECT_GE(d, full[i] / 2) << "attempt " << i + 1;
      EXPECT_LE(d, full[i]) << "attempt " << i + 1;
    }
  }
  // Jitter: not every draw the same.
  std::set<int64_t> draws;
  for (int i = 0; i < 20; ++i) {
    draws.insert(Backoff(3, o, random).count());
  }
  EXPECT_GT(draws.size(), 10u);
  EXPECT_LE(Backoff(1000, o, random).count(), 60000);  // no overflow far out
}

TEST_F(OutboxTest, FailedAttemptsAreRetriedOnTheScheduleThenDelivered) {
  AddHook("h");
  std::atomic<int> failures{2};
  transport_.Respond(
      [&](const Sent&) { return failures.fetch_sub(1) > 0 ? Status(500, "busy") : Status(204); });
  Enqueue(Alarm("r-1"));
  PassReport first = Pass();
  EXPECT_EQ(first.retrying, 1);
  auto pending = List("pending");
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].attempts, 1);
  EXPECT_EQ(pending[0].last_error, "POST http://receiver.test/****: HTTP 500: busy");
  const int64_t wait = pending[0].next_attempt_ms - ToUnixMillis(clock_.Now());
  EXPECT_GE(wait, 2500);
  EXPECT_LE(wait, 5000);
  // Not due yet: nothing is sent.
  EXPECT_EQ(Pass().retrying, 0);
  EXPECT_EQ(transport_.sent().size(), 1u);
  clock_.Advance(milliseconds(wait));
  EXPECT_EQ(Pass().retrying, 1);
  clock_.Advance(seconds(10));
  EXPECT_EQ(Pass().delivered, 1);
  auto delivered = List("delivered");
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].attempts, 3);
  EXPECT_EQ(transport_.sent().size(), 3u);
  EXPECT_TRUE(List("pending").empty());
}

TEST_F(OutboxTest, GivesUpAfterMaxAttemptsAndKeepsTheEntry) {
  AddHook("h");
  transport_.Respond([](const Sent&) { return Status(503); });
  Enqueue(Alarm("f-1"));
  for (int i = 0; i < 10; ++i) {
    Pass();
    clock_.Advance(seconds(120));
  }
  EXPECT_EQ(transport_.sent().size(), 4u);  // max_attempts
  auto failed = List("failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].attempts, 4);
  EXPECT_NE(failed[0].last_error.find("HTTP 503"), std::string::npos);
  EXPECT_NE(failed[0].finished_ms, 0);
}

TEST_F(OutboxTest, AClientErrorFailsAtOnce) {
  AddHook("h");
  transport_.Respond([](const Sent&) { return Status(404, "no such hook"); });
  Enqueue(Alarm("p-1"));
  EXPECT_EQ(Pass().failed, 1);
  EXPECT_EQ(List("failed").at(0).attempts, 1);
  // 429 is worth another try.
  transport_.Respond([](const Sent&) { return Status(429); });
  Enqueue(Alarm("p-2"));
  EXPECT_EQ(Pass().retrying, 1);
}

TEST_F(OutboxTest, ARemovedChannelFailsItsEntries) {
  AddHook("h");
  Enqueue(Alarm("gone-1"));
  ASSERT_TRUE(outbox_->channels().Remove("h"));
  EXPECT_EQ(Pass().failed, 1);
  EXPECT_EQ(List("failed").at(0).last_error, "channel h: no channel named \"h\"");
}

TEST_F(OutboxTest, AClaimKeepsOtherReplicasAwayUntilItsLeaseEnds) {
  AddHook("h");
  options_.owner = "replica-b";
  Outbox other(*store_, transport_, clock_, random_, options_);
  PassReport others{};
  // While replica a sends, replica b looks: the entry is claimed, b sends nothing.
  transport_.Respond([&](const Sent&) {
    others = Pass(other);
    return Status(200);
  });
  Enqueue(Alarm("c-1"));
  EXPECT_EQ(Pass().delivered, 1);
  EXPECT_EQ(others.delivered + others.retrying + others.failed, 0);
  EXPECT_EQ(transport_.sent().size(), 1u);

  // Now a's send outlasts its lease: b takes the entry over and delivers it; a's late result
  // is not recorded over b's (the receiver sees the id twice and dedupes).
  transport_.Respond([&](const Sent& s) {
    if (s.url.find("/h") != std::string::npos && transport_.sent().size() == 2) {
      clock_.Advance(options_.lease + seconds(1));
      others = Pass(other);
    }
    return Status(200);
  });
  Enqueue(Alarm("c-2"));
  PassReport mine = Pass();
  EXPECT_EQ(others.delivered, 1);
  EXPECT_EQ(mine.lost, 1);
  EXPECT_EQ(transport_.sent().size(), 3u);
  auto delivered = List("delivered");
  ASSERT_EQ(delivered.size(), 2u);
  EXPECT_EQ(delivered[0].attempts, 2);  // a's claim and b's
}

TEST_F(OutboxTest, AnEntryClaimedByADeadProcessIsRetriedAfterTheLease) {
  AddHook("h");
  Enqueue(Alarm("d-1"));
  // A process claims the entry and dies before it sends: its claim is in the store.
  auto docs = store_->ListDocs("outbox", {});
  ASSERT_TRUE(docs);
  ASSERT_EQ(docs->size(), 1u);
  auto body = nlohmann::json::parse(docs->front().body);
  body["state"] = "sending";
  body["claimed_by"] = "dead-replica";
  body["attempts"] = 1;
  body["lease_until_ms"] = ToUnixMillis(clock_.Now() + options_.lease);
  ASSERT_TRUE(store_->WriteDocs(
      std::vector<DocWrite>{{"outbox", docs->front().key, body.dump(), docs->front().version}}));
  EXPECT_EQ(Pass().delivered, 0);
  EXPECT_EQ(List("sending").size(), 1u);
  clock_.Advance(options_.lease);
  EXPECT_EQ(Pass().delivered, 1);
  EXPECT_EQ(List("delivered").at(0).attempts, 2);
}

TEST_F(OutboxTest, ConcurrentReplicasSendEachEntryOnce) {
  AddHook("h");
  for (int i = 0; i < 60; ++i) {
    Enqueue(Alarm("many-" + std::to_string(i)));
  }
  std::vector<std::unique_ptr<Outbox>> replicas;
  for (int r = 0; r < 3; ++r) {
    options_.owner = "replica-" + std::to_string(r);
    replicas.push_back(std::make_unique<Outbox>(*store_, transport_, clock_, random_, options_));
  }
  std::vector<std::thread> threads;
  for (auto& replica : replicas) {
    threads.emplace_back([&replica] { (void)replica->DeliverDue(); });
  }
  for (auto& t : threads) {
    t.join();
  }
  std::map<std::string, int> by_id;
  for (const Sent& s : transport_.sent()) {
    ++by_id[s.headers.at("X-Ec2m-Delivery")];
  }
  EXPECT_EQ(by_id.size(), 60u);
  for (const auto& [id, n] : by_id) {
    EXPECT_EQ(n, 1) << id;
  }
}

TEST_F(OutboxTest, GithubRetryReusesTheDeploymentItCreated) {
  AddChannel({{"name", "gh"},
              {"type", "github"},
              {"repo", "acme/web"},
              {"token", "ghp_secret"},
              {"api_url", "http://api.test"}});
  std::atomic<int> status_failures{1};
  transport_.Respond([&](const Sent& s) {
    if (s.url == "http://api.test/repos/acme/web/deployments") {
      return Status(201, R"({"id":7,"sha":"0123abc"})");
    }
    if (s.url == "http://api.test/repos/acme/web/deployments/7/statuses") {
      return status_failures.fetch_sub(1) > 0 ? Status(502) : Status(201, "{}");
    }
    return Status(404);
  });
  Notification n;
  n.id = "deploy-1";
  n.kind = "deployment";
  n.environment = "prod";
  n.title = "Deployed";
  n.fields = {{"status", "success"}, {"commit", "0123abc"}, {"workflow_url", "https://ci/1"}};
  Enqueue(n);
  EXPECT_EQ(Pass().retrying, 1);
  clock_.Advance(seconds(10));
  EXPECT_EQ(Pass().delivered, 1);
  const auto sent = transport_.sent();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].url, "http://api.test/repos/acme/web/deployments");
  EXPECT_EQ(sent[1].url, "http://api.test/repos/acme/web/deployments/7/statuses");
  EXPECT_EQ(sent[2].url, sent[1].url);  // no second deployment
  EXPECT_EQ(sent[0].headers.at("Authorization"), "Bearer ghp_secret");
  EXPECT_EQ(nlohmann::json::parse(sent[2].body)["state"], "success");
  EXPECT_EQ(List("delivered").at(0).github_deployment_id, 7);
}

TEST_F(OutboxTest, EmailGoesThroughTheTransportsMail) {
  AddChannel({{"name", "mail"},
              {"type", "email"},
              {"smtp_url", "smtp://mail.test:25"},
              {"from", "ec2m@example.com"},
              {"to", {"ops@example.com"}}});
  Enqueue(Alarm("m-1"));
  EXPECT_EQ(Pass().delivered, 1);
  const auto mails = transport_.mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].to, std::vector<std::string>{"ops@example.com"});
  EXPECT_NE(mails[0].message.find("Message-ID: <m-1@ec2m>"), std::string::npos);
}

TEST_F(OutboxTest, ListPagesNewestFirstAcrossStates) {
  AddHook("h");
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(seconds(1));
    Enqueue(Alarm("l-" + std::to_string(i)));
    if (i == 0 || i == 2) {
      Pass();  // l-0, l-1, l-2 delivered; l-3, l-4 pending
    }
  }
  std::vector<std::string> seen;
  DeliveryQuery q;
  q.limit = 2;
  for (int page = 0; page < 5; ++page) {
    auto p = outbox_->List(q);
    ASSERT_TRUE(p) << p.error().ToString();
    for (const auto& d : p->items) {
      seen.push_back(d.notification.id + ":" + d.state);
    }
    if (p->next_cursor.empty()) {
      break;
    }
    q.cursor = p->next_cursor;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"l-4:pending", "l-3:pending", "l-2:delivered",
                                            "l-1:delivered", "l-0:delivered"}));
  q = DeliveryQuery{};
  q.visible = [](const Delivery& d) { return d.notification.id != "l-2"; };
  EXPECT_EQ(outbox_->List(q)->items.size(), 4u);
  q.state = "lost";
  EXPECT_EQ(outbox_->List(q).error().code, ErrorCode::kInvalidArgument);
  q.state = "";
  q.limit = 0;
  EXPECT_EQ(outbox_->List(q).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(OutboxTest, PruneRemovesOldFinishedEntriesAndTheirIds) {
  AddHook("h");
  Enqueue(Alarm("old"));
  Pass();
  clock_.Advance(std::chrono::hours(24 * 8));
  Enqueue(Alarm("new"));
  transport_.Respond([](const Sent&) { return Status(500); });
  Pass();
  auto pruned = outbox_->Prune();
  ASSERT_TRUE(pruned) << pruned.error().ToString();
  EXPECT_EQ(*pruned, 2);  // "old"'s delivery and its id
  const auto left = List();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].notification.id, "new");
  // Past the retention, the id is new again.
  EXPECT_EQ(Enqueue(Alarm("old")), "old");
  EXPECT_EQ(List().size(), 2u);
}

TEST_F(OutboxTest, TheWorkerDeliversPausesResumesAndStops) {
  AddHook("h");
  auto wait_for_sent = [&](size_t n) {
    for (int i = 0; i < 500 && transport_.sent().size() < n; ++i) {
      std::this_thread::sleep_for(milliseconds(10));
    }
    return transport_.sent().size();
  };
  outbox_->Start();
  outbox_->Start();  // idempotent
  Enqueue(Alarm("w-1"));
  EXPECT_EQ(wait_for_sent(1), 1u);  // woken by Enqueue
  outbox_->Pause();
  Enqueue(Alarm("w-2"));
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(transport_.sent().size(), 1u);
  outbox_->Resume();
  EXPECT_EQ(wait_for_sent(2), 2u);
  outbox_->Stop();
  outbox_->Stop();
  Enqueue(Alarm("w-3"));
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(transport_.sent().size(), 2u);
}

TEST(ChannelsTest, AddGetListRemove) {
  auto store = store::SqliteStore::Open(":memory:");
  ASSERT_TRUE(store);
  ManualClock clock(FromUnixMillis(1'795'000'000'000));
  Channels channels(**store, clock);
  Channel c;
  c.name = "ops";
  c.type = ChannelType::kSlack;
  c.url = "https://hooks.slack.com/services/X";
  ASSERT_TRUE(channels.Add(c, "admin@example.com"));
  auto again = channels.Add(c, "admin@example.com");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  auto got = channels.Get("ops");
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(got->created_by, "admin@example.com");
  EXPECT_EQ(got->created_at, "2026-11-18T11:06:40Z");
  EXPECT_EQ(got->url, c.url);
  EXPECT_EQ(channels.List()->size(), 1u);
  EXPECT_TRUE(channels.Remove("ops"));
  EXPECT_EQ(channels.Remove("ops").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(channels.Get("ops").error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace ec2m::notify

namespace ec2m::notify {
namespace {

TEST(ChannelSecretsTest, AreSealedInTheStoreAndOpenOnlyWhereTheyBelong) {
  auto store = store::SqliteStore::Open(":memory:");
  ASSERT_TRUE(store);
  ManualClock clock(FromUnixMillis(1'800'000'000'000));
  DefaultRandom random(3);
  const auth::KeyRing keys = auth::KeyRing::ForTesting(std::string(32, 's'));
  Channels channels(**store, clock, &keys, &random);
  for (const nlohmann::json& body :
       {nlohmann::json{{"name", "hook"},
                       {"type", "webhook"},
                       {"url", "https://hooks.example.com/T000/secret-path"},
                       {"secret", "whsec-0123456789abcdef"}},
        nlohmann::json{{"name", "gh"},
                       {"type", "github"},
                       {"repo", "acme/web"},
                       {"token", "ghp_0123456789abcdefghij"}}}) {
    auto object = config::JsonObject::Parse(body.dump(), "channel");
    ASSERT_TRUE(object);
    auto c = ParseChannel(*object);
    ASSERT_TRUE(c) << c.error().ToString();
    ASSERT_TRUE(channels.Add(*c, "admin@example.com"));
  }
  const std::string stored = (*(*store)->GetDoc("channels", "hook"))->body;
  for (const char* plain : {"secret-path", "whsec-0123456789abcdef"}) {
    EXPECT_EQ(stored.find(plain), std::string::npos) << stored;
  }
  EXPECT_EQ((*(*store)->GetDoc("channels", "gh"))->body.find("ghp_"), std::string::npos);
  auto hook = channels.Get("hook");
  ASSERT_TRUE(hook) << hook.error().ToString();
  EXPECT_EQ(hook->url, "https://hooks.example.com/T000/secret-path");
  EXPECT_EQ(hook->secret, "whsec-0123456789abcdef");
  EXPECT_EQ(channels.Get("gh")->token, "ghp_0123456789abcdefghij");
  // A sealed document copied under another name does not open, and does not hide the others.
  ASSERT_TRUE((*store)->WriteDocs(std::vector<DocWrite>{{"channels", "copy", stored, 0}}));
  auto copy = channels.Get("copy");
  ASSERT_FALSE(copy);
  EXPECT_EQ(copy.error().code, ErrorCode::kInternal);
  EXPECT_EQ(channels.List()->size(), 2u);
  // Without the key file nothing of it can be read.
  Channels keyless(**store, clock);
  EXPECT_FALSE(keyless.Get("hook"));
}

}  // namespace
}  // namespace ec2m::notify
