#include "audit/audit_log.hpp"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"

namespace ec2m::audit {
namespace {

using std::chrono::seconds;

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::SqliteStore::Open(":memory:");
    ASSERT_TRUE(opened) << opened.error().ToString();
    store_ = std::move(*opened);
    log_ = std::make_unique<AuditLog>(*store_, clock_);
  }

  AuditEntry Append(const std::string& actor, const std::string& action) {
    clock_.Advance(seconds(1));
    auto e =
        log_->Append({actor, action, "i-0123456789abcdef0", "dev", "127.0.0.1", "success", ""});
    EXPECT_TRUE(e) << e.error().ToString();
    return e ? *e : AuditEntry{};
  }

  VerifyReport Verify() {
    auto report = log_->Verify();
    EXPECT_TRUE(report) << report.error().ToString();
    return report ? *report : VerifyReport{};
  }

  std::string Key(int seq) { return fmt::format("{:020d}", seq); }

  // Replaces the stored body of entry `seq` with `body`, as someone editing the database would.
  void Overwrite(int seq, const std::string& body) {
    auto w = store_->WriteDocs(std::vector<DocWrite>{{"audit", Key(seq), body}});
    ASSERT_TRUE(w) << w.error().ToString();
  }
  std::string Body(int seq) { return (*store_->GetDoc("audit", Key(seq)))->body; }

  ManualClock clock_{FromUnixMillis(1'795'000'000'000)};
  std::unique_ptr<Store> store_;
  std::unique_ptr<AuditLog> log_;
};

TEST_F(AuditLogTest, EntriesChainFromZero) {
  AuditEntry first = Append("alice@example.com", "auth.login");
  AuditEntry second = Append("alice@example.com", "instance.stop");
  EXPECT_EQ(first.seq, 1);
  EXPECT_EQ(first.prev_hash, std::string(64, '0'));
  EXPECT_EQ(first.hash, EntryHash(first));
  EXPECT_EQ(second.seq, 2);
  EXPECT_EQ(second.prev_hash, first.hash);
  EXPECT_EQ(second.time, "2026-11-18T11:06:42.000Z");
  VerifyReport report = Verify();
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.entries, 2);
  EXPECT_EQ(report.head_hash, second.hash);
}

TEST_F(AuditLogTest, EmptyLogIsIntact) {
  VerifyReport report = Verify();
  EXPECT_TRUE(report.intact);
  EXPECT_EQ(report.entries, 0);
}

TEST_F(AuditLogTest, HashCoversEveryField) {
  AuditEntry e = Append("alice@example.com", "instance.stop");
  const std::string original = EntryHash(e);
  for (std::string* field :
       {&e.time, &e.record.actor, &e.record.action, &e.record.target, &e.record.environment,
        &e.record.source, &e.record.result, &e.record.detail, &e.prev_hash}) {
    const std::string saved = *field;
    *field += "x";
    EXPECT_NE(EntryHash(e), original);
    *field = saved;
  }
  e.seq += 1;
  EXPECT_NE(EntryHash(e), original);
}

TEST_F(AuditLogTest, JsonRoundTrips) {
  AuditEntry e = Append("bob@example.com", "user.create");
  auto back = FromJson(ToJson(e));
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(ToJson(*back), ToJson(e));
  EXPECT_FALSE(FromJson("[]"));
  EXPECT_FALSE(FromJson("{\"seq\":1}"));
}

TEST_F(AuditLogTest, VerifyNamesAnAlteredEntry) {
  for (int i = 0; i < 5; ++i) {
    Append("alice@example.com", "instance.stop");
  }
  std::string body = Body(3);
  body.replace(body.find("alice"), 5, "mallo");
  Overwrite(3, body);
  VerifyReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad, 3);
  EXPECT_EQ(report.problem, "entry 3 was altered: its hash does not match its contents");
}

TEST_F(AuditLogTest, VerifyCatchesARehashedAlteration) {
  for (int i = 0; i < 5; ++i) {
    Append("alice@example.com", "instance.stop");
  }
  // Altered and re-hashed: entry 3 is self-consistent, but entry 4 no longer follows it.
  auto e = FromJson(Body(3));
  ASSERT_TRUE(e);
  e->record.actor = "mallory@example.com";
  e->hash = EntryHash(*e);
  Overwrite(3, ToJson(*e));
  VerifyReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad, 4);
  EXPECT_NE(report.problem.find("entry 4 does not follow entry 3"), std::string::npos);
}

TEST_F(AuditLogTest, VerifyNamesARemovedEntry) {
  for (int i = 0; i < 5; ++i) {
    Append("alice@example.com", "instance.stop");
  }
  ASSERT_TRUE(store_->WriteDocs(std::vector<DocWrite>{{"audit", Key(2), std::nullopt}}));
  VerifyReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad, 2);
  EXPECT_EQ(report.problem, "entry 2 was removed: entry 1 is followed by the entry stored as 3");
}

TEST_F(AuditLogTest, VerifyNamesEntriesRemovedFromTheEnd) {
  for (int i = 0; i < 5; ++i) {
    Append("alice@example.com", "instance.stop");
  }
  ASSERT_TRUE(store_->WriteDocs(
      std::vector<DocWrite>{{"audit", Key(4), std::nullopt}, {"audit", Key(5), std::nullopt}}));
  VerifyReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad, 4);
  EXPECT_EQ(report.problem, "entries 4..5 were removed from the end of the log");
}

TEST_F(AuditLogTest, VerifyNamesReorderedEntries) {
  for (int i = 0; i < 5; ++i) {
    Append("alice@example.com", i % 2 == 0 ? "instance.stop" : "instance.start");
  }
  const std::string two = Body(2);
  const std::string three = Body(3);
  Overwrite(2, three);
  Overwrite(3, two);
  VerifyReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad, 2);
  EXPECT_EQ(report.problem, "entry 2 was reordered: its place holds entry 3");
}

TEST_F(AuditLogTest, VerifyNamesAnEntryThatDoesNotParse) {
  Append("alice@example.com", "auth.login");
  Append("alice@example.com", "auth.login");
  Overwrite(2, "not json");
  VerifyReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad, 2);
  EXPECT_NE(report.problem.find("entry 2 was altered"), std::string::npos);
}

TEST_F(AuditLogTest, ListPagesForwardBackwardAndSince) {
  for (int i = 0; i < 30; ++i) {
    Append("alice@example.com", "instance.stop");
  }
  auto page = log_->List({.after_seq = 0, .limit = 10});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 10u);
  EXPECT_EQ(page->front().seq, 1);
  auto next = log_->List({.after_seq = page->back().seq, .limit = 10});
  ASSERT_TRUE(next);
  EXPECT_EQ(next->front().seq, 11);
  auto newest = log_->List({.limit = 3, .descending = true});
  ASSERT_TRUE(newest);
  ASSERT_EQ(newest->size(), 3u);
  EXPECT_EQ(newest->front().seq, 30);
  EXPECT_EQ(newest->back().seq, 28);
  // Entry n was written at start + n seconds.
  const std::string since = FormatIso8601Millis(FromUnixMillis(1'795'000'000'000) + seconds(25));
  auto recent = log_->List({.limit = 100, .since = since});
  ASSERT_TRUE(recent);
  ASSERT_EQ(recent->size(), 6u);
  EXPECT_EQ(recent->front().seq, 25);
  auto recent_desc = log_->List({.limit = 100, .descending = true, .since = since});
  ASSERT_TRUE(recent_desc);
  EXPECT_EQ(recent_desc->size(), 6u);
  EXPECT_FALSE(log_->List({.limit = 0}));
  EXPECT_FALSE(log_->List({.limit = 1001}));
}

TEST_F(AuditLogTest, ConcurrentAppendersNeverForkTheChain) {
  constexpr int kThreads = 4;
  constexpr int kEach = 25;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Each thread has its own log over the shared store, as replicas would.
      AuditLog mine(*store_, clock_);
      for (int i = 0; i < kEach; ++i) {
        auto e =
            mine.Append({"user" + std::to_string(t), "instance.stop", "", "", "", "success", ""});
        ASSERT_TRUE(e) << e.error().ToString();
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  VerifyReport report = Verify();
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.entries, kThreads * kEach);
}

}  // namespace
}  // namespace ec2m::audit
