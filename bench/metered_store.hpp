#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "busy_time.hpp"
#include "core/store.hpp"

namespace ec2m::bench {

// A Store that counts the calls it forwards to `inner`, by method, with the time spent in them
// and the wall time during which at least one call was in flight (less than their sum when calls
// from several threads overlap); each call is also bracketed in `also` when given (as
// MeteredEc2's). How deploy_bench tells the store's share of a deployment from the engine's own
// work. Thread-safe (one mutex around the counters); `inner` and `also` must outlive it.
class MeteredStore final : public Store {
 public:
  struct Stat {
    int64_t calls = 0;
    double ms = 0;
  };

  // What was metered since the last Take.
  struct Usage {
    std::map<std::string, Stat> by_method;
    double busy_ms = 0;  // wall time with at least one call in flight

    int64_t Calls() const;
    double SummedMs() const;
  };

  explicit MeteredStore(Store& inner, BusyTime* also = nullptr) : inner_(inner), also_(also) {}

  // The usage since the last Take, and starts over. REQUIRES: no call in flight.
  Usage Take();

  Result<int> SchemaVersion() override;
  Result<std::vector<SimRecord>> LoadSimRecords(std::string_view region) override;
  Result<void> WriteSimRecords(std::string_view region, std::span<const SimRecord> upserts,
                               std::span<const SimKey> deletes) override;
  Result<void> ClearSimRecords(std::string_view region) override;
  Result<std::optional<Doc>> GetDoc(std::string_view collection, std::string_view key) override;
  Result<std::vector<Doc>> ListDocs(std::string_view collection, const DocQuery& query) override;
  Result<std::vector<int64_t>> WriteDocs(std::span<const DocWrite> writes) override;

 private:
  // Calls `call`, counting it under `method`.
  template <typename F>
  std::invoke_result_t<F> Meter(const char* method, F&& call);

  Store& inner_;
  BusyTime* also_;
  BusyTime busy_;
  std::mutex mu_;
  std::map<std::string, Stat> by_method_;  // guarded by mu_
};

}  // namespace ec2m::bench
