#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.hpp"

namespace ec2m {

struct WorkerOptions {
  // How often a pass runs, in the Clock's time.
  std::chrono::milliseconds every = std::chrono::minutes(1);
  // How often the worker looks at the Clock (real time): bounds how late a pass starts after
  // the Clock reached its time, and how long Stop waits for a sleeping worker.
  std::chrono::milliseconds tick = std::chrono::seconds(1);
};

// A background loop that can be paused and resumed: `pass` runs when started, then whenever
// `every` of the Clock's time has passed since the last one began (a ManualClock moves it in
// tests), or at once after Wake. Nothing `pass` throws ends the loop: it is reported on stderr
// under `name` and the next pass runs as planned. Thread-safe; borrows `clock`, which must outlive
// it (the destructor stops it).
class Worker {
 public:
  Worker(std::string name, const Clock& clock, std::function<void()> pass,
         WorkerOptions options = {});
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Starts the thread; idempotent.
  void Start();
  // Returns once the pass in flight (if any) has ended; no pass runs until Resume.
  void Pause();
  void Resume();
  // Ends the thread after the pass in flight; idempotent.
  void Stop();
  // Runs the next pass without waiting for `every`.
  void Wake();
  // Passes run so far (for tests).
  int64_t passes() const;

 private:
  void Run();

  const std::string name_;
  const Clock& clock_;
  const std::function<void()> pass_;
  const WorkerOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  bool paused_ = false;    // guarded by mu_
  bool in_pass_ = false;   // guarded by mu_
  bool woken_ = false;     // guarded by mu_
  int64_t passes_ = 0;     // guarded by mu_
  std::thread thread_;
};

}  // namespace ec2m
