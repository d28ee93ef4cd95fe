#include "cloud/sigv4/canonical.hpp"

#include <algorithm>
#include <array>

#include "cloud/sigv4/uri_encoding.hpp"
#include "core/digest.hpp"

namespace ec2m::sigv4::internal {
namespace {

// Headers that proxies and HTTP stacks add or rewrite; signing them would break verification.
constexpr std::array<std::string_view, 6> kNeverSigned = {
    "authorization", "connection", "expect", "transfer-encoding", "user-agent", "x-amzn-trace-id",
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && IsSpace(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

std::string LowerCase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : Trim(value)) {
    if (IsSpace(c)) {
      pending_space = true;
      continue;
    }
    if (pending_space) {
      out += ' ';
      pending_space = false;
    }
    out += c;
  }
  return out;
}

std::optional<std::string> JoinedHeader(const HttpRequest& req, std::string_view lower_name) {
  std::optional<std::string> joined;
  for (const auto& [name, value] : req.headers) {
    if (LowerCase(Trim(name)) != lower_name) {
      continue;
    }
    if (joined) {
      *joined += ',';
      *joined += CanonicalHeaderValue(value);
    } else {
      joined = CanonicalHeaderValue(value);
    }
  }
  return joined;
}

std::vector<std::string> SignableHeaders(const HttpRequest& req, bool omit_session_token) {
  std::vector<std::string> names;
  for (const auto& header : req.headers) {
    std::string name = LowerCase(Trim(header.first));
    const bool never =
        std::find(kNeverSigned.begin(), kNeverSigned.end(), name) != kNeverSigned.end();
    if (name.empty() || never || (omit_session_token && name == "x-amz-security-token")) {
      continue;
    }
    names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::string PayloadHash(const HttpRequest& req) {
  if (auto declared = JoinedHeader(req, "x-amz-content-sha256")) {
    return *declared;
  }
  return Sha256Hex(req.body);
}

Result<std::string> BuildCanonicalRequest(const HttpRequest& req,
                                          std::vector<std::string> signed_headers,
                                          bool normalize_path, bool drop_session_token_param,
                                          std::string_view payload_hash) {
  std::sort(signed_headers.begin(), signed_headers.end());
  signed_headers.erase(std::unique(signed_headers.begin(), signed_headers.end()),
                       signed_headers.end());
  std::string out = req.method;
  out += '\n';
  out += CanonicalUri(req.path, normalize_path);
  out += '\n';
  out += CanonicalQuery(req.query, drop_session_token_param);
  out += '\n';
  for (const std::string& name : signed_headers) {
    std::optional<std::string> value = JoinedHeader(req, name);
    if (!value) {
      return Fail(ErrorCode::kUnauthenticated,
                  "Signed header '" + name + "' is not present in the request", "AuthFailure");
    }
    out += name;
    out += ':';
    out += *value;
    out += '\n';
  }
  out += '\n';
  out += JoinSignedHeaders(signed_headers);
  out += '\n';
  out += payload_hash;
  return out;
}

std::string Scope(std::string_view date, std::string_view region, std::string_view service) {
  std::string out(date);
  out += '/';
  out += region;
  out += '/';
  out += service;
  out += '/';
  out += kTerminator;
  return out;
}

std::string BuildStringToSign(std::string_view amz_date, std::string_view scope,
                              std::string_view canonical_request) {
  std::string out(kAlgorithm);
  out += '\n';
  out += amz_date;
  out += '\n';
  out += scope;
  out += '\n';
  out += Sha256Hex(canonical_request);
  return out;
}

std::string JoinSignedHeaders(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) {
      out += ';';
    }
    out += name;
  }
  return out;
}

}  // namespace ec2m::sigv4::internal

namespace ec2m::sigv4 {

std::string CanonicalRequest(const HttpRequest& req, const SigningParams& params) {
  Result<std::string> creq = internal::BuildCanonicalRequest(
      req, internal::SignableHeaders(req, params.omit_session_token), params.normalize_path,
      params.omit_session_token, internal::PayloadHash(req));
  // Every name in SignableHeaders comes from the request itself, so the build cannot fail.
  return std::move(creq).value();
}

std::string StringToSign(std::string_view canonical_request, const SigningParams& params) {
  const std::string amz_date = FormatAmzDate(params.time);
  return internal::BuildStringToSign(
      amz_date, internal::Scope(amz_date.substr(0, 8), params.region, params.service),
      canonical_request);
}

}  // namespace ec2m::sigv4
