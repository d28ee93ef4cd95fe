// The server's contract with handlers and its lifecycle, over raw sockets: what a request carries,
// keep-alive and pipelining, answers (whole, streamed, cut), refusals, Listen and Stop. TLS is in
// server_tls_test.cpp, the attacks in server_attack_test.cpp.
#include "http/server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <thread>

#include "http/server_test_support.hpp"
#include "http/worker_pool.hpp"

namespace ec2m::http {
namespace {

TEST(HttpPercentDecodeTest, DecodesOnceAndRejectsInvalidEscapes) {
  EXPECT_EQ(PercentDecode("/a%2540b", false), "/a%40b");
  EXPECT_EQ(PercentDecode("a%40b%2Fc", false), "a@b/c");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a+b%2B", true), "a b+");
  EXPECT_EQ(PercentDecode("", false), "");
  for (const char* bad : {"%zz", "%4", "%", "a%g0", "%0"}) {
    EXPECT_EQ(PercentDecode(bad, false), std::nullopt) << bad;
  }
}

TEST(HttpRequestTest, HeaderQueryAndSet) {
  Request request;
  request.headers = {{"X-Amz-Date", "1"}, {"x-amz-date", "2"}, {"Host", "h"}};
  request.raw_query = "limit=5&name=a%40b+c&flag&limit=6&bad=%zz";
  EXPECT_EQ(request.Header("x-AMZ-date"), "1");
  EXPECT_EQ(request.Header("absent"), "");
  EXPECT_TRUE(request.HasHeader("HOST"));
  EXPECT_FALSE(request.HasHeader("Hos"));
  EXPECT_EQ(request.Query("limit"), "5");
  EXPECT_EQ(request.Query("name"), "a@b c");
  EXPECT_EQ(request.Query("flag"), "");
  EXPECT_EQ(request.Query("absent"), std::nullopt);
  EXPECT_EQ(request.Query("bad"), std::nullopt);

  Response response;
  response.headers = {{"content-type", "a"}, {"X", "1"}, {"Content-Type", "b"}};
  response.Set("Content-Type", "c");
  ASSERT_EQ(response.headers.size(), 2U);
  EXPECT_EQ(response.headers[1], (std::pair<std::string, std::string>("Content-Type", "c")));
}

TEST(HttpWorkerPoolTest, RefusesBeyondTheBoundAndStopRunsWhatIsQueued) {
  WorkerPool pool(1, 1);
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::atomic<int> ran{0};
  ASSERT_TRUE(pool.TryPost([&] {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return release; });
    ++ran;
  }));
  ASSERT_TRUE(pool.TryPost([&] { ++ran; }));   // waits: the one place in the queue
  EXPECT_FALSE(pool.TryPost([&] { ++ran; }));  // the thread is busy and the queue full
  pool.Post([&] { ++ran; });                   // beyond the bound
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  pool.Stop();
  EXPECT_EQ(ran.load(), 3);
  EXPECT_FALSE(pool.TryPost([] {}));
}

TEST_F(HttpServerTest, GetCarriesMethodPathQueryHeadersAndRemoteAddress) {
  Recorder recorder;
  const int port = Listen(SmallOptions(), recorder.handler());
  RawClient client(port);
  auto answer = client.Exchange(
      "GET /users/a%2540b?limit=5&name=a%40b+c&limit=6 HTTP/1.1\r\n"
      "Host: test\r\nX-Amz-Date: 20250101T000000Z\r\nx-custom: One\r\n\r\n");
  ASSERT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, "/users/a%40b");
  EXPECT_EQ(answer.Header("Content-Length"), "12");
  EXPECT_EQ(answer.Header("Content-Type"), "text/plain");
  ASSERT_EQ(recorder.count(), 1U);
  const Request seen = recorder.at(0);
  EXPECT_EQ(seen.method, "GET");
  EXPECT_EQ(seen.target, "/users/a%2540b?limit=5&name=a%40b+c&limit=6");
  EXPECT_EQ(seen.path, "/users/a%40b");
  EXPECT_EQ(seen.raw_query, "limit=5&name=a%40b+c&limit=6");
  EXPECT_EQ(seen.Query("limit"), "5");
  EXPECT_EQ(seen.Query("name"), "a@b c");
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Host", "test"}, {"X-Amz-Date", "20250101T000000Z"}, {"x-custom", "One"}};
  EXPECT_EQ(seen.headers, headers);
  EXPECT_EQ(seen.Header("X-CUSTOM"), "One");
  EXPECT_EQ(seen.remote_addr, "127.0.0.1");
  EXPECT_FALSE(seen.tls);
  EXPECT_EQ(seen.body, "");
}

TEST_F(HttpServerTest, PostBodyByContentLengthAndChunked) {
  Recorder recorder;
  const int port = Listen(SmallOptions(), recorder.handler());
  RawClient client(port);
  EXPECT_EQ(client
                .Exchange("POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\n"
                          "hello world")
                .status,
            200);
  EXPECT_EQ(client
                .Exchange("POST /b HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n")
                .status,
            200);
  ASSERT_EQ(recorder.count(), 2U);
  EXPECT_EQ(recorder.at(0).method, "POST");
  EXPECT_EQ(recorder.at(0).body, "hello world");
  EXPECT_EQ(recorder.at(1).body, "hello world");
}

TEST_F(HttpServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  Recorder recorder;
  const int port = Listen(SmallOptions(), recorder.handler());
  RawClient client(port);
  auto first = client.Exchange(Get("/one"));
  auto second = client.Exchange(Get("/two"));
  EXPECT_EQ(first.body, "/one");
  EXPECT_EQ(second.body, "/two");
  EXPECT_EQ(first.Header("Connection"), "");
  EXPECT_FALSE(client.closed());
  EXPECT_EQ(server_.Stats().connections_accepted, 1U);
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  Recorder recorder;
  const int port = Listen(SmallOptions(), recorder.handler());
  RawClient client(port);
  // The POST has neither Content-Length nor chunked encoding: no body (RFC 9112), so the GET
  // after it is a request of its own.
  ASSERT_TRUE(
      client.Send(Get("/first") + "POST /second HTTP/1.1\r\nHost: t\r\n\r\n" + Get("/third")));
  EXPECT_EQ(client.Read().body, "/first");
  EXPECT_EQ(client.Read().body, "/second");
  EXPECT_EQ(client.Read().body, "/third");
  ASSERT_EQ(recorder.count(), 3U);
  EXPECT_EQ(recorder.at(1).body, "");
}

// Answered on the loop and written at once, each pipelined request leads straight into the next:
// thousands of them in one send are answered in order, on one connection.
TEST_F(HttpServerTest, ManyPipelinedQuickRequestsAreAnsweredInOrder) {
  constexpr int kRequests = 3000;
  ServerOptions options = SmallOptions();
  options.quick = [](const Request& request, Response& response) {
    response.body = request.path;
    return true;
  };
  Recorder recorder;
  const int port = Listen(options, recorder.handler());
  RawClient client(port);
  std::string requests;
  for (int i = 0; i < kRequests; ++i) {
    requests += Get("/" + std::to_string(i));
  }
  ASSERT_TRUE(client.Send(requests));
  for (int i = 0; i < kRequests; ++i) {
    auto answer = client.Read(5s);
    ASSERT_EQ(answer.body, "/" + std::to_string(i));
  }
  EXPECT_EQ(server_.Stats().quick, static_cast<uint64_t>(kRequests));
  EXPECT_EQ(server_.Stats().connections_accepted, 1U);
  EXPECT_EQ(recorder.count(), 0U);
}

TEST_F(HttpServerTest, Http10ClosesUnlessKeptAlive) {
  Recorder recorder;
  const int port = Listen(SmallOptions(), recorder.handler());
  RawClient kept(port);
  auto answer = kept.Exchange("GET /k HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(kept.Exchange("GET /k2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").body, "/k2");
  RawClient plain(port);
  answer = plain.Exchange("GET /c HTTP/1.0\r\n\r\n");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, "/c");
  EXPECT_TRUE(plain.WaitClosed(1s));
}

TEST_F(HttpServerTest, HeadAndExpectContinue) {
  Recorder recorder;
  const int port = Listen(SmallOptions(), recorder.handler());
  RawClient client(port);
  ASSERT_TRUE(client.Send("HEAD /head HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto head = client.Read(3s, /*head=*/true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("Content-Length"), "5");
  ASSERT_TRUE(client.Send(
      "PUT /put HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n"));
  EXPECT_EQ(client.Read().status, 100);
  ASSERT_TRUE(client.Send("data"));
  EXPECT_EQ(client.Read().body, "/put");
  ASSERT_EQ(recorder.count(), 2U);
  EXPECT_EQ(recorder.at(1).body, "data");
}

TEST_F(HttpServerTest, MalformedRequestsAre400AndClose) {
  Recorder recorder;
  ServerOptions options = SmallOptions();
  options.refusal = [](int status, std::string_view message, Response& response) {
    response.Set("Content-Type", "application/json");
    response.body =
        "{\"status\":" + std::to_string(status) + ",\"message\":\"" + std::string(message) + "\"}";
  };
  const int port = Listen(options, recorder.handler());
  const char* const requests[] = {
      "GET /a%zz HTTP/1.1\r\nHost: t\r\n\r\n",
      "GET /a%4 HTTP/1.1\r\nHost: t\r\n\r\n",
      "GET /a?q=%g1 HTTP/1.1\r\nHost: t\r\n\r\n",
      "GET * HTTP/1.1\r\nHost: t\r\n\r\n",
      "GET http://t/a HTTP/1.1\r\nHost: t\r\n\r\n",
      "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n",
      "POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
      "POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
      "GET /a HTTP/1.1\r\nBad Header: x\r\n\r\n",
      "NOT A REQUEST\r\n\r\n",
      "GET / HTTP/2.0\r\nHost: t\r\n\r\n",
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",  // the HTTP/2 preface
  };
  for (const char* request : requests) {
    RawClient client(port);
    auto answer = client.Exchange(request);
    EXPECT_EQ(answer.status, 400) << request;
    EXPECT_EQ(answer.Header("Connection"), "close") << request;
    EXPECT_EQ(answer.Header("Content-Type"), "application/json") << request;
    EXPECT_EQ(answer.body.rfind("{\"status\":400,", 0), 0U) << answer.body;
    EXPECT_TRUE(client.WaitClosed(1s)) << request;
  }
  EXPECT_EQ(recorder.count(), 0U);
  EXPECT_EQ(server_.Stats().bad_request, std::size(requests));
}

TEST_F(HttpServerTest, ThrowingOrInvalidHandlerIs500ThroughRefusal) {
  ServerOptions options = SmallOptions();
  options.refusal = [](int status, std::string_view message, Response& response) {
    response.body = std::to_string(status) + " " + std::string(message);
  };
  const int port = Listen(options, [](const Request& request, Response& response) {
    if (request.path == "/throw") {
      throw std::runtime_error("secret detail");
    }
    if (request.path == "/status") {
      response.status = 42;
    }
    if (request.path == "/split") {
      response.Set("X-Injected", "a\r\nSet-Cookie: evil=1");
    }
  });
  RawClient client(port);
  for (const char* path : {"/throw", "/status", "/split"}) {
    auto answer = client.Exchange(Get(path));
    EXPECT_EQ(answer.status, 500) << path;
    EXPECT_EQ(answer.body, "500 internal error") << path;
    EXPECT_EQ(answer.Header("Set-Cookie"), "") << path;
  }
  EXPECT_EQ(client.Exchange(Get("/fine")).status, 200);  // the connection lives on
  EXPECT_EQ(server_.Stats().handler_errors, 3U);
}

TEST_F(HttpServerTest, QuickAnswersComeFromTheLoopWhileEveryWorkerIsBusy) {
  ServerOptions options = SmallOptions();
  options.worker_threads = 1;
  options.max_queued = 1;
  options.refusal = [](int status, std::string_view message, Response& response) {
    response.body = std::to_string(status) + " " + std::string(message);
  };
  options.quick = [](const Request& request, Response& response) {
    if (request.path == "/quick-throw") {
      throw std::runtime_error("secret detail");
    }
    if (request.path != "/quick") {
      response.body = "left over";  // must not leak into the pool's answer
      return false;
    }
    response.body = "quick";
    return true;
  };
  const int port = Listen(options, gate_.handler());
  // The one worker is held and one request waits for it: the pool is full.
  RawClient held(port);
  ASSERT_TRUE(held.Send(Get("/block")));
  ASSERT_TRUE(Eventually([&] { return gate_.entered() == 1; }));
  RawClient queued(port);
  ASSERT_TRUE(queued.Send(Get("/waits")));
  ASSERT_TRUE(Eventually([&] { return server_.Stats().requests == 2; }));
  RawClient client(port);
  for (int i = 0; i < 20; ++i) {
    auto answer = client.Exchange(Get("/quick"));
    ASSERT_EQ(answer.status, 200);
    EXPECT_EQ(answer.body, "quick");
  }
  EXPECT_EQ(client.Exchange(Get("/quick-throw")).body, "500 internal error");
  // Not quick: the pool is full, so 503 (and the pool's answers, once released, are its own).
  EXPECT_EQ(client.Exchange(Get("/slow")).status, 503);
  gate_.Release();
  EXPECT_EQ(queued.Read().body, "/waits");
  EXPECT_EQ(client.Exchange(Get("/after")).body, "/after");
  EXPECT_EQ(server_.Stats().quick, 21U);
}

TEST_F(HttpServerTest, StreamedAnswerArrivesWholeAndInOrder) {
  constexpr int kPieces = 200;
  constexpr size_t kPiece = 64 * 1024;
  const int port = Listen(SmallOptions(), [](const Request&, Response& response) {
    response.Set("Content-Type", "application/octet-stream");
    response.stream = [next = 0](std::string& out) mutable -> Result<bool> {
      char label[16];
      std::snprintf(label, sizeof label, "%05d", next);
      out.assign(kPiece, static_cast<char>('a' + next % 26));
      out.replace(0, 5, label);
      return ++next < kPieces;
    };
  });
  RawClient client(port);
  auto answer = client.Exchange(Get("/big"), 20s);
  ASSERT_EQ(answer.status, 200);
  EXPECT_TRUE(answer.chunked);
  EXPECT_TRUE(answer.complete);
  EXPECT_EQ(answer.Header("Content-Length"), "");
  EXPECT_EQ(answer.chunks, static_cast<size_t>(kPieces));
  ASSERT_EQ(answer.body.size(), kPieces * kPiece);
  for (int i = 0; i < kPieces; ++i) {
    char label[16];
    std::snprintf(label, sizeof label, "%05d", i);
    ASSERT_EQ(answer.body.substr(i * kPiece, 5), label);
    ASSERT_EQ(answer.body[i * kPiece + kPiece - 1], static_cast<char>('a' + i % 26));
  }
  EXPECT_EQ(client.Exchange(Get("/again"), 20s).chunks, static_cast<size_t>(kPieces));
}

TEST_F(HttpServerTest, SharedBodyIsWrittenFromTheSharedString) {
  auto page = std::make_shared<const std::string>(std::string(256 * 1024, 'p') + "end");
  const int port = Listen(SmallOptions(), [page](const Request&, Response& response) {
    response.Set("Content-Type", "application/json");
    response.body = "ignored";
    response.shared_body = page;
  });
  RawClient client(port);
  auto answer = client.Exchange(Get("/page"));
  ASSERT_EQ(answer.status, 200);
  EXPECT_EQ(answer.Header("Content-Length"), std::to_string(page->size()));
  EXPECT_EQ(answer.body, *page);
  ASSERT_TRUE(client.Send("HEAD /page HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto head = client.Read(3s, true);
  EXPECT_EQ(head.Header("Content-Length"), std::to_string(page->size()));
  EXPECT_EQ(client.Exchange(Get("/again")).body, *page);  // the connection is still in step
}

// The next piece is produced while the one before it is written: here the first piece is more
// than the socket buffers hold and the client reads nothing until the second was asked for.
TEST_F(HttpServerTest, StreamedPieceIsProducedWhileTheOneBeforeIsWritten) {
  constexpr size_t kFirst = 32 << 20;
  std::atomic<int> calls{0};
  const int port = Listen(SmallOptions(), [&calls](const Request&, Response& response) {
    response.stream = [&calls](std::string& out) mutable -> Result<bool> {
      const int call = ++calls;
      out.assign(call == 1 ? kFirst : 10, 'x');
      return call < 3;
    };
  });
  RawClient client(port);
  ASSERT_TRUE(client.Send(Get("/big")));
  EXPECT_TRUE(Eventually([&calls] { return calls.load() >= 2; }));
  auto answer = client.Read(20s);
  EXPECT_TRUE(answer.complete);
  EXPECT_EQ(answer.body.size(), kFirst + 20);
  EXPECT_EQ(calls.load(), 3);
}

TEST_F(HttpServerTest, StreamErrorAndDropAfterHeadersCutTheAnswer) {
  const int port = Listen(SmallOptions(), [](const Request& request, Response& response) {
    if (request.path == "/fail") {
      response.stream = [next = 0](std::string& out) mutable -> Result<bool> {
        if (next++ == 3) {
          return Fail(ErrorCode::kUnavailable, "the store went away");
        }
        out = "piece";
        return true;
      };
      return;
    }
    response.body = "hello";
    response.drop_after_headers = true;
  });
  RawClient failing(port);
  auto cut = failing.Exchange(Get("/fail"));
  EXPECT_EQ(cut.status, 200);
  EXPECT_TRUE(cut.chunked);
  EXPECT_FALSE(cut.complete);
  EXPECT_EQ(cut.body, "piecepiecepiece");
  EXPECT_TRUE(failing.WaitClosed(1s));

  RawClient dropped(port);
  auto answer = dropped.Exchange(Get("/drop"));
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.Header("Content-Length"), "6");
  EXPECT_FALSE(answer.complete);
  EXPECT_EQ(answer.body, "");
  EXPECT_TRUE(dropped.WaitClosed(1s));
  EXPECT_EQ(server_.Stats().aborted, 1U);
}

TEST_F(HttpServerTest, ListenErrors) {
  Recorder recorder;
  const int port = Listen(SmallOptions(), recorder.handler());
  auto again = server_.Listen("127.0.0.1", 0, SmallOptions(), recorder.handler(), "the server");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);

  Server other;
  auto taken = other.Listen("127.0.0.1", port, SmallOptions(), recorder.handler(), "the other");
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(taken.error().message.find("cannot bind the other to 127.0.0.1:"), std::string::npos)
      << taken.error().message;

  ServerOptions zero = SmallOptions();
  zero.worker_threads = 0;
  EXPECT_EQ(other.Listen("127.0.0.1", 0, zero, recorder.handler(), "x").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(other.Listen("127.0.0.1", 0, SmallOptions(), nullptr, "x").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      other.Listen("no.such.host.invalid", 0, SmallOptions(), recorder.handler(), "x").error().code,
      ErrorCode::kUnavailable);
  EXPECT_EQ(RawClient(port).Exchange(Get("/still")).status, 200);
}

TEST_F(HttpServerTest, StopLetsTheRequestInFlightFinishThenListenWorksAgain) {
  const int port = Listen(SmallOptions(), gate_.handler());
  RawClient idle(port);
  EXPECT_EQ(idle.Exchange(Get("/idle")).status, 200);
  RawClient busy(port);
  ASSERT_TRUE(busy.Send(Get("/block")));
  ASSERT_TRUE(Eventually([&] { return gate_.entered() == 1; }));

  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    server_.Stop();
    stopped = true;
  });
  EXPECT_TRUE(Eventually([&] { return raw::ConnectionRefused(port); }));
  EXPECT_TRUE(idle.WaitClosed(1s));  // idle keep-alive connections close at once
  EXPECT_FALSE(stopped.load());
  gate_.Release();
  auto answer = busy.Read();
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, "/block");
  EXPECT_EQ(answer.Header("Connection"), "close");
  stopper.join();
  EXPECT_TRUE(stopped.load());
  EXPECT_EQ(server_.Stats().connections_open, 0U);
  server_.Stop();  // idempotent

  auto relisten = server_.Listen("127.0.0.1", port, SmallOptions(), gate_.handler(), "again");
  ASSERT_TRUE(relisten) << relisten.error().ToString();
  EXPECT_EQ(*relisten, port);
  EXPECT_EQ(RawClient(port).Exchange(Get("/back")).body, "/back");
}

TEST(HttpSplitHostPortTest, Cases) {
  auto ok = SplitHostPort("127.0.0.1:8080", "listen");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->first, "127.0.0.1");
  EXPECT_EQ(ok->second, 8080);
  EXPECT_EQ(SplitHostPort("[::1]:0", "listen")->first, "[::1]");
  for (const char* bad : {"127.0.0.1", ":80", "h:", "h:x", "h:65536", "h:-1", "h:80x"}) {
    auto r = SplitHostPort(bad, "listen");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message.rfind("listen: expected HOST:PORT (port 0..65535), got ", 0), 0u);
  }
}

}  // namespace
}  // namespace ec2m::http
