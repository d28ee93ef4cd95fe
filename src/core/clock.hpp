#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

namespace ec2m {

using TimePoint = std::chrono::system_clock::time_point;
using Millis = std::chrono::milliseconds;

// The only way ec2m code reads the time, so tests (and later, replicas and PITR drills) can
// control it. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  // Waits `duration` of this clock's time (a ManualClock just moves forward).
  virtual void SleepFor(std::chrono::nanoseconds duration) const = 0;
};

// Wall-clock time. Thread-safe, stateless.
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
  void SleepFor(std::chrono::nanoseconds duration) const override;
};

// A clock that moves only when told. Thread-safe (one mutex).
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start) {}
  TimePoint Now() const override;
  // Advances the clock instead of waiting, so code that backs off runs instantly in tests.
  void SleepFor(std::chrono::nanoseconds duration) const override;
  void Advance(std::chrono::nanoseconds by);
  void Set(TimePoint to);

 private:
  mutable std::mutex mu_;
  mutable TimePoint now_;  // guarded by mu_
};

// "2026-11-27T10:00:00.000Z" (milliseconds, UTC), the form EC2 uses for launchTime.
std::string FormatIso8601Millis(TimePoint t);
// "2026-11-27T10:00:00Z".
std::string FormatIso8601(TimePoint t);
// Reads what the two above write ("2026-11-27T10:00:00Z", "2026-11-27T10:00:00.123Z": UTC, an
// optional .mmm); nullopt for anything else, impossible dates (02-30) included.
std::optional<TimePoint> ParseIso8601(const std::string& text);
// "20261127T100000Z", the SigV4 x-amz-date form.
std::string FormatAmzDate(TimePoint t);
// Milliseconds since the Unix epoch, for storage.
int64_t ToUnixMillis(TimePoint t);
TimePoint FromUnixMillis(int64_t ms);

}  // namespace ec2m
