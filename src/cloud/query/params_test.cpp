#include "cloud/query/params.hpp"

#include <gtest/gtest.h>

namespace ec2m::query {
namespace {

Params MustParse(std::string_view body) {
  auto p = ParseForm(body);
  EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().ToString());
  return p ? *p : Params{};
}

TEST(ParseFormTest, DecodesPlusAndPercentEscapes) {
  // Body of "describe-instances-filters" in testdata/sigv4/ec2-vectors.txt (botocore-encoded).
  Params p = MustParse(
      "Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=instance-state-name&Filter.1."
      "Value.1=running&Filter.1.Value.2=stopped&Filter.2.Name=tag%3AName&Filter.2.Value.1=web+"
      "server&MaxResults=5");
  EXPECT_EQ(p.Get("Action"), "DescribeInstances");
  EXPECT_EQ(p.Get("Filter.2.Name"), "tag:Name");
  EXPECT_EQ(p.Get("Filter.2.Value.1"), "web server");
  EXPECT_EQ(p.size(), 8u);
}

TEST(ParseFormTest, DecodesEitherHexCaseAndEncodedSeparators) {
  Params p = MustParse("k%3d1=a%3Db%26c%2bd%2B");
  EXPECT_EQ(p.Get("k=1"), "a=b&c+d+");
}

TEST(ParseFormTest, InvalidPercentEscapesAreMalformedQueryString) {
  for (std::string_view body : {"a=%", "a=%4", "a=%zz", "a%G1=b", "a=b&c=%x0"}) {
    auto p = ParseForm(body);
    ASSERT_FALSE(p.has_value()) << body;
    EXPECT_EQ(p.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(p.error().aws_code, "MalformedQueryString");
  }
}

TEST(ParseFormTest, LastRepeatedKeyWinsAndEmptyPairsAreSkipped) {
  Params p = MustParse("&&A=1&&B&A=2&=ignored&");
  EXPECT_EQ(p.Get("A"), "2");
  EXPECT_TRUE(p.Has("B"));
  EXPECT_EQ(p.Get("B"), "");
  EXPECT_EQ(p.size(), 2u);
  EXPECT_TRUE(MustParse("").empty());
}

TEST(ParseFormTest, EncodeFormRoundTrips) {
  Params p{{"Filter.1.Name", "tag:Name"}, {"Filter.1.Value.1", "web server/α&=%"}, {"Empty", ""}};
  const std::string body = EncodeForm(p);
  EXPECT_EQ(body, "Empty=&Filter.1.Name=tag%3AName&Filter.1.Value.1=web+server%2F%CE%B1%26%3D%25");
  EXPECT_EQ(MustParse(body).map(), p.map());
}

TEST(ParamsTest, IndicesAreNumericWithGapsAndIgnoreNonCanonicalKeys) {
  Params p{{"InstanceId.10", "j"},     {"InstanceId.2", "b"},
           {"InstanceId.1", "a"},      {"InstanceId.0", "zero"},
           {"InstanceId.01", "lead"},  {"InstanceId.x", "x"},
           {"InstanceIds.3", "other"}, {"InstanceId.9999999999", "huge"}};
  EXPECT_EQ(p.Indices("InstanceId"), (std::vector<int>{1, 2, 10}));
  EXPECT_EQ(p.GetList("InstanceId"), (std::vector<std::string>{"a", "b", "j"}));
}

TEST(ParamsTest, IndicesOfNestedStructures) {
  Params p{{"Tag.1.Key", "k"},        {"TagSpecification.1.Tag.1.Key", "n"},
           {"Tag.3.Key", "k3"},       {"Tag.3.Value", "v3"},
           {"Filter.1.Value.2", "b"}, {"Filter.1.Value.1", "a"}};
  EXPECT_EQ(p.Indices("Tag"), (std::vector<int>{1, 3}));
  EXPECT_EQ(p.Indices("TagSpecification.1.Tag"), (std::vector<int>{1}));
  EXPECT_EQ(p.GetList("Filter.1.Value"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(p.GetList("Tag").empty());  // Tag.N are structures, not values
}

TEST(ParamsTest, BooleansAreTrueOrFalseOnly) {
  Params p{{"A", "true"}, {"B", "false"}, {"C", "True"}, {"D", "1"}};
  EXPECT_EQ(p.GetBool("A").value(), std::optional<bool>(true));
  EXPECT_EQ(p.GetBool("B").value(), std::optional<bool>(false));
  EXPECT_EQ(p.GetBool("Missing").value(), std::nullopt);
  EXPECT_TRUE(p.GetBool("Missing", true).value());
  for (std::string_view key : {"C", "D"}) {
    auto r = p.GetBool(key);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().aws_code, "InvalidParameterValue");
    EXPECT_NE(r.error().message.find(std::string("parameter ") + std::string(key)),
              std::string::npos);
  }
}

TEST(ParamsTest, IntegersNameParameterAndValue) {
  Params p{
      {"N", "42"},   {"Neg", "-1"}, {"Bad", "4x"}, {"Empty", ""}, {"Big", "99999999999999999999"},
      {"Small", "3"}};
  EXPECT_EQ(p.GetInt("N").value(), std::optional<int>(42));
  EXPECT_EQ(p.GetInt("Neg").value(), std::optional<int>(-1));
  EXPECT_EQ(p.GetInt("Missing").value(), std::nullopt);
  auto bad = p.GetInt("Bad");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().aws_code, "InvalidParameterValue");
  EXPECT_EQ(bad.error().message, "Invalid value '4x' for parameter Bad: expected an integer");
  EXPECT_FALSE(p.GetInt("Empty").has_value());
  EXPECT_FALSE(p.GetInt("Big").has_value());
  auto small = p.GetInt("Small", 5, 1000);
  ASSERT_FALSE(small.has_value());
  EXPECT_EQ(small.error().message,
            "Invalid value '3' for parameter Small: expected a value from 5 to 1000");
}

TEST(ParamsTest, RequiredParameterMessage) {
  Params p{{"Empty", ""}};
  auto r = p.GetRequired("InstanceId");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().aws_code, "MissingParameter");
  EXPECT_EQ(r.error().message, "The request must contain the parameter InstanceId");
  EXPECT_FALSE(p.GetRequired("Empty").has_value());
}

TEST(ParamsTest, LongValuesAreCutInMessages) {
  Params p{{"N", std::string(5000, '7')}};
  auto r = p.GetInt("N");
  ASSERT_FALSE(r.has_value());
  EXPECT_LT(r.error().message.size(), 300u);
}

}  // namespace
}  // namespace ec2m::query
