#pragma once

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include <span>

#include "core/error.hpp"
#include "store/postgres/conninfo.hpp"
#include "store/sqlite/migrations.hpp"

namespace ec2m::store::pg {

// The PostgreSQL schema's migrations, numbered 1, 2, 3, ... (the Migration struct is the SQLite
// store's: number, name, SQL). New migrations are appended; applied ones are never edited.
std::span<const Migration> PostgresMigrations();

// The highest applied migration number, 0 when none. Throws libpqxx's exceptions.
int AppliedSchemaVersion(pqxx::transaction_base& tx);

// Brings the database behind `conn` up to the last of `migrations`, each missing one in its own
// transaction recorded in schema_migrations, and returns the resulting schema version. Safe
// against other processes migrating the same database at once: each transaction first takes one
// advisory lock and re-reads the version. REQUIRES: `migrations` are numbered 1, 2, 3, ... in
// order. Errors: kFailedPrecondition when the database is newer than the last migration (naming
// both versions); a failing migration rolls back, leaves the version at the previous one and
// returns the server's error naming the migration's number and name.
Result<int> Migrate(pqxx::connection& conn, const ConnInfo& info,
                    std::span<const Migration> migrations);

}  // namespace ec2m::store::pg
