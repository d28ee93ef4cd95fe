#include <set>
#include <thread>

#include "cloud/query/responses.hpp"
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

// Windows of 50 instances, and 230 instances in reservations of 70, 90 and 70 (tagged Batch=odd,
// even, odd): every window boundary but one cuts a reservation.
class StreamingTest : public QueryServerTest {
 protected:
  void SetUp() override {
    describe_window_ = 50;
    QueryServerTest::SetUp();
    const std::pair<int, const char*> reservations[] = {{70, "odd"}, {90, "even"}, {70, "odd"}};
    for (const auto& [count, batch] : reservations) {
      Reply r = Post(std::string("Action=RunInstances&Version=2016-11-15&ImageId=") + kImage +
                     "&InstanceType=t3.micro&MinCount=" + std::to_string(count) +
                     "&MaxCount=" + std::to_string(count) +
                     "&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=Batch"
                     "&TagSpecification.1.Tag.1.Value=" +
                     batch);
      ASSERT_EQ(r.status, 200) << r.body;
      pugi::xml_document doc;
      for (const auto& id : Xml(doc, r).select_nodes("instancesSet/item/instanceId")) {
        ids_.emplace_back(id.node().child_value());
      }
    }
    ASSERT_EQ(ids_.size(), 230u);
  }

  // The region's whole answer to `req`, serialized in one go as Dispatch does, under the request
  // id of `reply` (the clock stands still: the states are those the endpoint saw).
  std::string OneShot(const Reply& reply, const DescribeRequest& req) {
    auto page = region_->DescribeInstances(req);
    EXPECT_TRUE(page.has_value()) << page.error().ToString();
    return page ? query::SerializeDescribeInstances(reply.request_id, *page) : "";
  }

  static std::string IdParams(const std::vector<std::string>& ids) {
    std::string out;
    for (size_t n = 0; n < ids.size(); ++n) {
      out += "&InstanceId." + std::to_string(n + 1) + "=" + ids[n];
    }
    return out;
  }

  static size_t Count(const Reply& reply, const char* xpath) {
    pugi::xml_document doc;
    return Xml(doc, reply).select_nodes(xpath).size();
  }

  std::vector<std::string> ids_;  // in launch order
};

TEST_F(StreamingTest, EverythingIsStreamedAndIsTheOneShotAnswer) {
  Reply r = Post("Action=DescribeInstances&Version=2016-11-15");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.transfer_encoding, "chunked");
  EXPECT_EQ(r.content_length, "");
  EXPECT_EQ(r.content_type, "text/xml;charset=UTF-8");
  EXPECT_EQ(r.body, OneShot(r, {}));
  EXPECT_EQ(Count(r, "/DescribeInstancesResponse/reservationSet/item/instancesSet/item"), 230u);
  // Windows do not split reservations in the answer.
  EXPECT_EQ(Count(r, "/DescribeInstancesResponse/reservationSet/item"), 3u);
  EXPECT_EQ(Count(r, "/DescribeInstancesResponse/nextToken"), 0u);
}

TEST_F(StreamingTest, FilteredAnswerIsStreamed) {
  Reply r = Post(
      "Action=DescribeInstances&Filter.1.Name=tag:Batch&Filter.1.Value.1=o*"
      "&Filter.2.Name=instance-type&Filter.2.Value.1=t3.micro");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.transfer_encoding, "chunked");
  DescribeRequest req;
  req.filters = {{"tag:Batch", {"o*"}}, {"instance-type", {"t3.micro"}}};
  EXPECT_EQ(r.body, OneShot(r, req));
  EXPECT_EQ(Count(r, "//instancesSet/item"), 140u);
  EXPECT_EQ(Count(r, "//reservationSet/item"), 2u);
}

TEST_F(StreamingTest, IdListIsStreamedInTheRegionsOrder) {
  // Every other instance, last first, one of them twice: the answer is in launch order, once each.
  std::vector<std::string> some;
  for (size_t n = ids_.size(); n >= 2; n -= 2) {
    some.push_back(ids_[n - 1]);
  }
  some.push_back(ids_[1]);
  ASSERT_EQ(some.size(), 116u);
  Reply r = Post("Action=DescribeInstances" + IdParams(some));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.transfer_encoding, "chunked");
  DescribeRequest req;
  req.ids = some;
  EXPECT_EQ(r.body, OneShot(r, req));
  pugi::xml_document doc;
  auto listed = Xml(doc, r).select_nodes("//instancesSet/item/instanceId");
  ASSERT_EQ(listed.size(), 115u);
  EXPECT_EQ(listed[0].node().child_value(), ids_[1]);
  EXPECT_EQ(listed[listed.size() - 1].node().child_value(), ids_.back());
}

// The first window is read before the answer starts: what the request gets wrong is an error
// answer with a Content-Length, not a stream cut short.
TEST_F(StreamingTest, ErrorsTheRequestCausesAreWholeErrorAnswers) {
  std::vector<std::string> with_unknown = ids_;
  with_unknown.push_back("i-0123456789abcdef0");
  Reply unknown = Post("Action=DescribeInstances" + IdParams(with_unknown));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(Ec2Error(unknown), "InvalidInstanceID.NotFound");
  EXPECT_NE(unknown.content_length, "");
  EXPECT_EQ(unknown.transfer_encoding, "");

  Reply filter = Post("Action=DescribeInstances&Filter.1.Name=bogus&Filter.1.Value.1=x");
  EXPECT_EQ(filter.status, 400);
  EXPECT_EQ(Ec2Error(filter), "InvalidParameterValue");
  EXPECT_NE(filter.content_length, "");

  Reply dry_run = Post("Action=DescribeInstances&DryRun=true");
  EXPECT_EQ(dry_run.status, 412);
  EXPECT_EQ(Ec2Error(dry_run), "DryRunOperation");
  EXPECT_NE(dry_run.content_length, "");

  Reply auth = Post("Action=DescribeInstances",
                    Signing{.credentials = kOtherCredentials, .region = "eu-west-1"});
  EXPECT_EQ(Ec2Error(auth), "AuthFailure");
  EXPECT_NE(auth.content_length, "");
}

TEST_F(StreamingTest, OneWindowAnswersHaveAContentLength) {
  // Exactly a window: the region knows there is no next one, so nothing is streamed.
  const std::vector<std::string> fifty(ids_.begin(), ids_.begin() + 50);
  Reply r = Post("Action=DescribeInstances" + IdParams(fifty));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.transfer_encoding, "");
  EXPECT_EQ(r.content_length, std::to_string(r.body.size()));
  DescribeRequest req;
  req.ids = fifty;
  EXPECT_EQ(r.body, OneShot(r, req));
  EXPECT_EQ(Count(r, "//instancesSet/item"), 50u);
}

TEST_F(StreamingTest, PagesAskedForAreNotStreamed) {
  Reply r = Post("Action=DescribeInstances&MaxResults=100");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.transfer_encoding, "");
  EXPECT_NE(r.content_length, "");
  DescribeRequest req;
  req.max_results = 100;
  EXPECT_EQ(r.body, OneShot(r, req));
  EXPECT_EQ(Count(r, "//instancesSet/item"), 100u);
  EXPECT_EQ(Count(r, "/DescribeInstancesResponse/nextToken"), 1u);
}

TEST_F(StreamingTest, LostAnswersAreStillLost) {
  FaultConfig faults;
  faults.operations["DescribeInstances"].drop_response_rate = 1;
  region_->SetFaults(faults);
  EXPECT_EQ(Post("Action=DescribeInstances").status, 0);  // headers, then the connection closes
  region_->SetFaults({});
  Reply r = Post("Action=DescribeInstances");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Count(r, "//instancesSet/item"), 230u);
}

TEST_F(QueryServerTest, BindingATakenPortFails) {
  QueryServer other(*region_, nullptr, {}, *clock_, *random_, "us-west-2");
  auto bound = other.Listen("127.0.0.1", port_);
  ASSERT_FALSE(bound.has_value());
  EXPECT_EQ(bound.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace ec2m::sim::testing
