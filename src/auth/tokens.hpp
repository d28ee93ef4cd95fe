#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/random.hpp"

// Bearer secrets: session tokens, API tokens (for CI) and MFA recovery codes. Only their hashes
// are stored, so a copy of the store signs nobody in; a token is looked up by TokenHash(token).
// Expiry and revocation belong to the store's rows, not to the token text. Pure functions;
// thread-safe. Pass a SecureRandom (auth/secure_random.hpp) outside tests.
namespace ec2m::auth {

inline constexpr std::string_view kSessionTokenPrefix = "ec2m_s_";
inline constexpr std::string_view kApiTokenPrefix = "ec2m_t_";
inline constexpr int kDefaultRecoveryCodes = 10;

// `prefix` followed by 32 bytes (256 bits) from `random` in base64url without padding (43
// characters), e.g. "ec2m_s_3q2-7w...". The prefix makes a leaked token recognisable to secret
// scanners and tells the two kinds apart; it adds no strength.
std::string NewToken(Random& random, std::string_view prefix);

// Lower-case hex SHA-256 of `token` (64 characters): the form that is stored and looked up.
// A fast hash is enough because tokens carry 256 random bits; passwords use argon2id instead.
std::string TokenHash(std::string_view token);

// `n` recovery codes "xxxx-xxxx-xxxx": 12 symbols (about 59 bits) from an alphabet without the
// look-alikes 0/o and 1/i/l, lower case. Each code is meant to be used once. REQUIRES: n >= 0.
std::vector<std::string> NewRecoveryCodes(Random& random, int n = kDefaultRecoveryCodes);

// A recovery code as typed, reduced to the form that is hashed: ASCII lower-cased, dashes and
// spaces removed, so "ABCD-EFGH-JKMN" and "abcd efgh jkmn" are the same code.
std::string NormalizeRecoveryCode(std::string_view code);

// TokenHash(NormalizeRecoveryCode(code)): the form a recovery code is stored and looked up in.
std::string RecoveryCodeHash(std::string_view code);

}  // namespace ec2m::auth
