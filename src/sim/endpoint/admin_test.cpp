#include <nlohmann/json.hpp>

#include "sim/endpoint/test_client.hpp"

namespace ec2m::sim::testing {
namespace {

using nlohmann::json;

class AdminTest : public EndpointTest {
 protected:
  const std::string key_ = kCredentials.secret_access_key;
};

json Body(const Reply& r) { return json::parse(r.body, nullptr, /*allow_exceptions=*/false); }

TEST_F(AdminTest, RequiresTheAdminKey) {
  for (const std::string& key : {std::string(), std::string("wrong"), kCredentials.access_key_id}) {
    Reply r = Admin("GET", "/_ec2m/health", key);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(Body(r)["error"]["code"], "unauthenticated");
  }
  EXPECT_EQ(Admin("GET", "/_ec2m/health", kOtherCredentials.secret_access_key).status, 200);
}

TEST_F(AdminTest, Health) {
  Reply r = Admin("GET", "/_ec2m/health", key_);
  ASSERT_EQ(r.status, 200);
  const json body = Body(r);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["region"], "us-west-2");
  EXPECT_EQ(body["instances"], 0);
}

TEST_F(AdminTest, ResetWipesTheRegion) {
  Reply run = Post("Action=RunInstances&ImageId=ami-0abcdef1234567890&MinCount=2&MaxCount=2");
  ASSERT_EQ(run.status, 200) << run.body;
  EXPECT_EQ(Body(Admin("GET", "/_ec2m/health", key_))["instances"], 2);
  Reply reset = Admin("POST", "/_ec2m/reset", key_);
  EXPECT_EQ(reset.status, 200);
  EXPECT_EQ(Body(Admin("GET", "/_ec2m/health", key_))["instances"], 0);
}

TEST_F(AdminTest, FaultsRoundTripAndApply) {
  Reply initial = Admin("GET", "/_ec2m/faults", key_);
  ASSERT_EQ(initial.status, 200);
  EXPECT_FALSE(Body(initial).is_discarded());

  Reply put = Admin("PUT", "/_ec2m/faults", key_,
                    R"({"operations":{"DescribeRegions":{"throttle_rate":1}}})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(Body(put)["operations"]["DescribeRegions"]["throttle_rate"], 1);
  EXPECT_EQ(region_->faults().operations.at("DescribeRegions").throttle_rate, 1.0);

  Reply throttled = Post("Action=DescribeRegions&Version=2016-11-15");
  EXPECT_EQ(throttled.status, 503);
  EXPECT_EQ(Ec2Error(throttled), "RequestLimitExceeded");
  EXPECT_EQ(Post("Action=DescribeAvailabilityZones").status, 200);
}

TEST_F(AdminTest, BadFaultsAre400AndChangeNothing) {
  ASSERT_EQ(Admin("PUT", "/_ec2m/faults", key_, R"({"error_rate":0.5})").status, 200);
  const FaultConfig before = region_->faults();
  for (const std::string& bad :
       {std::string("not json"), std::string(R"({"throttle_rate":2})"),
        std::string(R"({"bogus":1})"), std::string(R"({"operations":{"X":{"latency_ms":-1}}})")}) {
    Reply r = Admin("PUT", "/_ec2m/faults", key_, bad);
    EXPECT_EQ(r.status, 400) << bad;
    const json body = Body(r);
    EXPECT_EQ(body["error"]["code"], "invalid_argument") << r.body;
    EXPECT_FALSE(body["error"]["message"].get<std::string>().empty());
  }
  EXPECT_EQ(region_->faults(), before);
}

TEST_F(AdminTest, UnknownPathsAndMethods) {
  EXPECT_EQ(Admin("GET", "/_ec2m/nope", key_).status, 404);
  EXPECT_EQ(Admin("POST", "/_ec2m/health", key_).status, 404);
  EXPECT_EQ(Admin("POST", "/_ec2m/faults", key_).status, 405);
}

TEST_F(AdminTest, WithoutARegionOnlyHealthAnswers) {
  QueryServer bare(*region_, nullptr, {{"AK", "SK"}}, *clock_, *random_, "us-west-2");
  auto port = bare.Listen("127.0.0.1", 0);
  ASSERT_TRUE(port.has_value());
  aws::HttpClient client(aws::HttpClientOptions{});
  const std::string url = "http://127.0.0.1:" + std::to_string(*port);
  const std::vector<std::pair<std::string, std::string>> headers{{"X-Ec2m-Admin-Key", "SK"}};
  auto health = client.Send("GET", url + "/_ec2m/health", headers, "");
  ASSERT_NE(health.status, 0) << health.transport_error;
  EXPECT_EQ(health.status, 200);
  EXPECT_FALSE(json::parse(health.body).contains("instances"));
  auto faults = client.Send("GET", url + "/_ec2m/faults", headers, "");
  ASSERT_NE(faults.status, 0) << faults.transport_error;
  EXPECT_EQ(faults.status, 404);
}

}  // namespace
}  // namespace ec2m::sim::testing
