// Each test is an attack on the server, over raw sockets, and what it must come to: half-open
// connections and slowloris, bodies and headers over the limits, stalled and idle connections,
// a busy worker pool, too many connections, a client that does not read.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>

#include "http/server.hpp"
#include "http/server_test_support.hpp"

namespace ec2m::http {
namespace {

using Clock = std::chrono::steady_clock;

class HttpAttackTest : public HttpServerTest {};

// The answer a refused connection gets before it closes: nothing, or a 408.
bool ClosedWithNothingOr408(RawClient& client, std::chrono::milliseconds timeout) {
  std::string received;
  if (!client.WaitClosed(timeout, &received)) {
    return false;
  }
  return received.empty() || received.rfind("HTTP/1.1 408 ", 0) == 0;
}

TEST_F(HttpAttackTest, HalfOpenConnectionsAndSlowlorisDoNotStarveAHealthCheck) {
  Recorder recorder;
  ServerOptions options = SmallOptions();
  options.header_timeout = 500ms;
  const int port = Listen(options, recorder.handler());

  const auto opened = Clock::now();
  std::vector<RawClient> half_open;
  for (int i = 0; i < 80; ++i) {
    half_open.emplace_back(port);
    ASSERT_TRUE(half_open.back().Send("GET / HTTP/1.1\r\n"));
  }
  std::atomic<bool> slow_stop{false};
  std::atomic<bool> slow_cut{false};
  std::thread slowloris([&] {
    RawClient slow(port);
    const std::string header = "GET /slow HTTP/1.1\r\nX-Slow: " + std::string(1000, 'a');
    for (char c : header) {
      if (slow_stop || !slow.Send(std::string_view(&c, 1)) || slow.Readable(100ms)) {
        break;
      }
    }
    slow_cut = ClosedWithNothingOr408(slow, 2s);
  });

  const auto asked = Clock::now();
  RawClient health(port);
  auto answer = health.Exchange(Get("/health"));
  EXPECT_EQ(answer.status, 200);
  EXPECT_LT(ElapsedMs(asked), 200);
  EXPECT_LT(ElapsedMs(opened), options.header_timeout.count());  // all still open meanwhile

  for (auto& client : half_open) {
    EXPECT_TRUE(ClosedWithNothingOr408(client, options.header_timeout + 1500ms));
  }
  EXPECT_GE(ElapsedMs(opened), options.header_timeout.count() - 50);
  slowloris.join();
  slow_stop = true;
  EXPECT_TRUE(slow_cut.load());
  EXPECT_EQ(recorder.count(), 1U);
  EXPECT_GE(server_.Stats().header_timeout, 81U);
}

TEST_F(HttpAttackTest, ChunkedBodyOverTheLimitIs413BeforeItEnds) {
  Recorder recorder;
  const ServerOptions options = SmallOptions();
  const int port = Listen(options, recorder.handler());
  RawClient client(port);
  ASSERT_TRUE(
      client.Send("POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = "1000\r\n" + std::string(4096, 'x') + "\r\n";
  const size_t ten_times = 10 * options.max_body_bytes;
  size_t sent = 0;
  while (sent < ten_times && !client.Readable(2ms) && client.Send(chunk)) {
    sent += 4096;
  }
  auto answer = client.Read();
  EXPECT_EQ(answer.status, 413);
  EXPECT_EQ(answer.Header("Connection"), "close");
  EXPECT_LT(sent, ten_times);
  EXPECT_GE(sent, options.max_body_bytes);
  EXPECT_TRUE(client.WaitClosed(3s));
  EXPECT_EQ(recorder.count(), 0U);
  EXPECT_EQ(server_.Stats().too_large, 1U);
}

TEST_F(HttpAttackTest, ContentLengthOverTheLimitIs413FromTheHeaderAlone) {
  Recorder recorder;
  ServerOptions options = SmallOptions();
  options.body_timeout = 10s;  // the 413 must not wait for a deadline
  const int port = Listen(options, recorder.handler());
  RawClient client(port);
  const auto start = Clock::now();
  auto answer = client.Exchange(
      "PUT /big HTTP/1.1\r\nHost: t\r\nContent-Length: 10485760\r\n\r\n");  // no body follows
  EXPECT_EQ(answer.status, 413);
  EXPECT_LT(ElapsedMs(start), 300);
  EXPECT_EQ(answer.Header("Connection"), "close");
  EXPECT_TRUE(client.WaitClosed(3s));
  // At the limit exactly is fine.
  RawClient fits(port);
  EXPECT_EQ(fits.Exchange("PUT /fits HTTP/1.1\r\nHost: t\r\nContent-Length: 65536\r\n\r\n" +
                          std::string(65536, 'y'))
                .status,
            200);
  EXPECT_EQ(recorder.count(), 1U);
}

TEST_F(HttpAttackTest, HeaderBytesOverTheLimitAre431) {
  Recorder recorder;
  const int port = Listen(SmallOptions(), recorder.handler());
  RawClient client(port);
  auto answer = client.Exchange(Get("/h", "X-Big: " + std::string(5000, 'a') + "\r\n"));
  EXPECT_EQ(answer.status, 431);
  EXPECT_EQ(answer.Header("Connection"), "close");
  EXPECT_TRUE(client.WaitClosed(3s));
  RawClient endless(port);  // a header line that never ends
  ASSERT_TRUE(endless.Send("GET / HTTP/1.1\r\nX: " + std::string(8000, 'b')));
  EXPECT_EQ(endless.Read().status, 431);
  EXPECT_EQ(recorder.count(), 0U);
  EXPECT_EQ(server_.Stats().header_too_large, 2U);
}

TEST_F(HttpAttackTest, HeaderCountOverTheLimitIs431) {
  Recorder recorder;
  const ServerOptions options = SmallOptions();
  const int port = Listen(options, recorder.handler());
  std::string headers;
  for (size_t i = 1; i < options.max_header_count; ++i) {  // with Host: at the limit
    headers += "X-" + std::to_string(i) + ": v\r\n";
  }
  RawClient client(port);
  EXPECT_EQ(client.Exchange(Get("/at-limit", headers)).status, 200);
  auto answer = client.Exchange(Get("/over", headers + "X-One-More: v\r\n"));
  EXPECT_EQ(answer.status, 431);
  EXPECT_EQ(answer.Header("Connection"), "close");
  EXPECT_TRUE(client.WaitClosed(3s));
  EXPECT_EQ(recorder.count(), 1U);
}

TEST_F(HttpAttackTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  Recorder recorder;
  const ServerOptions options = SmallOptions();
  const int port = Listen(options, recorder.handler());
  RawClient client(port);
  EXPECT_EQ(client.Exchange(Get("/once")).status, 200);
  const auto answered = Clock::now();
  std::string received;
  EXPECT_TRUE(client.WaitClosed(options.idle_timeout + 1s, &received));
  EXPECT_GE(ElapsedMs(answered), options.idle_timeout.count() - 50);
  EXPECT_EQ(received, "");
  EXPECT_EQ(server_.Stats().idle_closed, 1U);
}

TEST_F(HttpAttackTest, StalledBodyIs408AfterBodyTimeout) {
  Recorder recorder;
  const ServerOptions options = SmallOptions();
  const int port = Listen(options, recorder.handler());
  RawClient client(port);
  const auto start = Clock::now();
  auto answer =
      client.Exchange("POST /stall HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n0123456789",
                      options.body_timeout + 1s);
  EXPECT_EQ(answer.status, 408);
  EXPECT_GE(ElapsedMs(start), options.body_timeout.count() - 50);
  EXPECT_EQ(answer.Header("Connection"), "close");
  EXPECT_TRUE(client.WaitClosed(3s));
  EXPECT_EQ(recorder.count(), 0U);
  EXPECT_EQ(server_.Stats().body_timeout, 1U);
}

TEST_F(HttpAttackTest, HandlersRunOnABoundedPoolAndRefusalsDoNotWaitForIt) {
  ServerOptions options = SmallOptions();
  options.worker_threads = 2;
  options.max_queued = 1;
  const int port = Listen(options, gate_.handler());
  RawClient first(port);
  RawClient second(port);
  ASSERT_TRUE(first.Send(Get("/block")));
  ASSERT_TRUE(second.Send(Get("/block")));
  ASSERT_TRUE(Eventually([&] { return gate_.entered() == 2; }));

  RawClient queued(port);
  ASSERT_TRUE(queued.Send(Get("/queued")));
  EXPECT_FALSE(queued.Readable(300ms));  // waits for a worker

  auto start = Clock::now();
  RawClient oversized(port);
  EXPECT_EQ(oversized.Exchange(Get("/h", "X-Big: " + std::string(5000, 'a') + "\r\n")).status, 431);
  EXPECT_LT(ElapsedMs(start), 200);

  start = Clock::now();
  RawClient full(port);
  auto refused = full.Exchange(Get("/full"));
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.Header("Retry-After"), "1");
  EXPECT_LT(ElapsedMs(start), 200);

  gate_.Release();
  EXPECT_EQ(first.Read().body, "/block");
  EXPECT_EQ(second.Read().body, "/block");
  EXPECT_EQ(queued.Read().body, "/queued");
  EXPECT_EQ(full.Exchange(Get("/after")).body, "/after");  // a 503 keeps the connection
  EXPECT_EQ(server_.Stats().queue_full, 1U);
}

TEST_F(HttpAttackTest, MaxConnectionsHoldsTheNextOneInTheBacklog) {
  Recorder recorder;
  ServerOptions options = SmallOptions();
  options.max_connections = 4;
  options.header_timeout = 10s;
  options.idle_timeout = 10s;
  const int port = Listen(options, recorder.handler());
  // Four connections in the middle of their first request: none may be closed to make room.
  std::vector<std::unique_ptr<RawClient>> four;
  for (int i = 0; i < 4; ++i) {
    four.push_back(std::make_unique<RawClient>(port));
    ASSERT_TRUE(four.back()->Send("GET /open HTTP/1.1\r\n"));
  }
  ASSERT_TRUE(Eventually([&] { return server_.Stats().connections_open == 4; }));
  RawClient fifth(port);  // the kernel completes the handshake; the server does not accept
  ASSERT_TRUE(fifth.Send(Get("/fifth")));
  EXPECT_FALSE(fifth.Readable(300ms));
  for (auto& client : four) {
    ASSERT_TRUE(client->Send("Host: x\r\n\r\n"));
    EXPECT_EQ(client->Read().status, 200);
  }
  EXPECT_EQ(server_.Stats().reclaimed, 0U);
  four[0].reset();
  auto answer = fifth.Read();
  EXPECT_EQ(answer.body, "/fifth");
  EXPECT_EQ(server_.Stats().connections_accepted, 5U);
}

TEST_F(HttpAttackTest, AtMaxConnectionsIdleKeepAlivesMakeRoom) {
  Recorder recorder;
  ServerOptions options = SmallOptions();
  options.max_connections = 4;
  options.idle_timeout = 10s;
  const int port = Listen(options, recorder.handler());
  // Four kept-alive connections idle between requests, as 10,000 idle clients would be.
  std::vector<std::unique_ptr<RawClient>> four;
  for (int i = 0; i < 4; ++i) {
    four.push_back(std::make_unique<RawClient>(port));
    ASSERT_EQ(four.back()->Exchange(Get("/open")).status, 200);
  }
  // A health check does not wait for the idle timeout: an idle one is closed for it.
  const auto start = std::chrono::steady_clock::now();
  RawClient fifth(port);
  EXPECT_EQ(fifth.Exchange(Get("/fifth")).body, "/fifth");
  EXPECT_LT(ElapsedMs(start), 2000);
  EXPECT_GE(server_.Stats().reclaimed, 1U);
  EXPECT_LE(server_.Stats().connections_open, 4U);
}

TEST_F(HttpAttackTest, ASilentStartDoesNotExtendTheHeaderDeadline) {
  ServerOptions options = SmallOptions();
  options.header_timeout = 1000ms;
  const int port = Listen(options, [](const Request&, Response&) {});
  const auto start = std::chrono::steady_clock::now();
  RawClient slow(port);
  std::this_thread::sleep_for(900ms);  // silent almost to the deadline, then a trickle
  const std::string request = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ";
  bool closed = false;
  for (size_t i = 0; i < 60 && !closed; ++i) {
    closed = !slow.Send(i < request.size() ? request.substr(i, 1) : "a");
    closed = closed || slow.WaitClosed(50ms);
  }
  // Cut at the deadline counted from the connection's start (1 s), not from its first byte (1.9 s).
  EXPECT_TRUE(closed);
  EXPECT_LT(ElapsedMs(start), 1600);
}

TEST_F(HttpAttackTest, AClientThatDoesNotReadIsCutAtTheRequestDeadline) {
  ServerOptions options = SmallOptions();
  options.request_timeout = 500ms;
  const int port = Listen(options, [](const Request&, Response& response) {
    response.body.assign(64 << 20, 'z');  // far more than the socket buffers hold
  });
  RawClient client(port);
  ASSERT_TRUE(client.Send(Get("/huge")));
  EXPECT_TRUE(Eventually([&] { return server_.Stats().aborted == 1; }, 5s));
  EXPECT_TRUE(Eventually([&] { return server_.Stats().connections_open == 0; }));
}

}  // namespace
}  // namespace ec2m::http
