// The EC2 Query client on bad days: faults injected into `ec2m sim serve` through its admin
// endpoint. Backoff sleeps go through a ManualClock, so the retries run without waiting.

#include <gtest/gtest.h>

#include <memory>

#include "cloud/aws/aws_ec2.hpp"
#include "cloud/aws/http_client.hpp"
#include "support/sim_server.hpp"

namespace ec2m::testing {
namespace {

class AwsClientFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start()) << server_.error();
    client_ = MakeClient(aws::HttpClientOptions{});
  }

  std::unique_ptr<aws::AwsEc2> MakeClient(aws::HttpClientOptions http,
                                          aws::RetryPolicy retry = {}) {
    aws::AwsEc2Options options;
    options.retry = retry;
    options.region = "us-west-2";
    options.endpoint = server_.endpoint();
    options.credentials = {"test", "test", ""};
    options.http = http;
    return std::make_unique<aws::AwsEc2>(options, clock_, random_);
  }

  void SetFaults(const std::string& json) {
    aws::HttpClient admin(aws::HttpClientOptions{});
    auto res =
        admin.Send("PUT", server_.endpoint() + "/_ec2m/faults",
                   {{"X-Ec2m-Admin-Key", "test"}, {"Content-Type", "application/json"}}, json);
    ASSERT_NE(res.status, 0) << "admin endpoint unreachable: " << res.transport_error;
    ASSERT_EQ(res.status, 200) << res.body;
  }

  TempDir dir_;
  SimServer server_{dir_.path() + "/sim"};
  ManualClock clock_{SystemClock().Now()};
  DefaultRandom random_{2026};
  std::unique_ptr<aws::AwsEc2> client_;
};

TEST_F(AwsClientFaultsTest, ThrottlingAndServerErrorsAreRetriedAway) {
  SetFaults(R"({"throttle_rate":0.3,"error_rate":0.05})");
  int ok = 0;
  int gave_up = 0;
  for (int i = 0; i < 200; ++i) {
    auto r = client_->DescribeAvailabilityZones({});
    if (r) {
      ++ok;
      continue;
    }
    ++gave_up;
    // A failure after retries is a clear throttled/unavailable error, never anything else.
    EXPECT_TRUE(r.error().code == ErrorCode::kThrottled ||
                r.error().code == ErrorCode::kUnavailable)
        << r.error().ToString();
    EXPECT_TRUE(r.error().aws_code == "RequestLimitExceeded" ||
                r.error().aws_code == "InternalError")
        << r.error().ToString();
    EXPECT_NE(r.error().message.find("gave up after 3"), std::string::npos) << r.error().message;
  }
  // One attempt fails with p = 0.335; three in a row with p ~ 0.04.
  EXPECT_GE(ok, 180) << gave_up << " calls gave up";
  // Backoff waited on the clock (capped full jitter), not on the wall.
  EXPECT_GT(clock_.Now(), SystemClock().Now());
}

TEST_F(AwsClientFaultsTest, QuotaRunsOutUnderConstantThrottling) {
  SetFaults(R"({"throttle_rate":1})");
  std::string last_message;
  for (int i = 0; i < 60; ++i) {
    auto r = client_->DescribeVpcs({});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kThrottled);
    last_message = r.error().message;
  }
  // 500 tokens at 5 per retry, 2 retries a call: spent after 50 calls; then no retries at all.
  EXPECT_LT(client_->RetryTokensAvailable(), 5);
  EXPECT_NE(last_message.find("retry quota exhausted"), std::string::npos) << last_message;
  SetFaults("{}");
  auto healthy = client_->DescribeVpcs({});
  ASSERT_TRUE(healthy.has_value()) << healthy.error().ToString();
  EXPECT_GE(client_->RetryTokensAvailable(), 1);  // successes refill the quota
}

TEST_F(AwsClientFaultsTest, LegacyModeTriesFiveTimesAndHasNoQuota) {
  auto legacy = MakeClient({}, aws::PolicyFor(aws::RetryMode::kLegacy));
  SetFaults(R"({"throttle_rate":1})");
  for (int i = 0; i < 60; ++i) {
    auto r = legacy->DescribeVpcs({});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kThrottled);
    EXPECT_NE(r.error().message.find("gave up after 5"), std::string::npos) << r.error().message;
  }
  EXPECT_EQ(legacy->RetryTokensAvailable(), aws::RetryQuota::kCapacity);
}

TEST_F(AwsClientFaultsTest, AdaptiveModePacesTheClientOnceThrottled) {
  auto adaptive = MakeClient({}, aws::PolicyFor(aws::RetryMode::kAdaptive));
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(adaptive->DescribeVpcs({}).has_value());
  }
  EXPECT_EQ(adaptive->AdaptiveSendRate(), 0) << "no limit before the first throttle";
  SetFaults(R"({"throttle_rate":0.5})");
  int ok = 0;
  for (int i = 0; i < 100; ++i) {
    auto r = adaptive->DescribeVpcs({});
    if (r) {
      ++ok;
    } else {
      EXPECT_EQ(r.error().code, ErrorCode::kThrottled) << r.error().ToString();
    }
  }
  EXPECT_GE(ok, 70);
  // Throttled: every attempt now waits for a token of a bucket filling at >= 0.5/s, so the
  // clock moved by roughly one token-time per attempt on top of the backoff.
  EXPECT_GE(adaptive->AdaptiveSendRate(), 0.5);
  EXPECT_GT(clock_.Now() - SystemClock().Now(), std::chrono::seconds(30));
}

TEST_F(AwsClientFaultsTest, LaunchesUnderFaultsNeverDuplicate) {
  SetFaults(R"({"throttle_rate":0.3,"error_rate":0.05})");
  int launched = 0;
  for (int i = 0; i < 30; ++i) {
    RunInstancesRequest req{"ami-0abcdef1234567890", "t3.micro"};
    req.min_count = req.max_count = 2;
    auto r = client_->RunInstances(req);
    if (r) {
      EXPECT_EQ(r->instances.size(), 2u);
      launched += 2;
    }
  }
  SetFaults("{}");
  DescribeRequest all;
  all.max_results = 1000;
  auto page = client_->DescribeInstances(all);
  ASSERT_TRUE(page.has_value());
  int seen = 0;
  for (const auto& res : page->items) {
    seen += static_cast<int>(res.instances.size());
  }
  EXPECT_EQ(seen, launched);
}

// The launch is applied but every answer is lost on the wire; the client retries with the same
// ClientToken, so exactly the requested instances exist, not one set per attempt.
TEST_F(AwsClientFaultsTest, LostAnswerToALaunchDoesNotLaunchTwice) {
  SetFaults(R"({"operations":{"RunInstances":{"drop_response_rate":1}}})");
  RunInstancesRequest req{"ami-0abcdef1234567890", "t3.micro"};
  auto r = client_->RunInstances(req);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable) << r.error().ToString();
  EXPECT_NE(r.error().message.find("gave up after 3"), std::string::npos) << r.error().message;
  SetFaults("{}");
  auto page = client_->DescribeInstances({});
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].instances.size(), 1u);
}

TEST_F(AwsClientFaultsTest, SlowAnswersTimeOut) {
  SetFaults(R"({"operations":{"DescribeRegions":{"latency_ms":1500}}})");
  aws::HttpClientOptions http;
  http.request_timeout = std::chrono::milliseconds(300);
  auto impatient = MakeClient(http);
  auto r = impatient->DescribeRegions({});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kTimeout) << r.error().ToString();
  EXPECT_NE(r.error().message.find("gave up after 3"), std::string::npos) << r.error().message;
  EXPECT_TRUE(impatient->DescribeAvailabilityZones({}).has_value());
}

TEST_F(AwsClientFaultsTest, WrongSecretIsNotRetried) {
  aws::AwsEc2Options options;
  options.region = "us-west-2";
  options.endpoint = server_.endpoint();
  options.credentials = {"test", "not-the-secret", ""};
  aws::AwsEc2 client(options, clock_, random_);
  const TimePoint before = clock_.Now();
  auto r = client.DescribeVpcs({});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(r.error().aws_code, "AuthFailure");
  EXPECT_FALSE(r.error().request_id.empty());
  EXPECT_EQ(r.error().message.find("not-the-secret"), std::string::npos);
  EXPECT_EQ(clock_.Now(), before);  // no backoff: not retryable
  EXPECT_EQ(client.RetryTokensAvailable(), 500);
}

TEST_F(AwsClientFaultsTest, UnreachableEndpointIsUnavailable) {
  aws::AwsEc2Options options;
  options.region = "us-west-2";
  options.endpoint = "http://127.0.0.1:1";
  options.credentials = {"test", "test", ""};
  aws::AwsEc2 client(options, clock_, random_);
  auto r = client.DescribeVpcs({});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable) << r.error().ToString();
  EXPECT_NE(r.error().message.find("127.0.0.1:1"), std::string::npos);
}

}  // namespace
}  // namespace ec2m::testing
