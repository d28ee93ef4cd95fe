#include "auth/password_policy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>

namespace ec2m::auth {
namespace {

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

size_t CountCodePoints(std::string_view utf8) {
  // Every code point has exactly one byte that is not a continuation byte (10xxxxxx).
  return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

int CountClasses(std::string_view password) {
  bool lower = false;
  bool upper = false;
  bool digit = false;
  bool symbol = false;
  for (char c : password) {
    if (c >= 'a' && c <= 'z') {
      lower = true;
    } else if (c >= 'A' && c <= 'Z') {
      upper = true;
    } else if (c >= '0' && c <= '9') {
      digit = true;
    } else {
      symbol = true;
    }
  }
  return int{lower} + int{upper} + int{digit} + int{symbol};
}

bool ContainsIgnoringAsciiCase(std::string_view haystack, std::string_view needle) {
  const auto equal = [](char a, char b) { return AsciiLower(a) == AsciiLower(b); };
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), equal) !=
         haystack.end();
}

}  // namespace

Result<void> CheckPasswordPolicy(std::string_view password, std::string_view email) {
  if (CountCodePoints(password) < kMinPasswordChars) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("password must be at least {} characters long", kMinPasswordChars));
  }
  if (password.size() > kMaxPasswordBytes) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("password must be at most {} bytes long", kMaxPasswordBytes));
  }
  if (CountClasses(password) < kMinPasswordClasses) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("password must mix at least {} of: lower-case letters, upper-case "
                            "letters, digits, symbols",
                            kMinPasswordClasses));
  }
  const std::string_view local_part = email.substr(0, email.rfind('@'));
  if (!local_part.empty() && ContainsIgnoringAsciiCase(password, local_part)) {
    return Fail(ErrorCode::kInvalidArgument,
                "password must not contain the part of the email address before the '@'");
  }
  return {};
}

}  // namespace ec2m::auth
