// HttpClient against a real http::Server on 127.0.0.1: the answer's headers, a private CA file
// for TLS, and what a failed exchange leaves.
#include "cloud/aws/http_client.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "http/server.hpp"

namespace ec2m::aws {
namespace {

class HttpClientTest : public ::testing::Test {
 protected:
  // Serves `options` on an ephemeral port: every request is answered 201 with two headers.
  std::string Serve(http::ServerOptions options = {}) {
    options.io_threads = 1;
    options.worker_threads = 2;
    auto port = server_.Listen(
        "127.0.0.1", 0, options,
        [](const http::Request&, http::Response& res) {
          res.status = 201;
          res.headers.emplace_back("X-Request-Id", "req-7");
          res.headers.emplace_back("X-Custom", "  padded value ");
          res.body = "made";
        },
        "the test endpoint");
    if (!port.has_value()) {
      ADD_FAILURE() << port.error().ToString();
      return "http://127.0.0.1:1";
    }
    const std::string scheme = options.tls_cert.empty() ? "http" : "https";
    return scheme + "://127.0.0.1:" + std::to_string(*port);
  }

  http::Server server_;
};

TEST_F(HttpClientTest, AnswersCarryTheirHeaders) {
  const std::string url = Serve();
  HttpClient client(HttpClientOptions{});
  const HttpResult r = client.Send("PUT", url + "/x", {{"Content-Type", "text/plain"}}, "body");
  ASSERT_EQ(r.status, 201) << r.transport_error;
  EXPECT_EQ(r.body, "made");
  EXPECT_EQ(r.request_id, "req-7");
  EXPECT_EQ(r.Header("x-custom"), "padded value");
  EXPECT_EQ(r.Header("X-CUSTOM"), "padded value");
  EXPECT_EQ(r.Header("X-Absent"), "");
}

TEST_F(HttpClientTest, NoAnswerLeavesStatusZeroAndNoHeaders) {
  const std::string url = Serve();
  server_.Stop();
  HttpClient client(HttpClientOptions{});
  const HttpResult r = client.Send("GET", url + "/x", {}, "");
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.transport_error.empty());
  EXPECT_TRUE(r.headers.empty());
  EXPECT_EQ(r.request_id, "");
}

TEST_F(HttpClientTest, TrustsASelfSignedCertificateOnlyThroughItsCaFile) {
  char dir_template[] = "/tmp/ec2m_http_client_XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  const std::string command = "cd " + dir +
                              " && openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem"
                              " -out c.pem -days 1 -subj /CN=127.0.0.1 >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  http::ServerOptions tls;
  tls.tls_cert = dir + "/c.pem";
  tls.tls_key = dir + "/k.pem";
  const std::string url = Serve(tls);

  HttpClient system_cas(HttpClientOptions{});
  const HttpResult untrusted = system_cas.Send("GET", url + "/x", {}, "");
  EXPECT_EQ(untrusted.status, 0);
  EXPECT_FALSE(untrusted.transport_error.empty());

  HttpClientOptions options;
  options.ca_file = dir + "/c.pem";
  HttpClient trusting(options);
  const HttpResult trusted = trusting.Send("GET", url + "/x", {}, "");
  EXPECT_EQ(trusted.status, 201) << trusted.transport_error;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ec2m::aws
