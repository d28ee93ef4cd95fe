#pragma once

#include <chrono>
#include <cstdint>

#include "core/clock.hpp"
#include "core/worker.hpp"
#include "incidents/incidents.hpp"

namespace ec2m::incidents {

using EscalationWorkerOptions = WorkerOptions;

// The background loop of Incidents::EscalateDue: a pass when started, then one whenever
// `every` of the Clock's time has passed since the last (a ManualClock moves it in tests). A
// failed pass is reported on stderr and retried at the next. Thread-safe; borrows `incidents`
// and `clock`, which must outlive it (the destructor stops it).
class EscalationWorker {
 public:
  EscalationWorker(Incidents& incidents, const Clock& clock, EscalationWorkerOptions options = {});
  EscalationWorker(const EscalationWorker&) = delete;
  EscalationWorker& operator=(const EscalationWorker&) = delete;

  // Starts the thread; idempotent.
  void Start() { worker_.Start(); }
  // Returns once the pass in flight (if any) has ended; no pass runs until Resume.
  void Pause() { worker_.Pause(); }
  void Resume() { worker_.Resume(); }
  // Ends the thread after the pass in flight; idempotent.
  void Stop() { worker_.Stop(); }
  // Passes run so far (for tests).
  int64_t passes() const { return worker_.passes(); }

 private:
  void Pass();

  Incidents& incidents_;
  Worker worker_;  // last: its thread stops before the members it uses go
};

}  // namespace ec2m::incidents
