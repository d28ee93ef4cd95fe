#include "http/worker_pool.hpp"

#include <algorithm>

namespace ec2m::http {

WorkerPool::WorkerPool(size_t threads, size_t max_queued)
    : thread_count_(std::max<size_t>(threads, 1)), max_queued_(max_queued) {
  threads_.reserve(thread_count_);
  for (size_t i = 0; i < thread_count_; ++i) {
    threads_.emplace_back([this] { Run(); });
  }
}

WorkerPool::~WorkerPool() { Stop(); }

bool WorkerPool::TryPost(Task task) {
  bool queued = false;
  Enqueue(std::move(task), true, &queued);
  return queued;
}

void WorkerPool::Post(Task task) {
  bool queued = false;
  Enqueue(std::move(task), false, &queued);
}

void WorkerPool::Enqueue(Task task, bool bounded, bool* queued) {
  {
    std::lock_guard lock(mu_);
    // Counted against the bound: every task admitted and not done, so that a task an idle thread
    // is about to take does not count as waiting.
    if (stopping_ || (bounded && queue_.size() + running_ >= thread_count_ + max_queued_)) {
      *queued = false;
    } else {
      queue_.push_back(std::move(task));
      *queued = true;
    }
  }
  if (*queued) {
    cv_.notify_one();
  }
  // An unqueued task is destroyed here, outside the lock: its captures may own objects whose
  // destructors take other locks.
}

void WorkerPool::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && threads_.empty()) {
      return;
    }
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& thread : threads_) {
    thread.join();
  }
  threads_.clear();
}

void WorkerPool::Run() {
  for (;;) {
    Task task;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;
      }
      task = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
    }
    try {
      task();
    } catch (...) {  // NOLINT(bugprone-empty-catch): the backstop of a worker loop
    }
    task = nullptr;
    std::lock_guard lock(mu_);
    --running_;
  }
}

}  // namespace ec2m::http
