#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/clock.hpp"
#include "core/store.hpp"
#include "core/worker.hpp"
#include "server/inventory.hpp"
#include "server/metrics.hpp"

namespace ec2m::server {

// What /health/ready answers: the store's and every environment's cloud state as of the last
// check ("ok" or "unavailable"; the error itself goes to the log, never to the anonymous caller).
struct ReadySnapshot {
  bool ready = false;
  std::map<std::string, std::string> checks;  // "store", "cloud:dev", ...
  std::string checked_at;                     // RFC 3339; "" before the first check
};

// The readiness checks, run in the background every `every` rather than per request: a flood of
// /health/ready costs no cloud call. Thread-safe; borrows everything (the destructor stops the
// loop before they go).
class Readiness {
 public:
  Readiness(Store& store, Inventory& inventory, Metrics& metrics, const Clock& clock,
            std::chrono::milliseconds every);
  ~Readiness();

  // Runs the first check now (so the first answer is real), then the loop.
  void Start();
  void Stop();
  ReadySnapshot Get() const;
  // One check, now (tests; Start's first).
  void Check();

 private:
  Store& store_;
  Inventory& inventory_;
  Metrics& metrics_;
  const Clock& clock_;
  mutable std::mutex mu_;
  ReadySnapshot last_;                         // guarded by mu_
  std::map<std::string, std::string> logged_;  // guarded by mu_: the last problem logged per check
  std::unique_ptr<Worker> worker_;
};

}  // namespace ec2m::server
