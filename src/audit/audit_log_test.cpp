#include "audit/audit_log.hpp"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

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

namespace ec2m::audit {
namespace {

class SignedAuditLogTest : public AuditLogTest {
 protected:
  void SetUp() override {
    AuditLogTest::SetUp();
    log_ = std::make_unique<AuditLog>(*store_, clock_, &keys_);
  }

  // What someone with the database but not the key file can do: drop the last entries and
  // recompute the head so the chain is consistent again.
  void TruncateAndRehead(int keep) {
    auto docs = store_->ListDocs("audit", {});
    ASSERT_TRUE(docs);
    std::vector<DocWrite> writes;
    std::string hash;
    for (const Doc& d : *docs) {
      auto e = FromJson(d.body);
      ASSERT_TRUE(e);
      if (e->seq > keep) {
        writes.push_back({"audit", d.key, std::nullopt});
      } else {
        hash = e->hash;
      }
    }
    writes.push_back({"audit_head", "head", nlohmann::json{{"seq", keep}, {"hash", hash}}.dump()});
    ASSERT_TRUE(store_->WriteDocs(writes));
  }

  auth::KeyRing keys_ = auth::KeyRing::ForTesting(std::string(32, 'a'));
};

TEST_F(SignedAuditLogTest, ARewrittenDatabaseIsDetectedByTheHeadSignature) {
  for (int i = 0; i < 5; ++i) {
    Append("alice@example.com", "instance.stop");
  }
  EXPECT_TRUE(Verify().intact);
  EXPECT_NE((*store_->GetDoc("audit_head", "head"))->body.find("\"mac\":\"k1:"), std::string::npos);
  // Without the signature the truncated log would verify: every remaining hash is right.
  TruncateAndRehead(3);
  EXPECT_TRUE(AuditLog(*store_, clock_).Verify()->intact);
  VerifyReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.problem,
            "the log's head is not signed: the database was rewritten, or the log predates the "
            "key file that should sign it");
  // A head signed with another key file does not pass either.
  auth::KeyRing other = auth::KeyRing::ForTesting(std::string(32, 'b'));
  AuditLog forger(*store_, clock_, &other);
  ASSERT_TRUE(forger.Append({"mallory", "cover.up", "", "", "", "success", ""}));
  VerifyReport forged = Verify();
  EXPECT_FALSE(forged.intact);
  EXPECT_NE(forged.problem.find("not signed"), std::string::npos) << forged.problem;
}

TEST_F(SignedAuditLogTest, AnAppendAfterARewriteDoesNotLaunderIt) {
  for (int i = 0; i < 4; ++i) {
    Append("alice@example.com", "instance.stop");
  }
  TruncateAndRehead(2);
  // The next append signs a new head, but first records that the one it found was not signed.
  AuditEntry next = Append("bob@example.com", "auth.login");
  EXPECT_EQ(next.seq, 4);
  auto entries = log_->List({.limit = 10});
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 4u);
  EXPECT_EQ((*entries)[2].record.action, "audit.head_unverified");
  VerifyReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad, 3);
  EXPECT_NE(report.problem.find("the head after entry 2 was not signed"), std::string::npos);
}

TEST_F(SignedAuditLogTest, AdoptHeadSignsALogKeptBeforeTheKeyFile) {
  AuditLog unsigned_log(*store_, clock_);
  ASSERT_TRUE(unsigned_log.Append({"a", "b", "", "", "", "success", ""}));
  EXPECT_FALSE(Verify().intact);
  auto adopted = log_->AdoptHead();
  ASSERT_TRUE(adopted);
  EXPECT_TRUE(*adopted);
  EXPECT_TRUE(Verify().intact);
  auto again = log_->AdoptHead();
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);  // already signed
  EXPECT_EQ(AuditLog(*store_, clock_).AdoptHead().error().code, ErrorCode::kFailedPrecondition);
}

TEST_F(AuditLogTest, CommitWritesTheChangeAndTheEntryTogetherOrNeither) {
  auto done = log_->Commit({"alice", "user.create", "user:bob", "", "", "success", ""},
                           {{"users", "bob", "{}", 0}});
  ASSERT_TRUE(done) << done.error().ToString();
  EXPECT_TRUE(store_->GetDoc("users", "bob")->has_value());
  // The change conflicts (bob exists): no entry, the head stays.
  auto refused = log_->Commit({"alice", "user.create", "user:bob", "", "", "success", ""},
                              {{"users", "bob", "{\"again\":1}", 0}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(Verify().entries, 1);
  EXPECT_EQ((*store_->GetDoc("users", "bob"))->body, "{}");
}

TEST_F(AuditLogTest, FieldsAreCappedOnACharacterBoundary) {
  // 300 two-byte characters: the cap (256 bytes) falls on a character's first byte.
  std::string long_target;
  for (int i = 0; i < 300; ++i) {
    long_target += "\xC3\xA9";
  }
  auto e = log_->Append(
      {"a", "instance.tag", long_target, "", "", "success", std::string(100000, 'x') + "\xff"});
  ASSERT_TRUE(e);
  EXPECT_EQ(e->record.target.size(), 256u);
  EXPECT_EQ(e->record.detail.size(), 2048u);
  EXPECT_TRUE(Verify().intact);
  // Invalid UTF-8 is replaced rather than breaking the entry's JSON.
  auto bad = log_->Append({"a\xff", "x", "", "", "", "success", ""});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->record.actor, "a\xEF\xBF\xBD");
}

}  // namespace
}  // namespace ec2m::audit
