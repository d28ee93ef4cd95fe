#include "core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace ec2m {

void ParallelFor(size_t n, int parallelism, const std::function<void(size_t)>& task) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) {
      task(i);
    }
  };
  const size_t helpers = std::min(n, static_cast<size_t>(std::max(parallelism, 1))) - (n > 0);
  std::vector<std::thread> threads;
  threads.reserve(helpers);
  for (size_t t = 0; t < helpers; ++t) {
    threads.emplace_back(work);
  }
  work();
  for (std::thread& t : threads) {
    t.join();
  }
}

}  // namespace ec2m
