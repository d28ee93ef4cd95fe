#include "incidents/escalation_worker.hpp"

#include <cstdio>
#include <exception>

namespace ec2m::incidents {

EscalationWorker::EscalationWorker(Incidents& incidents, const Clock& clock,
                                   EscalationWorkerOptions options)
    : incidents_(incidents), clock_(clock), options_(options) {}

EscalationWorker::~EscalationWorker() { Stop(); }

void EscalationWorker::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) {
    return;
  }
  thread_ = std::thread([this] { Run(); });
}

void EscalationWorker::Pause() {
  std::unique_lock lock(mu_);
  paused_ = true;
  cv_.wait(lock, [this] { return !in_pass_; });
}

void EscalationWorker::Resume() {
  {
    std::lock_guard lock(mu_);
    paused_ = false;
  }
  cv_.notify_all();
}

void EscalationWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) {
    thread_.join();
  }
}

int64_t EscalationWorker::passes() const {
  std::lock_guard lock(mu_);
  return passes_;
}

void EscalationWorker::Run() {
  TimePoint next = clock_.Now();  // the first pass catches up on what was due while down
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (paused_ || clock_.Now() < next) {
      cv_.wait_for(lock, options_.tick, [this] { return stopping_; });
      continue;
    }
    in_pass_ = true;
    lock.unlock();
    // The top of a worker loop is a backstop: nothing thrown may end the thread.
    try {
      auto escalated = incidents_.EscalateDue();
      if (!escalated) {
        std::fprintf(stderr, "ec2m: incident escalation: %s\n",
                     escalated.error().ToString().c_str());
      } else if (*escalated > 0) {
        std::fprintf(stderr, "ec2m: escalated %d incident(s)\n", *escalated);
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "ec2m: incident escalation: internal error: %s\n", e.what());
    }
    next = clock_.Now() + options_.every;
    lock.lock();
    in_pass_ = false;
    ++passes_;
    cv_.notify_all();
  }
}

}  // namespace ec2m::incidents
