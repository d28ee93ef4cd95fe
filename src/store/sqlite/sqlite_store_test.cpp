#include "store/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "store/sqlite/migrations.hpp"
#include "store/store_conformance.hpp"

namespace ec2m::store {
namespace {

namespace fs = std::filesystem;

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("ec2m-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// A SqliteStore on a file in its own TempDir; the directory goes when the store does.
class TempFileStore final : public Store {
 public:
  TempFileStore() {
    auto opened = SqliteStore::Open((dir_.path() / "ec2m.db").string());
    EXPECT_TRUE(opened) << opened.error().ToString();
    if (opened) {
      store_ = std::move(*opened);
    }
  }
  Result<int> SchemaVersion() override { return store_->SchemaVersion(); }
  Result<std::vector<SimRecord>> LoadSimRecords(std::string_view region) override {
    return store_->LoadSimRecords(region);
  }
  Result<void> WriteSimRecords(std::string_view region, std::span<const SimRecord> upserts,
                               std::span<const SimKey> deletes) override {
    return store_->WriteSimRecords(region, upserts, deletes);
  }
  Result<void> ClearSimRecords(std::string_view region) override {
    return store_->ClearSimRecords(region);
  }
  Result<std::optional<Doc>> GetDoc(std::string_view collection, std::string_view key) override {
    return store_->GetDoc(collection, key);
  }
  Result<std::vector<Doc>> ListDocs(std::string_view collection, const DocQuery& query) override {
    return store_->ListDocs(collection, query);
  }
  Result<std::vector<int64_t>> WriteDocs(std::span<const DocWrite> writes) override {
    return store_->WriteDocs(writes);
  }

 private:
  TempDir dir_;  // destroyed after store_ closes the file
  std::unique_ptr<SqliteStore> store_;
};

std::unique_ptr<Store> OpenInMemory() {
  auto opened = SqliteStore::Open(":memory:");
  EXPECT_TRUE(opened) << opened.error().ToString();
  return opened ? std::move(*opened) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(SqliteFile, StoreConformance, ::testing::Values(StoreFactory([] {
                           return std::make_unique<TempFileStore>();
                         })));
INSTANTIATE_TEST_SUITE_P(SqliteMemory, StoreConformance,
                         ::testing::Values(StoreFactory(OpenInMemory)));

// Runs `sql` on its own connection to `path`, returning the first column of each row joined by
// ','; a test's view of the file that does not go through SqliteStore.
std::string Query(const fs::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  char* error = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  int rc = sqlite3_exec(
      db, sql.c_str(),
      [](void* sink, int, char** values, char**) {
        auto* text = static_cast<std::string*>(sink);
        if (!text->empty()) {
          text->push_back(',');
        }
        text->append(values[0] != nullptr ? values[0] : "NULL");
        return 0;
      },
      &out, &error);
  EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (error != nullptr ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
  return out;
}

std::unique_ptr<SqliteStore> MustOpen(const fs::path& path) {
  auto opened = SqliteStore::Open(path.string());
  EXPECT_TRUE(opened) << opened.error().ToString();
  return opened ? std::move(*opened) : nullptr;
}

const std::string kLatest = std::to_string(SqliteMigrations().size());

TEST(SqliteStoreTest, CreatesMissingParentDirectories) {
  TempDir dir;
  fs::path path = dir.path() / "a" / "b" / "ec2m.db";
  ASSERT_NE(MustOpen(path), nullptr);
  EXPECT_TRUE(fs::exists(path));
}

TEST(SqliteStoreTest, SchemaVersionIsTheLastMigration) {
  TempDir dir;
  auto store = MustOpen(dir.path() / "ec2m.db");
  ASSERT_NE(store, nullptr);
  auto version = store->SchemaVersion();
  ASSERT_TRUE(version) << version.error().ToString();
  EXPECT_EQ(std::to_string(*version), kLatest);
}

TEST(SqliteStoreTest, WalModeIsOn) {
  TempDir dir;
  fs::path path = dir.path() / "ec2m.db";
  auto store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Query(path, "PRAGMA journal_mode"), "wal");
}

TEST(SqliteStoreTest, ReopeningKeepsDataAndAppliesNoMigrationTwice) {
  TempDir dir;
  fs::path path = dir.path() / "ec2m.db";
  {
    auto store = MustOpen(path);
    ASSERT_NE(store, nullptr);
    auto written = store->WriteSimRecords(
        "us-east-1", std::vector<SimRecord>{{"instance", "i-1", std::string("a\0b", 3)}}, {});
    ASSERT_TRUE(written) << written.error().ToString();
  }
  const std::string applied =
      Query(path, "SELECT version || ' ' || applied_at FROM schema_migrations");
  auto store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Query(path, "SELECT count(*) FROM schema_migrations"), kLatest);
  EXPECT_EQ(Query(path, "SELECT version || ' ' || applied_at FROM schema_migrations"), applied);
  auto records = store->LoadSimRecords("us-east-1");
  ASSERT_TRUE(records) << records.error().ToString();
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].id, "i-1");
  EXPECT_EQ((*records)[0].body, std::string("a\0b", 3));
}

TEST(SqliteStoreTest, NewerSchemaIsRefused) {
  TempDir dir;
  fs::path path = dir.path() / "ec2m.db";
  ASSERT_NE(MustOpen(path), nullptr);
  Query(path, "INSERT INTO schema_migrations VALUES (999, 'from the future', 'later')");
  auto opened = SqliteStore::Open(path.string());
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(opened.error().message.find(path.string()), std::string::npos)
      << opened.error().message;
  EXPECT_NE(opened.error().message.find("999"), std::string::npos) << opened.error().message;
  EXPECT_NE(opened.error().message.find("(" + kLatest + ")"), std::string::npos)
      << opened.error().message;
}

TEST(SqliteStoreTest, UncreatableDirectoryNamesThePath) {
  TempDir dir;
  std::ofstream(dir.path() / "blocker") << "a file where a directory should be";
  std::string path = (dir.path() / "blocker" / "sub" / "ec2m.db").string();
  auto opened = SqliteStore::Open(path);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(opened.error().message.rfind("store " + path + ": ", 0), 0u) << opened.error().message;
}

TEST(SqliteStoreTest, UnopenableFileNamesThePathAndSqlitesMessage) {
  TempDir dir;
  std::string path = dir.path().string();  // a directory cannot be opened as a database
  auto opened = SqliteStore::Open(path);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(opened.error().message, "store " + path + ": unable to open database file");
}

TEST(SqliteStoreTest, FileThatIsNotADatabaseIsRefused) {
  TempDir dir;
  fs::path path = dir.path() / "ec2m.db";
  std::ofstream(path) << std::string(4096, 'x');
  auto opened = SqliteStore::Open(path.string());
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(opened.error().message, "store " + path.string() + ": file is not a database");
}

TEST(SqliteStoreTest, TwoStoresOnOneFileSeeEachOthersWrites) {
  TempDir dir;
  fs::path path = dir.path() / "ec2m.db";
  auto first = MustOpen(path);
  auto second = MustOpen(path);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  auto written =
      first->WriteSimRecords("us-east-1", std::vector<SimRecord>{{"vpc", "vpc-1", "x"}}, {});
  ASSERT_TRUE(written) << written.error().ToString();
  auto records = second->LoadSimRecords("us-east-1");
  ASSERT_TRUE(records) << records.error().ToString();
  EXPECT_EQ(records->size(), 1u);
}

}  // namespace
}  // namespace ec2m::store
