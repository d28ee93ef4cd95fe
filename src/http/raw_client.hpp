#pragma once

// Test support for server_test: an HTTP client over raw POSIX sockets (and OpenSSL's SSL_* API),
// so that tests can send exactly the bytes an attack sends, when it sends them.

#include <openssl/ssl.h>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ec2m::http::raw {

using Millis = std::chrono::milliseconds;

// One answer as read off the wire.
struct Answer {
  int status = 0;  // 0: no complete status line and headers arrived
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;       // de-chunked
  bool complete = false;  // the body arrived in full (by Content-Length, last chunk, or close)
  bool chunked = false;
  size_t chunks = 0;

  // The first header of that name, case-insensitively; "" when absent.
  std::string Header(std::string_view name) const;
};

// A blocking client connection to 127.0.0.1. Every read waits at most the timeout it is given.
// Not thread-safe.
class RawClient {
 public:
  // Connects (TCP, then a TLS handshake when `tls`); check ok().
  explicit RawClient(int port, bool tls = false);
  ~RawClient();
  RawClient(RawClient&& other) noexcept;
  RawClient& operator=(RawClient&&) = delete;
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool ok() const { return fd_ >= 0 && !failed_; }
  // Sends all of `bytes`; false when the connection broke.
  bool Send(std::string_view bytes);
  // Reads one answer (to a HEAD request when `head`: no body). status == 0 when none arrived
  // within `timeout` or the server closed first.
  Answer Read(Millis timeout = Millis(3000), bool head = false);
  // Reads until the server closes; returns whether it did within `timeout` (what arrived is in
  // `received`).
  bool WaitClosed(Millis timeout, std::string* received = nullptr);
  // Whether bytes (or a close) are ready to read within `timeout`.
  bool Readable(Millis timeout);
  // Sends a request and reads its answer.
  Answer Exchange(std::string_view request, Millis timeout = Millis(3000));
  void Close();
  bool closed() const { return closed_; }

 private:
  // Reads once into pending_: >0 bytes, 0 when the peer closed, -1 on timeout.
  long ReadSome(std::chrono::steady_clock::time_point deadline);
  bool ReadBody(Answer& answer, std::chrono::steady_clock::time_point deadline);
  bool ReadChunked(Answer& answer, std::chrono::steady_clock::time_point deadline);
  // Waits until pending_ holds `needle`; its offset, or npos.
  size_t WaitFor(std::string_view needle, std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  bool failed_ = false;
  bool closed_ = false;
  std::string pending_;  // read, not yet consumed
};

// A GET request with a Host header.
std::string Get(std::string_view target, std::string_view extra_headers = "");

// Polls `condition` every 5 ms until it holds or `timeout` passes; returns its last value.
bool Eventually(const std::function<bool()>& condition, Millis timeout = Millis(3000));

// Milliseconds since `start`.
long ElapsedMs(std::chrono::steady_clock::time_point start);

// Whether a TCP connection to 127.0.0.1:port is refused.
bool ConnectionRefused(int port);

}  // namespace ec2m::http::raw
