#include "store/store_conformance.hpp"

#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace ec2m::store {

void StoreConformance::SetUp() {
  store_ = GetParam()();
  ASSERT_NE(store_, nullptr) << "the store factory returned no store";
}

namespace {

// A region's contents keyed by (kind, id), so comparisons ignore load order.
using Contents = std::map<std::pair<std::string, std::string>, std::string>;

Contents Load(Store& store, std::string_view region) {
  auto records = store.LoadSimRecords(region);
  if (!records) {
    ADD_FAILURE() << "LoadSimRecords(" << region << "): " << records.error().ToString();
    return {};
  }
  Contents contents;
  for (SimRecord& r : *records) {
    bool inserted = contents.emplace(std::pair(r.kind, r.id), std::move(r.body)).second;
    EXPECT_TRUE(inserted) << "loaded twice: " << r.kind << "/" << r.id;
  }
  return contents;
}

void Write(Store& store, std::string_view region, std::vector<SimRecord> upserts,
           std::vector<SimKey> deletes = {}) {
  auto written = store.WriteSimRecords(region, upserts, deletes);
  ASSERT_TRUE(written) << written.error().ToString();
}

std::string Id(std::string_view prefix, int n) { return std::string(prefix) + std::to_string(n); }

TEST_P(StoreConformance, SchemaVersionIsAtLeastOne) {
  auto version = store_->SchemaVersion();
  ASSERT_TRUE(version) << version.error().ToString();
  EXPECT_GE(*version, 1);
}

TEST_P(StoreConformance, EmptyStoreLoadsNothing) {
  EXPECT_TRUE(Load(*store_, "us-east-1").empty());
}

TEST_P(StoreConformance, UpsertThenLoad) {
  Write(*store_, "us-east-1",
        {{"instance", "i-1", "one"}, {"instance", "i-2", "two"}, {"vpc", "vpc-1", "net"}});
  EXPECT_EQ(Load(*store_, "us-east-1"), (Contents{{{"instance", "i-1"}, "one"},
                                                  {{"instance", "i-2"}, "two"},
                                                  {{"vpc", "vpc-1"}, "net"}}));
}

TEST_P(StoreConformance, SameIdUnderTwoKindsIsTwoRecords) {
  Write(*store_, "us-east-1", {{"instance", "x-1", "a"}, {"volume", "x-1", "b"}});
  EXPECT_EQ(Load(*store_, "us-east-1"),
            (Contents{{{"instance", "x-1"}, "a"}, {{"volume", "x-1"}, "b"}}));
}

TEST_P(StoreConformance, EmptyBatchIsANoOp) {
  Write(*store_, "us-east-1", {{"instance", "i-1", "one"}});
  Write(*store_, "us-east-1", {}, {});
  EXPECT_EQ(Load(*store_, "us-east-1"), (Contents{{{"instance", "i-1"}, "one"}}));
}

TEST_P(StoreConformance, UpsertOverwrites) {
  Write(*store_, "us-east-1", {{"instance", "i-1", "pending"}});
  Write(*store_, "us-east-1", {{"instance", "i-1", "running"}});
  EXPECT_EQ(Load(*store_, "us-east-1"), (Contents{{{"instance", "i-1"}, "running"}}));
}

TEST_P(StoreConformance, DeleteRemovesOnlyTheNamedRecord) {
  Write(*store_, "us-east-1", {{"instance", "i-1", "one"}, {"instance", "i-2", "two"}});
  Write(*store_, "us-east-1", {}, {{"instance", "i-1"}});
  EXPECT_EQ(Load(*store_, "us-east-1"), (Contents{{{"instance", "i-2"}, "two"}}));
}

TEST_P(StoreConformance, DeleteOfMissingRecordIsOk) {
  Write(*store_, "us-east-1", {{"instance", "i-1", "one"}});
  Write(*store_, "us-east-1", {}, {{"instance", "i-404"}, {"vpc", "i-1"}});
  Write(*store_, "eu-west-1", {}, {{"instance", "i-1"}});
  EXPECT_EQ(Load(*store_, "us-east-1"), (Contents{{{"instance", "i-1"}, "one"}}));
}

TEST_P(StoreConformance, DeleteThenUpsertOfOneKeyInABatchKeepsTheUpsert) {
  Write(*store_, "us-east-1", {{"instance", "i-1", "old"}});
  Write(*store_, "us-east-1", {{"instance", "i-1", "new"}}, {{"instance", "i-1"}});
  EXPECT_EQ(Load(*store_, "us-east-1"), (Contents{{{"instance", "i-1"}, "new"}}));
}

TEST_P(StoreConformance, RegionsAreIsolated) {
  Write(*store_, "us-east-1", {{"instance", "i-1", "east"}});
  Write(*store_, "eu-west-1", {{"instance", "i-1", "west"}, {"instance", "i-2", "west2"}});
  Write(*store_, "us-east-1", {}, {{"instance", "i-2"}});
  EXPECT_EQ(Load(*store_, "us-east-1"), (Contents{{{"instance", "i-1"}, "east"}}));
  EXPECT_EQ(Load(*store_, "eu-west-1"),
            (Contents{{{"instance", "i-1"}, "west"}, {{"instance", "i-2"}, "west2"}}));
  EXPECT_TRUE(Load(*store_, "ap-south-1").empty());
}

TEST_P(StoreConformance, ClearRemovesOnlyItsRegion) {
  Write(*store_, "us-east-1", {{"instance", "i-1", "east"}, {"vpc", "vpc-1", "east"}});
  Write(*store_, "eu-west-1", {{"instance", "i-1", "west"}});
  auto cleared = store_->ClearSimRecords("us-east-1");
  ASSERT_TRUE(cleared) << cleared.error().ToString();
  EXPECT_TRUE(Load(*store_, "us-east-1").empty());
  EXPECT_EQ(Load(*store_, "eu-west-1"), (Contents{{{"instance", "i-1"}, "west"}}));
  auto again = store_->ClearSimRecords("us-east-1");
  EXPECT_TRUE(again) << again.error().ToString();
}

TEST_P(StoreConformance, EmptyKindOrIdIsRejected) {
  auto no_id =
      store_->WriteSimRecords("us-east-1", std::vector<SimRecord>{{"instance", "", "x"}}, {});
  ASSERT_FALSE(no_id);
  EXPECT_EQ(no_id.error().code, ErrorCode::kInvalidArgument) << no_id.error().ToString();
  auto no_kind = store_->WriteSimRecords("us-east-1", std::vector<SimRecord>{{"", "i-1", "x"}}, {});
  ASSERT_FALSE(no_kind);
  EXPECT_EQ(no_kind.error().code, ErrorCode::kInvalidArgument) << no_kind.error().ToString();
  EXPECT_TRUE(Load(*store_, "us-east-1").empty());
}

// The batch deletes and overwrites existing records and adds new ones before its last record
// fails, so an implementation that applied records one by one would leave traces behind.
TEST_P(StoreConformance, FailingBatchAppliesNothing) {
  std::vector<SimRecord> seed;
  seed.reserve(50);
  for (int i = 0; i < 50; ++i) {
    seed.push_back({"instance", Id("i-", i), "seed" + std::to_string(i)});
  }
  Write(*store_, "us-east-1", seed);
  const Contents before = Load(*store_, "us-east-1");

  std::vector<SimKey> deletes;
  deletes.reserve(20);
  for (int i = 0; i < 20; ++i) {
    deletes.push_back({"instance", Id("i-", i)});
  }
  std::vector<SimRecord> upserts;
  upserts.reserve(131);
  for (int i = 20; i < 50; ++i) {
    upserts.push_back({"instance", Id("i-", i), "changed"});
  }
  for (int i = 0; i < 100; ++i) {
    upserts.push_back({"volume", Id("vol-", i), "new"});
  }
  upserts.push_back({"volume", "", "the record that fails the batch"});

  auto failed = store_->WriteSimRecords("us-east-1", upserts, deletes);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kInvalidArgument) << failed.error().ToString();
  EXPECT_EQ(Load(*store_, "us-east-1"), before);

  // The store is still usable, and the same batch without the bad record applies in full.
  upserts.pop_back();
  Write(*store_, "us-east-1", upserts, deletes);
  Contents after = Load(*store_, "us-east-1");
  EXPECT_EQ(after.size(), 130u);
  EXPECT_EQ(after.count({"instance", "i-0"}), 0u);
  EXPECT_EQ((after[{"instance", "i-20"}]), "changed");
  EXPECT_EQ((after[{"volume", "vol-99"}]), "new");
}

TEST_P(StoreConformance, BinaryBodiesRoundTrip) {
  std::string every_byte;
  for (int b = 0; b < 256; ++b) {
    every_byte.push_back(static_cast<char>(b));
  }
  const std::string nuls("\0a\0\0b\0", 6);
  const std::string large(1 << 20, '\0');
  Write(*store_, "us-east-1",
        {{"blob", "every-byte", every_byte},
         {"blob", "nuls", nuls},
         {"blob", "empty", ""},
         {"blob", "large", large}});
  EXPECT_EQ(Load(*store_, "us-east-1"), (Contents{{{"blob", "every-byte"}, every_byte},
                                                  {{"blob", "nuls"}, nuls},
                                                  {{"blob", "empty"}, ""},
                                                  {{"blob", "large"}, large}}));
}

TEST_P(StoreConformance, ConcurrentWritersLoseNothing) {
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 100;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  std::vector<std::string> errors(kThreads + 1);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &errors] {
      for (int i = 0; i < kWritesPerThread && errors[t].empty(); ++i) {
        std::vector<SimRecord> one{{"instance", Id("i-" + std::to_string(t) + "-", i), "body"}};
        auto written = store_->WriteSimRecords("us-east-1", one, {});
        if (!written) {
          errors[t] = written.error().ToString();
        }
      }
    });
  }
  // A reader runs alongside: loads must neither fail nor block the writers.
  threads.emplace_back([this, &errors] {
    for (int i = 0; i < 20 && errors[kThreads].empty(); ++i) {
      auto loaded = store_->LoadSimRecords("us-east-1");
      if (!loaded) {
        errors[kThreads] = loaded.error().ToString();
      }
    }
  });
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (const std::string& error : errors) {
    EXPECT_EQ(error, "");
  }
  Contents contents = Load(*store_, "us-east-1");
  EXPECT_EQ(contents.size(), static_cast<size_t>(kThreads * kWritesPerThread));
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kWritesPerThread; ++i) {
      EXPECT_EQ(contents.count({"instance", Id("i-" + std::to_string(t) + "-", i)}), 1u);
    }
  }
}

}  // namespace
}  // namespace ec2m::store
