#include "cloud/sigv4/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "cloud/sigv4/sigv4.hpp"
#include "core/check.hpp"

namespace ec2m::sigv4 {

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const int ok = EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  EC2M_CHECK(ok == 1, "EVP_Digest(SHA-256) failed");
  return internal::HexEncode(std::string_view(reinterpret_cast<const char*>(digest), len));
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // HMAC() with a non-null output buffer is the one-shot API that OpenSSL 3 keeps undeprecated.
  const unsigned char* out =
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  EC2M_CHECK(out != nullptr, "HMAC(SHA-256) failed");
  return std::string(reinterpret_cast<const char*>(mac), len);
}

std::string SigningKey(std::string_view secret, std::string_view date, std::string_view region,
                       std::string_view service) {
  std::string key = "AWS4";
  key += secret;
  key = HmacSha256(key, date);
  key = HmacSha256(key, region);
  key = HmacSha256(key, service);
  return HmacSha256(key, "aws4_request");
}

namespace internal {

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0f];
  }
  return out;
}

std::string SignatureHex(std::string_view secret, std::string_view date, std::string_view region,
                         std::string_view service, std::string_view string_to_sign) {
  return HexEncode(HmacSha256(SigningKey(secret, date, region, service), string_to_sign));
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // The length of a SigV4 signature is public (64), so an early exit on length leaks nothing.
  if (a.size() != b.size()) {
    return false;
  }
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace internal
}  // namespace ec2m::sigv4
