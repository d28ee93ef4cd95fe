// Attacks on the HTTP layer of `ec2m serve` (issue 15, "Input"; issue 16): idle and trickling
// connections, bodies and headers past their limits, each against the real server with small
// limits set in its ec2m.json, and the headers every answer carries.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "support/plane_test.hpp"
#include "support/raw_http.hpp"

namespace ec2m::testing {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

class ServeHttpAttackTest : public PlaneTest {
 protected:
  void SetUp() override {
    plane_ = std::make_unique<ControlPlane>(
        dir_.path(), std::map<std::string, std::string>{{"dev", SimEnvironment("dev")}},
        R"(,"max_body_bytes":65536,"metrics_token":"scrape-me-0123456789",)"
        R"("http":{"header_timeout_ms":600,"body_timeout_ms":600,"idle_timeout_ms":600,)"
        R"("max_header_bytes":4096,"max_headers":20})");
    ASSERT_TRUE(plane_->Start()) << plane_->error();
  }

  int port() const { return PortOf(plane_->url()); }

  // How long /health/live takes on a fresh connection.
  milliseconds HealthTime() {
    const auto start = Clock::now();
    auto answer =
        RawExchange(port(), "GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_TRUE(answer && StatusOf(*answer) == 200) << "the server no longer answers";
    return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  }
};

TEST_F(ServeHttpAttackTest, HalfOpenConnectionsDoNotStarveAHealthCheck) {
  // 80 connections that send a request line and nothing more held every worker for seconds.
  std::vector<std::unique_ptr<RawConnection>> half_open;
  for (int i = 0; i < 80; ++i) {
    half_open.push_back(std::make_unique<RawConnection>(port()));
    ASSERT_TRUE(half_open.back()->Send("GET /api/v1/instances HTTP/1.1\r\n"));
  }
  EXPECT_LT(HealthTime().count(), 500);
  // Each is closed once the header deadline (600 ms here) passes.
  for (auto& c : half_open) {
    EXPECT_TRUE(c->ClosedWithin(milliseconds(3000)));
  }
  EXPECT_LT(HealthTime().count(), 500);
}

TEST_F(ServeHttpAttackTest, TrickledHeadersAreCutAtTheHeaderDeadline) {
  RawConnection slow(port());
  const auto start = Clock::now();
  const std::string request = "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ";
  bool closed = false;
  for (size_t i = 0; i < request.size() + 100 && !closed; ++i) {
    closed = !slow.Send(i < request.size() ? request.substr(i, 1) : "a");
    closed = closed || slow.ClosedWithin(milliseconds(100));
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(Clock::now() - start, milliseconds(3000));
}

TEST_F(ServeHttpAttackTest, AChunkedBodyPastTheLimitIsRefusedBeforeItEnds) {
  RawConnection c(port());
  ASSERT_TRUE(
      c.Send("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
             "application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = "2000\r\n" + std::string(0x2000, ' ') + "\r\n";
  std::optional<std::string> answer;
  size_t sent = 0;
  // Ten times the limit, a chunk at a time: the answer must come long before the end.
  while (sent < 10 * 65536 && !answer) {
    if (!c.Send(chunk)) {
      break;
    }
    sent += 0x2000;
    answer = c.ReadAnswer(milliseconds(20));
  }
  if (!answer) {
    answer = c.ReadAnswer(milliseconds(2000));
  }
  ASSERT_TRUE(answer) << "no answer after " << sent << " bytes";
  EXPECT_EQ(StatusOf(*answer), 413);
  EXPECT_NE(BodyOf(*answer).find("larger than 65536 bytes"), std::string::npos) << *answer;
  EXPECT_LT(sent, 4 * 65536u);
  EXPECT_LT(HealthTime().count(), 500);
}

TEST_F(ServeHttpAttackTest, AContentLengthPastTheLimitIsRefusedFromTheHeader) {
  RawConnection c(port());
  ASSERT_TRUE(
      c.Send("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: "
             "4294967296\r\n\r\n"));
  auto answer = c.ReadAnswer(milliseconds(2000));
  ASSERT_TRUE(answer);
  EXPECT_EQ(StatusOf(*answer), 413);
  EXPECT_NE(BodyOf(*answer).find("\"request_id\""), std::string::npos)
      << "not the API's error body";
}

TEST_F(ServeHttpAttackTest, HeadersPastTheirLimitsAre431) {
  auto big = RawExchange(port(), "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                     std::string(8000, 'a') + "\r\n\r\n");
  ASSERT_TRUE(big);
  EXPECT_EQ(StatusOf(*big), 431);
  std::string many = "GET /health/live HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 50; ++i) {
    many += "X-H" + std::to_string(i) + ": v\r\n";
  }
  auto counted = RawExchange(port(), many + "\r\n");
  ASSERT_TRUE(counted);
  EXPECT_EQ(StatusOf(*counted), 431);
}

TEST_F(ServeHttpAttackTest, StalledBodiesAndIdleKeepAlivesAreClosed) {
  RawConnection stalled(port());
  ASSERT_TRUE(
      stalled.Send("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: "
                   "100\r\n\r\n{\"email\""));
  auto answer = stalled.ReadAnswer(milliseconds(3000));
  ASSERT_TRUE(answer);
  EXPECT_EQ(StatusOf(*answer), 408);
  RawConnection idle(port());
  ASSERT_TRUE(idle.Send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(idle.ReadAnswer(milliseconds(2000)));
  EXPECT_TRUE(idle.ClosedWithin(milliseconds(3000)));
}

TEST_F(ServeHttpAttackTest, AnswersCarryTheSecurityHeadersAndAWrongMethodIs405) {
  auto live = RawExchange(port(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(live);
  for (const char* header : {"Content-Security-Policy: default-src 'self'; script-src 'self'",
                             "X-Content-Type-Options: nosniff", "X-Frame-Options: DENY",
                             "Referrer-Policy: no-referrer"}) {
    EXPECT_NE(live->find(header), std::string::npos) << header << "\n" << *live;
  }
  auto wrong =
      RawExchange(port(), "DELETE /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(StatusOf(*wrong), 405);
  EXPECT_NE(wrong->find("Allow: GET"), std::string::npos) << *wrong;
}

TEST_F(ServeHttpAttackTest, MetricsNeedTheirTokenAndReadinessCostsNoCloudCall) {
  auto anonymous =
      RawExchange(port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(StatusOf(*anonymous), 401);
  const std::string scrape =
      "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer scrape-me-0123456789\r\n"
      "Connection: close\r\n\r\n";
  auto before = RawExchange(port(), scrape);
  ASSERT_TRUE(before);
  EXPECT_EQ(StatusOf(*before), 200);
  auto calls = [](const std::string& text) {
    const std::string key = "ec2m_cloud_calls_total{env=\"dev\"} ";
    const size_t at = text.find(key);
    return at == std::string::npos ? -1 : std::atoi(text.c_str() + at + key.size());
  };
  // A flood of readiness checks answers from the background check: no cloud call each.
  for (int i = 0; i < 50; ++i) {
    auto ready =
        RawExchange(port(), "GET /health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    ASSERT_TRUE(ready);
    EXPECT_EQ(StatusOf(*ready), 200);
  }
  auto after = RawExchange(port(), scrape);
  ASSERT_TRUE(after);
  EXPECT_LE(calls(*after) - calls(*before), 2);
}

TEST_F(ServeHttpAttackTest, CheapReadsOfAKnownCallerNeedNoWorkerAndRefusalsAreCounted) {
  admin_ = Login(plane_->admin_email(), plane_->admin_password());
  const std::string scrape =
      "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer scrape-me-0123456789\r\n"
      "Connection: close\r\n\r\n";
  auto counter = [](const std::string& text, const std::string& key) {
    const size_t at = text.find("\n" + key + " ");
    return at == std::string::npos ? -1 : std::atoi(text.c_str() + at + key.size() + 2);
  };
  ASSERT_EQ(Call("GET", "/api/v1/instances?env=dev", admin_).status, 200);  // signs the admin in
  auto before = RawExchange(port(), scrape);
  ASSERT_TRUE(before);
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(Call("GET", "/api/v1/instances?env=dev", admin_).status, 200);
  }
  RawConnection slow(port());
  ASSERT_TRUE(slow.Send("GET /health/live HTTP/1.1\r\n"));
  ASSERT_TRUE(slow.ClosedWithin(milliseconds(3000)));
  auto after = RawExchange(port(), scrape);
  ASSERT_TRUE(after);
  EXPECT_GE(counter(*after, "ec2m_http_requests_quick_total") -
                counter(*before, "ec2m_http_requests_quick_total"),
            20)
      << *after;
  EXPECT_GE(counter(*after, "ec2m_http_refused_total{reason=\"header_timeout\"}"), 1) << *after;
  EXPECT_GE(counter(*after, "ec2m_http_connections_open"), 1) << *after;
}

// The per-principal request rate (issue 16): a burst of 20, then 2 a second.
class RateLimitAttackTest : public PlaneTest {
 protected:
  void SetUp() override {
    plane_ = std::make_unique<ControlPlane>(
        dir_.path(), std::map<std::string, std::string>{{"dev", SimEnvironment("dev")}},
        R"(,"metrics_token":"scrape-me-0123456789",)"
        R"("http":{"rate_limit_per_second":2,"rate_limit_burst":20})");
    ASSERT_TRUE(plane_->Start()) << plane_->error();
    admin_ = Login(plane_->admin_email(), plane_->admin_password());
  }

  int port() const { return PortOf(plane_->url()); }

  std::string Get(const std::string& path, const std::string& token) {
    auto answer =
        RawExchange(port(), "GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                token + "\r\nConnection: close\r\n\r\n");
    EXPECT_TRUE(answer) << "no answer";
    return answer.value_or("");
  }
};

TEST_F(RateLimitAttackTest, AFloodingUserIsRefused429WithRetryAfterAndOthersAreNot) {
  const std::string viewer = UserWith("flood@example.com", {{"dev", "viewer"}});
  int refused = 0;
  std::string refusal;
  for (int i = 0; i < 60; ++i) {
    const std::string answer = Get("/api/v1/instances?env=dev", viewer);
    if (StatusOf(answer) == 429) {
      ++refused;
      refusal = answer;
    }
  }
  // 20 at once and 2 a second: at most ~25 of 60 pass however slow this machine is.
  EXPECT_GE(refused, 30);
  EXPECT_NE(refusal.find("Retry-After: "), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("\"code\":\"throttled\""), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("too many requests from flood@example.com"), std::string::npos) << refusal;
  // The admin has a bucket of their own, and health checks are never limited.
  EXPECT_EQ(StatusOf(Get("/api/v1/instances?env=dev", admin_)), 200);
  for (int i = 0; i < 40; ++i) {
    ASSERT_EQ(StatusOf(Get("/health/live", "")), 200) << i;
  }
  const std::string metrics = Get("/metrics", "scrape-me-0123456789");
  EXPECT_NE(
      metrics.find("ec2m_http_rate_limited_total{principal=\"user\"} " + std::to_string(refused)),
      std::string::npos)
      << metrics;
}

TEST_F(RateLimitAttackTest, AThrottledFloodOfForbiddenChangesIsNotAuditedEach) {
  const std::string viewer = UserWith("denied@example.com", {{"dev", "viewer"}});
  int refused = 0;
  for (int i = 0; i < 60; ++i) {
    const int status =
        Call("POST", "/api/v1/instances/dev/i-0123456789abcdef0/stop", viewer).status;
    EXPECT_TRUE(status == 403 || status == 429) << status;
    refused += status == 429 ? 1 : 0;
  }
  EXPECT_GE(refused, 30);
  // Each denial that got past the rate is audited; the throttled ones are not written at all.
  int denials = 0;
  const Answer audit = Call("GET", "/api/v1/audit?limit=1000", admin_);
  for (const auto& entry : audit.body["items"]) {
    denials += entry.value("action", "") == "access.denied" ? 1 : 0;
  }
  EXPECT_GT(denials, 0);
  EXPECT_EQ(denials, 60 - refused) << audit.body.dump();
}

TEST_F(RateLimitAttackTest, RequestsWithABadTokenAreLimitedByAddress) {
  int refused = 0;
  for (int i = 0; i < 60; ++i) {
    const int status =
        StatusOf(Get("/api/v1/instances?env=dev", "made-up-token-" + std::to_string(i)));
    EXPECT_TRUE(status == 401 || status == 429) << status;
    refused += status == 429 ? 1 : 0;
  }
  EXPECT_GE(refused, 30);
  // The signed-in admin, calling from the same address, is not held back by them.
  EXPECT_EQ(StatusOf(Get("/api/v1/instances?env=dev", admin_)), 200);
  const std::string metrics = Get("/metrics", "scrape-me-0123456789");
  EXPECT_NE(metrics.find("ec2m_http_rate_limited_total{principal=\"address\"} "),
            std::string::npos);
}

TEST_F(RateLimitAttackTest, TheCliWaitsAsToldAndTriesAgain) {
  ASSERT_TRUE(plane_->LoginAdmin());
  // The CLI's session is the admin's: spend their burst, then ask through the CLI.
  int refused = 0;
  for (int i = 0; i < 40; ++i) {
    refused += StatusOf(Get("/api/v1/instances?env=dev", admin_)) == 429 ? 1 : 0;
  }
  ASSERT_GT(refused, 0);
  CommandResult listed = plane_->Ec2m({"instances", "list", "--env", "dev", "-o", "json"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
}

}  // namespace
}  // namespace ec2m::testing
