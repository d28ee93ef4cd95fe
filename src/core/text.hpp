#pragma once

#include <algorithm>
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

}  // namespace ec2m
