#include "metered_store.hpp"

#include <chrono>
#include <utility>

#include "timing.hpp"

namespace ec2m::bench {

int64_t MeteredStore::Usage::Calls() const {
  int64_t n = 0;
  for (const auto& [method, s] : by_method) {
    n += s.calls;
  }
  return n;
}

double MeteredStore::Usage::SummedMs() const {
  double ms = 0;
  for (const auto& [method, s] : by_method) {
    ms += s.ms;
  }
  return ms;
}

MeteredStore::Usage MeteredStore::Take() {
  std::lock_guard lock(mu_);
  return {std::exchange(by_method_, {}), busy_.TakeMs()};
}

template <typename F>
std::invoke_result_t<F> MeteredStore::Meter(const char* method, F&& call) {
  busy_.Enter();
  if (also_ != nullptr) {
    also_->Enter();
  }
  const auto start = SteadyClock::now();
  auto out = call();
  const double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
  busy_.Leave();
  if (also_ != nullptr) {
    also_->Leave();
  }
  std::lock_guard lock(mu_);
  Stat& s = by_method_[method];
  ++s.calls;
  s.ms += ms;
  return out;
}

Result<int> MeteredStore::SchemaVersion() {
  return Meter("SchemaVersion", [&] { return inner_.SchemaVersion(); });
}
Result<std::vector<SimRecord>> MeteredStore::LoadSimRecords(std::string_view region) {
  return Meter("LoadSimRecords", [&] { return inner_.LoadSimRecords(region); });
}
Result<void> MeteredStore::WriteSimRecords(std::string_view region,
                                           std::span<const SimRecord> upserts,
                                           std::span<const SimKey> deletes) {
  return Meter("WriteSimRecords", [&] { return inner_.WriteSimRecords(region, upserts, deletes); });
}
Result<void> MeteredStore::ClearSimRecords(std::string_view region) {
  return Meter("ClearSimRecords", [&] { return inner_.ClearSimRecords(region); });
}
Result<std::optional<Doc>> MeteredStore::GetDoc(std::string_view collection, std::string_view key) {
  return Meter("GetDoc", [&] { return inner_.GetDoc(collection, key); });
}
Result<std::vector<Doc>> MeteredStore::ListDocs(std::string_view collection,
                                                const DocQuery& query) {
  return Meter("ListDocs", [&] { return inner_.ListDocs(collection, query); });
}
Result<std::vector<int64_t>> MeteredStore::WriteDocs(std::span<const DocWrite> writes) {
  return Meter("WriteDocs", [&] { return inner_.WriteDocs(writes); });
}

}  // namespace ec2m::bench
