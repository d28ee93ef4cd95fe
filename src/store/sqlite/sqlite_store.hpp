#pragma once

#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/store.hpp"
#include "store/sqlite/connection.hpp"

namespace ec2m::store {

// The embedded Store: one SQLite database file in WAL mode, migrated to the schema in
// migrations.cpp when opened. synchronous=NORMAL: a committed write survives a crash of the
// process; a power loss may undo the commits since the last checkpoint but never corrupts the file.
//
// Owns one connection and its cached prepared statements. Thread-safe: every call takes one
// mutex around the connection, so calls from many threads are serialized. Other processes may open
// the same file; their writes wait up to 5 s for the write lock, then fail with kUnavailable.
//
// WriteSimRecords applies a batch's deletes first, then its upserts: a key both deleted and
// upserted in one batch ends up holding the upserted body.
class SqliteStore final : public Store {
 public:
  // Opens or creates the database at `path`, creating missing parent directories, and applies the
  // missing migrations. ":memory:" opens a private in-memory database.
  // Errors: kUnavailable naming the path and the cause when the directory or the file cannot be
  // created or opened; kFailedPrecondition when the file is not a SQLite database or its schema is
  // newer than this binary knows (naming both versions); a failing migration's error (naming its
  // number and name), after which the schema stays at the previous version.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;
  ~SqliteStore() override;

  // Errors: sqlite failures, kUnavailable or kInternal, naming the path.
  Result<int> SchemaVersion() override;

  // Errors: sqlite failures, naming the path.
  Result<std::vector<SimRecord>> LoadSimRecords(std::string_view region) override;

  // One IMMEDIATE transaction: deletes, then upserts; rolled back entirely on any failure.
  // Errors: kInvalidArgument naming the record when a kind or id is empty; kUnavailable when
  // another process holds the write lock past the busy timeout or the disk fails.
  Result<void> WriteSimRecords(std::string_view region, std::span<const SimRecord> upserts,
                               std::span<const SimKey> deletes) override;

  // Errors: as WriteSimRecords.
  Result<void> ClearSimRecords(std::string_view region) override;

  // Errors: sqlite failures, naming the document or collection.
  Result<std::optional<Doc>> GetDoc(std::string_view collection, std::string_view key) override;
  Result<std::vector<Doc>> ListDocs(std::string_view collection, const DocQuery& query) override;
  // One IMMEDIATE transaction; the version checks and the writes happen under the write lock, so
  // two processes on one file cannot both win a check. Errors: those of Store::WriteDocs, and
  // kUnavailable as WriteSimRecords.
  Result<std::vector<int64_t>> WriteDocs(std::span<const DocWrite> writes) override;

 private:
  explicit SqliteStore(std::unique_ptr<Connection> conn) : conn_(std::move(conn)) {}

  std::mutex mu_;
  std::unique_ptr<Connection> conn_;  // guarded by mu_
};

}  // namespace ec2m::store
