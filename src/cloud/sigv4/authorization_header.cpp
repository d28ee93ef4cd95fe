#include "cloud/sigv4/authorization_header.hpp"

#include "cloud/sigv4/canonical.hpp"

namespace ec2m::sigv4 {
namespace internal {
namespace {

Unexpected<Error> Incomplete(std::string_view where, std::string_view what) {
  std::string message(where);
  message += ": ";
  message += what;
  return Fail(ErrorCode::kUnauthenticated, std::move(message), "IncompleteSignature");
}

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// RFC 7230 tchar, lower case only.
bool IsHeaderNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

std::string Quote(std::string_view s) {
  constexpr size_t kMax = 64;
  std::string out = "'";
  for (size_t i = 0; i < s.size() && i < kMax; ++i) {
    const char c = s[i];
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  out += s.size() > kMax ? "...'" : "'";
  return out;
}

Result<void> ParseCredential(std::string_view where, std::string_view credential,
                             AuthorizationHeader& out) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (parts.size() < 6) {
    const size_t slash = credential.find('/', start);
    parts.push_back(credential.substr(start, slash - start));
    if (slash == std::string_view::npos) {
      break;
    }
    start = slash + 1;
  }
  if (parts.size() != 5) {
    return Incomplete(where,
                      "Credential must have the form <access key id>/<YYYYMMDD>/<region>/"
                      "<service>/aws4_request, got " +
                          Quote(credential));
  }
  if (parts[0].empty()) {
    return Incomplete(where, "Credential has an empty access key id");
  }
  const bool date_ok =
      parts[1].size() == 8 && parts[1].find_first_not_of("0123456789") == std::string_view::npos;
  if (!date_ok) {
    return Incomplete(where, "Credential date must be YYYYMMDD, got " + Quote(parts[1]));
  }
  if (parts[2].empty() || parts[3].empty()) {
    return Incomplete(where, "Credential has an empty region or service");
  }
  if (parts[4] != kTerminator) {
    return Incomplete(where, "Credential must end in aws4_request, got " + Quote(parts[4]));
  }
  out.access_key_id = parts[0];
  out.date = parts[1];
  out.region = parts[2];
  out.service = parts[3];
  return {};
}

Result<std::vector<std::string>> ParseSignedHeaderList(std::string_view where,
                                                       std::string_view list) {
  std::vector<std::string> names;
  size_t start = 0;
  while (true) {
    const size_t semi = list.find(';', start);
    const std::string_view name = list.substr(start, semi - start);
    if (name.empty()) {
      return Incomplete(where, "SignedHeaders has an empty header name");
    }
    for (char c : name) {
      if (!IsHeaderNameChar(c)) {
        return Incomplete(where,
                          "SignedHeaders must list lower-case header names, got " + Quote(name));
      }
    }
    names.emplace_back(name);
    if (semi == std::string_view::npos) {
      return names;
    }
    start = semi + 1;
  }
}

Result<void> CheckSignatureFormat(std::string_view where, std::string_view signature) {
  bool ok = signature.size() == 64;
  for (char c : signature) {
    ok = ok && IsLowerHex(c);
  }
  if (!ok) {
    return Incomplete(where, "Signature must be 64 lower-case hex digits");
  }
  return {};
}

}  // namespace internal

Result<AuthorizationHeader> ParseAuthorizationHeader(std::string_view value) {
  constexpr std::string_view kWhere = "Authorization header";
  value = internal::TrimSpaces(value);
  const size_t space = value.find_first_of(" \t");
  const std::string_view algorithm = value.substr(0, space);
  if (algorithm != internal::kAlgorithm) {
    return internal::Incomplete(kWhere, "unsupported algorithm " + internal::Quote(algorithm) +
                                            ", expected " + std::string(internal::kAlgorithm));
  }
  std::string_view rest = space == std::string_view::npos ? "" : value.substr(space + 1);
  std::optional<std::string_view> credential, signed_headers, signature;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string_view part = internal::TrimSpaces(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
    const size_t eq = part.find('=');
    const std::string_view key = part.substr(0, eq);
    const std::string_view val = eq == std::string_view::npos ? "" : part.substr(eq + 1);
    std::optional<std::string_view>* slot = key == "Credential"      ? &credential
                                            : key == "SignedHeaders" ? &signed_headers
                                            : key == "Signature"     ? &signature
                                                                     : nullptr;
    if (slot == nullptr || eq == std::string_view::npos) {
      return internal::Incomplete(kWhere, "unexpected component " + internal::Quote(part) +
                                              "; expected Credential=, SignedHeaders=, "
                                              "Signature=");
    }
    if (slot->has_value()) {
      return internal::Incomplete(kWhere, "duplicate " + std::string(key) + " component");
    }
    *slot = val;
  }
  for (const auto& [slot, name] :
       {std::pair{&credential, "Credential"}, std::pair{&signed_headers, "SignedHeaders"},
        std::pair{&signature, "Signature"}}) {
    if (!slot->has_value()) {
      return internal::Incomplete(kWhere, std::string("missing the ") + name + " component");
    }
  }
  AuthorizationHeader out;
  EC2M_RETURN_IF_ERROR(internal::ParseCredential(kWhere, *credential, out));
  auto names = internal::ParseSignedHeaderList(kWhere, *signed_headers);
  EC2M_RETURN_IF_ERROR(names);
  out.signed_headers = std::move(names).value();
  EC2M_RETURN_IF_ERROR(internal::CheckSignatureFormat(kWhere, *signature));
  out.signature = *signature;
  return out;
}

}  // namespace ec2m::sigv4
