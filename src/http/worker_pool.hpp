#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ec2m::http {

// A fixed set of threads running tasks from one FIFO queue with a bound on the tasks waiting:
// where the HTTP server runs handlers, which may block (store, cloud, argon2). Owns its threads.
// A task that throws is a bug of the caller; the exception is swallowed (the top of a worker
// loop is a backstop) and the worker goes on.
//
// Thread-safe: TryPost and Post from any thread; Stop from one thread, never from a task.
class WorkerPool {
 public:
  using Task = std::function<void()>;

  // Starts `threads` threads (at least one). `max_queued`: the tasks that may wait while every
  // thread is busy.
  WorkerPool(size_t threads, size_t max_queued);
  ~WorkerPool();  // Stop()s.
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task` unless every thread is busy and `max_queued` tasks are already waiting, or the
  // pool is stopping; returns whether it was queued (when not, `task` is destroyed here, unrun).
  [[nodiscard]] bool TryPost(Task task);
  // Queues `task` whatever the queue's length: for the continuation of admitted work (the next
  // piece of a streamed answer), which must not be refused halfway. Once stopping, `task` is
  // destroyed here, unrun.
  void Post(Task task);
  // Runs the tasks already queued, then joins the threads. Idempotent.
  void Stop();

 private:
  void Run();
  void Enqueue(Task task, bool bounded, bool* queued);

  const size_t thread_count_;
  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> queue_;  // guarded by mu_
  size_t running_ = 0;      // guarded by mu_; tasks taken by a thread and not yet done
  bool stopping_ = false;   // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace ec2m::http
