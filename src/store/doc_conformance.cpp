// The StoreConformance cases of the versioned documents (Store::GetDoc, ListDocs, WriteDocs).

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "store/store_conformance.hpp"

namespace ec2m::store {
namespace {

DocWrite Put(std::string collection, std::string key, std::string body,
             int64_t expected = DocWrite::kAnyVersion) {
  return DocWrite{std::move(collection), std::move(key), std::move(body), expected};
}

DocWrite Delete(std::string collection, std::string key, int64_t expected = DocWrite::kAnyVersion) {
  return DocWrite{std::move(collection), std::move(key), std::nullopt, expected};
}

std::vector<int64_t> MustWrite(Store& store, std::vector<DocWrite> writes) {
  auto versions = store.WriteDocs(writes);
  EXPECT_TRUE(versions) << versions.error().ToString();
  return versions ? *versions : std::vector<int64_t>{};
}

std::vector<std::string> Keys(Store& store, std::string_view collection, const DocQuery& query) {
  auto docs = store.ListDocs(collection, query);
  EXPECT_TRUE(docs) << docs.error().ToString();
  std::vector<std::string> keys;
  if (docs) {
    for (const Doc& d : *docs) {
      keys.push_back(d.key);
    }
  }
  return keys;
}

TEST_P(StoreConformance, DocCreateGetAndVersions) {
  auto none = store_->GetDoc("users", "alice");
  ASSERT_TRUE(none) << none.error().ToString();
  EXPECT_FALSE(none->has_value());

  EXPECT_EQ(MustWrite(*store_, {Put("users", "alice", "{\"v\":1}", 0)}), std::vector<int64_t>{1});
  EXPECT_EQ(MustWrite(*store_, {Put("users", "alice", "{\"v\":2}", 1)}), std::vector<int64_t>{2});
  EXPECT_EQ(MustWrite(*store_, {Put("users", "alice", "{\"v\":3}")}), std::vector<int64_t>{3});
  auto got = store_->GetDoc("users", "alice");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->collection, "users");
  EXPECT_EQ((*got)->key, "alice");
  EXPECT_EQ((*got)->body, "{\"v\":3}");
  EXPECT_EQ((*got)->version, 3);
}

TEST_P(StoreConformance, DocVersionConflictsChangeNothing) {
  MustWrite(*store_, {Put("users", "alice", "one", 0)});

  auto exists = store_->WriteDocs(std::vector{Put("users", "alice", "again", 0)});
  ASSERT_FALSE(exists);
  EXPECT_EQ(exists.error().code, ErrorCode::kAlreadyExists);
  EXPECT_NE(exists.error().message.find("users/alice"), std::string::npos);

  auto stale = store_->WriteDocs(std::vector{Put("users", "alice", "stale", 7)});
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(stale.error().message, "users/alice: expected version 7, found 1");

  auto gone = store_->WriteDocs(std::vector{Put("users", "bob", "x", 2)});
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(gone.error().message, "users/bob: expected version 2, found none");

  auto got = store_->GetDoc("users", "alice");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->body, "one");
  EXPECT_EQ((*got)->version, 1);
  EXPECT_FALSE(store_->GetDoc("users", "bob")->has_value());
}

TEST_P(StoreConformance, DocBatchIsAllOrNothing) {
  MustWrite(*store_, {Put("users", "alice", "a1")});
  auto failed = store_->WriteDocs(std::vector{
      Put("users", "alice", "a2"), Put("users", "carol", "c1"), Put("users", "alice", "a3", 1)});
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ((*store_->GetDoc("users", "alice"))->body, "a1");
  EXPECT_FALSE(store_->GetDoc("users", "carol")->has_value());

  // Writes in one batch see each other, in order.
  EXPECT_EQ(MustWrite(*store_, {Put("users", "alice", "a2", 1), Put("users", "alice", "a3", 2)}),
            (std::vector<int64_t>{2, 3}));
}

TEST_P(StoreConformance, DocDeleteAndRecreate) {
  MustWrite(*store_, {Put("sessions", "s1", "x"), Put("sessions", "s2", "y")});
  EXPECT_EQ(MustWrite(*store_, {Delete("sessions", "s1", 1), Delete("sessions", "nope")}),
            (std::vector<int64_t>{0, 0}));
  EXPECT_FALSE(store_->GetDoc("sessions", "s1")->has_value());
  EXPECT_TRUE(store_->GetDoc("sessions", "s2")->has_value());

  auto missing = store_->WriteDocs(std::vector{Delete("sessions", "nope", 3)});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kFailedPrecondition);

  EXPECT_EQ(MustWrite(*store_, {Put("sessions", "s1", "again", 0)}), std::vector<int64_t>{1});
}

TEST_P(StoreConformance, DocEmptyCollectionOrKeyIsRejected) {
  for (const DocWrite& bad : {Put("", "k", "b"), Put("c", "", "b"), Delete("", "")}) {
    auto r = store_->WriteDocs(std::vector{Put("users", "ok", "b"), bad});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_FALSE(store_->GetDoc("users", "ok")->has_value());
  EXPECT_TRUE(MustWrite(*store_, {}).empty());
}

TEST_P(StoreConformance, DocBodiesAreBytes) {
  const std::string body("a\0b\xff\xfe\n", 6);
  MustWrite(*store_, {Put("blobs", "one", body)});
  auto got = store_->GetDoc("blobs", "one");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->body, body);
  MustWrite(*store_, {Put("blobs", "empty", "")});
  EXPECT_EQ((*store_->GetDoc("blobs", "empty"))->body, "");
}

TEST_P(StoreConformance, DocListOrderPrefixCursorAndLimit) {
  // Bytewise order: upper case before lower case, a shorter key before its extensions.
  MustWrite(*store_,
            {Put("k", "b", "1"), Put("k", "a/2", "1"), Put("k", "B", "1"), Put("k", "a", "1"),
             Put("k", "a/10", "1"), Put("k", "ab", "1"), Put("other", "a/3", "1")});
  EXPECT_EQ(Keys(*store_, "k", {}), (std::vector<std::string>{"B", "a", "a/10", "a/2", "ab", "b"}));
  EXPECT_EQ(Keys(*store_, "k", {.descending = true}),
            (std::vector<std::string>{"b", "ab", "a/2", "a/10", "a", "B"}));
  EXPECT_EQ(Keys(*store_, "k", {.prefix = "a/"}), (std::vector<std::string>{"a/10", "a/2"}));
  EXPECT_EQ(Keys(*store_, "k", {.after = "a/10"}), (std::vector<std::string>{"a/2", "ab", "b"}));
  EXPECT_EQ(Keys(*store_, "k", {.after = "a/10", .descending = true}),
            (std::vector<std::string>{"a", "B"}));
  EXPECT_EQ(Keys(*store_, "k", {.limit = 2}), (std::vector<std::string>{"B", "a"}));
  EXPECT_EQ(Keys(*store_, "k", {.limit = 1, .descending = true}), std::vector<std::string>{"b"});
  EXPECT_EQ(Keys(*store_, "k", {.prefix = "a", .after = "a/2", .limit = 5}),
            std::vector<std::string>{"ab"});
  EXPECT_TRUE(Keys(*store_, "none", {}).empty());
}

TEST_P(StoreConformance, DocListPagesThroughEverything) {
  std::vector<DocWrite> writes;
  for (int i = 0; i < 250; ++i) {
    char key[16];
    std::snprintf(key, sizeof key, "audit-%05d", i);
    writes.push_back(Put("audit", key, std::to_string(i)));
  }
  MustWrite(*store_, writes);
  std::vector<std::string> seen;
  DocQuery query{.limit = 40};
  for (;;) {
    auto page = store_->ListDocs("audit", query);
    ASSERT_TRUE(page) << page.error().ToString();
    for (const Doc& d : *page) {
      seen.push_back(d.body);
    }
    if (page->size() < 40) {
      break;
    }
    query.after = page->back().key;
  }
  ASSERT_EQ(seen.size(), 250u);
  for (int i = 0; i < 250; ++i) {
    EXPECT_EQ(seen[i], std::to_string(i));
  }
}

// Optimistic concurrency: read, change, write back at the version read; on a conflict read
// again. Every increment must survive.
TEST_P(StoreConformance, DocConcurrentReadModifyWriteLosesNothing) {
  MustWrite(*store_, {Put("counters", "c", "0", 0)});
  constexpr int kThreads = 4;
  constexpr int kIncrements = 25;
  std::atomic<int> conflicts{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        for (;;) {
          auto doc = store_->GetDoc("counters", "c");
          ASSERT_TRUE(doc && doc->has_value());
          const int value = std::stoi((*doc)->body);
          auto w = store_->WriteDocs(
              std::vector{Put("counters", "c", std::to_string(value + 1), (*doc)->version)});
          if (w) {
            break;
          }
          ASSERT_EQ(w.error().code, ErrorCode::kFailedPrecondition) << w.error().ToString();
          ++conflicts;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  auto final_doc = store_->GetDoc("counters", "c");
  ASSERT_TRUE(final_doc && final_doc->has_value());
  EXPECT_EQ((*final_doc)->body, std::to_string(kThreads * kIncrements));
  EXPECT_EQ((*final_doc)->version, 1 + kThreads * kIncrements);
}

}  // namespace
}  // namespace ec2m::store
