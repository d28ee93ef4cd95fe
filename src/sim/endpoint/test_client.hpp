#pragma once

// Test support for sim_endpoint_test: a real SimRegion on a SQLite store in a temp directory,
// served by a QueryServer on 127.0.0.1:<ephemeral>, and a client that signs like botocore (over
// the project's libcurl client, aws::HttpClient, whose connections are kept alive).

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <pugixml.hpp>
#include <string>

#include "cloud/aws/http_client.hpp"
#include "cloud/sigv4/sigv4.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "sim/endpoint/query_server.hpp"
#include "sim/region.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ec2m::sim::testing {

inline const sigv4::Credentials kCredentials{"AKIDEXAMPLE",
                                             "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
inline const sigv4::Credentials kOtherCredentials{"AKIDOTHER", "other-secret-key", ""};
inline constexpr char kFormContentType[] = "application/x-www-form-urlencoded; charset=utf-8";
// 2026-01-15T10:00:00Z, the ManualClock's start.
inline constexpr int64_t kStartMillis = 1768471200000;

// One HTTP answer.
struct Reply {
  int status = 0;  // 0: no response (connection failed)
  std::string body;
  std::string content_type;
  std::string request_id;         // x-amzn-RequestId
  std::string content_length;     // "" when absent
  std::string transfer_encoding;  // "chunked" for a streamed answer
};

// How to sign a request; defaults sign correctly for the fixture's server.
struct Signing {
  sigv4::Credentials credentials = kCredentials;
  std::string region = "us-west-2";
  std::optional<TimePoint> time;  // default: the fixture clock's now
  bool sign = true;
};

class EndpointTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // POST / with `body` (already form-encoded).
  Reply Post(const std::string& body, const Signing& signing = {});
  // GET /?<query> (already encoded), signed in the header form.
  Reply Get(const std::string& query, const Signing& signing = {});
  // An admin request; `key` empty: no X-Ec2m-Admin-Key header.
  Reply Admin(const std::string& method, const std::string& path, const std::string& key,
              const std::string& body = "");

  // The EC2 error code of an error body ("" if it is not one).
  static std::string Ec2Error(const Reply& reply);
  // Parses an XML body; fails the test if it is not well formed.
  static pugi::xml_node Xml(pugi::xml_document& doc, const Reply& reply);
  // "http://127.0.0.1:<port_>".
  std::string BaseUrl() const;

  std::filesystem::path dir_;
  std::unique_ptr<ManualClock> clock_;
  std::unique_ptr<DefaultRandom> random_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<SimRegion> region_;
  std::unique_ptr<QueryServer> server_;
  int describe_window_ = 0;  // > 0: the server's describe window, set before SetUp()
  int port_ = 0;
  std::unique_ptr<aws::HttpClient> client_;
};

}  // namespace ec2m::sim::testing
