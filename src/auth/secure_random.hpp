#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/random.hpp"

namespace ec2m::auth {

// The Random for secrets (salts, TOTP secrets, tokens, recovery codes): every value comes from
// OpenSSL's RAND_bytes, a CSPRNG seeded by the OS. ec2m::DefaultRandom is a Mersenne Twister whose
// output can be predicted from a few hundred values, so it must never make a secret; tests inject
// a seeded DefaultRandom only where they need repeatable output. Stateless; thread-safe (OpenSSL
// 3 locks its own generator). Aborts if RAND_bytes fails, which happens only when the OS cannot
// seed it: no secret can be made then, and Random::Next has no way to report an error.
class SecureRandom final : public Random {
 public:
  uint64_t Next() override;
};

// `n` bytes from `random`, eight per Next() call (the last call's unused bytes are dropped).
std::string RandomBytes(Random& random, size_t n);

}  // namespace ec2m::auth
