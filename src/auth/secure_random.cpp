#include "auth/secure_random.hpp"

#include <openssl/rand.h>

#include <cstring>

#include "core/check.hpp"

namespace ec2m::auth {

uint64_t SecureRandom::Next() {
  unsigned char bytes[sizeof(uint64_t)];
  EC2M_CHECK(RAND_bytes(bytes, sizeof(bytes)) == 1, "RAND_bytes failed: no secure randomness");
  uint64_t value = 0;
  std::memcpy(&value, bytes, sizeof(value));
  return value;
}

std::string RandomBytes(Random& random, size_t n) {
  std::string out;
  out.reserve(n + sizeof(uint64_t));
  while (out.size() < n) {
    uint64_t bits = random.Next();
    for (size_t i = 0; i < sizeof(bits); ++i) {
      out += static_cast<char>(bits & 0xFF);
      bits >>= 8;
    }
  }
  out.resize(n);
  return out;
}

}  // namespace ec2m::auth
