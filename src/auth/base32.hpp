#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

// RFC 4648 §6 base32 (alphabet A-Z 2-7), the form authenticator apps take TOTP secrets in.
namespace ec2m::auth {

// Upper-case base32 of `bytes`, without '=' padding (otpauth:// URIs carry secrets unpadded).
std::string Base32Encode(std::string_view bytes);

// The bytes `text` encodes. Accepts either case, spaces anywhere (apps show secrets in groups of
// four) and trailing '=' padding. Errors: kInvalidArgument for any other character, for data
// after padding, and for a length no encoder produces (1, 3 or 6 symbols past a multiple of 8).
// The message gives the position, never the text: the text is usually a secret.
Result<std::string> Base32Decode(std::string_view text);

}  // namespace ec2m::auth
