#include "store/postgres/migrations.hpp"

#include <gtest/gtest.h>

#include <pqxx/connection>

#include <memory>
#include <string>
#include <vector>

#include "store/postgres/postgres_store.hpp"
#include "store/postgres/postgres_test_fixture.hpp"

namespace ec2m::store::pg {
namespace {

class PostgresMigrationsTest : public PostgresTest {
 protected:
  void SetUp() override {
    PostgresTest::SetUp();
    auto info = ConnInfo::Parse(schema_.uri);
    ASSERT_TRUE(info) << info.error().ToString();
    info_ = std::make_unique<ConnInfo>(std::move(*info));
    conn_ = std::make_unique<pqxx::connection>(schema_.uri);
  }

  bool HasTable(const std::string& name) {
    return Sql("SELECT to_regclass('" + schema_.name + "." + name + "') IS NOT NULL") ==
           std::vector<std::string>{"t"};
  }

  std::unique_ptr<ConnInfo> info_;
  std::unique_ptr<pqxx::connection> conn_;
};

TEST(PostgresMigrationsListTest, AreNumberedFromOneAndStartWithSimRecords) {
  auto migrations = PostgresMigrations();
  ASSERT_FALSE(migrations.empty());
  for (size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].number, static_cast<int>(i + 1));
    EXPECT_FALSE(migrations[i].name.empty());
  }
  EXPECT_EQ(migrations[0].name, "sim_records");
}

TEST_F(PostgresMigrationsTest, AppliesInOrderAndRecordsEach) {
  const std::vector<Migration> migrations = {
      {1, "a", "CREATE TABLE a (x INTEGER)"},
      {2, "b_from_a", "CREATE TABLE b (y INTEGER); INSERT INTO b SELECT x FROM a"},
  };
  auto version = Migrate(*conn_, *info_, migrations);
  ASSERT_TRUE(version) << version.error().ToString();
  EXPECT_EQ(*version, 2);
  EXPECT_TRUE(HasTable("a"));
  EXPECT_TRUE(HasTable("b"));
  EXPECT_EQ(Sql("SELECT version || ' ' || name FROM " + schema_.name +
                ".schema_migrations ORDER BY version"),
            (std::vector<std::string>{"1 a", "2 b_from_a"}));
}

TEST_F(PostgresMigrationsTest, RerunningAppliesNothing) {
  // Running "CREATE TABLE a" twice would fail, so a second success proves it was skipped.
  const std::vector<Migration> migrations = {{1, "a", "CREATE TABLE a (x INTEGER)"}};
  ASSERT_TRUE(Migrate(*conn_, *info_, migrations));
  auto again = Migrate(*conn_, *info_, migrations);
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ(*again, 1);
}

TEST_F(PostgresMigrationsTest, LaterMigrationsAreAppliedToAnOlderSchema) {
  std::vector<Migration> migrations = {{1, "a", "CREATE TABLE a (x INTEGER)"}};
  ASSERT_TRUE(Migrate(*conn_, *info_, migrations));
  migrations.push_back({2, "b", "CREATE TABLE b (y INTEGER)"});
  auto version = Migrate(*conn_, *info_, migrations);
  ASSERT_TRUE(version) << version.error().ToString();
  EXPECT_EQ(*version, 2);
  EXPECT_TRUE(HasTable("b"));
}

TEST_F(PostgresMigrationsTest, FailingMigrationRollsBackAndKeepsTheVersion) {
  const std::vector<Migration> migrations = {
      {1, "a", "CREATE TABLE a (x INTEGER)"},
      {2, "half_done", "CREATE TABLE b (y INTEGER); INSERT INTO missing VALUES (1)"},
  };
  auto failed = Migrate(*conn_, *info_, migrations);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kInternal);
  EXPECT_EQ(failed.error().message, "store " + info_->display() +
                                        ": migration 2 (half_done): relation \"missing\" does "
                                        "not exist");
  EXPECT_TRUE(HasTable("a"));
  EXPECT_FALSE(HasTable("b"));
  EXPECT_EQ(Sql("SELECT max(version) FROM " + schema_.name + ".schema_migrations"),
            std::vector<std::string>{"1"});
}

TEST_F(PostgresMigrationsTest, NewerDatabaseIsRefusedNamingBothVersions) {
  const std::vector<Migration> two = {{1, "a", "CREATE TABLE a (x INTEGER)"},
                                      {2, "b", "CREATE TABLE b (y INTEGER)"}};
  ASSERT_TRUE(Migrate(*conn_, *info_, two));
  auto refused = Migrate(*conn_, *info_, std::span(two).first(1));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(refused.error().message, "store " + info_->display() +
                                         ": schema version 2 is newer than this binary knows "
                                         "(1); run a newer ec2m");
}

// Replicas starting together all open the store, and each migration is applied once.
TEST_F(PostgresMigrationsTest, ConcurrentOpenersApplyEachMigrationOnce) {
  ExpectAllSucceedTogether(4, [this](int) -> std::string {
    auto opened = PostgresStore::Open(schema_.uri, 1);
    return opened ? "" : opened.error().ToString();
  });
  EXPECT_EQ(Sql("SELECT count(*) FROM " + schema_.name + ".schema_migrations"),
            std::vector<std::string>{std::to_string(PostgresMigrations().size())});
}

}  // namespace
}  // namespace ec2m::store::pg
