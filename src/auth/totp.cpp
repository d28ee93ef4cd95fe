#include "auth/totp.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>

#include "auth/base32.hpp"
#include "auth/secure_random.hpp"
#include "auth/tokens.hpp"
#include "core/check.hpp"
#include "core/digest.hpp"

namespace ec2m::auth {
namespace {

constexpr size_t kTotpSecretBytes = 20;

// RFC 3986 percent-encoding of everything but unreserved characters. Stricter than the URI
// grammar needs, so an '@', ':' or '&' in an issuer or account can never change the URI's shape.
std::string PercentEncode(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' ||
        b == '.' || b == '_' || b == '~') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", b);
    }
  }
  return out;
}

bool IsSixDigits(std::string_view code) {
  return code.size() == kTotpDigits &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string Hotp(std::string_view key, uint64_t counter, int digits) {
  EC2M_CHECK(digits >= 1 && digits <= 9, "HOTP digits must be 1..9");
  std::array<unsigned char, 8> message{};
  for (size_t i = message.size(); i-- > 0;) {
    message[i] = static_cast<unsigned char>(counter & 0xFF);
    counter >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  // HMAC() with an output buffer is the one-shot API OpenSSL 3 keeps undeprecated.
  const unsigned char* ok = HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
                                 message.data(), message.size(), mac, &mac_len);
  EC2M_CHECK(ok != nullptr && mac_len == 20, "HMAC(SHA-1) failed");
  // Dynamic truncation (RFC 4226 §5.3): 31 bits at the offset the last nibble names.
  const unsigned offset = mac[19] & 0x0F;
  const uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7F) << 24) |
                          (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                          (static_cast<uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) {
    modulus *= 10;
  }
  return fmt::format("{:0{}}", binary % modulus, digits);
}

int64_t TotpStep(TimePoint now) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count();
  // Floor division, so the second before the epoch is step -1 rather than 0.
  return seconds >= 0 ? seconds / kTotpPeriodSeconds
                      : -((-seconds + kTotpPeriodSeconds - 1) / kTotpPeriodSeconds);
}

std::string Totp(std::string_view key, TimePoint now, int digits) {
  const int64_t step = TotpStep(now);
  EC2M_CHECK(step >= 0, "TOTP time before the Unix epoch");
  return Hotp(key, static_cast<uint64_t>(step), digits);
}

std::string NewTotpSecret(Random& random) {
  return Base32Encode(RandomBytes(random, kTotpSecretBytes));
}

std::string OtpauthUri(std::string_view secret_b32, std::string_view issuer,
                       std::string_view account) {
  const std::string encoded_issuer = PercentEncode(issuer);
  return fmt::format("otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={}&period={}",
                     encoded_issuer, PercentEncode(account), PercentEncode(secret_b32),
                     encoded_issuer, kTotpDigits, kTotpPeriodSeconds);
}

std::optional<int64_t> VerifyTotp(std::string_view secret_b32, std::string_view code, TimePoint now,
                                  int64_t last_used_step) {
  if (!IsSixDigits(code)) {
    return std::nullopt;
  }
  const auto key = Base32Decode(secret_b32);
  if (!key) {
    return std::nullopt;
  }
  const int64_t current = TotpStep(now);
  std::optional<int64_t> matched;
  // Every candidate is computed and compared, so the time taken does not say which one matched.
  for (int64_t step = current - 1; step <= current + 1; ++step) {
    if (step < 0) {
      continue;
    }
    const bool equal =
        ConstantTimeEquals(Hotp(*key, static_cast<uint64_t>(step), kTotpDigits), code);
    if (equal && step > last_used_step && !matched) {
      matched = step;
    }
  }
  return matched;
}

}  // namespace ec2m::auth
