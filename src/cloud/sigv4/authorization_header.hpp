#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cloud/sigv4/sigv4.hpp"
#include "core/error.hpp"

// Internal to ec2m_sigv4: the pieces of the Authorization header that the presigned query form
// carries as separate parameters, parsed the same way for both. Errors are kUnauthenticated /
// "IncompleteSignature", their messages prefixed with `where` ("Authorization header",
// "X-Amz-Credential", ...).
namespace ec2m::sigv4::internal {

// "<key>/<YYYYMMDD>/<region>/<service>/aws4_request" into the first four fields of `out`.
Result<void> ParseCredential(std::string_view where, std::string_view credential,
                             AuthorizationHeader& out);

// "h1;h2": non-empty lower-case header names.
Result<std::vector<std::string>> ParseSignedHeaderList(std::string_view where,
                                                       std::string_view list);

// Exactly 64 lower-case hex digits.
Result<void> CheckSignatureFormat(std::string_view where, std::string_view signature);

// `s` single-quoted for an error message: at most 64 bytes, non-printable bytes as '?', so that
// client input can neither bloat nor corrupt the XML error it ends up in.
std::string Quote(std::string_view s);

}  // namespace ec2m::sigv4::internal
