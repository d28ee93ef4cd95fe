#pragma once

#include <functional>
#include <memory>

#include "core/store.hpp"

namespace ec2m::store {

// A Store that passes every call to another and reports the other's failures: what `ec2m serve`
// counts as store errors and throttling (a busy SQLite file, a PostgreSQL serialization failure
// or lost connection: kUnavailable; kThrottled, kTimeout, kInternal) for the control plane's
// Throttling alarm. The answers that are part of normal work (a version conflict, a missing
// document, bad input) are not reported.
// Thread-safe as the inner store is; `on_error` is called from the calling thread and must not
// call back into this store.
class ObservedStore : public Store {
 public:
  ObservedStore(Store& inner, std::function<void(const Error&)> on_error)
      : inner_(inner), on_error_(std::move(on_error)) {}

  // Whether `code` is a failure of the store itself (reported), not an answer about the data.
  static bool IsStoreFailure(ErrorCode code);

  Result<int> SchemaVersion() override;
  Result<std::vector<SimRecord>> LoadSimRecords(std::string_view region) override;
  Result<void> WriteSimRecords(std::string_view region, std::span<const SimRecord> upserts,
                               std::span<const SimKey> deletes) override;
  Result<void> ClearSimRecords(std::string_view region) override;
  Result<std::optional<Doc>> GetDoc(std::string_view collection, std::string_view key) override;
  Result<std::vector<Doc>> ListDocs(std::string_view collection, const DocQuery& query) override;
  Result<std::vector<int64_t>> WriteDocs(std::span<const DocWrite> writes) override;

 private:
  template <typename T>
  T Observe(T result) {
    if (!result && IsStoreFailure(result.error().code)) {
      on_error_(result.error());
    }
    return result;
  }

  Store& inner_;
  std::function<void(const Error&)> on_error_;
};

}  // namespace ec2m::store
