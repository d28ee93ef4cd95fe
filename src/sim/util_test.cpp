#include <gtest/gtest.h>

#include "core/cidr.hpp"
#include "sim/codec.hpp"
#include "sim/sim_config.hpp"
#include "sim/wildcard.hpp"

namespace ec2m::sim {
namespace {

struct WildcardCase {
  const char* pattern;
  const char* text;
  bool match;
};

TEST(WildcardTest, MatchesLikeEc2Filters) {
  const WildcardCase cases[] = {
      {"web", "web", true},
      {"web", "web1", false},
      {"web*", "web-server", true},
      {"*server", "web-server", true},
      {"w?b", "wab", true},
      {"w?b", "wb", false},
      {"*", "", true},
      {"", "", true},
      {"", "x", false},
      {"a*b*c", "aXbYc", true},
      {"a*b*c", "aXbY", false},
      {"\\*", "*", true},
      {"\\*", "x", false},
      {"we\\?", "we?", true},
      {"we\\?", "wex", false},
      {"Web", "web", false},
      {"**a", "a", true},
      {"?*", "", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(WildcardMatch(c.pattern, c.text), c.match) << c.pattern << " vs " << c.text;
  }
}

TEST(CidrTest, ParsesAndRejects) {
  auto c = ParseCidr("10.0.0.0/16");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->Size(), 65536u);
  EXPECT_EQ(c->ToString(), "10.0.0.0/16");
  for (const char* bad : {"10.0.0.1/16", "10.0.0.0", "10.0.0/16", "256.0.0.0/8", "10.0.0.0/33",
                          "10.0.0.0/", "a.b.c.d/8", "10.0.0.0/16x", "10.0.0.0.0/16"}) {
    EXPECT_FALSE(ParseCidr(bad).has_value()) << bad;
  }
}

TEST(CidrTest, ContainsAndOverlaps) {
  const Cidr vpc = *ParseCidr("10.0.0.0/16");
  EXPECT_TRUE(vpc.Contains(*ParseCidr("10.0.1.0/24")));
  EXPECT_FALSE(vpc.Contains(*ParseCidr("10.1.0.0/24")));
  EXPECT_FALSE(ParseCidr("10.0.1.0/24")->Contains(vpc));
  EXPECT_TRUE(ParseCidr("10.0.1.0/24")->Overlaps(vpc));
  EXPECT_FALSE(ParseCidr("10.0.1.0/24")->Overlaps(*ParseCidr("10.0.2.0/24")));
  EXPECT_EQ(FormatIpv4(*ParseIpv4("172.31.16.5")), "172.31.16.5");
}

TEST(CodecTest, RoundTripsAndDetectsTruncation) {
  Encoder e;
  e.PutU64(300);
  e.PutString(std::string("a\0b", 3));
  e.PutBool(true);
  e.PutI64(-5);
  const std::string bytes = e.Take();
  Decoder d(bytes);
  uint64_t u = 0;
  std::string s;
  bool b = false;
  int64_t i = 0;
  d.GetU64(u);
  d.GetString(s);
  d.GetBool(b);
  d.GetI64(i);
  EXPECT_TRUE(d.done());
  EXPECT_EQ(u, 300u);
  EXPECT_EQ(s, std::string("a\0b", 3));
  EXPECT_TRUE(b);
  EXPECT_EQ(i, -5);
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    Decoder t(std::string_view(bytes).substr(0, cut));
    t.GetU64(u);
    t.GetString(s);
    t.GetBool(b);
    t.GetI64(i);
    EXPECT_FALSE(t.done()) << "cut at " << cut;
  }
}

TEST(SimConfigTest, ParsesFaultsAndRoundTrips) {
  auto faults = ParseFaultConfig(
      R"({"throttle_rate":0.3,"error_rate":0.05,"latency_ms":20,
          "operations":{"RunInstances":{"throttle_rate":1}},
          "insufficient_capacity":[{"instance_type":"p4d.24xlarge","availability_zone":"us-west-2a"}],
          "impaired_instances":["i-0123456789abcdef0"],"impaired_images":["ami-1"]})");
  ASSERT_TRUE(faults.has_value()) << faults.error().message;
  EXPECT_DOUBLE_EQ(faults->all.throttle_rate, 0.3);
  EXPECT_EQ(faults->all.latency.count(), 20);
  EXPECT_DOUBLE_EQ(faults->operations.at("RunInstances").throttle_rate, 1.0);
  EXPECT_EQ(faults->insufficient_capacity.at(0).availability_zone, "us-west-2a");
  auto again = ParseFaultConfig(FaultConfigToJson(*faults));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, *faults);
}

TEST(SimConfigTest, RejectsBadFaultsNamingThePath) {
  struct Case {
    const char* json;
    const char* path;
  } cases[] = {
      {R"({"throttle_rate":2})", "$.throttle_rate"},
      {R"({"throtle_rate":0.1})", "$.throtle_rate"},
      {R"({"operations":{"RunInstances":{"error_rate":"x"}}})",
       "$.operations.RunInstances.error_rate"},
      {R"({"latency_ms":-1})", "$.latency_ms"},
      {R"({"insufficient_capacity":[{"type":"t3.micro"}]})", "$.insufficient_capacity[0].type"},
      {R"({"impaired_instances":[1]})", "$.impaired_instances[0]"},
      {R"([1,2])", "$"},
  };
  for (const auto& c : cases) {
    auto parsed = ParseFaultConfig(c.json);
    ASSERT_FALSE(parsed.has_value()) << c.json;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(parsed.error().message.find(c.path), std::string::npos) << parsed.error().message;
  }
  EXPECT_FALSE(ParseFaultConfig("{not json").has_value());
}

TEST(SimConfigTest, ParsesServerSettings) {
  auto config = ParseSimConfig(
      R"({"region":"eu-west-1","account_id":"111122223333","listen":"127.0.0.1:0",
          "data_dir":"/tmp/x","credentials":[{"access_key":"k","secret_key":"s"}],
          "delays_ms":{"pending":1500}})",
      "sim.json");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->region, "eu-west-1");
  EXPECT_EQ(config->credentials.at("k"), "s");
  EXPECT_EQ(config->delays.pending.count(), 1500);
  EXPECT_EQ(config->delays.terminated_visible.count(), 3600000);
  auto bad = ParseSimConfig(R"({"account_id":"12"})", "sim.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message, "sim.json: $.account_id: expected 12 digits, got \"12\"");
  auto unknown = ParseSimConfig(R"({"delays_ms":{"boot":1}})", "sim.json");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message.find("sim.json: $.delays_ms.boot: unknown key"),
            std::string::npos);
}

}  // namespace
}  // namespace ec2m::sim
