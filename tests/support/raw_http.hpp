#pragma once

#include <chrono>
#include <optional>
#include <string>

// HTTP as an attacker writes it: bytes on a socket, no client library between the test and the
// server (half-open requests, trickled headers, chunked bodies, malformed lines).
namespace ec2m::testing {

// "http://127.0.0.1:8080" → port 8080 (0 when there is none).
int PortOf(const std::string& url);

// A connection to 127.0.0.1:port, optionally from another loopback source address ("127.0.0.7")
// so tests can speak for several clients. Closes in its destructor.
class RawConnection {
 public:
  explicit RawConnection(int port, const std::string& source = "");
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Writes all of `bytes`; false when the server closed the connection (or it never opened).
  bool Send(const std::string& bytes);
  // Reads one whole answer (status line, headers, a body by Content-Length or chunked) within
  // `timeout`; nullopt when the connection closed or nothing complete came in time.
  std::optional<std::string> ReadAnswer(std::chrono::milliseconds timeout);
  // Whether the server closed the connection within `timeout` (reads and drops what comes).
  bool ClosedWithin(std::chrono::milliseconds timeout);

 private:
  using Clock = std::chrono::steady_clock;
  // Reads what has come until `deadline`: 1 when something came (or nothing yet), 0 when the
  // server closed the connection, -1 when the deadline passed or there is no connection.
  int ReadSome(Clock::time_point deadline);

  int fd_ = -1;
  std::string buffer_;  // read but not yet returned
};

// The status code of a raw answer ("HTTP/1.1 413 ..." → 413), 0 when it is not one.
int StatusOf(const std::string& answer);
// The body of a raw answer (after the blank line; chunked bodies decoded).
std::string BodyOf(const std::string& answer);

// One request on a fresh connection: `request` sent whole, its answer read.
std::optional<std::string> RawExchange(
    int port, const std::string& request,
    std::chrono::milliseconds timeout = std::chrono::seconds(30));

// POST `path` with `body` as it is (Content-Length set), optionally with a bearer token.
std::string RawPost(const std::string& path, const std::string& body, const std::string& token = "",
                    const std::string& content_type = "application/json");

}  // namespace ec2m::testing
