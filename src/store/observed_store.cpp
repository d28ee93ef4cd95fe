#include "store/observed_store.hpp"

namespace ec2m::store {

bool ObservedStore::IsStoreFailure(ErrorCode code) {
  return code == ErrorCode::kUnavailable || code == ErrorCode::kThrottled ||
         code == ErrorCode::kTimeout || code == ErrorCode::kInternal;
}

Result<int> ObservedStore::SchemaVersion() { return Observe(inner_.SchemaVersion()); }

Result<std::vector<SimRecord>> ObservedStore::LoadSimRecords(std::string_view region) {
  return Observe(inner_.LoadSimRecords(region));
}

Result<void> ObservedStore::WriteSimRecords(std::string_view region,
                                            std::span<const SimRecord> upserts,
                                            std::span<const SimKey> deletes) {
  return Observe(inner_.WriteSimRecords(region, upserts, deletes));
}

Result<void> ObservedStore::ClearSimRecords(std::string_view region) {
  return Observe(inner_.ClearSimRecords(region));
}

Result<std::optional<Doc>> ObservedStore::GetDoc(std::string_view collection,
                                                 std::string_view key) {
  return Observe(inner_.GetDoc(collection, key));
}

Result<std::vector<Doc>> ObservedStore::ListDocs(std::string_view collection,
                                                 const DocQuery& query) {
  return Observe(inner_.ListDocs(collection, query));
}

Result<std::vector<int64_t>> ObservedStore::WriteDocs(std::span<const DocWrite> writes) {
  return Observe(inner_.WriteDocs(writes));
}

}  // namespace ec2m::store
