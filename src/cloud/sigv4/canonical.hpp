#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cloud/sigv4/sigv4.hpp"
#include "core/error.hpp"

// Internal to ec2m_sigv4: canonical headers, canonical request and string to sign, shared by the
// signer (which decides which headers to sign) and the verifier (which is told by the client).
namespace ec2m::sigv4::internal {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kTerminator = "aws4_request";

// ASCII lower-casing (header names).
std::string LowerCase(std::string_view s);

// Trims and collapses every run of spaces, tabs, CR and LF (obs-fold included) to one space.
std::string CanonicalHeaderValue(std::string_view value);

// The values of every header named `lower_name` (any case), canonicalized and joined with ',' in
// arrival order; nullopt when there is none.
std::optional<std::string> JoinedHeader(const HttpRequest& req, std::string_view lower_name);

// The headers a signer signs: every header name, lower-cased, sorted and unique, except
// Authorization, the never-signed ones and, with `omit_session_token`, x-amz-security-token.
std::vector<std::string> SignableHeaders(const HttpRequest& req, bool omit_session_token);

// The x-amz-content-sha256 header when present, else the SHA-256 of the body.
std::string PayloadHash(const HttpRequest& req);

// Builds the canonical request over `signed_headers` (lower case; sorted and de-duplicated here).
// Errors: kUnauthenticated / "AuthFailure" when a signed header is not in the request.
Result<std::string> BuildCanonicalRequest(const HttpRequest& req,
                                          std::vector<std::string> signed_headers,
                                          bool normalize_path, bool drop_session_token_param,
                                          std::string_view payload_hash);

// "<date>/<region>/<service>/aws4_request".
std::string Scope(std::string_view date, std::string_view region, std::string_view service);

// The string to sign for an X-Amz-Date value, a scope and a canonical request.
std::string BuildStringToSign(std::string_view amz_date, std::string_view scope,
                              std::string_view canonical_request);

// "h1;h2;h3".
std::string JoinSignedHeaders(const std::vector<std::string>& names);

}  // namespace ec2m::sigv4::internal
