#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "core/clock.hpp"
#include "incidents/incidents.hpp"

namespace ec2m::incidents {

struct EscalationWorkerOptions {
  // How often a pass runs, in the Clock's time.
  std::chrono::milliseconds every = std::chrono::minutes(1);
  // How often the worker looks at the Clock (real time): bounds how late a pass starts after
  // the Clock reached its time, and how long Stop waits for a sleeping worker.
  std::chrono::milliseconds tick = std::chrono::seconds(1);
};

// The background loop of Incidents::EscalateDue: a pass when started, then one whenever
// `every` of the Clock's time has passed since the last (a ManualClock moves it in tests). A
// failed pass is reported on stderr and retried at the next. Thread-safe; borrows `incidents`
// and `clock`, which must outlive it (the destructor stops it).
class EscalationWorker {
 public:
  EscalationWorker(Incidents& incidents, const Clock& clock, EscalationWorkerOptions options = {});
  ~EscalationWorker();
  EscalationWorker(const EscalationWorker&) = delete;
  EscalationWorker& operator=(const EscalationWorker&) = delete;

  // Starts the thread; idempotent.
  void Start();
  // Returns once the pass in flight (if any) has ended; no pass runs until Resume.
  void Pause();
  void Resume();
  // Ends the thread after the pass in flight; idempotent.
  void Stop();
  // Passes run so far (for tests).
  int64_t passes() const;

 private:
  void Run();

  Incidents& incidents_;
  const Clock& clock_;
  const EscalationWorkerOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  bool paused_ = false;    // guarded by mu_
  bool in_pass_ = false;   // guarded by mu_
  int64_t passes_ = 0;     // guarded by mu_
  std::thread thread_;
};

}  // namespace ec2m::incidents
