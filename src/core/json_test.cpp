#include "core/json.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/text.hpp"
#include "core/utf8.hpp"

namespace ec2m {
namespace {

std::string Nested(size_t depth, char open, char close) {
  return std::string(depth, open) + std::string(depth, close);
}

TEST(ParseJsonTest, RefusesDeepNestingWithoutRecursingOrQuotingIt) {
  // The attack: an array nested 200,000 deep, about 400 KB.
  const std::string deep = "{\"email\":" + Nested(200000, '[', ']') + "}";
  auto parsed = ParseJson(deep, "request body");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(parsed.error().message,
            "request body: nested deeper than 64 levels (at line 1, column 73)");
  EXPECT_TRUE(ParseJsonOrDiscard(deep).is_discarded());
  EXPECT_TRUE(JsonNestsDeeperThan(deep, 64));
}

TEST(ParseJsonTest, TakesSixtyFourLevelsAndBracketsInsideStrings) {
  EXPECT_TRUE(ParseJson(Nested(64, '[', ']'), "x"));
  EXPECT_FALSE(ParseJson(Nested(65, '[', ']'), "x"));
  // Brackets and escaped quotes inside strings do not count.
  const std::string text =
      "{\"a\":\"" + std::string(100, '[') + "\\\"" + std::string(100, '{') + "\"}";
  auto parsed = ParseJson(text, "x");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ((*parsed)["a"].get<std::string>().size(), 201u);
}

TEST(ParseJsonTest, SyntaxErrorsNamePlaceNotInput) {
  auto bad = ParseJson("{\n  \"a\": <script>alert(1)</script>\n}", "ec2m.json");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("ec2m.json: not valid JSON: line 2, column 8: "),
            std::string::npos)
      << bad.error().message;
  EXPECT_EQ(bad.error().message.find("script"), std::string::npos) << bad.error().message;
  EXPECT_EQ(bad.error().message.find("last read"), std::string::npos);
  // Invalid UTF-8 inside a string is refused by the parser, without the bytes in the message.
  auto utf8 = ParseJson("{\"a\":\"\xff\xfe secret\"}", "request body");
  ASSERT_FALSE(utf8);
  EXPECT_EQ(utf8.error().message.find("secret"), std::string::npos) << utf8.error().message;
  // A number too large for a double is an out_of_range exception in nlohmann, not a parse_error.
  auto huge = ParseJson("{\"a\":1" + std::string(400, '9') + "}", "request body");
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(huge.error().message, "request body: not valid JSON: number overflow");
  EXPECT_TRUE(ParseJsonOrDiscard("[1e999]").is_discarded());
  auto stored = ParseStoredJson("{", "stored user a@b.c");
  ASSERT_FALSE(stored);
  EXPECT_EQ(stored.error().code, ErrorCode::kInternal);
  EXPECT_TRUE(ParseJsonOrDiscard("nope").is_discarded());
}

TEST(ParseJsonTest, DumpReplacesInvalidUtf8InsteadOfThrowing) {
  nlohmann::json j = {{"path", std::string("/a\xff")}};
  EXPECT_THROW((void)j.dump(), nlohmann::json::type_error);
  EXPECT_EQ(DumpJson(j), "{\"path\":\"/a\xEF\xBF\xBD\"}");
}

TEST(Utf8Test, ValidatesTruncatesAndSanitizes) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("h\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  for (const char* bad :
       {"\xff", "\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\x80", "a\xE2\x82"}) {
    EXPECT_FALSE(IsValidUtf8(bad)) << bad;
  }
  // "é" is two bytes: a cut at 2 bytes of "aé" would split it.
  EXPECT_EQ(TruncateUtf8("a\xC3\xA9", 2), "a");
  EXPECT_EQ(TruncateUtf8("a\xC3\xA9", 3), "a\xC3\xA9");
  EXPECT_EQ(TruncateUtf8("\xF0\x9F\x98\x80xyz", 3), "");
  EXPECT_EQ(TruncateUtf8("abcdef", 4), "abcd");
  EXPECT_EQ(SanitizeUtf8("a\xffz\xC3\xA9"), "a\xEF\xBF\xBDz\xC3\xA9");
  EXPECT_EQ(LogSafe("/a\n200 GET /admin\x7f\xff"), "/a\\x0a200 GET /admin\\x7f\xEF\xBF\xBD");
}

TEST(ShownValueTest, QuotesOnlyShortPlainValues) {
  EXPECT_EQ(ShownValue("prod"), "\"prod\"");
  EXPECT_EQ(ShownValue("alice@example.com"), "\"alice@example.com\"");
  EXPECT_EQ(ShownValue(""), "\"\"");
  EXPECT_EQ(ShownValue("<script>"), "a value of 8 bytes");
  EXPECT_EQ(ShownValue(" High Latency!"), "\" High Latency!\"");
  EXPECT_EQ(ShownValue("it's"), "a value of 4 bytes");
  EXPECT_EQ(ShownValue("line\nbreak"), "a value of 10 bytes");
  EXPECT_EQ(ShownValue(std::string(41, 'a')), "a value of 41 bytes");
  EXPECT_EQ(ShownValue("\""), "a value of 1 byte");
}

}  // namespace
}  // namespace ec2m
