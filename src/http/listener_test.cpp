#include "http/listener.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

namespace ec2m::http {
namespace {

TEST(SplitHostPortTest, Cases) {
  auto ok = SplitHostPort("127.0.0.1:8080", "listen");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->first, "127.0.0.1");
  EXPECT_EQ(ok->second, 8080);
  EXPECT_EQ(SplitHostPort("[::1]:0", "listen")->first, "[::1]");
  for (const char* bad : {"127.0.0.1", ":80", "h:", "h:x", "h:65536", "h:-1", "h:80x"}) {
    auto r = SplitHostPort(bad, "listen");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message,
              std::string("listen: expected HOST:PORT (port 0..65535), got \"") + bad + "\"");
  }
}

TEST(ListenerTest, ServesStopsAndRefusesATakenPort) {
  Listener listener;
  auto install = [](httplib::Server& s) {
    s.Get("/ping", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("pong", "text/plain");
    });
  };
  auto port = listener.Listen("127.0.0.1", 0, {}, install, "the test endpoint");
  ASSERT_TRUE(port) << port.error().ToString();
  httplib::Client client("127.0.0.1", *port);
  auto res = client.Get("/ping");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "pong");

  auto again = listener.Listen("127.0.0.1", 0, {}, install, "the test endpoint");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);

  Listener other;
  auto taken = other.Listen("127.0.0.1", *port, {}, install, "the other endpoint");
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(taken.error().message.find("cannot bind the other endpoint"), std::string::npos);

  listener.Stop();
  listener.Stop();
  EXPECT_FALSE(httplib::Client("127.0.0.1", *port).Get("/ping"));
}

}  // namespace
}  // namespace ec2m::http
