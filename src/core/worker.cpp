#include "core/worker.hpp"

#include <cstdio>
#include <exception>

namespace ec2m {

Worker::Worker(std::string name, const Clock& clock, std::function<void()> pass,
               WorkerOptions options)
    : name_(std::move(name)), clock_(clock), pass_(std::move(pass)), options_(options) {}

Worker::~Worker() { Stop(); }

void Worker::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) {
    return;
  }
  thread_ = std::thread([this] { Run(); });
}

void Worker::Pause() {
  std::unique_lock lock(mu_);
  paused_ = true;
  cv_.wait(lock, [this] { return !in_pass_; });
}

void Worker::Resume() {
  {
    std::lock_guard lock(mu_);
    paused_ = false;
  }
  cv_.notify_all();
}

void Worker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) {
    thread_.join();
  }
}

void Worker::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

int64_t Worker::passes() const {
  std::lock_guard lock(mu_);
  return passes_;
}

void Worker::Run() {
  TimePoint next = clock_.Now();  // the first pass catches up on what was due while down
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (paused_ || (!woken_ && clock_.Now() < next)) {
      cv_.wait_for(lock, options_.tick, [this] { return stopping_ || (woken_ && !paused_); });
      continue;
    }
    in_pass_ = true;
    woken_ = false;
    lock.unlock();
    next = clock_.Now() + options_.every;
    // The top of a worker loop is a backstop: nothing thrown may end the thread.
    try {
      pass_();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "ec2m: %s: internal error: %s\n", name_.c_str(), e.what());
    }
    lock.lock();
    in_pass_ = false;
    ++passes_;
    cv_.notify_all();
  }
}

}  // namespace ec2m
