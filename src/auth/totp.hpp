#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/random.hpp"

// One-time passwords for MFA: HOTP (RFC 4226) and TOTP (RFC 6238) with HMAC-SHA1, a 30 s step
// and 6 digits, the parameters every authenticator app supports. Secrets are stored and shown in
// base32 (auth/base32.hpp). Pure functions; thread-safe.
namespace ec2m::auth {

inline constexpr int kTotpDigits = 6;
inline constexpr int64_t kTotpPeriodSeconds = 30;
inline constexpr std::string_view kTotpIssuer = "ec2m";
// The last_used_step of a user who has never used a code.
inline constexpr int64_t kNoTotpStepUsed = -1;

// The `digits`-digit HOTP value of `key` (raw bytes) at `counter`, zero-padded.
// REQUIRES: 1 <= digits <= 9 (RFC 4226 §5.3 truncates to 31 bits).
std::string Hotp(std::string_view key, uint64_t counter, int digits);

// The TOTP time step of `now`: whole 30 s periods since the Unix epoch (floor, so negative
// before 1970).
int64_t TotpStep(TimePoint now);

// The `digits`-digit TOTP value of `key` (raw bytes) at `now`: Hotp(key, TotpStep(now), digits).
// REQUIRES: now is not before the Unix epoch; 1 <= digits <= 9.
std::string Totp(std::string_view key, TimePoint now, int digits = kTotpDigits);

// A new TOTP secret: 20 bytes (the HMAC-SHA1 block RFC 4226 recommends) from `random`, in
// base32 (32 symbols). Pass a SecureRandom (auth/secure_random.hpp) outside tests.
std::string NewTotpSecret(Random& random);

// The enrolment URI for an authenticator app (Google's Key Uri Format), e.g.
// otpauth://totp/ec2m:alice%40example.com?secret=...&issuer=ec2m&algorithm=SHA1&digits=6&period=30
// The issuer and the account are percent-encoded (everything but RFC 3986 unreserved
// characters), both in the label and in the query. The URI contains the secret: show it once, as
// a QR code, and never log it.
std::string OtpauthUri(std::string_view secret_b32, std::string_view issuer,
                       std::string_view account);

// Checks a 6-digit `code` against the base32 `secret_b32` at `now`, allowing one step of clock
// drift either way. Returns the matched step when the code is that of step s-1, s or s+1 (s =
// TotpStep(now)) and that step is greater than `last_used_step`; the caller stores the returned
// step as the new last_used_step, so each code works once and an older one never again (RFC 6238
// §5.2). If two candidate steps match, the earliest wins. Returns nullopt for a wrong or reused
// code, for a code that is not exactly 6 ASCII digits, and for a secret that does not decode.
// The code is compared with every candidate in constant time.
std::optional<int64_t> VerifyTotp(std::string_view secret_b32, std::string_view code, TimePoint now,
                                  int64_t last_used_step);

}  // namespace ec2m::auth
