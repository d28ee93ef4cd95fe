#include "http/listener.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

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

// The accept-queue limit the kernel keeps for the TCP socket listening on 127.0.0.1:port, read
// through sock_diag (what `ss -lt` shows as Send-Q); -1 when there is none.
int ListenBacklog(int port) {
  const int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) {
    return -1;
  }
  struct {
    nlmsghdr header;
    inet_diag_req_v2 request;
  } message{};
  message.header.nlmsg_len = sizeof message;
  message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  message.request.sdiag_family = AF_INET;
  message.request.sdiag_protocol = IPPROTO_TCP;
  message.request.idiag_states = 1U << TCP_LISTEN;
  int backlog = -1;
  if (send(fd, &message, sizeof message, 0) == static_cast<ssize_t>(sizeof message)) {
    alignas(nlmsghdr) char buffer[16384];
    for (bool done = false; !done;) {
      const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) {
        break;
      }
      const auto size = static_cast<size_t>(n);
      for (size_t offset = 0; offset + sizeof(nlmsghdr) <= size;) {
        const auto* h = reinterpret_cast<const nlmsghdr*>(buffer + offset);
        if (h->nlmsg_len < sizeof(nlmsghdr) || offset + h->nlmsg_len > size) {
          done = true;
          break;
        }
        offset += NLMSG_ALIGN(h->nlmsg_len);
        if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
          done = true;
          break;
        }
        const auto* diag = reinterpret_cast<const inet_diag_msg*>(h + 1);
        if (ntohs(diag->id.idiag_sport) == port) {
          backlog = static_cast<int>(diag->idiag_wqueue);
        }
      }
    }
  }
  close(fd);
  return backlog;
}

// httplib 0.11 listens with a backlog of 5; 64 clients connecting at once overflowed it and
// waited out SYN retransmits (a wrk p99 of 200-600 ms).
TEST(ListenerTest, ListensWithTheSystemsFullBacklog) {
  Listener listener;
  auto port = listener.Listen(
      "127.0.0.1", 0, {}, [](httplib::Server&) {}, "the test endpoint");
  ASSERT_TRUE(port) << port.error().ToString();
  EXPECT_GE(ListenBacklog(*port), 128);
}

}  // namespace
}  // namespace ec2m::http
