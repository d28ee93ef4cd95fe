#pragma once

#include <cstdint>
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
};

}  // namespace ec2m
