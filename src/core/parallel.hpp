#pragma once

#include <cstddef>
#include <functional>

namespace ec2m {

// Runs task(i) for every i in [0, n) on up to `parallelism` threads (the caller's among them)
// and returns when all have run. Tasks must be thread-safe with each other; an exception a task
// throws is not caught (tasks report failures through their own results).
void ParallelFor(size_t n, int parallelism, const std::function<void(size_t)>& task);

}  // namespace ec2m
