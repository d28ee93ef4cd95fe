#include "store/postgres/postgres_store.hpp"

// PostgresStore's versioned documents (Store::GetDoc, ListDocs, WriteDocs); opening and the sim
// records are in postgres_store.cpp.

#include <pqxx/binarystring>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>

#include "store/postgres/connection_pool.hpp"
#include "store/postgres/statements.hpp"

namespace ec2m::store {
namespace {

constexpr const char* kGetDoc = "get_doc";
constexpr const char* kPutDoc = "put_doc";
constexpr const char* kCreateDoc = "create_doc";
constexpr const char* kUpdateDoc = "update_doc";
constexpr const char* kDeleteDoc = "delete_doc";
constexpr const char* kListDocsAscending = "list_docs_ascending";
constexpr const char* kListDocsDescending = "list_docs_descending";

std::string DocName(const DocWrite& w) { return w.collection + "/" + w.key; }

// Applies one write inside `tx` and returns the document's new version (0 after a delete), or
// the error that fails the batch. Throws libpqxx's exceptions.
Result<int64_t> ApplyDocWrite(pqxx::work& tx, const DocWrite& w) {
  const bool any = w.expected_version == DocWrite::kAnyVersion;
  pqxx::result changed;
  if (!w.body) {
    changed = tx.exec_prepared(kDeleteDoc, w.collection, w.key, w.expected_version);
  } else {
    const pqxx::binarystring body(w.body->data(), w.body->size());
    if (any) {
      changed = tx.exec_prepared(kPutDoc, w.collection, w.key, body);
    } else if (w.expected_version == 0) {
      changed = tx.exec_prepared(kCreateDoc, w.collection, w.key, body);
    } else {
      changed = tx.exec_prepared(kUpdateDoc, w.collection, w.key, body, w.expected_version);
    }
  }
  if (!changed.empty()) {
    return w.body ? changed[0][0].as<int64_t>() : 0;
  }
  if (!w.body && any) {
    return 0;  // deleting a document that is not there
  }
  // The statement's version condition failed: say why, from the document as it is now.
  const pqxx::result current = tx.exec_prepared(kGetDoc, w.collection, w.key);
  EC2M_RETURN_IF_ERROR(CheckDocVersion(w, current.empty() ? 0 : current[0][1].as<int64_t>()));
  if (!w.body) {
    return 0;  // deleting, as expected_version 0 asks, a document that is not there
  }
  // It matched when read again: another writer changed it between the two statements.
  return Fail(ErrorCode::kFailedPrecondition, DocName(w) + ": changed by another writer");
}

}  // namespace

namespace pg {

// Each document write is one statement whose condition holds the version check, so the check and
// the write are one atomic step even against writers in other transactions (at READ COMMITTED an
// UPDATE waits for a concurrent one and re-checks its WHERE against the row that one left).
void PrepareDocStatements(pqxx::connection& conn) {
  conn.prepare(kGetDoc, "SELECT body, version FROM docs WHERE collection = $1 AND key = $2");
  conn.prepare(kPutDoc,
               "INSERT INTO docs (collection, key, body, version) VALUES ($1, $2, $3, 1) "
               "ON CONFLICT (collection, key) DO UPDATE "
               "SET body = excluded.body, version = docs.version + 1 RETURNING version");
  conn.prepare(kCreateDoc,
               "INSERT INTO docs (collection, key, body, version) VALUES ($1, $2, $3, 1) "
               "ON CONFLICT (collection, key) DO NOTHING RETURNING version");
  conn.prepare(kUpdateDoc,
               "UPDATE docs SET body = $3, version = version + 1 "
               "WHERE collection = $1 AND key = $2 AND version = $4 RETURNING version");
  // $3: the expected version, -1 for any.
  conn.prepare(kDeleteDoc,
               "DELETE FROM docs WHERE collection = $1 AND key = $2 AND ($3 < 0 OR version = $3) "
               "RETURNING version");
  // $2 prefix ('' = any; `key >= $2` lets the index skip what sorts before it), $3 cursor
  // ('' = from the start: keys are never empty), $4 limit (0 = all).
  conn.prepare(kListDocsAscending,
               "SELECT key, body, version FROM docs WHERE collection = $1 AND key >= $2 "
               "AND starts_with(key, $2) AND ($3 = '' OR key > $3) ORDER BY key "
               "LIMIT NULLIF($4, 0)");
  conn.prepare(kListDocsDescending,
               "SELECT key, body, version FROM docs WHERE collection = $1 AND key >= $2 "
               "AND starts_with(key, $2) AND ($3 = '' OR key < $3) ORDER BY key DESC "
               "LIMIT NULLIF($4, 0)");
}

}  // namespace pg

Result<std::optional<Doc>> PostgresStore::GetDoc(std::string_view collection,
                                                 std::string_view key) {
  EC2M_RETURN_IF_ERROR(pg::CheckText(pool_->info(), "read document", collection));
  EC2M_RETURN_IF_ERROR(pg::CheckText(pool_->info(), "read document", key));
  Doc doc{std::string(collection), std::string(key), {}, 0};
  const std::string what = "read document " + doc.collection + "/" + doc.key;
  EC2M_RETURN_IF_ERROR(pool_->Run(what, [&](pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    const pqxx::result rows = tx.exec_prepared(kGetDoc, doc.collection, doc.key);
    doc.version = 0;
    if (!rows.empty()) {
      doc.body = pg::Bytes(rows[0][0]);
      doc.version = rows[0][1].as<int64_t>();
    }
  }));
  if (doc.version == 0) {
    return std::optional<Doc>();
  }
  return std::optional<Doc>(std::move(doc));
}

Result<std::vector<Doc>> PostgresStore::ListDocs(std::string_view collection,
                                                 const DocQuery& query) {
  for (std::string_view text :
       {collection, std::string_view(query.prefix), std::string_view(query.after)}) {
    EC2M_RETURN_IF_ERROR(pg::CheckText(pool_->info(), "list documents", text));
  }
  const std::string name(collection);
  std::vector<Doc> docs;
  EC2M_RETURN_IF_ERROR(pool_->Run("list documents of " + name, [&](pqxx::connection& conn) {
    docs.clear();
    pqxx::nontransaction tx(conn);
    const pqxx::result rows =
        tx.exec_prepared(query.descending ? kListDocsDescending : kListDocsAscending, name,
                         query.prefix, query.after, std::max(query.limit, 0));
    docs.reserve(rows.size());
    for (const pqxx::row& row : rows) {
      docs.push_back(Doc{name, std::string(row[0].c_str(), row[0].size()), pg::Bytes(row[1]),
                         row[2].as<int64_t>()});
    }
  }));
  return docs;
}

Result<std::vector<int64_t>> PostgresStore::WriteDocs(std::span<const DocWrite> writes) {
  for (const DocWrite& w : writes) {
    if (w.collection.empty() || w.key.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "document \"" + DocName(w) + "\": the collection and the key must not be empty");
    }
    EC2M_RETURN_IF_ERROR(pg::CheckText(pool_->info(), "write documents", w.collection));
    EC2M_RETURN_IF_ERROR(pg::CheckText(pool_->info(), "write documents", w.key));
  }
  std::vector<int64_t> versions;
  if (writes.empty()) {
    return versions;
  }
  Result<void> refused;
  EC2M_RETURN_IF_ERROR(pool_->Run("write documents", [&](pqxx::connection& conn) {
    versions.clear();
    // Destroying an uncommitted transaction (a refused write, any exception) rolls it all back.
    pqxx::work tx(conn);
    for (const DocWrite& w : writes) {
      auto version = ApplyDocWrite(tx, w);
      if (!version) {
        refused = Fail(std::move(version).error());
        return;
      }
      versions.push_back(*version);
    }
    tx.commit();
  }));
  EC2M_RETURN_IF_ERROR(refused);
  return versions;
}

}  // namespace ec2m::store
