#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cloud/sigv4/sigv4.hpp"

using CURL = void;  // as in <curl/curl.h>, which this header keeps out of its users

namespace ec2m::bench {

// Where and as whom the load client talks: an EC2 Query endpoint such as "http://127.0.0.1:4566".
struct EndpointConfig {
  std::string url;
  std::string region = "us-west-2";
  std::string access_key = "test";
  std::string secret_key = "test";
  long timeout_s = 300;  // whole-call timeout; a full DescribeInstances on moto takes seconds
};

// The outcome of one call. `status` is 0 when no HTTP response arrived (then `error` says why).
struct CallResult {
  long status = 0;
  std::string error;
  std::string body;  // the first `keep_bytes` bytes of the response body
  uint64_t bytes = 0;
};

// One keep-alive HTTP/1.1 connection to an EC2 Query endpoint; every request is a form-encoded
// POST to "/" signed with SigV4 (service "ec2"). Owns one curl easy handle, so the connection is
// reused between calls. Not thread-safe: give each thread its own client.
class QueryClient {
 public:
  // REQUIRES: curl_global_init has run; config.url is "http://host:port" without a path.
  explicit QueryClient(EndpointConfig config);
  ~QueryClient();
  QueryClient(const QueryClient&) = delete;
  QueryClient& operator=(const QueryClient&) = delete;

  // Sends `form_body` (e.g. "Action=DescribeInstances&Version=2016-11-15"). Never throws for
  // transport or HTTP failures: they come back in the result. The response body is counted and
  // its first `keep_bytes` bytes kept (a short prefix is enough to report an error and is cheap
  // enough not to weigh on the measurement).
  CallResult Call(std::string_view form_body, size_t keep_bytes = 512);

 private:
  EndpointConfig config_;
  std::string host_;  // the Host header: url without the scheme
  CURL* curl_ = nullptr;
};

}  // namespace ec2m::bench
