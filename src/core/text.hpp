#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace ec2m {

// `text` with ASCII letters lower-cased (bytes >= 0x80 untouched): for emails, HTTP methods and
// case-insensitive searches, where locale rules must not apply.
inline std::string AsciiLower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
  });
  return out;
}

// How an error message shows a value a client or a file supplied: quoted when it is short and
// plain (at most kMaxShownBytes of printable ASCII without quotes, backslashes, backticks or
// < > &), else described by its size only ("a value of 4096 bytes"). Messages name what was wrong
// and where; they never carry markup, control characters, or a client's bulk back
// (docs/security.md).
inline constexpr size_t kMaxShownBytes = 40;
std::string ShownValue(std::string_view value);

}  // namespace ec2m
