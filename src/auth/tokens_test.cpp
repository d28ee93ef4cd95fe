#include "auth/tokens.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <limits>
#include <regex>
#include <set>

#include "auth/secure_random.hpp"

namespace ec2m::auth {
namespace {

// Returns the given values in order, then the last one forever.
class ScriptedRandom final : public Random {
 public:
  explicit ScriptedRandom(std::deque<uint64_t> values) : values_(std::move(values)) {}
  uint64_t Next() override {
    const uint64_t value = values_.front();
    if (values_.size() > 1) {
      values_.pop_front();
    }
    return value;
  }

 private:
  std::deque<uint64_t> values_;
};

TEST(TokensTest, NewTokenIsPrefixAndUnpaddedBase64UrlOf32Bytes) {
  SecureRandom random;
  const std::regex shape("ec2m_s_[A-Za-z0-9_-]{43}");
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string token = NewToken(random, kSessionTokenPrefix);
    EXPECT_TRUE(std::regex_match(token, shape)) << token;
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(NewToken(random, kApiTokenPrefix).substr(0, 7), "ec2m_t_");
}

TEST(TokensTest, NewTokenUsesTheUrlAlphabet) {
  // 0xFB repeated is "+/v7" in standard base64; the last two bytes are "+/s=".
  ScriptedRandom fb({0xFBFBFBFBFBFBFBFBULL});
  EXPECT_EQ(NewToken(fb, "p_"), "p_-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_s");
  ScriptedRandom zeros({0});
  EXPECT_EQ(NewToken(zeros, ""), std::string(43, 'A'));
}

TEST(TokensTest, TokenHashIsHexSha256) {
  // FIPS 180-2 examples.
  EXPECT_EQ(TokenHash(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(TokenHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(TokensTest, RecoveryCodesAreGroupedFromTheUnambiguousAlphabet) {
  SecureRandom random;
  const auto codes = NewRecoveryCodes(random);
  ASSERT_EQ(codes.size(), 10u);
  const std::regex shape("[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}");
  for (const auto& code : codes) {
    EXPECT_TRUE(std::regex_match(code, shape)) << code;
  }
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), codes.size());
  EXPECT_TRUE(NewRecoveryCodes(random, 0).empty());
  EXPECT_EQ(NewRecoveryCodes(random, 3).size(), 3u);
}

TEST(TokensTest, RecoveryCodeSymbolsAreDrawnWithoutBias) {
  // The top draw lies above the largest multiple of 31 and is redrawn; 5 picks '7', 31 wraps
  // to '2', 30 is the last symbol 'z'.
  const uint64_t top = std::numeric_limits<uint64_t>::max();
  ScriptedRandom random({top, 5, 31, 30, 0});
  EXPECT_EQ(NewRecoveryCodes(random, 1), std::vector<std::string>{"72z2-2222-2222"});
}

TEST(TokensTest, RecoveryCodesNormaliseBeforeHashing) {
  struct Case {
    std::string_view typed;
    std::string_view normalised;
  };
  constexpr Case kCases[] = {
      {"abcd-efgh-jkmn", "abcdefghjkmn"},
      {"ABCD-EFGH-JKMN", "abcdefghjkmn"},
      {" abcd efgh jkmn ", "abcdefghjkmn"},
      {"abcdefghjkmn", "abcdefghjkmn"},
      {"--ab--", "ab"},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(NormalizeRecoveryCode(c.typed), c.normalised) << c.typed;
    EXPECT_EQ(RecoveryCodeHash(c.typed), TokenHash(c.normalised)) << c.typed;
  }
  EXPECT_NE(RecoveryCodeHash("abcd-efgh-jkmn"), RecoveryCodeHash("abcd-efgh-jkmp"));
}

}  // namespace
}  // namespace ec2m::auth
