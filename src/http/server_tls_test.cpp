// HTTPS: a self-signed certificate made at test time with the openssl command line, a client on
// OpenSSL's SSL_* API, plaintext on the TLS port, bad certificate and key files.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "http/server.hpp"
#include "http/server_test_support.hpp"

namespace ec2m::http {
namespace {

// A self-signed certificate and key made with the openssl command line, once for the suite.
class HttpTlsTest : public HttpServerTest {
 protected:
  static void SetUpTestSuite() {
    char dir_template[] = "/tmp/ec2m_tls_XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    const std::string command = "cd " + dir_ +
                                " && openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem"
                                " -out c.pem -days 1 -subj /CN=localhost >/dev/null 2>&1"
                                " && openssl ecparam -genkey -name prime256v1 -noout"
                                " -out other.pem >/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }

  static ServerOptions TlsOptions() {
    ServerOptions options = SmallOptions();
    options.tls_cert = dir_ + "/c.pem";
    options.tls_key = dir_ + "/k.pem";
    return options;
  }

  static std::string dir_;
};
std::string HttpTlsTest::dir_;

TEST_F(HttpTlsTest, ServesHttps) {
  Recorder recorder;
  const int port = Listen(TlsOptions(), recorder.handler());
  RawClient client(port, /*tls=*/true);
  ASSERT_TRUE(client.ok());
  auto answer = client.Exchange(Get("/secure?x=1"));
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, "/secure");
  EXPECT_EQ(client.Exchange(Get("/again")).body, "/again");
  ASSERT_EQ(recorder.count(), 2U);
  EXPECT_TRUE(recorder.at(0).tls);
  EXPECT_EQ(recorder.at(0).Query("x"), "1");
}

TEST_F(HttpTlsTest, PlaintextOnTheTlsPortIsClosedByTheHandshakeDeadline) {
  Recorder recorder;
  const ServerOptions options = TlsOptions();
  const int port = Listen(options, recorder.handler());
  RawClient plaintext(port);
  ASSERT_TRUE(plaintext.Send(Get("/plain")));
  std::string received;
  EXPECT_TRUE(plaintext.WaitClosed(options.header_timeout + 1s, &received));
  EXPECT_EQ(received.rfind("HTTP/", 0), std::string::npos);

  const auto start = std::chrono::steady_clock::now();
  RawClient silent(port);
  EXPECT_TRUE(silent.WaitClosed(options.header_timeout + 1s));
  EXPECT_GE(ElapsedMs(start), options.header_timeout.count() - 50);
  EXPECT_EQ(recorder.count(), 0U);
  EXPECT_TRUE(Eventually([&] { return server_.Stats().tls_handshake_failed == 2; }));
  EXPECT_EQ(RawClient(port, true).Exchange(Get("/ok")).status, 200);
}

TEST_F(HttpTlsTest, BadFilesAreInvalidArgumentNamingTheFile) {
  Recorder recorder;
  ServerOptions options = TlsOptions();
  options.tls_cert = dir_ + "/missing.pem";
  auto missing = server_.Listen("127.0.0.1", 0, options, recorder.handler(), "the endpoint");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(missing.error().message.find(options.tls_cert), std::string::npos)
      << missing.error().message;

  options = TlsOptions();
  options.tls_key = dir_ + "/other.pem";  // a key, but not the certificate's
  auto mismatch = server_.Listen("127.0.0.1", 0, options, recorder.handler(), "the endpoint");
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(mismatch.error().message.find(options.tls_key), std::string::npos)
      << mismatch.error().message;

  options = TlsOptions();
  options.tls_key.clear();
  auto half = server_.Listen("127.0.0.1", 0, options, recorder.handler(), "the endpoint");
  ASSERT_FALSE(half);
  EXPECT_EQ(half.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace ec2m::http
