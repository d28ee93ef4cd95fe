#pragma once

#include <cstddef>
#include <string_view>

#include "core/error.hpp"

// The rules a new password must meet. Checked where a password is chosen (sign-up, change,
// reset), never at sign-in, so tightening them locks nobody out. Pure; thread-safe.
namespace ec2m::auth {

inline constexpr size_t kMinPasswordChars = 12;   // characters: UTF-8 code points
inline constexpr size_t kMaxPasswordBytes = 256;  // bytes: bounds the work a request can ask for
inline constexpr int kMinPasswordClasses = 3;     // of lower, upper, digit, symbol

// OK when `password` (UTF-8) has at least kMinPasswordChars characters, at most kMaxPasswordBytes
// bytes, at least kMinPasswordClasses of the classes lower-case ASCII letter, upper-case ASCII
// letter, ASCII digit and symbol (any other character: punctuation, space, non-ASCII), and does
// not contain the local part of `email` (before its last '@'; all of it when there is none),
// compared ASCII case-insensitively. An empty local part is not checked.
// Errors: kInvalidArgument for the first rule broken, in the order above, with a message that
// names the rule (e.g. "password must be at least 12 characters long"). Messages never contain
// the password, its length or any part of it.
Result<void> CheckPasswordPolicy(std::string_view password, std::string_view email);

}  // namespace ec2m::auth
