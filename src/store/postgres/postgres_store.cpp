#include "store/postgres/postgres_store.hpp"

#include <pqxx/binarystring>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include <utility>

#include "store/postgres/connection_pool.hpp"
#include "store/postgres/migrations.hpp"
#include "store/postgres/statements.hpp"

namespace ec2m::store {
namespace {

// Prepared once per connection (pool Setup), by these names.
constexpr const char* kUpsert = "upsert_sim_record";
constexpr const char* kDelete = "delete_sim_record";
constexpr const char* kLoad = "load_sim_records";
constexpr const char* kClear = "clear_sim_records";

void Prepare(pqxx::connection& conn) {
  pg::PrepareDocStatements(conn);
  conn.prepare(kUpsert,
               "INSERT INTO sim_records (region, kind, id, body) VALUES ($1, $2, $3, $4) "
               "ON CONFLICT (region, kind, id) DO UPDATE SET body = excluded.body");
  conn.prepare(kDelete, "DELETE FROM sim_records WHERE region = $1 AND kind = $2 AND id = $3");
  conn.prepare(kLoad, "SELECT kind, id, body FROM sim_records WHERE region = $1");
  conn.prepare(kClear, "DELETE FROM sim_records WHERE region = $1");
}

// Checked before anything reaches the server, so the message can name the record; the schema's
// CHECK constraints hold the same rule for any other writer.
Result<void> CheckNames(const pg::ConnInfo& info, std::string_view region,
                        std::span<const SimRecord> upserts, std::span<const SimKey> deletes) {
  constexpr std::string_view kWhat = "write sim records";
  EC2M_RETURN_IF_ERROR(pg::CheckText(info, kWhat, region));
  for (size_t i = 0; i < upserts.size(); ++i) {
    const SimRecord& r = upserts[i];
    if (r.kind.empty() || r.id.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "store " + info.display() + ": write sim records of region " +
                      std::string(region) + ": record " + std::to_string(i) + " (" + r.kind + "/" +
                      r.id + ") has an empty " + (r.kind.empty() ? "kind" : "id"));
    }
    EC2M_RETURN_IF_ERROR(pg::CheckText(info, kWhat, r.kind));
    EC2M_RETURN_IF_ERROR(pg::CheckText(info, kWhat, r.id));
  }
  for (const SimKey& key : deletes) {
    EC2M_RETURN_IF_ERROR(pg::CheckText(info, kWhat, key.kind));
    EC2M_RETURN_IF_ERROR(pg::CheckText(info, kWhat, key.id));
  }
  return {};
}

}  // namespace

namespace pg {

std::string Bytes(const pqxx::field& field) {
  const pqxx::binarystring bytes(field);
  return {bytes.get(), bytes.size()};
}

Result<void> CheckText(const ConnInfo& info, std::string_view what, std::string_view text) {
  if (text.find('\0') == std::string_view::npos) {
    return {};
  }
  std::string shown;
  for (const char c : text) {
    shown += c == '\0' ? std::string("\\0") : std::string(1, c);
  }
  return Fail(ErrorCode::kInvalidArgument, "store " + info.display() + ": " + std::string(what) +
                                               ": \"" + shown +
                                               "\" holds a NUL byte, which PostgreSQL text cannot");
}

}  // namespace pg

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& conninfo,
                                                           size_t pool_size) {
  auto info = pg::ConnInfo::Parse(conninfo);
  if (!info) {
    return Fail(std::move(info).error());
  }
  if (pool_size == 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "store " + info->display() + ": connection pool size must be at least 1");
  }
  auto pool = std::make_unique<pg::ConnectionPool>(std::move(*info), pool_size, Prepare);
  Result<int> migrated = 0;
  EC2M_RETURN_IF_ERROR(pool->Run("migrate", [&](pqxx::connection& conn) {
    migrated = pg::Migrate(conn, pool->info(), pg::PostgresMigrations());
  }));
  EC2M_RETURN_IF_ERROR(migrated);
  return std::unique_ptr<PostgresStore>(new PostgresStore(std::move(pool)));
}

PostgresStore::PostgresStore(std::unique_ptr<pg::ConnectionPool> pool) : pool_(std::move(pool)) {}

PostgresStore::~PostgresStore() = default;

Result<int> PostgresStore::SchemaVersion() {
  int version = 0;
  EC2M_RETURN_IF_ERROR(pool_->Run("read schema version", [&](pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    version = pg::AppliedSchemaVersion(tx);
  }));
  return version;
}

Result<std::vector<SimRecord>> PostgresStore::LoadSimRecords(std::string_view region) {
  EC2M_RETURN_IF_ERROR(pg::CheckText(pool_->info(), "load sim records", region));
  const std::string region_name(region);
  std::vector<SimRecord> records;
  EC2M_RETURN_IF_ERROR(
      pool_->Run("load sim records of region " + region_name, [&](pqxx::connection& conn) {
        records.clear();
        pqxx::nontransaction tx(conn);
        const pqxx::result rows = tx.exec_prepared(kLoad, region_name);
        records.reserve(rows.size());
        for (const pqxx::row& row : rows) {
          records.push_back(SimRecord{std::string(row[0].c_str(), row[0].size()),
                                      std::string(row[1].c_str(), row[1].size()),
                                      pg::Bytes(row[2])});
        }
      }));
  return records;
}

Result<void> PostgresStore::WriteSimRecords(std::string_view region,
                                            std::span<const SimRecord> upserts,
                                            std::span<const SimKey> deletes) {
  if (upserts.empty() && deletes.empty()) {
    return {};
  }
  EC2M_RETURN_IF_ERROR(CheckNames(pool_->info(), region, upserts, deletes));
  const std::string region_name(region);
  return pool_->Run("write sim records of region " + region_name, [&](pqxx::connection& conn) {
    // Destroying an uncommitted transaction (any exception below) rolls the whole batch back.
    pqxx::work tx(conn);
    for (const SimKey& key : deletes) {
      tx.exec_prepared(kDelete, region_name, key.kind, key.id);
    }
    for (const SimRecord& record : upserts) {
      tx.exec_prepared(kUpsert, region_name, record.kind, record.id,
                       pqxx::binarystring(record.body.data(), record.body.size()));
    }
    tx.commit();
  });
}

Result<void> PostgresStore::ClearSimRecords(std::string_view region) {
  EC2M_RETURN_IF_ERROR(pg::CheckText(pool_->info(), "clear sim records", region));
  const std::string region_name(region);
  return pool_->Run("clear sim records of region " + region_name, [&](pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    tx.exec_prepared(kClear, region_name);
  });
}

}  // namespace ec2m::store
