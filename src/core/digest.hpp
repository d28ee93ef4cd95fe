#pragma once

#include <optional>
#include <string>
#include <string_view>

// The hashes ec2m computes (OpenSSL underneath): SigV4 signing, token and recovery-code hashes,
// the audit chain. Thread-safe.
namespace ec2m {

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// HMAC-SHA256 of `data` under `key`, as 32 raw bytes.
std::string HmacSha256(std::string_view key, std::string_view data);

// Lower-case hex of raw bytes.
std::string HexEncode(std::string_view bytes);
// The value of one hex digit (either case), -1 for any other character.
int HexDigitValue(char c);
// The bytes of lower-case hex text; nullopt for an odd length or any other character.
std::optional<std::string> HexDecode(std::string_view hex);

// RFC 4648 base64 with padding (EC2's UserData, ...).
std::string Base64Encode(std::string_view bytes);

// True when a and b are equal. For equal lengths the time taken does not depend on the contents
// (CRYPTO_memcmp); different lengths return at once, so use it where the length is public
// (hashes, signatures, fixed-size codes).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace ec2m
