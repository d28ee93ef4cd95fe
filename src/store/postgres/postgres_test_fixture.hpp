#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "support/postgres_server.hpp"

namespace ec2m::store {

// A fresh schema on this test binary's PostgreSQL server (started on first use). Fails the
// current test with the reason, and returns an empty name, when the server or schema is missing.
inline testing::PostgresServer::Schema FreshSchema() {
  testing::PostgresServer& server = testing::PostgresServer::Shared();
  if (!server.running()) {
    ADD_FAILURE() << "the PostgreSQL test server did not start: " << server.error();
    return {};
  }
  testing::PostgresServer::Schema schema = server.CreateSchema();
  EXPECT_FALSE(schema.name.empty()) << schema.error;
  return schema;
}

// Runs fn(0), ..., fn(threads - 1) at once, one thread each, and expects every one to return ""
// (else what went wrong).
inline void ExpectAllSucceedTogether(int threads, const std::function<std::string(int)>& fn) {
  std::vector<std::string> errors(threads);
  std::vector<std::thread> running;
  running.reserve(threads);
  for (int i = 0; i < threads; ++i) {
    running.emplace_back([&fn, &errors, i] { errors[i] = fn(i); });
  }
  for (std::thread& thread : running) {
    thread.join();
  }
  for (int i = 0; i < threads; ++i) {
    EXPECT_EQ(errors[i], "") << "thread " << i;
  }
}

// Tests against the shared server, each in a schema of its own (`schema_`).
class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = FreshSchema();
    ASSERT_FALSE(schema_.name.empty());
  }

  // Runs `sql` as the superuser, failing the test on an error; the first column of each row.
  static std::vector<std::string> Sql(const std::string& sql) {
    testing::PostgresServer::SqlResult result = testing::PostgresServer::Shared().Sql(sql);
    EXPECT_TRUE(result.ok) << result.error;
    return result.column;
  }

  testing::PostgresServer::Schema schema_;
};

}  // namespace ec2m::store
