#include "cloud/aws/http_client.hpp"

#include <curl/curl.h>

#include <cctype>
#include <string_view>

#include "core/text.hpp"

namespace ec2m::aws {

namespace {

// curl_global_init is not thread-safe: run it once, before any handle exists.
void GlobalInit() {
  static const bool done = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  (void)done;
}

size_t WriteBody(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

std::string_view TrimSpace(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// libcurl passes every header line of every response, interim ones (100 Continue) included: a
// status line starts the list afresh, so that the final response's headers remain.
size_t ReadHeader(char* data, size_t size, size_t count, void* out) {
  const std::string_view line(data, size * count);
  auto* headers = static_cast<HeaderList*>(out);
  if (line.starts_with("HTTP/")) {
    headers->clear();
    return size * count;
  }
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos && colon > 0) {
    headers->emplace_back(std::string(line.substr(0, colon)),
                          std::string(TrimSpace(line.substr(colon + 1))));
  }
  return size * count;
}

}  // namespace

std::string HttpResult::Header(std::string_view name) const {
  const std::string wanted = AsciiLower(name);
  for (const auto& [key, value] : headers) {
    if (AsciiLower(key) == wanted) {
      return value;
    }
  }
  return "";
}

struct HttpClient::Handle {
  CURL* curl = nullptr;
  ~Handle() {
    if (curl != nullptr) {
      curl_easy_cleanup(curl);
    }
  }
};

HttpClient::HttpClient(HttpClientOptions options) : options_(std::move(options)) { GlobalInit(); }

HttpClient::~HttpClient() = default;

std::unique_ptr<HttpClient::Handle> HttpClient::Take() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto handle = std::move(idle_.back());
      idle_.pop_back();
      return handle;
    }
  }
  auto handle = std::make_unique<Handle>();
  handle->curl = curl_easy_init();
  return handle;
}

void HttpClient::Give(std::unique_ptr<Handle> handle) {
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(handle));
}

HttpResult HttpClient::Post(const std::string& url,
                            const std::vector<std::pair<std::string, std::string>>& headers,
                            const std::string& body) {
  return Send("POST", url, headers, body);
}

HttpResult HttpClient::Send(const std::string& method, const std::string& url,
                            const std::vector<std::pair<std::string, std::string>>& headers,
                            const std::string& body) {
  HttpResult result;
  std::unique_ptr<Handle> handle = Take();
  CURL* curl = handle->curl;
  if (curl == nullptr) {
    result.transport_error = "libcurl could not create a handle";
    return result;
  }
  // Options are set afresh on each use; the connection cache stays with the handle.
  curl_easy_reset(curl);
  curl_slist* header_list = nullptr;
  for (const auto& [name, value] : headers) {
    header_list = curl_slist_append(header_list, (name + ": " + value).c_str());
  }
  // libcurl would otherwise add "Expect: 100-continue" to large bodies and wait for it.
  header_list = curl_slist_append(header_list, "Expect:");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  if (method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    if (method != "POST") {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, ReadHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.headers);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.request_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
  if (!options_.ca_file.empty()) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(header_list);
  if (code != CURLE_OK) {
    result.status = 0;
    result.body.clear();
    result.headers.clear();
    result.timed_out = code == CURLE_OPERATION_TIMEDOUT;
    result.transport_error = curl_easy_strerror(code);
  } else {
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    result.status = static_cast<int>(status);
    // AWS names the request id x-amzn-RequestId; ec2m's REST API, X-Request-Id.
    result.request_id = result.Header("x-amzn-RequestId");
    if (result.request_id.empty()) {
      result.request_id = result.Header("X-Request-Id");
    }
  }
  Give(std::move(handle));
  return result;
}

}  // namespace ec2m::aws
