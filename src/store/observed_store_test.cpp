#include "store/observed_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"
#include "store/store_conformance.hpp"

namespace ec2m::store {
namespace {

struct Owned {
  std::unique_ptr<Store> inner;
};

// An in-memory SQLite store seen through an ObservedStore, which owns it.
class ObservedSqlite : private Owned, public ObservedStore {
 public:
  explicit ObservedSqlite(std::function<void(const Error&)> on_error)
      : Owned{Open()}, ObservedStore(*inner, std::move(on_error)) {}

 private:
  static std::unique_ptr<Store> Open() {
    auto opened = SqliteStore::Open(":memory:");
    EXPECT_TRUE(opened) << opened.error().ToString();
    return opened ? std::move(*opened) : nullptr;
  }
};

// The observer changes no answer: the whole conformance suite passes through it.
INSTANTIATE_TEST_SUITE_P(ObservedSqlite, StoreConformance, ::testing::Values(StoreFactory([] {
                           return std::make_unique<ObservedSqlite>([](const Error&) {});
                         })));

// A store whose every call fails with `code`: what a busy or unreachable database answers.
class FailingStore final : public Store {
 public:
  explicit FailingStore(ErrorCode code) : code_(code) {}
  Result<int> SchemaVersion() override { return Err(); }
  Result<std::vector<SimRecord>> LoadSimRecords(std::string_view) override { return Err(); }
  Result<void> WriteSimRecords(std::string_view, std::span<const SimRecord>,
                               std::span<const SimKey>) override {
    return Err();
  }
  Result<void> ClearSimRecords(std::string_view) override { return Err(); }
  Result<std::optional<Doc>> GetDoc(std::string_view, std::string_view) override { return Err(); }
  Result<std::vector<Doc>> ListDocs(std::string_view, const DocQuery&) override { return Err(); }
  Result<std::vector<int64_t>> WriteDocs(std::span<const DocWrite>) override { return Err(); }

 private:
  Unexpected<Error> Err() const { return Fail(code_, "database is locked"); }
  ErrorCode code_;
};

TEST(ObservedStoreTest, ReportsEveryFailingCallWithItsError) {
  FailingStore busy(ErrorCode::kUnavailable);
  std::vector<Error> seen;
  ObservedStore store(busy, [&](const Error& e) { seen.push_back(e); });
  EXPECT_FALSE(store.SchemaVersion());
  EXPECT_FALSE(store.LoadSimRecords("r"));
  EXPECT_FALSE(store.WriteSimRecords("r", {}, {}));
  EXPECT_FALSE(store.ClearSimRecords("r"));
  EXPECT_FALSE(store.GetDoc("c", "k"));
  EXPECT_FALSE(store.ListDocs("c", {}));
  EXPECT_FALSE(store.WriteDocs({}));
  ASSERT_EQ(seen.size(), 7u);
  EXPECT_EQ(seen[0].code, ErrorCode::kUnavailable);
  EXPECT_EQ(seen[0].message, "database is locked");
}

TEST(ObservedStoreTest, ReportsStoreFailuresButNotAnswersAboutTheData) {
  std::vector<Error> seen;
  ObservedSqlite store([&](const Error& e) { seen.push_back(e); });
  // A version conflict, a missing document and a bad write are answers, not failures.
  ASSERT_TRUE(store.WriteDocs(std::vector<DocWrite>{{"c", "k", "{}", 0}}));
  EXPECT_FALSE(store.WriteDocs(std::vector<DocWrite>{{"c", "k", "{}", 7}}));
  EXPECT_FALSE(store.WriteDocs(std::vector<DocWrite>{{"c", "k", "{}", 0}}));
  EXPECT_FALSE(store.WriteDocs(std::vector<DocWrite>{{"", "k", "{}", 0}}));
  auto missing = store.GetDoc("c", "nothing");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
  EXPECT_TRUE(seen.empty());

  for (ErrorCode code : kAllErrorCodes) {
    const bool failure = code == ErrorCode::kUnavailable || code == ErrorCode::kThrottled ||
                         code == ErrorCode::kTimeout || code == ErrorCode::kInternal;
    EXPECT_EQ(ObservedStore::IsStoreFailure(code), failure) << ErrorCodeName(code);
  }
}

}  // namespace
}  // namespace ec2m::store
