#include "core/random.hpp"

#include <fmt/format.h>

namespace ec2m {

DefaultRandom::DefaultRandom() : engine_(std::random_device{}()) {}

uint64_t DefaultRandom::Next() {
  std::lock_guard lock(mu_);
  return engine_();
}

std::string NewResourceId(Random& random, std::string_view prefix) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(prefix);
  id += '-';
  uint64_t bits = random.Next();
  for (int i = 0; i < 17; ++i) {
    if (i == 16) {
      bits = random.Next();
    }
    id += kHex[bits & 0xF];
    bits >>= 4;
  }
  return id;
}

std::string NewUuid(Random& random) {
  const uint64_t hi = (random.Next() & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  const uint64_t lo = (random.Next() & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xFFFF,
                     hi & 0xFFFF, lo >> 48, lo & 0xFFFFFFFFFFFFULL);
}

}  // namespace ec2m
