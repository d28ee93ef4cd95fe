#include "store/sqlite/migrations.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ec2m::store {
namespace {

std::unique_ptr<Connection> OpenMemory() {
  auto conn = Connection::Open(":memory:");
  EXPECT_TRUE(conn) << conn.error().ToString();
  return conn ? std::move(*conn) : nullptr;
}

// Whether table `name` exists, through the connection under test.
bool HasTable(Connection& conn, const std::string& name) {
  auto stmt = conn.Prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1");
  EXPECT_TRUE(stmt) << stmt.error().ToString();
  EXPECT_TRUE(stmt->BindText(1, name));
  auto row = stmt->Step("test");
  EXPECT_TRUE(row && *row);
  return stmt->ColumnInt(0) == 1;
}

int Version(Connection& conn) {
  auto version = AppliedSchemaVersion(conn);
  EXPECT_TRUE(version) << version.error().ToString();
  return version ? *version : -1;
}

TEST(MigrationsTest, AreNumberedFromOneAndStartWithSimRecords) {
  auto migrations = SqliteMigrations();
  ASSERT_FALSE(migrations.empty());
  for (size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].number, static_cast<int>(i + 1));
    EXPECT_FALSE(migrations[i].name.empty());
  }
  EXPECT_EQ(migrations[0].name, "sim_records");
}

TEST(MigrationsTest, AppliesInOrderAndRecordsEach) {
  auto conn = OpenMemory();
  ASSERT_NE(conn, nullptr);
  const std::vector<Migration> migrations = {
      {1, "a", "CREATE TABLE a (x INTEGER)"},
      {2, "b_from_a", "CREATE TABLE b (y INTEGER); INSERT INTO b SELECT x FROM a"},
  };
  auto version = Migrate(*conn, migrations);
  ASSERT_TRUE(version) << version.error().ToString();
  EXPECT_EQ(*version, 2);
  EXPECT_TRUE(HasTable(*conn, "a"));
  EXPECT_TRUE(HasTable(*conn, "b"));
}

TEST(MigrationsTest, RerunningAppliesNothing) {
  auto conn = OpenMemory();
  ASSERT_NE(conn, nullptr);
  // Running "CREATE TABLE a" twice would fail, so a second success proves it was skipped.
  const std::vector<Migration> migrations = {{1, "a", "CREATE TABLE a (x INTEGER)"}};
  ASSERT_TRUE(Migrate(*conn, migrations));
  auto again = Migrate(*conn, migrations);
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ(*again, 1);
}

TEST(MigrationsTest, LaterMigrationsAreAppliedToAnOlderSchema) {
  auto conn = OpenMemory();
  ASSERT_NE(conn, nullptr);
  std::vector<Migration> migrations = {{1, "a", "CREATE TABLE a (x INTEGER)"}};
  ASSERT_TRUE(Migrate(*conn, migrations));
  migrations.push_back({2, "b", "CREATE TABLE b (y INTEGER)"});
  auto version = Migrate(*conn, migrations);
  ASSERT_TRUE(version) << version.error().ToString();
  EXPECT_EQ(*version, 2);
  EXPECT_TRUE(HasTable(*conn, "b"));
}

TEST(MigrationsTest, FailingMigrationRollsBackAndKeepsTheVersion) {
  auto conn = OpenMemory();
  ASSERT_NE(conn, nullptr);
  const std::vector<Migration> migrations = {
      {1, "a", "CREATE TABLE a (x INTEGER)"},
      {2, "half_done", "CREATE TABLE b (y INTEGER); INSERT INTO missing VALUES (1)"},
  };
  auto failed = Migrate(*conn, migrations);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("migration 2 (half_done)"), std::string::npos)
      << failed.error().message;
  EXPECT_NE(failed.error().message.find("no such table: missing"), std::string::npos)
      << failed.error().message;
  EXPECT_EQ(Version(*conn), 1);
  EXPECT_TRUE(HasTable(*conn, "a"));
  EXPECT_FALSE(HasTable(*conn, "b"));
  EXPECT_FALSE(conn->InTransaction());
}

TEST(MigrationsTest, NewerDatabaseIsRefusedNamingBothVersions) {
  auto conn = OpenMemory();
  ASSERT_NE(conn, nullptr);
  const std::vector<Migration> two = {{1, "a", "CREATE TABLE a (x INTEGER)"},
                                      {2, "b", "CREATE TABLE b (y INTEGER)"}};
  ASSERT_TRUE(Migrate(*conn, two));
  auto refused = Migrate(*conn, std::span(two).first(1));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(refused.error().message,
            "store :memory:: schema version 2 is newer than this binary knows (1); run a newer "
            "ec2m");
}

}  // namespace
}  // namespace ec2m::store
