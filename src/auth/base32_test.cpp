#include "auth/base32.hpp"

#include <gtest/gtest.h>

namespace ec2m::auth {
namespace {

struct Vector {
  std::string_view bytes;
  std::string_view text;
};

// RFC 4648 §10, without the padding Base32Encode leaves out.
constexpr Vector kRfc4648[] = {
    {"", ""},
    {"f", "MY"},
    {"fo", "MZXQ"},
    {"foo", "MZXW6"},
    {"foob", "MZXW6YQ"},
    {"fooba", "MZXW6YTB"},
    {"foobar", "MZXW6YTBOI"},
};

TEST(Base32Test, EncodesRfc4648VectorsWithoutPadding) {
  for (const auto& v : kRfc4648) {
    EXPECT_EQ(Base32Encode(v.bytes), v.text) << v.bytes;
  }
}

TEST(Base32Test, DecodesRfc4648VectorsPaddedOrNot) {
  constexpr std::string_view kPadded[] = {
      "", "MY======", "MZXQ====", "MZXW6===", "MZXW6YQ=", "MZXW6YTB", "MZXW6YTBOI======"};
  for (size_t i = 0; i < std::size(kRfc4648); ++i) {
    const auto plain = Base32Decode(kRfc4648[i].text);
    ASSERT_TRUE(plain.has_value()) << kRfc4648[i].text;
    EXPECT_EQ(*plain, kRfc4648[i].bytes);
    const auto padded = Base32Decode(kPadded[i]);
    ASSERT_TRUE(padded.has_value()) << kPadded[i];
    EXPECT_EQ(*padded, kRfc4648[i].bytes);
  }
}

TEST(Base32Test, DecodeAcceptsLowerCaseAndSpaces) {
  const auto decoded = Base32Decode(" mzxw 6ytb oi== ");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, "foobar");
}

TEST(Base32Test, RoundTripsEveryByte) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) {
    bytes += static_cast<char>(i);
  }
  for (size_t n = 0; n <= bytes.size(); n += 37) {
    const auto decoded = Base32Decode(Base32Encode(bytes.substr(0, n)));
    ASSERT_TRUE(decoded.has_value()) << n;
    EXPECT_EQ(*decoded, bytes.substr(0, n));
  }
}

TEST(Base32Test, DecodeRejectsInvalidInputNamingThePositionOnly) {
  struct Case {
    std::string_view text;
    std::string_view message;
  };
  constexpr Case kCases[] = {
      {"MZXW1YTB", "base32: invalid character at position 4"},
      {"MZXW0YTB", "base32: invalid character at position 4"},
      {"MZXW-YTB", "base32: invalid character at position 4"},
      {"MZ\tXW6", "base32: invalid character at position 2"},
      {"MZXQ==MZ", "base32: data after padding at position 6"},
      {"M", "base32: 1 symbols is not a valid length"},
      {"MZX", "base32: 3 symbols is not a valid length"},
      {"MZXW6Y==", "base32: 6 symbols is not a valid length"},
      {"MZXW6YTBO", "base32: 9 symbols is not a valid length"},
  };
  for (const auto& c : kCases) {
    const auto decoded = Base32Decode(c.text);
    ASSERT_FALSE(decoded.has_value()) << c.text;
    EXPECT_EQ(decoded.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(decoded.error().message, c.message);
  }
}

}  // namespace
}  // namespace ec2m::auth
