#include <algorithm>
#include <array>

#include "cloud/sigv4/canonical.hpp"
#include "cloud/sigv4/crypto.hpp"
#include "cloud/sigv4/sigv4.hpp"
#include "cloud/sigv4/uri_encoding.hpp"
#include "core/digest.hpp"

namespace ec2m::sigv4 {
namespace {

// Replaces the first header named `name` (any case) and drops later ones, or appends it.
void SetHeader(HttpRequest& req, std::string_view name, std::string value) {
  const std::string lower = internal::LowerCase(name);
  auto& headers = req.headers;
  auto first = std::find_if(headers.begin(), headers.end(),
                            [&](const auto& h) { return internal::LowerCase(h.first) == lower; });
  if (first == headers.end()) {
    headers.emplace_back(std::string(name), std::move(value));
    return;
  }
  first->second = std::move(value);
  headers.erase(
      std::remove_if(first + 1, headers.end(),
                     [&](const auto& h) { return internal::LowerCase(h.first) == lower; }),
      headers.end());
}

void RemoveHeader(HttpRequest& req, std::string_view lower_name) {
  auto& headers = req.headers;
  headers.erase(
      std::remove_if(headers.begin(), headers.end(),
                     [&](const auto& h) { return internal::LowerCase(h.first) == lower_name; }),
      headers.end());
}

// Drops presign parameters left by an earlier Presign, keeping every other piece byte for byte.
void RemovePresignParams(HttpRequest& req) {
  static constexpr std::array<std::string_view, 7> kPresign = {
      "X-Amz-Algorithm", "X-Amz-Credential",     "X-Amz-Date",     "X-Amz-SignedHeaders",
      "X-Amz-Expires",   "X-Amz-Security-Token", "X-Amz-Signature"};
  std::string kept;
  std::string_view rest = req.query;
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view piece = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    const std::string key = internal::PercentDecode(piece.substr(0, piece.find('=')));
    if (piece.empty() || std::find(kPresign.begin(), kPresign.end(), key) != kPresign.end()) {
      continue;
    }
    if (!kept.empty()) {
      kept += '&';
    }
    kept += piece;
  }
  req.query = std::move(kept);
}

void AppendParam(HttpRequest& req, std::string_view key, std::string_view value) {
  if (!req.query.empty()) {
    req.query += '&';
  }
  req.query += key;
  req.query += '=';
  req.query += internal::UriEncode(value, false);
}

std::string Sign(const HttpRequest& req, const SigningParams& params, std::string_view scope) {
  const std::string sts = StringToSign(CanonicalRequest(req, params), params);
  return internal::SignatureHex(params.credentials.secret_access_key, scope.substr(0, 8),
                                params.region, params.service, sts);
}

}  // namespace

void SignHeaders(HttpRequest& req, const SigningParams& params) {
  const std::string amz_date = FormatAmzDate(params.time);
  const std::string scope = internal::Scope(amz_date.substr(0, 8), params.region, params.service);
  RemoveHeader(req, "authorization");
  // With omit_session_token the token header is present but left out of the signed headers,
  // which is how the suites order it (before X-Amz-Date).
  if (!params.credentials.session_token.empty()) {
    SetHeader(req, "X-Amz-Security-Token", params.credentials.session_token);
  }
  SetHeader(req, "X-Amz-Date", amz_date);
  if (params.sign_body) {
    SetHeader(req, "x-amz-content-sha256", Sha256Hex(req.body));
  }
  const std::string signature = Sign(req, params, scope);
  std::string authorization(internal::kAlgorithm);
  authorization += " Credential=" + params.credentials.access_key_id + "/" + scope;
  authorization += ", SignedHeaders=" + internal::JoinSignedHeaders(internal::SignableHeaders(
                                            req, params.omit_session_token));
  authorization += ", Signature=" + signature;
  req.headers.emplace_back("Authorization", std::move(authorization));
}

void Presign(HttpRequest& req, const SigningParams& params) {
  const std::string amz_date = FormatAmzDate(params.time);
  const std::string scope = internal::Scope(amz_date.substr(0, 8), params.region, params.service);
  const std::string& token = params.credentials.session_token;
  RemovePresignParams(req);
  AppendParam(req, "X-Amz-Algorithm", internal::kAlgorithm);
  AppendParam(req, "X-Amz-Credential", params.credentials.access_key_id + "/" + scope);
  AppendParam(req, "X-Amz-Date", amz_date);
  AppendParam(
      req, "X-Amz-SignedHeaders",
      internal::JoinSignedHeaders(internal::SignableHeaders(req, params.omit_session_token)));
  AppendParam(req, "X-Amz-Expires", std::to_string(params.expires.count()));
  if (!token.empty() && !params.omit_session_token) {
    AppendParam(req, "X-Amz-Security-Token", token);
  }
  const std::string signature = Sign(req, params, scope);
  if (!token.empty() && params.omit_session_token) {
    AppendParam(req, "X-Amz-Security-Token", token);
  }
  AppendParam(req, "X-Amz-Signature", signature);
}

}  // namespace ec2m::sigv4
