#include "notify/transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace ec2m::notify {
namespace {

struct Reader {
  const std::string* text = nullptr;
  size_t offset = 0;
};

size_t ReadMessage(char* buffer, size_t size, size_t count, void* user) {
  auto* reader = static_cast<Reader*>(user);
  const size_t n = std::min(size * count, reader->text->size() - reader->offset);
  std::memcpy(buffer, reader->text->data() + reader->offset, n);
  reader->offset += n;
  return n;
}

size_t Discard(char* /*data*/, size_t size, size_t count, void* /*user*/) { return size * count; }

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

CurlTransport::CurlTransport(CurlTransportOptions options)
    : options_(options),
      http_(aws::HttpClientOptions{options.connect_timeout, options.request_timeout, true}) {}

aws::HttpResult CurlTransport::Http(const std::string& method, const std::string& url,
                                    const Headers& headers, const std::string& body) {
  return http_.Send(method, url, headers, body);
}

Result<void> CurlTransport::Send(const Mail& mail) {
  // aws::HttpClient constructed first has run curl_global_init.
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    return Fail(ErrorCode::kInternal, "libcurl could not create a handle");
  }
  CURL* h = curl.get();
  std::unique_ptr<curl_slist, SlistDeleter> rcpt;
  for (const std::string& to : mail.to) {
    rcpt.reset(curl_slist_append(rcpt.release(), ("<" + to + ">").c_str()));
  }
  const std::string from = "<" + mail.from + ">";
  Reader reader{&mail.message, 0};
  curl_easy_setopt(h, CURLOPT_URL, mail.smtp_url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, ReadMessage);
  curl_easy_setopt(h, CURLOPT_READDATA, &reader);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mail.message.size()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, Discard);
  if (!mail.user.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, mail.user.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, mail.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_USE_SSL,
                   mail.password.empty() ? static_cast<long>(CURLUSESSL_TRY)
                                         : static_cast<long>(CURLUSESSL_ALL));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.request_timeout.count()));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  const CURLcode code = curl_easy_perform(h);
  if (code == CURLE_OK) {
    return {};
  }
  long response = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response);
  std::string why = curl_easy_strerror(code);
  if (response != 0) {
    why += " (SMTP " + std::to_string(response) + ")";
  }
  // A 5xx reply is the server's final word (no such mailbox, relaying denied); anything else
  // (4xx, a lost connection) may pass on a later attempt.
  const ErrorCode kind = response >= 500 && response < 600  ? ErrorCode::kFailedPrecondition
                         : code == CURLE_OPERATION_TIMEDOUT ? ErrorCode::kTimeout
                                                            : ErrorCode::kUnavailable;
  return Fail(kind, "SMTP " + mail.smtp_url + ": " + why);
}

}  // namespace ec2m::notify
