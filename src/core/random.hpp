#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

namespace ec2m {

// Source of randomness, injected so tests are repeatable. Implementations are thread-safe.
class Random {
 public:
  virtual ~Random() = default;
  virtual uint64_t Next() = 0;
  // Uniform in [0, 1).
  double NextDouble() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
};

// A mersenne twister behind a mutex; seeded from std::random_device unless a seed is given.
// Not for secrets (tokens and passwords use OpenSSL's RAND_bytes).
class DefaultRandom final : public Random {
 public:
  DefaultRandom();
  explicit DefaultRandom(uint64_t seed) : engine_(seed) {}
  uint64_t Next() override;

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;  // guarded by mu_
};

// "i-0123456789abcdef0": the prefix, a dash and 17 lower-case hex digits, as EC2's long ids.
std::string NewResourceId(Random& random, std::string_view prefix);
// A version-4 UUID string, as EC2 request ids.
std::string NewUuid(Random& random);

}  // namespace ec2m
