#include "store/postgres/migrations.hpp"

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include <cstdint>
#include <string>

#include "core/check.hpp"
#include "store/postgres/errors.hpp"

namespace ec2m::store::pg {
namespace {

// Append only. A released migration is never edited: databases in the field already ran it.
constexpr Migration kMigrations[] = {
    {1, "sim_records",
     // One row per resource of a simulated region; the body is the region's own encoding, opaque
     // bytes. The primary key serves every lookup and the per-region scans.
     R"sql(
CREATE TABLE sim_records (
  region TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind <> ''),
  id TEXT NOT NULL CHECK (id <> ''),
  body BYTEA NOT NULL,
  PRIMARY KEY (region, kind, id)
);
)sql"},
    {2, "docs",
     // The control plane's versioned documents (users, sessions, audit entries, ...). COLLATE "C":
     // keys compare bytewise whatever the database's locale, which ListDocs' order and cursors
     // rely on.
     R"sql(
CREATE TABLE docs (
  collection TEXT NOT NULL CHECK (collection <> ''),
  key TEXT COLLATE "C" NOT NULL CHECK (key <> ''),
  body BYTEA NOT NULL,
  version BIGINT NOT NULL CHECK (version > 0),
  PRIMARY KEY (collection, key)
);
)sql"},
};

constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())";

// Every migrating transaction holds this transaction-scoped advisory lock ("ec2m" "migr" in
// ASCII), so concurrent openers apply each migration once, one after another. It also covers
// creating schema_migrations: two concurrent CREATE TABLE IF NOT EXISTS can both fail otherwise.
constexpr int64_t kMigrationLock = 0x6563326d6d696772;

void Lock(pqxx::transaction_base& tx) {
  tx.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLock);
}

std::string Describe(const Migration& m) {
  return "migration " + std::to_string(m.number) + " (" + std::string(m.name) + ")";
}

}  // namespace

std::span<const Migration> PostgresMigrations() { return kMigrations; }

int AppliedSchemaVersion(pqxx::transaction_base& tx) {
  return tx.exec1("SELECT coalesce(max(version), 0) FROM schema_migrations")[0].as<int>();
}

Result<int> Migrate(pqxx::connection& conn, const ConnInfo& info,
                    std::span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    EC2M_CHECK(migrations[i].number == static_cast<int>(i + 1), "migrations must be numbered 1..N");
  }
  int version = 0;
  EC2M_RETURN_IF_ERROR(Guard(info, "create schema_migrations", [&] {
    pqxx::work tx(conn);
    Lock(tx);
    tx.exec(kCreateMigrationsTable);
    version = AppliedSchemaVersion(tx);
    tx.commit();
  }));
  const int known = static_cast<int>(migrations.size());
  if (version > known) {
    return Fail(ErrorCode::kFailedPrecondition, "store " + info.display() + ": schema version " +
                                                    std::to_string(version) +
                                                    " is newer than this binary knows (" +
                                                    std::to_string(known) + "); run a newer ec2m");
  }
  for (const Migration& m : migrations.subspan(static_cast<size_t>(version))) {
    EC2M_RETURN_IF_ERROR(Guard(info, Describe(m), [&] {
      pqxx::work tx(conn);
      Lock(tx);
      // Another opener may have applied it while this one waited for the lock.
      if (AppliedSchemaVersion(tx) >= m.number) {
        return;
      }
      tx.exec(std::string(m.sql));
      tx.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.number,
                     std::string(m.name));
      tx.commit();
    }));
  }
  int applied = 0;
  EC2M_RETURN_IF_ERROR(Guard(info, "read schema version", [&] {
    pqxx::nontransaction tx(conn);
    applied = AppliedSchemaVersion(tx);
  }));
  return applied;
}

}  // namespace ec2m::store::pg
