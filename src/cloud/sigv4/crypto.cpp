#include "cloud/sigv4/crypto.hpp"

#include "cloud/sigv4/sigv4.hpp"
#include "core/digest.hpp"

namespace ec2m::sigv4 {

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

std::string SignatureHex(std::string_view secret, std::string_view date, std::string_view region,
                         std::string_view service, std::string_view string_to_sign) {
  return HexEncode(HmacSha256(SigningKey(secret, date, region, service), string_to_sign));
}

}  // namespace internal
}  // namespace ec2m::sigv4
