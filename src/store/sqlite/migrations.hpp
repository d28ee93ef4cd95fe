#pragma once

#include <span>
#include <string_view>

#include "core/error.hpp"
#include "store/sqlite/connection.hpp"

namespace ec2m::store {

// One schema change: applied once, in order of `number`, inside its own transaction, and recorded
// in schema_migrations. `sql` may hold several ';'-separated statements but no BEGIN/COMMIT.
struct Migration {
  int number;
  std::string_view name;
  std::string_view sql;
};

// The SQLite schema's migrations, numbered 1, 2, 3, ... New migrations are appended; applied ones
// are never edited.
std::span<const Migration> SqliteMigrations();

// The highest applied migration number, 0 for a fresh database.
// Errors: the schema_migrations table cannot be read (sqlite's code, naming the store path).
Result<int> AppliedSchemaVersion(Connection& conn);

// Brings the database up to the last of `migrations`, applying each missing one in its own
// IMMEDIATE transaction, and returns the resulting schema version. Safe against another process
// migrating the same file concurrently: the version is re-read under the write lock. REQUIRES:
// `migrations` are numbered 1, 2, 3, ... in order. Errors: kFailedPrecondition when the database is
// newer than the last migration (naming both versions); a failing migration rolls back, leaves the
// version at the previous one and returns the sqlite error naming the migration's number and name.
Result<int> Migrate(Connection& conn, std::span<const Migration> migrations);

}  // namespace ec2m::store
