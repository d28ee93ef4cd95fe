#include "core/sequence.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "store/sqlite/sqlite_store.hpp"

namespace ec2m {
namespace {

// A store whose next `lose` writes fail because another writer moved the head first (it
// rewrites the head as it is, so its version moves and the number does not).
class RacingStore final : public Store {
 public:
  explicit RacingStore(Store& inner) : inner_(inner) {}
  Result<int> SchemaVersion() override { return inner_.SchemaVersion(); }
  Result<std::vector<SimRecord>> LoadSimRecords(std::string_view region) override {
    return inner_.LoadSimRecords(region);
  }
  Result<void> WriteSimRecords(std::string_view region, std::span<const SimRecord> upserts,
                               std::span<const SimKey> deletes) override {
    return inner_.WriteSimRecords(region, upserts, deletes);
  }
  Result<void> ClearSimRecords(std::string_view region) override {
    return inner_.ClearSimRecords(region);
  }
  Result<std::optional<Doc>> GetDoc(std::string_view collection, std::string_view key) override {
    return inner_.GetDoc(collection, key);
  }
  Result<std::vector<Doc>> ListDocs(std::string_view collection, const DocQuery& query) override {
    return inner_.ListDocs(collection, query);
  }
  Result<std::vector<int64_t>> WriteDocs(std::span<const DocWrite> writes) override {
    ++write_calls;
    if (lose > 0) {
      --lose;
      const DocWrite& head = writes.back();
      auto now = inner_.GetDoc(head.collection, head.key);
      const std::string body = now && now->has_value() ? (*now)->body : R"({"number":0})";
      (void)inner_.WriteDocs(std::vector<DocWrite>{{head.collection, head.key, body}});
      return Fail(ErrorCode::kFailedPrecondition, "heads/h: expected version 1, found 2");
    }
    return inner_.WriteDocs(writes);
  }
  int lose = 0;
  int write_calls = 0;

 private:
  Store& inner_;
};

class SequenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::SqliteStore::Open(":memory:");
    ASSERT_TRUE(store);
    store_ = std::move(*store);
  }

  // Takes the next number of head `key`, writing one document "things/<key>-<number>".
  Result<TakenNumber> Take(Store& store, const std::string& key,
                           const SequenceOptions& options = {}) {
    return TakeNextNumber(
        store, clock_, {"heads", key},
        [&](int64_t n) -> Result<std::vector<DocWrite>> {
          return std::vector<DocWrite>{{"things", key + "-" + std::to_string(n), "{}", 0}};
        },
        options);
  }

  ManualClock clock_{FromUnixMillis(1'795'000'000'000)};
  std::unique_ptr<Store> store_;
};

TEST_F(SequenceTest, NumbersCountFromOnePerHead) {
  struct Case {
    std::string head;
    int64_t expected;
  };
  for (const Case& c : std::vector<Case>{{"a", 1}, {"a", 2}, {"b", 1}, {"a", 3}, {"b", 2}}) {
    auto taken = Take(*store_, c.head);
    ASSERT_TRUE(taken) << taken.error().ToString();
    EXPECT_EQ(taken->number, c.expected) << c.head;
    ASSERT_EQ(taken->versions.size(), 1u);
    EXPECT_EQ(taken->versions[0], 1);
    EXPECT_TRUE(store_->GetDoc("things", c.head + "-" + std::to_string(c.expected))->has_value());
  }
  EXPECT_EQ((*store_->GetDoc("heads", "a"))->body, R"({"number":3})");
}

TEST_F(SequenceTest, LostRacesAreRetriedWithBackoffThroughTheClock) {
  RacingStore racing(*store_);
  racing.lose = 3;
  const TimePoint before = clock_.Now();
  auto taken = Take(racing, "h");
  ASSERT_TRUE(taken) << taken.error().ToString();
  EXPECT_EQ(taken->number, 1);
  EXPECT_EQ(racing.write_calls, 4);
  // 1 + 2 + 3 steps of 100 µs.
  EXPECT_EQ(clock_.Now() - before, std::chrono::microseconds(600));
}

TEST_F(SequenceTest, TooManyLostRacesAreUnavailableNamingTheSequence) {
  RacingStore racing(*store_);
  racing.lose = 1000;
  auto taken = Take(racing, "h", {.max_races = 5, .what = "widgets of prod"});
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(taken.error().message,
            "widgets of prod: lost 5 races for the next number; too many concurrent writers");
  EXPECT_EQ(racing.write_calls, 5);
}

TEST_F(SequenceTest, TheCallersErrorsAndABadHeadStopAtOnce) {
  int calls = 0;
  auto refused = TakeNextNumber(*store_, clock_, {"heads", "h"},
                                [&](int64_t) -> Result<std::vector<DocWrite>> {
                                  ++calls;
                                  return Fail(ErrorCode::kInvalidArgument, "title: empty");
                                });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "title: empty");
  EXPECT_EQ(calls, 1);
  ASSERT_TRUE(store_->WriteDocs(std::vector<DocWrite>{{"heads", "bad", "[1]", 0}}));
  auto bad = Take(*store_, "bad");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInternal);
  EXPECT_EQ(bad.error().message, "sequence: the head heads/bad does not parse");
}

TEST_F(SequenceTest, AConflictOfTheCallersOwnDocumentIsNotARace) {
  // The caller's document must be at version 3; it is at 1. The head did not move, so retrying
  // would meet the same conflict: the error comes back at once, and nothing was written.
  ASSERT_TRUE(store_->WriteDocs(std::vector<DocWrite>{{"things", "x", "{}", 0}}));
  int calls = 0;
  auto conflict =
      AdvanceHead(*store_, clock_, {"heads", "h"}, [&](const HeadDoc&) -> Result<HeadAdvance> {
        ++calls;
        return HeadAdvance{{{"things", "x", "{\"v\":2}", 3}}, "{}"};
      });
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(store_->GetDoc("heads", "h")->has_value());
  EXPECT_EQ((*store_->GetDoc("things", "x"))->body, "{}");
}

TEST_F(SequenceTest, AdvanceHeadPassesTheHeadAndItsVersion) {
  std::vector<HeadDoc> seen;
  for (int i = 0; i < 2; ++i) {
    auto written = AdvanceHead(*store_, clock_, {"heads", "chain"},
                               [&](const HeadDoc& head) -> Result<HeadAdvance> {
                                 seen.push_back(head);
                                 return HeadAdvance{{}, "hash-" + std::to_string(i)};
                               });
    ASSERT_TRUE(written) << written.error().ToString();
    EXPECT_EQ(written->back(), i + 1);
  }
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_FALSE(seen[0].body);
  EXPECT_EQ(seen[0].version, 0);
  EXPECT_EQ(seen[1].body, "hash-0");
  EXPECT_EQ(seen[1].version, 1);
}

TEST_F(SequenceTest, ConcurrentTakersNeverShareANumber) {
  constexpr int kThreads = 4;
  constexpr int kEach = 20;
  std::mutex mu;
  std::set<int64_t> numbers;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        auto taken = Take(*store_, "shared", {.max_races = 1000});
        ASSERT_TRUE(taken) << taken.error().ToString();
        std::lock_guard lock(mu);
        EXPECT_TRUE(numbers.insert(taken->number).second) << taken->number;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(numbers.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(*numbers.rbegin(), kThreads * kEach);
}

}  // namespace
}  // namespace ec2m
