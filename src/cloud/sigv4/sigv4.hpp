#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

// AWS Signature Version 4 (HMAC-SHA256, not SigV4a): signing and presigning of outgoing requests
// and verification of incoming ones. Every function here is pure (no I/O, no clock, no globals)
// and therefore thread-safe; time comes in through SigningParams::time and VerifyOptions::now.
namespace ec2m::sigv4 {

// Long-term or temporary (STS) credentials. `session_token` is empty for long-term keys.
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
};

// A request as seen on the wire. `path` is the raw request path (percent-encoded as sent), `query`
// the raw query string without '?', headers in arrival order (names as sent, any case).
struct HttpRequest {
  std::string method;
  std::string path;
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// How to sign. `time` is the signing time (X-Amz-Date); the date part of the scope is taken from
// it.
struct SigningParams {
  Credentials credentials;
  std::string region;
  std::string service;
  TimePoint time;
  // false for S3-style services: the path is neither normalized nor double-encoded.
  bool normalize_path = true;
  // SignHeaders adds (and signs) an x-amz-content-sha256 header with the body's hash.
  bool sign_body = false;
  // The session token is added after signing and so is not signed (some services want that).
  bool omit_session_token = false;
  // X-Amz-Expires for Presign; AWS accepts 1 s .. 7 days.
  std::chrono::seconds expires{3600};
};

// The canonical request (SigV4 task 1) of a request that already carries its signing headers or
// presign query parameters, as SignHeaders / Presign produce it. Signed headers are all headers
// except Authorization, the never-signed ones (user-agent, x-amzn-trace-id, expect, connection,
// transfer-encoding) and, with params.omit_session_token, x-amz-security-token. The query
// excludes X-Amz-Signature (and X-Amz-Security-Token with omit_session_token). The payload hash is
// the x-amz-content-sha256 header when present, else the SHA-256 of the body.
std::string CanonicalRequest(const HttpRequest& req, const SigningParams& params);

// "AWS4-HMAC-SHA256\n<amz date>\n<date>/<region>/<service>/aws4_request\n<sha256(creq)>".
std::string StringToSign(std::string_view canonical_request, const SigningParams& params);

// The derived signing key HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service),
// "aws4_request"), 32 raw bytes. REQUIRES: `date` is YYYYMMDD.
std::string SigningKey(std::string_view secret, std::string_view date, std::string_view region,
                       std::string_view service);

// Signs `req` in place for the header form: sets X-Amz-Security-Token (when the credentials carry
// a token), X-Amz-Date and, with params.sign_body, x-amz-content-sha256 (each replacing an existing
// header of that name, else appended in that order), then appends Authorization (replacing any
// previous one). REQUIRES: req carries the Host header it will be sent with.
void SignHeaders(HttpRequest& req, const SigningParams& params);

// Presigns `req` in place: appends X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
// X-Amz-SignedHeaders, X-Amz-Expires, (X-Amz-Security-Token) and X-Amz-Signature to the query (in
// that order, replacing earlier presign parameters). Headers are left alone but signed as for
// CanonicalRequest. The payload hash is that of the body (params.sign_body is ignored).
void Presign(HttpRequest& req, const SigningParams& params);

// Resolves an access key id to its secret; nullopt for an unknown key. Called at most once per
// Verify, from the calling thread.
using SecretLookup = std::function<std::optional<std::string>(std::string_view access_key_id)>;

// What Verify accepts.
struct VerifyOptions {
  std::string service;                 // expected service in the scope, e.g. "ec2"
  TimePoint now;                       // from the Clock
  std::chrono::seconds max_skew{900};  // 15 minutes
  bool normalize_path = true;
};

// Who signed a request that verified.
struct VerifiedIdentity {
  std::string access_key_id;
  std::string region;         // from the credential scope
  std::string session_token;  // X-Amz-Security-Token, signed or not; empty when absent
};

// Verifies an incoming request signed in the header form ("Authorization: AWS4-HMAC-SHA256
// Credential=..., SignedHeaders=..., Signature=...", time from X-Amz-Date or else Date) or in the
// presigned query form. All errors are ErrorCode::kUnauthenticated, with aws_code:
//  - "MissingAuthenticationToken": neither an Authorization header nor presign query parameters;
//  - "IncompleteSignature": a malformed Authorization header or presign parameter, no usable date,
//    or both mechanisms at once (the message names the part);
//  - "AuthFailure": unknown access key, service or scope-date mismatch, timestamp more than
//    max_skew from `now` (presigned: X-Amz-Date after now + max_skew or X-Amz-Date + X-Amz-Expires
//    before now), host not signed, a signed header missing, an x-amz-content-sha256 header that
//    is not the body's hash (so no UNSIGNED-PAYLOAD), or a signature mismatch.
// Messages never contain the secret or the expected signature. Signatures are compared in
// constant time.
Result<VerifiedIdentity> Verify(const HttpRequest& req, const SecretLookup& lookup,
                                const VerifyOptions& opts);

// The parts of an Authorization header value; exposed for tests and the fuzzer.
struct AuthorizationHeader {
  std::string access_key_id;
  std::string date;  // YYYYMMDD, from the credential scope
  std::string region;
  std::string service;
  std::vector<std::string> signed_headers;  // as listed, lower case
  std::string signature;                    // 64 lower-case hex digits
};

// Parses "AWS4-HMAC-SHA256 Credential=<key>/<YYYYMMDD>/<region>/<service>/aws4_request,
// SignedHeaders=<h1;h2>, Signature=<hex>" (components in any order, spaces after commas optional).
// Errors: kUnauthenticated / "IncompleteSignature" naming the missing or malformed part.
Result<AuthorizationHeader> ParseAuthorizationHeader(std::string_view value);

// Parses the ISO 8601 basic form "20150830T123600Z"; nullopt when malformed or out of range.
std::optional<TimePoint> ParseAmzDate(std::string_view value);

// Parses an RFC 7231 IMF-fixdate "Sun, 30 Aug 2015 12:36:00 GMT" (the Date header); nullopt when
// malformed.
std::optional<TimePoint> ParseHttpDate(std::string_view value);

}  // namespace ec2m::sigv4
