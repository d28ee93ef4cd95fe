#include "core/parallel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/worker.hpp"

namespace ec2m {
namespace {

TEST(ParallelForTest, RunsEveryIndexOnceWithinTheParallelism) {
  for (size_t n : {0u, 1u, 5u, 100u}) {
    std::vector<std::atomic<int>> ran(n);
    std::atomic<int> in_flight{0};
    std::atomic<int> most{0};
    ParallelFor(n, 4, [&](size_t i) {
      const int now = ++in_flight;
      int seen = most.load();
      while (now > seen && !most.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      ++ran[i];
      --in_flight;
    });
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(ran[i].load(), 1) << n << " " << i;
    }
    EXPECT_LE(most.load(), 4);
  }
}

TEST(WorkerTest, PassesRunOnStartOnWakeAndAfterEveryPeriodUnlessPaused) {
  ManualClock clock(FromUnixMillis(1'795'867'200'000));
  std::atomic<int> passes{0};
  Worker worker("test", clock, [&] { ++passes; },
                {std::chrono::minutes(1), std::chrono::milliseconds(5)});
  auto wait_for = [&](int n) {
    for (int i = 0; i < 2000 && worker.passes() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return worker.passes();
  };
  worker.Start();
  EXPECT_EQ(wait_for(1), 1);  // at once
  worker.Wake();
  EXPECT_EQ(wait_for(2), 2);  // woken
  clock.Advance(std::chrono::minutes(1));
  EXPECT_EQ(wait_for(3), 3);  // its period passed
  worker.Pause();
  clock.Advance(std::chrono::minutes(5));
  worker.Wake();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(worker.passes(), 3);  // paused: nothing runs
  worker.Resume();
  EXPECT_EQ(wait_for(4), 4);
  worker.Stop();
  EXPECT_EQ(passes.load(), worker.passes());
}

TEST(WorkerTest, WhatAPassThrowsDoesNotEndTheLoop) {
  ManualClock clock(FromUnixMillis(1'795'867'200'000));
  Worker worker("test", clock, [] { throw std::runtime_error("boom"); },
                {std::chrono::minutes(1), std::chrono::milliseconds(5)});
  auto wait_for = [&](int n) {
    for (int i = 0; i < 2000 && worker.passes() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return worker.passes();
  };
  worker.Start();
  EXPECT_EQ(wait_for(1), 1);
  worker.Wake();
  EXPECT_EQ(wait_for(2), 2);
}

}  // namespace
}  // namespace ec2m
