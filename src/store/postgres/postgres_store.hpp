#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/store.hpp"

namespace ec2m::store {

namespace pg {
class ConnectionPool;
}

// The Store for several `ec2m serve` replicas sharing one PostgreSQL database, through libpqxx.
// Open() applies the missing migrations (migrations.cpp); record bodies are bytea.
//
// Owns a pool of at most `pool_size` connections, opened as calls need them; an idle connection
// the server ended is replaced before use. Thread-safe: calls from many threads run in parallel
// on separate connections, waiting when all are in use.
//
// WriteSimRecords applies a batch's deletes first, then its upserts, in one transaction: a key
// both deleted and upserted in one batch ends up holding the upserted body.
//
// Names (regions, kinds, ids, collections, keys) are PostgreSQL text: UTF-8 without NUL bytes.
// Every call refuses other names with kInvalidArgument; bodies are bytes, anything goes.
class PostgresStore final : public Store {
 public:
  // Connects with `conninfo`, a libpq URI ("postgresql://user:password@host:port/dbname") or
  // "key=value" string, and applies the missing migrations. Messages name the server as
  // "postgresql://user@host:port/dbname" and never contain the password.
  // Errors: kInvalidArgument when `conninfo` does not parse or `pool_size` is 0;
  // kUnavailable naming the server and libpq's reason when it cannot be reached or refuses the
  // connection; kFailedPrecondition when the schema is newer than this binary knows (naming both
  // versions); a failing migration's error (naming its number and name), after which the schema
  // stays at the previous version.
  static Result<std::unique_ptr<PostgresStore>> Open(const std::string& conninfo, size_t pool_size);

  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;
  ~PostgresStore() override;

  // Errors: kUnavailable when the server cannot be reached or the connection is lost during the
  // call (the next call gets a new one); kInternal otherwise.
  Result<int> SchemaVersion() override;

  // Errors: as SchemaVersion.
  Result<std::vector<SimRecord>> LoadSimRecords(std::string_view region) override;

  // One transaction: deletes, then upserts; rolled back entirely on any failure.
  // Errors: kInvalidArgument naming the record when a kind or id is empty (nothing is sent to
  // the server); kUnavailable when the connection is lost, also during the commit (the message
  // says the outcome is unknown then).
  Result<void> WriteSimRecords(std::string_view region, std::span<const SimRecord> upserts,
                               std::span<const SimKey> deletes) override;

  // Errors: as SchemaVersion.
  Result<void> ClearSimRecords(std::string_view region) override;

  // Errors: as SchemaVersion.
  Result<std::optional<Doc>> GetDoc(std::string_view collection, std::string_view key) override;
  Result<std::vector<Doc>> ListDocs(std::string_view collection, const DocQuery& query) override;
  // One transaction; each write's version check and the write itself are one statement, so two
  // replicas cannot both win a check. Errors: those of Store::WriteDocs, and as SchemaVersion.
  Result<std::vector<int64_t>> WriteDocs(std::span<const DocWrite> writes) override;

 private:
  explicit PostgresStore(std::unique_ptr<pg::ConnectionPool> pool);

  std::unique_ptr<pg::ConnectionPool> pool_;
};

}  // namespace ec2m::store
