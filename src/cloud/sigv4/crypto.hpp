#pragma once

#include <string>
#include <string_view>

// Internal to ec2m_sigv4: hex and signature helpers shared by the signer and the verifier.
namespace ec2m::sigv4::internal {

// Lower-case hex of raw bytes.
std::string HexEncode(std::string_view bytes);

// Lower-case hex HMAC of `string_to_sign` under SigningKey(secret, date, region, service).
std::string SignatureHex(std::string_view secret, std::string_view date, std::string_view region,
                         std::string_view service, std::string_view string_to_sign);

// True when a and b are equal; for equal lengths the time taken does not depend on the contents.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace ec2m::sigv4::internal
