// Attacks on what ec2m reads (issue 15, "Input"): each test sends what an attacker would to a real
// `ec2m serve` and then checks that the server still answers and that nothing changed.

#include <gtest/gtest.h>

#include <string>

#include "cloud/aws/aws_ec2.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "support/plane_test.hpp"
#include "support/raw_http.hpp"

namespace ec2m::testing {
namespace {

class InputAttackTest : public PlaneTest {
 protected:
  void SetUp() override {
    plane_ = std::make_unique<ControlPlane>(
        dir_.path(), std::map<std::string, std::string>{{"dev", SimEnvironment("dev")}});
    ASSERT_TRUE(plane_->Start()) << plane_->error();
    admin_ = Login(plane_->admin_email(), plane_->admin_password());
  }

  void ExpectAlive() {
    Answer live = Call("GET", "/health/live", "");
    EXPECT_EQ(live.status, 200) << "the server no longer answers";
  }

  int port() const { return PortOf(plane_->url()); }
};

TEST_F(InputAttackTest, DeeplyNestedLoginEmailIsRefusedAndTheServerStaysUp) {
  // One unauthenticated request: "email" is an array nested 200,000 deep (about 400 KB, under the
  // body limit). It used to overflow the stack while the error message dumped the value.
  const std::string body =
      R"({"email":)" + std::string(200000, '[') + std::string(200000, ']') + R"(,"password":"x"})";
  auto answer = RawExchange(port(), RawPost("/api/v1/auth/login", body));
  ASSERT_TRUE(answer) << "no answer: the server died";
  EXPECT_EQ(StatusOf(*answer), 400);
  const std::string text = BodyOf(*answer);
  EXPECT_NE(text.find("invalid_argument"), std::string::npos) << text;
  EXPECT_NE(text.find("nested deeper than 64 levels"), std::string::npos) << text;
  EXPECT_LT(text.size(), 400u) << "the answer carries the input back";
  ExpectAlive();
}

TEST_F(InputAttackTest, WrongTypesAreNamedWithoutTheirValue) {
  // A wide and a long value where a string belongs: the answer says what and where, not the value.
  std::string wide = R"({"email":[1)";
  for (int i = 0; i < 20000; ++i) {
    wide += ",1";
  }
  wide += R"(],"password":"x"})";
  auto answer = RawExchange(port(), RawPost("/api/v1/auth/login", wide));
  ASSERT_TRUE(answer);
  EXPECT_EQ(StatusOf(*answer), 400);
  EXPECT_NE(BodyOf(*answer).find("$.email: expected a string, got an array"), std::string::npos)
      << BodyOf(*answer);
  EXPECT_LT(BodyOf(*answer).size(), 400u);
  // A number no double holds is a parse error, not an internal one quoting the digits.
  auto huge = RawExchange(
      port(), RawPost("/api/v1/auth/login", R"({"email":1)" + std::string(5000, '9') + "}"));
  ASSERT_TRUE(huge);
  EXPECT_EQ(StatusOf(*huge), 400);
  EXPECT_EQ(BodyOf(*huge).find("999"), std::string::npos) << BodyOf(*huge);
  const std::string script = "<script>alert(document.cookie)</script>";
  Answer markup =
      Call("POST", "/api/v1/tokens", admin_, {{"name", 7}, {"expires_in_days", script}});
  EXPECT_EQ(markup.status, 400);
  EXPECT_EQ(markup.body.dump().find("script"), std::string::npos) << markup.body.dump();
  ExpectAlive();
}

TEST_F(InputAttackTest, PathParametersAreDecodedOnce) {
  // A user whose address holds a literal "%41": its path form is "%2541". Decoding twice would
  // turn it into another user's address ("pAq@...").
  ASSERT_EQ(Call("POST", "/api/v1/users", admin_,
                 {{"email", "p%41q@example.com"}, {"roles", {{"dev", "viewer"}}}})
                .status,
            201);
  ASSERT_EQ(Call("POST", "/api/v1/users", admin_,
                 {{"email", "paq@example.com"}, {"roles", {{"dev", "viewer"}}}})
                .status,
            201);
  Answer changed = Call("PATCH", "/api/v1/users/p%2541q%40example.com", admin_,
                        {{"roles", {{"dev", "operator"}}}});
  ASSERT_EQ(changed.status, 200) << changed.body.dump();
  EXPECT_EQ(changed.body["email"], "p%41q@example.com");
  // The answer is kept: a loop over a member of a temporary would read freed memory.
  const Answer users = Call("GET", "/api/v1/users", admin_);
  for (const auto& u : users.body["items"]) {
    if (u["email"] == "paq@example.com") {
      EXPECT_EQ(u["roles"]["dev"], "viewer") << "the other user was changed";
    }
  }
}

TEST_F(InputAttackTest, AMadeUpEnvironmentIsA404BeforeAnythingIsRecorded) {
  for (int i = 0; i < 20; ++i) {
    const std::string env = "made-up-" + std::to_string(i);
    EXPECT_EQ(Call("GET", "/api/v1/instances/" + env + "/i-0123456789abcdef0", admin_).status, 404);
    EXPECT_EQ(Call("POST", "/api/v1/instances/" + env + "/i-0123456789abcdef0/stop", admin_).status,
              404);
  }
  auto metrics =
      RawExchange(port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->find("made-up"), std::string::npos) << "a series per made-up name";
  EXPECT_EQ(Call("GET", "/api/v1/audit?limit=1000", admin_).body.dump().find("made-up"),
            std::string::npos);
}

TEST_F(InputAttackTest, MadeUpDimensionsCannotGrowTheMetricStoreWithoutBound) {
  // 6,000 series in one scope, a thousand datapoints a request: the store keeps 5,000.
  for (int batch = 0; batch < 6; ++batch) {
    nlohmann::json data = nlohmann::json::array();
    for (int i = 0; i < 1000; ++i) {
      data.push_back({{"metric", "Requests"},
                      {"value", 1},
                      {"dimensions", {{"Path", "/p/" + std::to_string(batch * 1000 + i)}}}});
    }
    Answer put = Call("POST", "/api/v1/metrics", admin_, {{"env", "dev"}, {"data", data}});
    ASSERT_EQ(put.status, 200) << put.body.dump();
  }
  auto metrics =
      RawExchange(port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->find("ec2m_metric_series{scope=\"dev\"} 5000"), std::string::npos);
  const std::string key = "ec2m_metric_samples_dropped_total{scope=\"dev\"} ";
  const size_t at = metrics->find(key);
  ASSERT_NE(at, std::string::npos);
  // The thousand made-up series, and whatever this request's own figures add past the cap.
  EXPECT_GE(std::atoll(metrics->c_str() + at + key.size()), 1000);
  ExpectAlive();
}

TEST_F(InputAttackTest, BytesThatAreNotUtf8AreRefusedByTheEc2Endpoint) {
  SystemClock clock;
  DefaultRandom random;
  aws::AwsEc2Options options;
  options.region = "us-west-2";
  options.endpoint = plane_->ec2_url();
  options.credentials = {plane_->ec2_access_key(), plane_->ec2_secret_key(), ""};
  options.retry.max_attempts = 1;
  aws::AwsEc2 ec2(options, clock, random);
  RunInstancesRequest run;
  run.image_id = "ami-0abcdef1234567890";
  run.instance_type = "t3.micro";
  run.min_count = run.max_count = 1;
  auto launched = ec2.RunInstances(run);
  ASSERT_TRUE(launched) << launched.error().ToString();
  const std::string id = launched->instances.at(0).instance_id;
  auto tagged = ec2.CreateTags({{id}, {{"Owner", "caf\xe9 \xff\xfe"}}});
  ASSERT_FALSE(tagged);
  EXPECT_EQ(tagged.error().aws_code, "InvalidParameterValue") << tagged.error().ToString();
  // Nothing was stored, and the region still answers.
  DescribeRequest describe;
  describe.ids = {id};
  auto described = ec2.DescribeInstances(describe);
  ASSERT_TRUE(described) << described.error().ToString();
  EXPECT_TRUE(described->items.at(0).instances.at(0).tags.empty());
  ExpectAlive();
}

}  // namespace
}  // namespace ec2m::testing
