#include "cloud/sigv4/uri_encoding.hpp"
#include "core/digest.hpp"

#include <algorithm>

namespace ec2m::sigv4::internal {
namespace {

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t end = s.find(sep, start);
    if (end == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, end - start));
    start = end + 1;
  }
}

// RFC 3986 dot-segment removal plus collapsing of empty segments ("//"), as AWS normalizes.
std::string NormalizedEncodedPath(std::string_view raw_path) {
  std::vector<std::string_view> kept;
  for (std::string_view segment : Split(raw_path, '/')) {
    if (segment.empty() || segment == ".") {
      continue;
    }
    if (segment == "..") {
      if (!kept.empty()) {
        kept.pop_back();
      }
      continue;
    }
    kept.push_back(segment);
  }
  std::string out;
  for (std::string_view segment : kept) {
    out += '/';
    out += UriEncode(segment, false);
  }
  if (out.empty() || raw_path.back() == '/') {
    out += '/';
  }
  return out;
}

}  // namespace

std::string UriEncode(std::string_view bytes, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (char c : bytes) {
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out += c;
      continue;
    }
    const auto b = static_cast<unsigned char>(c);
    out += '%';
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0f];
  }
  return out;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexDigitValue(s[i + 1]) >= 0 &&
        HexDigitValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexDigitValue(s[i + 1]) * 16 + HexDigitValue(s[i + 2]));
      i += 2;
      continue;
    }
    out += s[i];
  }
  return out;
}

std::string CanonicalUri(std::string_view raw_path, bool normalize) {
  if (raw_path.empty()) {
    return "/";
  }
  if (normalize) {
    return NormalizedEncodedPath(raw_path);
  }
  // Splitting before decoding keeps an escaped slash ("%2F") inside its segment.
  std::string out;
  bool first = true;
  for (std::string_view segment : Split(raw_path, '/')) {
    if (!first) {
      out += '/';
    }
    first = false;
    out += UriEncode(PercentDecode(segment), false);
  }
  return out;
}

std::vector<QueryParam> ParseQuery(std::string_view raw_query) {
  std::vector<QueryParam> params;
  if (raw_query.empty()) {
    return params;
  }
  for (std::string_view piece : Split(raw_query, '&')) {
    if (piece.empty()) {
      continue;
    }
    const size_t eq = piece.find('=');
    if (eq == std::string_view::npos) {
      params.emplace_back(PercentDecode(piece), std::string());
    } else {
      params.emplace_back(PercentDecode(piece.substr(0, eq)), PercentDecode(piece.substr(eq + 1)));
    }
  }
  return params;
}

std::string CanonicalQuery(std::string_view raw_query, bool drop_session_token) {
  std::vector<QueryParam> encoded;
  for (const auto& [key, value] : ParseQuery(raw_query)) {
    if (key == "X-Amz-Signature" || (drop_session_token && key == "X-Amz-Security-Token")) {
      continue;
    }
    encoded.emplace_back(UriEncode(key, false), UriEncode(value, false));
  }
  // Sorting pairs (not "k=v" strings) keeps "Param" before "Param-3", as the suites require.
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [key, value] : encoded) {
    if (!out.empty()) {
      out += '&';
    }
    out += key;
    out += '=';
    out += value;
  }
  return out;
}

}  // namespace ec2m::sigv4::internal
