#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ec2m::aws {

// What one HTTP exchange gave: a status and body, or a transport failure (no response).
struct HttpResult {
  int status = 0;  // 0 when no response arrived
  std::string body;
  std::string request_id;       // x-amzn-RequestId or X-Request-Id, when sent
  bool timed_out = false;       // connect or request timeout
  std::string transport_error;  // libcurl's description when no response arrived
  // The response's headers as received, in order, names in their case (the final response's
  // only, after any 1xx).
  std::vector<std::pair<std::string, std::string>> headers;

  // The first header of that name, compared case-insensitively; "" when absent.
  std::string Header(std::string_view name) const;
};

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds request_timeout{30000};
  bool verify_tls = true;  // certificate and host name; never off for real AWS
  // A PEM file of the certificate authorities to trust instead of the system's ("": the
  // system's), for endpoints with a private CA or a self-signed certificate.
  std::string ca_file;
};

// HTTP(S) over libcurl, reusing connections: finished handles return to a pool, so a
// sequence of calls to one endpoint rides one keep-alive connection. Thread-safe; calls from
// several threads use separate handles.
class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `body` to `url` with `headers`; never throws.
  HttpResult Post(const std::string& url,
                  const std::vector<std::pair<std::string, std::string>>& headers,
                  const std::string& body);
  // Any method: GET sends no body; POST, PUT, PATCH and DELETE send `body`.
  HttpResult Send(const std::string& method, const std::string& url,
                  const std::vector<std::pair<std::string, std::string>>& headers,
                  const std::string& body);

 private:
  struct Handle;
  std::unique_ptr<Handle> Take();
  void Give(std::unique_ptr<Handle> handle);

  HttpClientOptions options_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Handle>> idle_;  // guarded by mu_
};

}  // namespace ec2m::aws
