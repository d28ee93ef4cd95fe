#include "query_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "core/check.hpp"

namespace ec2m::bench {
namespace {

struct Sink {
  std::string* body = nullptr;
  size_t keep_bytes = 0;
  uint64_t bytes = 0;
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t n = size * count;
  sink->bytes += n;
  if (sink->body->size() < sink->keep_bytes) {
    sink->body->append(data, std::min(n, sink->keep_bytes - sink->body->size()));
  }
  return n;
}

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

// Frees a header list when the call returns, whatever path it takes.
class HeaderList {
 public:
  ~HeaderList() { curl_slist_free_all(list_); }
  void Add(const std::string& line) { list_ = curl_slist_append(list_, line.c_str()); }
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

}  // namespace

QueryClient::QueryClient(EndpointConfig config)
    : config_(std::move(config)), host_(HostOf(config_.url)), curl_(curl_easy_init()) {
  EC2M_CHECK(curl_ != nullptr, "curl_easy_init failed");
  const std::string url = config_.url + "/";
  curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());  // curl copies the string
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(curl_, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT, config_.timeout_s);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &WriteBody);
}

QueryClient::~QueryClient() { curl_easy_cleanup(curl_); }

CallResult QueryClient::Call(std::string_view form_body, size_t keep_bytes) {
  sigv4::HttpRequest req{
      .method = "POST",
      .path = "/",
      .query = "",
      .headers = {{"Host", host_},
                  {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
      .body = std::string(form_body),
  };
  sigv4::SigningParams params{
      .credentials = {.access_key_id = config_.access_key,
                      .secret_access_key = config_.secret_key,
                      .session_token = ""},
      .region = config_.region,
      .service = "ec2",
      .time = std::chrono::system_clock::now(),
  };
  sigv4::SignHeaders(req, params);

  HeaderList headers;
  for (const auto& [name, value] : req.headers) {
    headers.Add(name + ": " + value);
  }
  headers.Add("Expect:");  // no 100-continue round trip

  CallResult result;
  Sink sink{.body = &result.body, .keep_bytes = keep_bytes, .bytes = 0};
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, req.body.data());
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(req.body.size()));
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &sink);
  const CURLcode rc = curl_easy_perform(curl_);
  result.bytes = sink.bytes;
  if (rc != CURLE_OK) {
    result.error = curl_easy_strerror(rc);
    return result;
  }
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &result.status);
  return result;
}

}  // namespace ec2m::bench
