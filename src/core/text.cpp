#include "core/text.hpp"

#include <fmt/core.h>

namespace ec2m {
namespace {

// Printable ASCII but for quotes, backslashes and markup.
bool Plain(char c) {
  return c >= ' ' && c <= '~' && std::string_view("\"'`\\<>&").find(c) == std::string_view::npos;
}

}  // namespace

std::string ShownValue(std::string_view value) {
  if (value.empty()) {
    return "\"\"";
  }
  if (value.size() <= kMaxShownBytes && std::all_of(value.begin(), value.end(), Plain)) {
    return fmt::format("\"{}\"", value);
  }
  return fmt::format("a value of {} byte{}", value.size(), value.size() == 1 ? "" : "s");
}

}  // namespace ec2m
