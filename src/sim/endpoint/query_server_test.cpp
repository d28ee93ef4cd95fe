#include <set>
#include <thread>

#include "sim/endpoint/test_client.hpp"

namespace ec2m::sim::testing {
namespace {

using std::chrono::minutes;

constexpr char kImage[] = "ami-0abcdef1234567890";  // in the sim's public catalog

class QueryServerTest : public EndpointTest {
 protected:
  // Launches one instance and returns its id.
  std::string RunOne(const std::string& extra = "") {
    Reply r = Post(std::string("Action=RunInstances&Version=2016-11-15&ImageId=") + kImage +
                   "&MinCount=1&MaxCount=1&InstanceType=t3.micro" + extra);
    EXPECT_EQ(r.status, 200) << r.body;
    pugi::xml_document doc;
    return Xml(doc, r).select_node("instancesSet/item/instanceId").node().child_value();
  }
};

TEST_F(QueryServerTest, SignedRequestIsServedAsEc2Would) {
  Reply r = Post("Action=DescribeRegions&Version=2016-11-15");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/xml;charset=UTF-8");
  EXPECT_EQ(r.request_id.size(), 36u);
  pugi::xml_document doc;
  pugi::xml_node root = Xml(doc, r);
  EXPECT_STREQ(root.name(), "DescribeRegionsResponse");
  EXPECT_STREQ(root.attribute("xmlns").value(), "http://ec2.amazonaws.com/doc/2016-11-15/");
  EXPECT_EQ(root.child_value("requestId"), r.request_id);
  EXPECT_GT(root.select_nodes("regionInfo/item/regionName").size(), 0u);
}

TEST_F(QueryServerTest, InstanceLifecycle) {
  const std::string id = RunOne(
      "&TagSpecification.1.ResourceType=instance&TagSpecification.1."
      "Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=web+1");
  ASSERT_EQ(id.size(), 19u);
  EXPECT_EQ(region_->InstanceCount(), 1u);

  Reply described = Post("Action=DescribeInstances&Version=2016-11-15&InstanceId.1=" + id);
  ASSERT_EQ(described.status, 200) << described.body;
  pugi::xml_document doc;
  pugi::xml_node item =
      Xml(doc, described).select_node("reservationSet/item/instancesSet/item").node();
  EXPECT_EQ(item.child_value("instanceId"), id);
  EXPECT_STREQ(item.child_value("imageId"), kImage);
  EXPECT_STREQ(item.child_value("instanceType"), "t3.micro");
  EXPECT_STREQ(item.select_node("tagSet/item/value").node().child_value(), "web 1");
  EXPECT_TRUE(item.select_node("instanceState/code"));

  Reply terminated = Post("Action=TerminateInstances&Version=2016-11-15&InstanceId.1=" + id);
  ASSERT_EQ(terminated.status, 200) << terminated.body;
  pugi::xml_document doc2;
  pugi::xml_node change = Xml(doc2, terminated).select_node("instancesSet/item").node();
  EXPECT_EQ(change.child_value("instanceId"), id);
  EXPECT_STREQ(change.select_node("previousState/name").node().child_value(), "running");
}

// Regression: the endpoint's first HTTP server library parsed forms itself and refused url-encoded
// bodies over 8 KB with an empty 413, so terminating 2,500 instances from the AWS CLI failed.
TEST_F(QueryServerTest, LargeFormBodiesAreServed) {
  Reply run = Post(std::string("Action=RunInstances&Version=2016-11-15&ImageId=") + kImage +
                   "&MinCount=600&MaxCount=600&InstanceType=t3.micro");
  ASSERT_EQ(run.status, 200) << run.body;
  pugi::xml_document doc;
  std::string body = "Action=TerminateInstances&Version=2016-11-15";
  int n = 0;
  for (const auto& id : Xml(doc, run).select_nodes("instancesSet/item/instanceId")) {
    body += "&InstanceId." + std::to_string(++n) + "=" + id.node().child_value();
  }
  ASSERT_EQ(n, 600);
  ASSERT_GT(body.size(), 8192u * 2);
  Reply terminated = Post(body);
  ASSERT_EQ(terminated.status, 200) << terminated.body;
  pugi::xml_document doc2;
  EXPECT_EQ(Xml(doc2, terminated).select_nodes("instancesSet/item").size(), 600u);
}

TEST_F(QueryServerTest, GetWithQueryStringIsAccepted) {
  Reply r = Get("Action=DescribeAvailabilityZones&Version=2016-11-15");
  ASSERT_EQ(r.status, 200) << r.body;
  pugi::xml_document doc;
  EXPECT_STREQ(Xml(doc, r).name(), "DescribeAvailabilityZonesResponse");
}

TEST_F(QueryServerTest, WrongSecretIsAuthFailure) {
  Signing bad;
  bad.credentials.secret_access_key = "not-the-secret";
  Reply r = Post("Action=DescribeRegions&Version=2016-11-15", bad);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Ec2Error(r), "AuthFailure");
  EXPECT_EQ(r.content_type, "text/xml;charset=UTF-8");
  pugi::xml_document doc;
  EXPECT_EQ(Xml(doc, r).child_value("RequestID"), r.request_id);
}

TEST_F(QueryServerTest, UnknownAccessKeyIsAuthFailure) {
  Signing bad;
  bad.credentials.access_key_id = "AKIDUNKNOWN";
  Reply r = Post("Action=DescribeRegions&Version=2016-11-15", bad);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Ec2Error(r), "AuthFailure");
}

TEST_F(QueryServerTest, TimestampSixteenMinutesOffIsAuthFailure) {
  for (auto offset : {minutes(-16), minutes(16)}) {
    Signing skewed;
    skewed.time = clock_->Now() + offset;
    Reply r = Post("Action=DescribeRegions&Version=2016-11-15", skewed);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(Ec2Error(r), "AuthFailure");
  }
  Signing close;
  close.time = clock_->Now() - minutes(14);
  EXPECT_EQ(Post("Action=DescribeRegions&Version=2016-11-15", close).status, 200);
}

TEST_F(QueryServerTest, CredentialScopedToAnotherRegionIsAuthFailure) {
  Signing other;
  other.region = "us-east-1";
  Reply r = Post("Action=DescribeRegions&Version=2016-11-15", other);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Ec2Error(r), "AuthFailure");
}

TEST_F(QueryServerTest, UnsignedRequestIsMissingAuthenticationToken) {
  Signing none;
  none.sign = false;
  Reply r = Post("Action=DescribeRegions&Version=2016-11-15", none);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Ec2Error(r), "MissingAuthenticationToken");
}

TEST_F(QueryServerTest, SecondCredentialWorksToo) {
  Signing other;
  other.credentials = kOtherCredentials;
  EXPECT_EQ(Post("Action=DescribeRegions&Version=2016-11-15", other).status, 200);
}

TEST_F(QueryServerTest, ActionErrors) {
  Reply unknown = Post("Action=LaunchRockets&Version=2016-11-15");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(Ec2Error(unknown), "InvalidAction");
  EXPECT_NE(unknown.body.find("The action LaunchRockets is not valid for this web service."),
            std::string::npos);
  Reply missing = Post("Version=2016-11-15");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(Ec2Error(missing), "MissingAction");
  Reply malformed = Post("Action=DescribeRegions&Bad=%zz");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(Ec2Error(malformed), "MalformedQueryString");
}

TEST_F(QueryServerTest, BadRequestsChangeNothing) {
  RunOne();
  ASSERT_EQ(region_->InstanceCount(), 1u);
  const std::string launch =
      std::string("Action=RunInstances&Version=2016-11-15&ImageId=") + kImage + "&MinCount=1";
  Reply malformed_subnet = Post(launch + "&MaxCount=1&SubnetId=subnet-nothex");
  EXPECT_EQ(malformed_subnet.status, 400);
  EXPECT_EQ(Ec2Error(malformed_subnet), "InvalidSubnetID.Malformed");
  Reply missing_max = Post(launch);
  EXPECT_EQ(Ec2Error(missing_max), "MissingParameter");
  Reply bad_bool = Post(launch + "&MaxCount=1&DisableApiTermination=yes");
  EXPECT_EQ(Ec2Error(bad_bool), "InvalidParameterValue");
  Reply bad_id = Post("Action=TerminateInstances&InstanceId.1=i-123");
  EXPECT_EQ(bad_id.status, 400);
  EXPECT_EQ(Ec2Error(bad_id), "InvalidInstanceID.Malformed");
  EXPECT_NE(bad_id.body.find("Invalid id: \"i-123\""), std::string::npos);
  EXPECT_EQ(region_->InstanceCount(), 1u);
}

TEST_F(QueryServerTest, UnknownIdsComeFromTheRegion) {
  Reply r = Post("Action=DescribeInstances&InstanceId.1=i-0123456789abcdef0");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Ec2Error(r), "InvalidInstanceID.NotFound");
}

TEST_F(QueryServerTest, DryRunIs412) {
  Reply r = Post(std::string("Action=RunInstances&ImageId=") + kImage +
                 "&MinCount=1&MaxCount=1&DryRun=true");
  EXPECT_EQ(r.status, 412);
  EXPECT_EQ(Ec2Error(r), "DryRunOperation");
  EXPECT_EQ(region_->InstanceCount(), 0u);
}

TEST_F(QueryServerTest, EveryResponseHasAFreshRequestId) {
  std::set<std::string> ids;
  ids.insert(Post("Action=DescribeRegions").request_id);
  ids.insert(Post("Action=Nope").request_id);
  Signing bad;
  bad.credentials.secret_access_key = "x";
  ids.insert(Post("Action=DescribeRegions", bad).request_id);
  ids.insert(Post("Action=DescribeRegions").request_id);
  EXPECT_EQ(ids.size(), 4u);
  EXPECT_EQ(ids.count(""), 0u);
}

TEST_F(QueryServerTest, ConcurrentKeepAliveClients) {
  constexpr int kThreads = 8;
  constexpr int kRequests = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      aws::HttpClient client(aws::HttpClientOptions{});  // its connection is kept alive
      for (int i = 0; i < kRequests; ++i) {
        const std::string body = "Action=DescribeInstances&Version=2016-11-15";
        sigv4::HttpRequest http{
            "POST",
            "/",
            "",
            {{"Host", "127.0.0.1:" + std::to_string(port_)}, {"Content-Type", kFormContentType}},
            body};
        sigv4::SigningParams params;
        params.credentials = kCredentials;
        params.region = "us-west-2";
        params.service = "ec2";
        params.time = clock_->Now();
        sigv4::SignHeaders(http, params);
        const aws::HttpResult res = client.Send("POST", BaseUrl() + "/", http.headers, body);
        if (res.status == 200) {
          ok.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(ok.load(), kThreads * kRequests);
}

TEST_F(QueryServerTest, ListenTwiceFailsAndStopIsIdempotent) {
  auto again = server_->Listen("127.0.0.1", 0);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);
  server_->Stop();
  server_->Stop();
  EXPECT_EQ(Post("Action=DescribeRegions").status, 0);  // nothing listens any more
  auto restarted = server_->Listen("127.0.0.1", 0);
  ASSERT_TRUE(restarted.has_value());
  port_ = *restarted;
  client_ = std::make_unique<aws::HttpClient>(aws::HttpClientOptions{});
  EXPECT_EQ(Post("Action=DescribeRegions").status, 200);
}

TEST_F(QueryServerTest, BindingATakenPortFails) {
  QueryServer other(*region_, nullptr, {}, *clock_, *random_, "us-west-2");
  auto bound = other.Listen("127.0.0.1", port_);
  ASSERT_FALSE(bound.has_value());
  EXPECT_EQ(bound.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace ec2m::sim::testing
