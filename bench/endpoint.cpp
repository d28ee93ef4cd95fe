#include "endpoint.hpp"

#include <chrono>
#include <utility>
#include <vector>

#include "cloud/sigv4/sigv4.hpp"

namespace ec2m::bench {

namespace {

std::string HostOf(const std::string& url) {
  std::string host = url;
  if (const auto scheme = host.find("://"); scheme != std::string::npos) {
    host.erase(0, scheme + 3);
  }
  if (const auto slash = host.find('/'); slash != std::string::npos) {
    host.erase(slash);
  }
  return host;
}

}  // namespace

aws::HttpClientOptions HttpOptions(const EndpointConfig& endpoint) {
  aws::HttpClientOptions options;
  options.request_timeout = std::chrono::seconds(endpoint.timeout_s);
  return options;
}

aws::AwsEc2Options Ec2Options(const EndpointConfig& endpoint) {
  aws::AwsEc2Options options;
  options.region = endpoint.region;
  options.endpoint = endpoint.url;
  options.credentials.access_key_id = endpoint.access_key;
  options.credentials.secret_access_key = endpoint.secret_key;
  options.retry.max_attempts = 1;
  options.http = HttpOptions(endpoint);
  return options;
}

aws::HttpResult PostSigned(aws::HttpClient& http, const EndpointConfig& endpoint,
                           const std::string& form_body) {
  sigv4::HttpRequest req;
  req.method = "POST";
  req.path = "/";
  req.headers = {{"Host", HostOf(endpoint.url)},
                 {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  req.body = form_body;
  sigv4::SigningParams signing;
  signing.credentials.access_key_id = endpoint.access_key;
  signing.credentials.secret_access_key = endpoint.secret_key;
  signing.region = endpoint.region;
  signing.service = "ec2";
  signing.time = std::chrono::system_clock::now();
  sigv4::SignHeaders(req, signing);
  std::vector<std::pair<std::string, std::string>> headers;
  for (auto& [name, value] : req.headers) {
    if (name != "Host") {  // libcurl sends Host from the URL, as in AwsEc2
      headers.emplace_back(std::move(name), std::move(value));
    }
  }
  return http.Post(endpoint.url + "/", headers, form_body);
}

}  // namespace ec2m::bench
