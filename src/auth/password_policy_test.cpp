#include "auth/password_policy.hpp"

#include <gtest/gtest.h>

namespace ec2m::auth {
namespace {

constexpr std::string_view kTooShort = "password must be at least 12 characters long";
constexpr std::string_view kTooLong = "password must be at most 256 bytes long";
constexpr std::string_view kTooFewClasses =
    "password must mix at least 3 of: lower-case letters, upper-case letters, digits, symbols";
constexpr std::string_view kContainsEmail =
    "password must not contain the part of the email address before the '@'";

struct Case {
  std::string password;
  std::string_view email;
  std::string_view error;  // empty: accepted
};

TEST(PasswordPolicyTest, AppliesEachRuleAndNamesTheOneBroken) {
  const Case cases[] = {
      {"Abcdefghij1", "alice@example.com", kTooShort},                // 11 characters
      {"Abcdefghij1!", "alice@example.com", ""},                      // 12, four classes
      {"abcdefghij12", "alice@example.com", kTooFewClasses},          // lower + digit
      {"abcdefghijkL", "alice@example.com", kTooFewClasses},          // lower + upper
      {"abcdefghijK1", "alice@example.com", ""},                      // lower + upper + digit
      {"abcdefghij1!", "alice@example.com", ""},                      // lower + digit + symbol
      {"ABCDEFGHIJ1 ", "alice@example.com", ""},                      // a space is a symbol
      {"ÄÖÜäöüßéèàç1", "alice@example.com", kTooFewClasses},          // non-ASCII: symbol + digit
      {"ÄÖÜäöüßéèàça1", "alice@example.com", ""},                     // symbol + digit + lower
      {"Äb1" + std::string(8, 'x'), "alice@example.com", kTooShort},  // 11 code points, 12 bytes
      {"Ab1" + std::string(253, 'x'), "alice@example.com", ""},       // 256 bytes
      {"Ab1" + std::string(254, 'x'), "alice@example.com", kTooLong},
      {"My-alice-Pass1", "alice@example.com", kContainsEmail},
      {"My-ALICE-Pass1", "alice@example.com", kContainsEmail},
      {"My-aLiCe-Pass1", "AliCe@Example.com", kContainsEmail},
      {"My-alic-Pass1!", "alice@example.com", ""},
      {"x\"a@b\"yZ12345", "\"a@b\"@example.com", kContainsEmail},  // local part up to the last @
      {"Jobs-no-at-sign1", "jobs", kContainsEmail},                // no '@': all of it
      {"Anything-goes-1", "@example.com", ""},                     // empty local part
      {"Anything-goes-1", "", ""},
  };
  for (const auto& c : cases) {
    const auto result = CheckPasswordPolicy(c.password, c.email);
    if (c.error.empty()) {
      EXPECT_TRUE(result.has_value()) << c.password << ": " << result.error().message;
    } else {
      ASSERT_FALSE(result.has_value()) << c.password;
      EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
      EXPECT_EQ(result.error().message, c.error) << c.password;
    }
  }
}

TEST(PasswordPolicyTest, RulesAreCheckedInOrder) {
  // Too short and too few classes: the length rule is named.
  EXPECT_EQ(CheckPasswordPolicy("alice", "alice@example.com").error().message, kTooShort);
  // Too long, one class and the local part: the length rule is named.
  EXPECT_EQ(
      CheckPasswordPolicy("alice" + std::string(300, 'a'), "alice@example.com").error().message,
      kTooLong);
  // One class and the local part: the class rule is named.
  EXPECT_EQ(CheckPasswordPolicy("alicealicealice", "alice@example.com").error().message,
            kTooFewClasses);
}

}  // namespace
}  // namespace ec2m::auth
