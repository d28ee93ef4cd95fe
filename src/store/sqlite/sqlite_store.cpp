#include "store/sqlite/sqlite_store.hpp"

#include <filesystem>
#include <system_error>
#include <utility>

#include "store/sqlite/migrations.hpp"

namespace ec2m::store {
namespace {

constexpr const char* kUpsert =
    "INSERT INTO sim_records (region, kind, id, body) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (region, kind, id) DO UPDATE SET body = excluded.body";
constexpr const char* kDelete =
    "DELETE FROM sim_records WHERE region = ?1 AND kind = ?2 AND id = ?3";
constexpr const char* kLoad = "SELECT kind, id, body FROM sim_records WHERE region = ?1";
constexpr const char* kClear = "DELETE FROM sim_records WHERE region = ?1";

constexpr const char* kGetDoc = "SELECT body, version FROM docs WHERE collection = ?1 AND key = ?2";
constexpr const char* kUpsertDoc =
    "INSERT INTO docs (collection, key, body, version) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (collection, key) DO UPDATE SET body = excluded.body, version = excluded.version";
constexpr const char* kDeleteDoc = "DELETE FROM docs WHERE collection = ?1 AND key = ?2";
// ?2 prefix ('' = any), ?3 cursor ('' = from the start: keys are never empty), ?4 limit (-1 = all).
constexpr const char* kListDocsAscending =
    "SELECT key, body, version FROM docs WHERE collection = ?1 "
    "AND substr(key, 1, length(?2)) = ?2 AND (?3 = '' OR key > ?3) ORDER BY key LIMIT ?4";
constexpr const char* kListDocsDescending =
    "SELECT key, body, version FROM docs WHERE collection = ?1 "
    "AND substr(key, 1, length(?2)) = ?2 AND (?3 = '' OR key < ?3) ORDER BY key DESC LIMIT ?4";

std::string DocName(std::string_view collection, std::string_view key) {
  std::string name;
  name.append(collection).append("/").append(key);
  return name;
}

// The stored body and version of a document, read inside the caller's transaction.
Result<std::optional<Doc>> ReadDoc(Connection& conn, std::string_view collection,
                                   std::string_view key) {
  auto stmt = conn.Prepare(kGetDoc);
  if (!stmt) {
    return Fail(std::move(stmt).error());
  }
  EC2M_RETURN_IF_ERROR(stmt->BindText(1, collection));
  EC2M_RETURN_IF_ERROR(stmt->BindText(2, key));
  auto row = stmt->Step("read document " + DocName(collection, key));
  EC2M_RETURN_IF_ERROR(row);
  if (!*row) {
    return std::optional<Doc>();
  }
  return std::optional<Doc>(Doc{std::string(collection), std::string(key),
                                std::string(stmt->ColumnBlob(0)), stmt->ColumnInt(1)});
}

Result<void> CreateParentDirectory(const std::string& path) {
  if (path == ":memory:") {
    return {};
  }
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) {
    return {};
  }
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) {
    return Fail(ErrorCode::kUnavailable, "store " + path + ": cannot create directory " +
                                             parent.string() + ": " + ec.message());
  }
  return {};
}

std::string Name(std::string_view region, std::string_view kind, std::string_view id) {
  std::string name;
  name.append(region).append("/").append(kind).append("/").append(id);
  return name;
}

Result<void> Run(Connection& conn, const char* sql, std::string_view region, std::string_view kind,
                 std::string_view id, const std::string* body, std::string_view what) {
  auto stmt = conn.Prepare(sql);
  if (!stmt) {
    return Fail(std::move(stmt).error());
  }
  EC2M_RETURN_IF_ERROR(stmt->BindText(1, region));
  EC2M_RETURN_IF_ERROR(stmt->BindText(2, kind));
  EC2M_RETURN_IF_ERROR(stmt->BindText(3, id));
  if (body != nullptr) {
    EC2M_RETURN_IF_ERROR(stmt->BindBlob(4, *body));
  }
  auto done = stmt->Step(std::string(what) + " sim record " + Name(region, kind, id));
  EC2M_RETURN_IF_ERROR(done);
  return {};
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  EC2M_RETURN_IF_ERROR(CreateParentDirectory(path));
  auto conn = Connection::Open(path);
  if (!conn) {
    return Fail(std::move(conn).error());
  }
  auto version = Migrate(**conn, SqliteMigrations());
  EC2M_RETURN_IF_ERROR(version);
  (*conn)->Opened();
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(*conn)));
}

SqliteStore::~SqliteStore() = default;

Result<int> SqliteStore::SchemaVersion() {
  std::lock_guard lock(mu_);
  return AppliedSchemaVersion(*conn_);
}

Result<std::vector<SimRecord>> SqliteStore::LoadSimRecords(std::string_view region) {
  std::lock_guard lock(mu_);
  auto stmt = conn_->Prepare(kLoad);
  if (!stmt) {
    return Fail(std::move(stmt).error());
  }
  EC2M_RETURN_IF_ERROR(stmt->BindText(1, region));
  std::vector<SimRecord> records;
  const std::string what = "load sim records of region " + std::string(region);
  for (;;) {
    auto row = stmt->Step(what);
    EC2M_RETURN_IF_ERROR(row);
    if (!*row) {
      break;
    }
    records.push_back(SimRecord{std::string(stmt->ColumnText(0)), std::string(stmt->ColumnText(1)),
                                std::string(stmt->ColumnBlob(2))});
  }
  return records;
}

Result<void> SqliteStore::WriteSimRecords(std::string_view region,
                                          std::span<const SimRecord> upserts,
                                          std::span<const SimKey> deletes) {
  if (upserts.empty() && deletes.empty()) {
    return {};
  }
  std::lock_guard lock(mu_);
  auto tx = Transaction::Begin(*conn_);
  if (!tx) {
    return Fail(std::move(tx).error());
  }
  // Any early return below destroys `tx`, which rolls the whole batch back.
  for (const SimKey& key : deletes) {
    EC2M_RETURN_IF_ERROR(Run(*conn_, kDelete, region, key.kind, key.id, nullptr, "delete"));
  }
  for (const SimRecord& record : upserts) {
    EC2M_RETURN_IF_ERROR(
        Run(*conn_, kUpsert, region, record.kind, record.id, &record.body, "write"));
  }
  return tx->Commit();
}

Result<void> SqliteStore::ClearSimRecords(std::string_view region) {
  std::lock_guard lock(mu_);
  auto stmt = conn_->Prepare(kClear);
  if (!stmt) {
    return Fail(std::move(stmt).error());
  }
  EC2M_RETURN_IF_ERROR(stmt->BindText(1, region));
  auto done = stmt->Step("clear sim records of region " + std::string(region));
  EC2M_RETURN_IF_ERROR(done);
  return {};
}

Result<std::optional<Doc>> SqliteStore::GetDoc(std::string_view collection, std::string_view key) {
  std::lock_guard lock(mu_);
  return ReadDoc(*conn_, collection, key);
}

Result<std::vector<Doc>> SqliteStore::ListDocs(std::string_view collection, const DocQuery& query) {
  std::lock_guard lock(mu_);
  auto stmt = conn_->Prepare(query.descending ? kListDocsDescending : kListDocsAscending);
  if (!stmt) {
    return Fail(std::move(stmt).error());
  }
  EC2M_RETURN_IF_ERROR(stmt->BindText(1, collection));
  EC2M_RETURN_IF_ERROR(stmt->BindText(2, query.prefix));
  EC2M_RETURN_IF_ERROR(stmt->BindText(3, query.after));
  EC2M_RETURN_IF_ERROR(stmt->BindInt(4, query.limit > 0 ? query.limit : -1));
  std::vector<Doc> docs;
  const std::string what = "list documents of " + std::string(collection);
  for (;;) {
    auto row = stmt->Step(what);
    EC2M_RETURN_IF_ERROR(row);
    if (!*row) {
      break;
    }
    docs.push_back(Doc{std::string(collection), std::string(stmt->ColumnText(0)),
                       std::string(stmt->ColumnBlob(1)), stmt->ColumnInt(2)});
  }
  return docs;
}

Result<std::vector<int64_t>> SqliteStore::WriteDocs(std::span<const DocWrite> writes) {
  for (const DocWrite& w : writes) {
    if (w.collection.empty() || w.key.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "document \"" + DocName(w.collection, w.key) +
                      "\": the collection and the key must not be empty");
    }
  }
  std::vector<int64_t> versions;
  versions.reserve(writes.size());
  if (writes.empty()) {
    return versions;
  }
  std::lock_guard lock(mu_);
  auto tx = Transaction::Begin(*conn_);
  if (!tx) {
    return Fail(std::move(tx).error());
  }
  // Any early return below destroys `tx`, which rolls the whole batch back.
  for (const DocWrite& w : writes) {
    auto current = ReadDoc(*conn_, w.collection, w.key);
    EC2M_RETURN_IF_ERROR(current);
    const int64_t found = *current ? (*current)->version : 0;
    EC2M_RETURN_IF_ERROR(CheckDocVersion(w, found));
    const std::string name = DocName(w.collection, w.key);
    auto stmt = conn_->Prepare(w.body ? kUpsertDoc : kDeleteDoc);
    if (!stmt) {
      return Fail(std::move(stmt).error());
    }
    EC2M_RETURN_IF_ERROR(stmt->BindText(1, w.collection));
    EC2M_RETURN_IF_ERROR(stmt->BindText(2, w.key));
    const int64_t next = w.body ? found + 1 : 0;
    if (w.body) {
      EC2M_RETURN_IF_ERROR(stmt->BindBlob(3, *w.body));
      EC2M_RETURN_IF_ERROR(stmt->BindInt(4, next));
    }
    auto done = stmt->Step((w.body ? "write document " : "delete document ") + name);
    EC2M_RETURN_IF_ERROR(done);
    versions.push_back(next);
  }
  EC2M_RETURN_IF_ERROR(tx->Commit());
  return versions;
}

}  // namespace ec2m::store
