#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Internal to ec2m_sigv4: the URI and query-string parts of the canonical request.
namespace ec2m::sigv4::internal {

// AWS URI encoding: A-Z a-z 0-9 - _ . ~ kept, '/' kept when `keep_slash`, every other byte %XX
// with upper-case hex.
std::string UriEncode(std::string_view bytes, bool keep_slash);

// Decodes %XX escapes; a '%' not followed by two hex digits is kept literally. '+' stays '+'.
std::string PercentDecode(std::string_view s);

// The canonical URI of a raw request path. With `normalize` (every service but S3): "." and ".."
// segments and empty segments are removed (a trailing '/' is kept) and each segment is encoded
// as it is, so escapes already in the path are encoded again ("double encoding"). Without it
// (S3): each segment is decoded once and encoded once, slashes and dots untouched (so "%2F"
// stays inside its segment). "" becomes "/".
std::string CanonicalUri(std::string_view raw_path, bool normalize);

// One decoded query parameter; a parameter without '=' has an empty value.
using QueryParam = std::pair<std::string, std::string>;

// Splits a raw query string on '&' (empty pieces skipped) and decodes keys and values.
std::vector<QueryParam> ParseQuery(std::string_view raw_query);

// The canonical query string: parameters re-encoded, sorted by encoded key then encoded value,
// joined as k=v with '&'. X-Amz-Signature is always left out, X-Amz-Security-Token when
// `drop_session_token`.
std::string CanonicalQuery(std::string_view raw_query, bool drop_session_token);

}  // namespace ec2m::sigv4::internal
