#include <algorithm>
#include <array>

#include "cloud/sigv4/authorization_header.hpp"
#include "cloud/sigv4/canonical.hpp"
#include "cloud/sigv4/crypto.hpp"
#include "cloud/sigv4/sigv4.hpp"
#include "cloud/sigv4/uri_encoding.hpp"
#include "core/digest.hpp"

namespace ec2m::sigv4 {
namespace {

using std::chrono::seconds;

// AWS caps X-Amz-Expires at seven days.
constexpr int64_t kMaxExpiresSeconds = int64_t{7} * 24 * 3600;

// What a request claims about its signature, from either the header or the query form.
struct Claim {
  AuthorizationHeader auth;
  TimePoint time;
  std::optional<seconds> expires;  // presigned only
  std::string session_token;
  bool presigned = false;
};

Unexpected<Error> Unauthenticated(std::string message, std::string_view aws_code) {
  return Fail(ErrorCode::kUnauthenticated, std::move(message), std::string(aws_code));
}

std::string SkewText(seconds skew) {
  if (skew.count() % 60 == 0) {
    return std::to_string(skew.count() / 60) + " minutes";
  }
  return std::to_string(skew.count()) + " seconds";
}

Result<Claim> HeaderClaim(const HttpRequest& req, const std::string& authorization) {
  auto auth = ParseAuthorizationHeader(authorization);
  EC2M_RETURN_IF_ERROR(auth);
  Claim claim{std::move(auth).value(), {}, std::nullopt, {}, false};
  std::optional<TimePoint> time;
  if (auto amz_date = internal::JoinedHeader(req, "x-amz-date")) {
    time = ParseAmzDate(*amz_date);
    if (!time) {
      return Unauthenticated(
          "X-Amz-Date header must be YYYYMMDDTHHMMSSZ, got " + internal::Quote(*amz_date),
          "IncompleteSignature");
    }
  } else if (auto date = internal::JoinedHeader(req, "date")) {
    time = ParseHttpDate(*date);
    time = time ? time : ParseAmzDate(*date);
    if (!time) {
      return Unauthenticated(
          "Date header must be an HTTP date or YYYYMMDDTHHMMSSZ, got " + internal::Quote(*date),
          "IncompleteSignature");
    }
  } else {
    return Unauthenticated(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header",
        "IncompleteSignature");
  }
  claim.time = *time;
  claim.session_token = internal::JoinedHeader(req, "x-amz-security-token").value_or("");
  return claim;
}

Result<std::string> OneParam(const std::vector<internal::QueryParam>& params,
                             std::string_view key) {
  const std::string* found = nullptr;
  for (const auto& [k, v] : params) {
    if (k != key) {
      continue;
    }
    if (found != nullptr) {
      return Unauthenticated("duplicate " + std::string(key) + " query parameter",
                             "IncompleteSignature");
    }
    found = &v;
  }
  if (found == nullptr) {
    return Unauthenticated(
        "presigned request requires the " + std::string(key) + " query parameter",
        "IncompleteSignature");
  }
  return *found;
}

Result<Claim> QueryClaim(const std::vector<internal::QueryParam>& params) {
  Claim claim;
  claim.presigned = true;
  static constexpr std::array<std::string_view, 6> kKeys = {
      "X-Amz-Algorithm", "X-Amz-Credential",    "X-Amz-Date",
      "X-Amz-Expires",   "X-Amz-SignedHeaders", "X-Amz-Signature"};
  std::array<std::string, kKeys.size()> values;
  for (size_t i = 0; i < kKeys.size(); ++i) {
    auto value = OneParam(params, kKeys[i]);
    EC2M_RETURN_IF_ERROR(value);
    values[i] = std::move(value).value();
  }
  if (values[0] != internal::kAlgorithm) {
    return Unauthenticated("X-Amz-Algorithm: unsupported algorithm " + internal::Quote(values[0]),
                           "IncompleteSignature");
  }
  EC2M_RETURN_IF_ERROR(internal::ParseCredential("X-Amz-Credential", values[1], claim.auth));
  const std::optional<TimePoint> time = ParseAmzDate(values[2]);
  if (!time) {
    return Unauthenticated("X-Amz-Date must be YYYYMMDDTHHMMSSZ, got " + internal::Quote(values[2]),
                           "IncompleteSignature");
  }
  claim.time = *time;
  const std::string& expires = values[3];
  const bool digits = !expires.empty() && expires.size() <= 7 &&
                      expires.find_first_not_of("0123456789") == std::string::npos;
  const int64_t expires_s = digits ? std::stoll(expires) : 0;
  if (expires_s < 1 || expires_s > kMaxExpiresSeconds) {
    return Unauthenticated("X-Amz-Expires must be 1.." + std::to_string(kMaxExpiresSeconds) +
                               " seconds, got " + internal::Quote(expires),
                           "IncompleteSignature");
  }
  claim.expires = seconds(expires_s);
  auto names = internal::ParseSignedHeaderList("X-Amz-SignedHeaders", values[4]);
  EC2M_RETURN_IF_ERROR(names);
  claim.auth.signed_headers = std::move(names).value();
  EC2M_RETURN_IF_ERROR(internal::CheckSignatureFormat("X-Amz-Signature", values[5]));
  claim.auth.signature = values[5];
  for (const auto& [k, v] : params) {
    if (k == "X-Amz-Security-Token") {
      claim.session_token = v;
    }
  }
  return claim;
}

// Chooses the mechanism and parses its claim.
Result<Claim> ExtractClaim(const HttpRequest& req) {
  std::vector<const std::string*> authorizations;
  for (const auto& [name, value] : req.headers) {
    if (internal::LowerCase(name) == "authorization") {
      authorizations.push_back(&value);
    }
  }
  const std::vector<internal::QueryParam> params = internal::ParseQuery(req.query);
  const bool presigned = std::any_of(params.begin(), params.end(), [](const auto& p) {
    return p.first == "X-Amz-Algorithm" || p.first == "X-Amz-Credential" ||
           p.first == "X-Amz-Signature";
  });
  if (authorizations.size() > 1) {
    return Unauthenticated("more than one Authorization header", "IncompleteSignature");
  }
  if (!authorizations.empty() && presigned) {
    return Unauthenticated(
        "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the "
        "Authorization header should be specified",
        "IncompleteSignature");
  }
  if (!authorizations.empty()) {
    return HeaderClaim(req, *authorizations.front());
  }
  if (presigned) {
    return QueryClaim(params);
  }
  return Unauthenticated(
      "Request is missing Authentication Token (no Authorization header and "
      "no X-Amz-Algorithm query parameter)",
      "MissingAuthenticationToken");
}

Result<void> CheckScopeAndTime(const Claim& claim, const std::string& amz_date,
                               const VerifyOptions& opts) {
  if (claim.auth.service != opts.service) {
    return Unauthenticated("Credential should be scoped to correct service: '" + opts.service +
                               "', not " + internal::Quote(claim.auth.service),
                           "AuthFailure");
  }
  if (claim.auth.date != amz_date.substr(0, 8)) {
    return Unauthenticated(
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 "
        "version of date from HTTP: " +
            internal::Quote(claim.auth.date) + " != '" + amz_date.substr(0, 8) + "'",
        "AuthFailure");
  }
  const std::string now = FormatAmzDate(opts.now);
  if (claim.time > opts.now + opts.max_skew) {
    return Unauthenticated("Signature not yet current: " + amz_date + " is still later than " +
                               FormatAmzDate(opts.now + opts.max_skew) + " (" + now + " + " +
                               SkewText(opts.max_skew) + ")",
                           "AuthFailure");
  }
  if (claim.presigned && claim.time + *claim.expires < opts.now) {
    return Unauthenticated("Request has expired: X-Amz-Date " + amz_date + " + X-Amz-Expires " +
                               std::to_string(claim.expires->count()) + " s is earlier than " + now,
                           "AuthFailure");
  }
  if (!claim.presigned && claim.time < opts.now - opts.max_skew) {
    return Unauthenticated("Signature expired: " + amz_date + " is now earlier than " +
                               FormatAmzDate(opts.now - opts.max_skew) + " (" + now + " - " +
                               SkewText(opts.max_skew) + ")",
                           "AuthFailure");
  }
  return {};
}

// A declared body hash must be the body's, or the signature would not cover the body at all.
// That rules out S3's "UNSIGNED-PAYLOAD" and streaming (chunk-signed) payloads, which ec2m's
// services do not take.
Result<void> CheckDeclaredPayloadHash(const HttpRequest& req) {
  const std::optional<std::string> declared = internal::JoinedHeader(req, "x-amz-content-sha256");
  if (declared && *declared != Sha256Hex(req.body)) {
    return Unauthenticated(
        "The provided 'x-amz-content-sha256' header does not match what was computed (it must be "
        "the lower-case hex SHA-256 of the body)",
        "AuthFailure");
  }
  return {};
}

// Recomputes the signature; with `drop_token` the canonical query leaves X-Amz-Security-Token out.
Result<bool> SignatureMatches(const HttpRequest& req, const Claim& claim, const std::string& secret,
                              const std::string& amz_date, const VerifyOptions& opts,
                              bool drop_token) {
  auto creq = internal::BuildCanonicalRequest(req, claim.auth.signed_headers, opts.normalize_path,
                                              drop_token, internal::PayloadHash(req));
  EC2M_RETURN_IF_ERROR(creq);
  const std::string scope = internal::Scope(claim.auth.date, claim.auth.region, claim.auth.service);
  const std::string sts = internal::BuildStringToSign(amz_date, scope, *creq);
  const std::string expected =
      internal::SignatureHex(secret, claim.auth.date, claim.auth.region, claim.auth.service, sts);
  return ConstantTimeEquals(expected, claim.auth.signature);
}

}  // namespace

Result<VerifiedIdentity> Verify(const HttpRequest& req, const SecretLookup& lookup,
                                const VerifyOptions& opts) {
  auto claim = ExtractClaim(req);
  EC2M_RETURN_IF_ERROR(claim);
  const std::string amz_date = FormatAmzDate(claim->time);
  EC2M_RETURN_IF_ERROR(CheckScopeAndTime(*claim, amz_date, opts));
  const auto& names = claim->auth.signed_headers;
  if (std::find(names.begin(), names.end(), "host") == names.end()) {
    return Unauthenticated("SignedHeaders must include host", "AuthFailure");
  }
  const std::optional<std::string> secret = lookup(claim->auth.access_key_id);
  if (!secret) {
    return Unauthenticated("The access key id " + internal::Quote(claim->auth.access_key_id) +
                               " does not exist in our records",
                           "AuthFailure");
  }
  EC2M_RETURN_IF_ERROR(CheckDeclaredPayloadHash(req));
  auto matches = SignatureMatches(req, *claim, *secret, amz_date, opts, false);
  EC2M_RETURN_IF_ERROR(matches);
  // A presigned token may also have been appended after signing (omit_session_token).
  if (!*matches && claim->presigned && !claim->session_token.empty()) {
    matches = SignatureMatches(req, *claim, *secret, amz_date, opts, true);
    EC2M_RETURN_IF_ERROR(matches);
  }
  if (!*matches) {
    return Unauthenticated(
        "The request signature we calculated does not match the signature you provided. Check "
        "your AWS Secret Access Key and signing method.",
        "AuthFailure");
  }
  return VerifiedIdentity{claim->auth.access_key_id, claim->auth.region, claim->session_token};
}

}  // namespace ec2m::sigv4
