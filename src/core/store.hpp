#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace ec2m {

// One persisted resource of a simulated region: its kind ("instance", "vpc", ...), its id, and
// an opaque body the simulated region encodes and decodes itself.
struct SimRecord {
  std::string kind;
  std::string id;
  std::string body;
};

struct SimKey {
  std::string kind;
  std::string id;
};

// A versioned document of the control plane: a user, a session, an audit entry, ... `body` is
// opaque to the store (JSON by convention). `version` is 1 when the document is created and grows
// by one with every write, so a writer can tell that someone else changed it in between
// (optimistic concurrency): how several `ec2m serve` replicas share one database without holding
// locks across requests.
struct Doc {
  std::string collection;
  std::string key;
  std::string body;
  int64_t version = 0;
};

// One change of a WriteDocs batch.
struct DocWrite {
  static constexpr int64_t kAnyVersion = -1;

  std::string collection;
  std::string key;
  std::optional<std::string> body;  // nullopt: delete the document
  // The write applies only if the document is at this version now: kAnyVersion (no check), 0 (it
  // must not exist: a create), n > 0 (it must exist at version n).
  int64_t expected_version = kAnyVersion;
};

// Which documents of a collection ListDocs returns, in byte order of their keys.
struct DocQuery {
  std::string prefix;       // only keys that start with it
  std::string after;        // only keys after it, in the order asked (exclusive): a cursor
  int limit = 0;            // at most this many; 0 = no limit
  bool descending = false;  // from the greatest key down
};

// DocWrite::expected_version's rule, shared by every implementation: whether `write` may apply
// to a document now at version `found` (0: there is none), else the error WriteDocs returns.
Result<void> CheckDocVersion(const DocWrite& write, int64_t found);

// All of ec2m's durable state sits behind this interface. Implementations: SQLite (store/sqlite,
// the embedded default) and, later, PostgreSQL. Every implementation passes the one conformance
// suite in store/store_conformance.hpp. Implementations are thread-safe.
class Store {
 public:
  virtual ~Store() = default;

  // The schema version after migrations ran (the highest applied migration number).
  virtual Result<int> SchemaVersion() = 0;

  // Every record of a simulated region, in no particular order.
  virtual Result<std::vector<SimRecord>> LoadSimRecords(std::string_view region) = 0;
  // Applies the upserts and deletes of one region in one transaction: all or nothing.
  // Deleting a record that does not exist is not an error.
  virtual Result<void> WriteSimRecords(std::string_view region, std::span<const SimRecord> upserts,
                                       std::span<const SimKey> deletes) = 0;
  // Removes every record of the region.
  virtual Result<void> ClearSimRecords(std::string_view region) = 0;

  // The document, or nullopt when there is none.
  virtual Result<std::optional<Doc>> GetDoc(std::string_view collection, std::string_view key) = 0;
  // The documents of `collection` that `query` selects, ordered by key (bytewise).
  virtual Result<std::vector<Doc>> ListDocs(std::string_view collection, const DocQuery& query) = 0;
  // Applies the writes in one transaction, in order: all or nothing. Returns each document's new
  // version (0 for a delete). Deleting a document that does not exist is not an error unless an
  // expected_version > 0 says it must exist.
  // Errors (nothing is written): kInvalidArgument naming the write when a collection or key is
  // empty; kAlreadyExists when expected_version 0 meets an existing document; kFailedPrecondition
  // when the version differs or the document is gone ("users/alice: expected version 3, found
  // 4"): the caller reads again and retries.
  virtual Result<std::vector<int64_t>> WriteDocs(std::span<const DocWrite> writes) = 0;
};

}  // namespace ec2m
