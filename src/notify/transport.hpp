#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "cloud/aws/http_client.hpp"
#include "core/error.hpp"
#include "notify/render.hpp"

namespace ec2m::notify {

// One mail to hand to an SMTP server.
struct Mail {
  std::string smtp_url;  // smtp://host:port or smtps://host:port
  std::string user;      // "" = no AUTH
  std::string password;
  std::string from;
  std::vector<std::string> to;
  std::string message;  // RFC 5322, CRLF line ends (EmailMessage)
};

// How deliveries reach the outside: HTTP requests and SMTP submissions. An interface so the
// outbox's tests count, fail and stall deliveries without a network. Implementations are
// thread-safe.
class Transport {
 public:
  virtual ~Transport() = default;
  // METHOD url with headers and body (GET sends none). A transport failure is a result with
  // status 0 and `transport_error`, never an exception.
  virtual aws::HttpResult Http(const std::string& method, const std::string& url,
                               const Headers& headers, const std::string& body) = 0;
  // Submits `mail`. Errors, naming the server and libcurl's reason: kFailedPrecondition when
  // the server refused for good (an SMTP 5xx: no such mailbox, relaying denied); kUnavailable or
  // kTimeout when a later attempt may pass (4xx, no connection).
  virtual Result<void> Send(const Mail& mail) = 0;
};

struct CurlTransportOptions {
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds request_timeout{5000};  // per HTTP request, per mail
};

// The real transport: HTTP(S) through aws::HttpClient (libcurl with connection reuse), SMTP and
// SMTPS through libcurl. Both bounded by the options' timeouts, so a dead receiver holds a
// delivery for seconds, not minutes. With a password, SMTP requires TLS (STARTTLS or smtps://)
// so the password never crosses the network in the clear; without one, STARTTLS is used when
// the server offers it. Thread-safe.
class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(CurlTransportOptions options = {});

  aws::HttpResult Http(const std::string& method, const std::string& url, const Headers& headers,
                       const std::string& body) override;
  Result<void> Send(const Mail& mail) override;

 private:
  CurlTransportOptions options_;
  aws::HttpClient http_;
};

}  // namespace ec2m::notify
