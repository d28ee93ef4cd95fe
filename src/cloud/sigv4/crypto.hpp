#pragma once

#include <string>
#include <string_view>

// Internal to ec2m_sigv4: the signature helper shared by the signer and the verifier.
namespace ec2m::sigv4::internal {

// Lower-case hex HMAC of `string_to_sign` under SigningKey(secret, date, region, service).
std::string SignatureHex(std::string_view secret, std::string_view date, std::string_view region,
                         std::string_view service, std::string_view string_to_sign);

}  // namespace ec2m::sigv4::internal
