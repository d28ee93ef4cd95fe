#include "store/postgres/postgres_store.hpp"

#include <gtest/gtest.h>

#include <pqxx/connection>
#include <pqxx/nontransaction>

#include <string>
#include <vector>

#include "store/postgres/migrations.hpp"
#include "store/postgres/postgres_test_fixture.hpp"
#include "store/store_conformance.hpp"

namespace ec2m::store {
namespace {

constexpr size_t kPoolSize = 4;
const std::string kSecret = "s3cr3t-pw";

std::unique_ptr<PostgresStore> MustOpen(const std::string& uri, size_t pool_size = kPoolSize) {
  auto opened = PostgresStore::Open(uri, pool_size);
  EXPECT_TRUE(opened) << opened.error().ToString();
  return opened ? std::move(*opened) : nullptr;
}

std::unique_ptr<Store> OpenInFreshSchema() {
  const auto schema = FreshSchema();
  return schema.name.empty() ? nullptr : MustOpen(schema.uri);
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformance,
                         ::testing::Values(StoreFactory(OpenInFreshSchema)));

using PostgresStoreTest = PostgresTest;

const std::string kLatest = std::to_string(pg::PostgresMigrations().size());

TEST_F(PostgresStoreTest, MigrationsApplyOnceAndReopeningAppliesNothing) {
  const std::string body("a\0b", 3);
  {
    auto store = MustOpen(schema_.uri);
    ASSERT_NE(store, nullptr);
    auto version = store->SchemaVersion();
    ASSERT_TRUE(version) << version.error().ToString();
    EXPECT_EQ(std::to_string(*version), kLatest);
    auto written =
        store->WriteSimRecords("us-east-1", std::vector<SimRecord>{{"instance", "i-1", body}}, {});
    ASSERT_TRUE(written) << written.error().ToString();
  }
  const std::string applied_sql = "SELECT version || ' ' || name || ' ' || applied_at FROM " +
                                  schema_.name + ".schema_migrations ORDER BY version";
  const std::vector<std::string> applied = Sql(applied_sql);
  ASSERT_EQ(std::to_string(applied.size()), kLatest);

  auto store = MustOpen(schema_.uri);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Sql(applied_sql), applied);
  auto records = store->LoadSimRecords("us-east-1");
  ASSERT_TRUE(records) << records.error().ToString();
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].body, body);
}

TEST_F(PostgresStoreTest, NewerSchemaIsRefused) {
  ASSERT_NE(MustOpen(schema_.uri), nullptr);
  Sql("INSERT INTO " + schema_.name + ".schema_migrations (version, name) VALUES (999, 'later')");
  auto opened = PostgresStore::Open(schema_.uri, kPoolSize);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kFailedPrecondition);
  const std::string server = testing::PostgresServer::Shared().Uri();
  EXPECT_EQ(opened.error().message, "store " + server + ": schema version 999 is newer than " +
                                        "this binary knows (" + kLatest + "); run a newer ec2m");
}

TEST_F(PostgresStoreTest, BodiesAreStoredAsByteaByteForByte) {
  auto store = MustOpen(schema_.uri);
  ASSERT_NE(store, nullptr);
  const std::string body("\0\x01\xff\0'\\x00", 9);
  auto written =
      store->WriteSimRecords("us-east-1", std::vector<SimRecord>{{"blob", "b-1", body}}, {});
  ASSERT_TRUE(written) << written.error().ToString();
  EXPECT_EQ(Sql("SELECT pg_typeof(body)::text || ' ' || encode(body, 'hex') FROM " + schema_.name +
                ".sim_records"),
            std::vector<std::string>{"bytea 0001ff00275c783030"});
}

// Eight writers through two connections: every write lands, and the server never sees more
// connections than the pool holds.
TEST_F(PostgresStoreTest, ConcurrentWritersShareASmallPool) {
  const std::string app = "ec2m_pool_" + schema_.name;
  auto store = MustOpen(schema_.uri + "&application_name=" + app, 2);
  ASSERT_NE(store, nullptr);
  constexpr int kThreads = 8;
  constexpr int kWrites = 40;
  ExpectAllSucceedTogether(kThreads, [&store](int t) -> std::string {
    for (int i = 0; i < kWrites; ++i) {
      const std::string id = "i-" + std::to_string(t) + "-" + std::to_string(i);
      auto written = store->WriteSimRecords(
          "us-east-1", std::vector<SimRecord>{{"instance", id, id}, {"tag", id, "t"}}, {});
      if (!written) {
        return written.error().ToString();
      }
    }
    return "";
  });
  auto records = store->LoadSimRecords("us-east-1");
  ASSERT_TRUE(records) << records.error().ToString();
  EXPECT_EQ(records->size(), static_cast<size_t>(kThreads * kWrites * 2));
  const auto connections =
      Sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + app + "'");
  ASSERT_EQ(connections.size(), 1u);
  EXPECT_LE(std::stoi(connections[0]), 2);
}

// pg_terminate_backend ends the pool's only connection while it is idle, as a server restart or
// an idle-session timeout would; the next call of each kind gets a new connection and succeeds.
TEST_F(PostgresStoreTest, ConnectionEndedByTheServerIsReplaced) {
  const std::string app = "ec2m_kill_" + schema_.name;
  auto store = MustOpen(schema_.uri + "&application_name=" + app, 1);
  ASSERT_NE(store, nullptr);
  const std::string backends =
      "SELECT pid FROM pg_stat_activity WHERE application_name = '" + app + "'";
  auto kill = [&] {
    std::vector<std::string> before = Sql(backends);
    EXPECT_EQ(before.size(), 1u);
    // The timeout makes pg_terminate_backend wait until the backend is gone.
    EXPECT_EQ(Sql("SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity "
                  "WHERE application_name = '" +
                  app + "'"),
              std::vector<std::string>{"t"});
    return before;
  };

  auto killed = kill();
  auto written =
      store->WriteSimRecords("us-east-1", std::vector<SimRecord>{{"instance", "i-1", "x"}}, {});
  ASSERT_TRUE(written) << written.error().ToString();
  EXPECT_NE(Sql(backends), killed);

  killed = kill();
  auto records = store->LoadSimRecords("us-east-1");
  ASSERT_TRUE(records) << records.error().ToString();
  EXPECT_EQ(records->size(), 1u);
  EXPECT_NE(Sql(backends), killed);

  kill();
  auto cleared = store->ClearSimRecords("us-east-1");
  EXPECT_TRUE(cleared) << cleared.error().ToString();
}

// PostgreSQL text holds neither NUL bytes (libpq would cut the name short, naming another row)
// nor bytes that are not UTF-8: such names are refused, and nothing is written.
TEST_F(PostgresStoreTest, NamesPostgresqlCannotHoldAreRefused) {
  auto store = MustOpen(schema_.uri);
  ASSERT_NE(store, nullptr);
  const std::string nul("i-\0x", 4);
  auto expect_invalid = [](const auto& result, const std::string& expected) {
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument) << result.error().ToString();
    EXPECT_NE(result.error().message.find(expected), std::string::npos) << result.error().message;
  };
  const std::string nul_message = "\"i-\\0x\" holds a NUL byte";
  expect_invalid(
      store->WriteSimRecords("us-east-1", std::vector<SimRecord>{{"instance", nul, "x"}}, {}),
      nul_message);
  expect_invalid(store->WriteSimRecords("us-east-1", {}, std::vector<SimKey>{{"instance", nul}}),
                 nul_message);
  expect_invalid(store->LoadSimRecords(nul), nul_message);
  expect_invalid(store->ClearSimRecords(nul), nul_message);
  expect_invalid(store->GetDoc("users", nul), nul_message);
  expect_invalid(store->ListDocs("users", {.after = nul}), nul_message);
  expect_invalid(store->WriteDocs(std::vector<DocWrite>{{"users", nul, "x"}}), nul_message);
  expect_invalid(store->WriteDocs(std::vector<DocWrite>{{"users", "\xff\xfe", "x"}}),
                 "invalid byte sequence for encoding \"UTF8\"");
  EXPECT_EQ(Sql("SELECT count(*) FROM " + schema_.name + ".sim_records UNION ALL " +
                "SELECT count(*) FROM " + schema_.name + ".docs"),
            (std::vector<std::string>{"0", "0"}));
}

// Keys list in byte order even in a database whose collation sorts by language ("a" before "B").
TEST_F(PostgresStoreTest, DocKeysListBytewiseWhateverTheDatabaseCollation) {
  const std::string database = "icu_" + schema_.name;
  Sql("CREATE DATABASE " + database +
      " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'");
  const std::string uri = testing::PostgresServer::Shared().Uri(database);
  {
    pqxx::connection conn(uri);
    pqxx::nontransaction tx(conn);
    ASSERT_TRUE(tx.exec1("SELECT 'a' < 'B'")[0].as<bool>()) << "the database sorts bytewise";
  }
  auto store = MustOpen(uri);
  ASSERT_NE(store, nullptr);
  auto written = store->WriteDocs(std::vector<DocWrite>{
      {"k", "b", "1"}, {"k", "a", "1"}, {"k", "B", "1"}, {"k", "A", "1"}, {"k", "ab", "1"}});
  ASSERT_TRUE(written) << written.error().ToString();
  auto docs = store->ListDocs("k", {});
  ASSERT_TRUE(docs) << docs.error().ToString();
  std::vector<std::string> keys;
  for (const Doc& doc : *docs) {
    keys.push_back(doc.key);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"A", "B", "a", "ab", "b"}));
  auto after = store->ListDocs("k", {.after = "B"});
  ASSERT_TRUE(after) << after.error().ToString();
  ASSERT_EQ(after->size(), 3u);
  EXPECT_EQ(after->front().key, "a");
}

// Expects `opened` to have failed with `code`, a message holding `expected` and no password.
void ExpectRefused(const Result<std::unique_ptr<PostgresStore>>& opened, ErrorCode code,
                   const std::string& expected) {
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, code) << opened.error().ToString();
  EXPECT_NE(opened.error().message.find(expected), std::string::npos) << opened.error().message;
  EXPECT_EQ(opened.error().message.find(kSecret), std::string::npos) << opened.error().message;
}

TEST(PostgresStoreOpenTest, BadConnectionStringsAreRefusedWithoutThePassword) {
  ExpectRefused(PostgresStore::Open("postgresql://ec2m:" + kSecret + "@127.0.0.1/ec2m?bogus=1", 1),
                ErrorCode::kInvalidArgument, "invalid URI query parameter: \"bogus\"");
  ExpectRefused(PostgresStore::Open("postgresql://ec2m:" + kSecret + "@[::1/ec2m", 1),
                ErrorCode::kInvalidArgument, "postgresql://ec2m:***@[::1/ec2m");
  ExpectRefused(PostgresStore::Open("host=127.0.0.1 port=5432x password=" + kSecret, 1),
                ErrorCode::kInvalidArgument, "port '5432x' is not a number");
  ExpectRefused(PostgresStore::Open("postgresql://ec2m:" + kSecret + "@127.0.0.1/ec2m", 0),
                ErrorCode::kInvalidArgument,
                "store postgresql://ec2m@127.0.0.1/ec2m: connection pool size must be at least 1");
}

TEST(PostgresStoreOpenTest, UnreachableServerIsUnavailableWithoutThePassword) {
  // Port 1 is privileged and unused: the connection is refused at once.
  ExpectRefused(PostgresStore::Open("postgresql://ec2m:" + kSecret + "@127.0.0.1:1/ec2m", 1),
                ErrorCode::kUnavailable,
                "store postgresql://ec2m@127.0.0.1:1/ec2m: connect: connection to server at "
                "\"127.0.0.1\", port 1 failed: Connection refused");
}

TEST(PostgresStoreOpenTest, MissingDatabaseIsUnavailableWithoutThePassword) {
  const testing::PostgresServer& server = testing::PostgresServer::Shared();
  ASSERT_TRUE(server.running()) << server.error();
  const std::string where = "@127.0.0.1:" + std::to_string(server.port()) + "/no_such_db";
  auto opened = PostgresStore::Open("postgresql://postgres:" + kSecret + where, 1);
  ExpectRefused(opened, ErrorCode::kUnavailable,
                "store postgresql://postgres" + where + ": connect: ");
  ExpectRefused(opened, ErrorCode::kUnavailable, "database \"no_such_db\" does not exist");
}

}  // namespace
}  // namespace ec2m::store
