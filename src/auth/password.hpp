#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/random.hpp"

// Password hashing with argon2id (RFC 9106) through Debian's libargon2, stored as the standard
// PHC string "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>" (unpadded base64), so the parameters
// travel with each hash and can be raised later (NeedsRehash). Pure functions; thread-safe.
namespace ec2m::auth {

// argon2id costs. The defaults are OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane);
// one hash takes about 45 ms on the 2-core development machine. Tests may pass cheaper ones.
struct Argon2Params {
  uint32_t memory_kib = 19456;
  uint32_t iterations = 2;
  uint32_t parallelism = 1;
};

// The largest costs HashPassword accepts and VerifyPassword will run, so that a corrupt or
// planted encoding cannot make a verification allocate gigabytes or run for minutes.
inline constexpr uint32_t kMaxArgon2MemoryKib = 1024 * 1024;  // 1 GiB
inline constexpr uint32_t kMaxArgon2Iterations = 64;
inline constexpr uint32_t kMaxArgon2Parallelism = 64;

// The PHC-encoded argon2id hash of `password` with a fresh 16-byte salt from `random` and a
// 32-byte output. Pass a SecureRandom (auth/secure_random.hpp) outside tests. Does not apply the
// password policy (auth/password_policy.hpp): callers check that where a password is chosen.
// Errors: kInvalidArgument when `params` are outside 1..kMax* (memory at least 8 KiB per lane)
// or the password is longer than argon2 takes (4 GiB); kInternal when libargon2 fails otherwise
// (out of memory). Messages never contain the password.
Result<std::string> HashPassword(std::string_view password, Random& random,
                                 const Argon2Params& params = {});

// True when `encoded` is an argon2id v=19 PHC string whose costs are within the kMax* limits and
// `password` hashes to it. False for everything else, malformed encodings included; it never
// aborts on its input. The hash comparison is constant-time (argon2_verify).
bool VerifyPassword(std::string_view password, std::string_view encoded);

// True when `encoded` should be replaced by a new HashPassword(password, random, params) after a
// successful VerifyPassword: it is not argon2id v=19, cannot be parsed, or any of its costs
// differs from `params`.
bool NeedsRehash(std::string_view encoded, const Argon2Params& params = {});

}  // namespace ec2m::auth
