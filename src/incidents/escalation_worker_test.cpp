#include "incidents/escalation_worker.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "store/sqlite/sqlite_store.hpp"

namespace ec2m::incidents {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;

class EscalationWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::SqliteStore::Open(":memory:");
    ASSERT_TRUE(store);
    store_ = std::move(*store);
    incidents_ = std::make_unique<Incidents>(*store_, clock_, nullptr);
  }

  // Waits (real time, bounded) until the worker has run `n` passes.
  bool WaitForPasses(const EscalationWorker& worker, int64_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (worker.passes() < n) {
      if (std::chrono::steady_clock::now() > deadline) {
        return false;
      }
      std::this_thread::sleep_for(milliseconds(1));
    }
    return true;
  }

  ManualClock clock_{FromUnixMillis(1'757'845'800'000)};
  std::unique_ptr<Store> store_;
  std::unique_ptr<Incidents> incidents_;
};

TEST_F(EscalationWorkerTest, RunsAPassEveryMinuteOfTheClockAndPausesAndStops) {
  auto opened = incidents_->Open({Severity::kP1, "down", "prod", "", "", "alice"});
  ASSERT_TRUE(opened);
  EscalationWorker worker(*incidents_, clock_, {.every = minutes(1), .tick = milliseconds(1)});
  worker.Start();
  worker.Start();                         // idempotent
  ASSERT_TRUE(WaitForPasses(worker, 1));  // the first pass runs at once
  EXPECT_FALSE(incidents_->Get(opened->id)->escalated_at);

  clock_.Advance(minutes(15));
  ASSERT_TRUE(WaitForPasses(worker, 2));
  EXPECT_TRUE(incidents_->Get(opened->id)->escalated_at);

  worker.Pause();
  const int64_t paused_at = worker.passes();
  clock_.Advance(minutes(5));
  std::this_thread::sleep_for(milliseconds(20));
  EXPECT_EQ(worker.passes(), paused_at);
  worker.Resume();
  ASSERT_TRUE(WaitForPasses(worker, paused_at + 1));

  worker.Stop();
  worker.Stop();  // idempotent
  const int64_t stopped_at = worker.passes();
  clock_.Advance(minutes(5));
  std::this_thread::sleep_for(milliseconds(20));
  EXPECT_EQ(worker.passes(), stopped_at);
}

TEST_F(EscalationWorkerTest, NoPassBeforeTheMinuteIsUp) {
  EscalationWorker worker(*incidents_, clock_, {.every = minutes(1), .tick = milliseconds(1)});
  worker.Start();
  ASSERT_TRUE(WaitForPasses(worker, 1));
  clock_.Advance(std::chrono::seconds(59));
  std::this_thread::sleep_for(milliseconds(20));
  EXPECT_EQ(worker.passes(), 1);
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_TRUE(WaitForPasses(worker, 2));
}

}  // namespace
}  // namespace ec2m::incidents
