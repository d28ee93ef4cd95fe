#include "store/sqlite/migrations.hpp"

#include <string>

#include "core/check.hpp"

namespace ec2m::store {
namespace {

// Append only. A released migration is never edited: databases in the field already ran it.
constexpr Migration kMigrations[] = {
    {1, "sim_records",
     // One row per resource of a simulated region; the body is the region's own encoding.
     // WITHOUT ROWID: every lookup and scan goes through (region, kind, id).
     R"sql(
CREATE TABLE sim_records (
  region TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind <> ''),
  id TEXT NOT NULL CHECK (id <> ''),
  body BLOB NOT NULL,
  PRIMARY KEY (region, kind, id)
) WITHOUT ROWID;
)sql"},
    {2, "docs",
     // The control plane's versioned documents (users, sessions, audit entries, ...). Keys sort
     // bytewise (BINARY collation), which ListDocs' cursors rely on.
     R"sql(
CREATE TABLE docs (
  collection TEXT NOT NULL CHECK (collection <> ''),
  key TEXT NOT NULL CHECK (key <> ''),
  body BLOB NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  PRIMARY KEY (collection, key)
) WITHOUT ROWID;
)sql"},
};

constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

std::string Describe(const Migration& m) {
  return "migration " + std::to_string(m.number) + " (" + std::string(m.name) + ")";
}

Result<void> Record(Connection& conn, const Migration& m) {
  auto stmt = conn.Prepare(
      "INSERT INTO schema_migrations (version, name, applied_at) "
      "VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
  if (!stmt) {
    return Fail(std::move(stmt).error());
  }
  EC2M_RETURN_IF_ERROR(stmt->BindInt(1, m.number));
  EC2M_RETURN_IF_ERROR(stmt->BindText(2, m.name));
  auto done = stmt->Step("record " + Describe(m));
  EC2M_RETURN_IF_ERROR(done);
  return {};
}

// Applies `m` unless a concurrent opener already did; the caller holds no transaction.
Result<void> ApplyOne(Connection& conn, const Migration& m) {
  auto tx = Transaction::Begin(conn);
  if (!tx) {
    return Fail(std::move(tx).error());
  }
  auto version = AppliedSchemaVersion(conn);
  EC2M_RETURN_IF_ERROR(version);
  if (*version >= m.number) {
    return {};
  }
  EC2M_RETURN_IF_ERROR(conn.Exec(m.sql, Describe(m)));
  EC2M_RETURN_IF_ERROR(Record(conn, m));
  return tx->Commit();
}

}  // namespace

std::span<const Migration> SqliteMigrations() { return kMigrations; }

Result<int> AppliedSchemaVersion(Connection& conn) {
  auto stmt = conn.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!stmt) {
    return Fail(std::move(stmt).error());
  }
  auto row = stmt->Step("read schema version");
  EC2M_RETURN_IF_ERROR(row);
  return static_cast<int>(stmt->ColumnInt(0));
}

Result<int> Migrate(Connection& conn, std::span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    EC2M_CHECK(migrations[i].number == static_cast<int>(i + 1), "migrations must be numbered 1..N");
  }
  EC2M_RETURN_IF_ERROR(conn.Exec(kCreateMigrationsTable, "create schema_migrations"));
  auto version = AppliedSchemaVersion(conn);
  EC2M_RETURN_IF_ERROR(version);
  const int known = static_cast<int>(migrations.size());
  if (*version > known) {
    return Fail(ErrorCode::kFailedPrecondition, "store " + conn.path() + ": schema version " +
                                                    std::to_string(*version) +
                                                    " is newer than this binary knows (" +
                                                    std::to_string(known) + "); run a newer ec2m");
  }
  for (const Migration& m : migrations) {
    if (m.number > *version) {
      EC2M_RETURN_IF_ERROR(ApplyOne(conn, m));
    }
  }
  return AppliedSchemaVersion(conn);
}

}  // namespace ec2m::store
