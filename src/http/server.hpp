#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

// The HTTP/1.1 server every ec2m endpoint is moving onto: Boost.Beast over Boost.Asio, an event
// loop per core, handlers on a bounded worker pool, a limit and a deadline on every read. Boost
// stays inside the .cpp files of this folder (Beast is slow to compile).

namespace ec2m::http {

// One request as read from the wire. A value: the handler may keep or move any part of it.
struct Request {
  std::string method;     // "GET"
  std::string target;     // as sent: "/api/v1/users/a%40b.c?limit=5"
  std::string path;       // the target's path, percent-decoded exactly once ("%2540" -> "%40")
  std::string raw_query;  // after '?', as sent ("" when none)
  // As sent, in order, names in their case (SigV4 signs them).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_addr;  // "127.0.0.1"
  bool tls = false;

  // The first header of that name, compared case-insensitively; "" when absent.
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // The first query parameter of that name, percent-decoded once with '+' as a space; nullopt
  // when absent. A parameter without '=' has the value "".
  std::optional<std::string> Query(std::string_view name) const;
};

// The answer a handler fills in. The server sets Content-Length (or chunked encoding) itself:
// Content-Length and Transfer-Encoding headers set here are ignored; "Connection: close" is
// honoured (the connection closes after the answer).
struct Response {
  int status = 200;  // 200..599; anything else is answered 500
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Type among them
  std::string body;
  // A body shared with whoever made it (a cached page, a console file): written from there, not
  // copied. When set, `body` is ignored.
  std::shared_ptr<const std::string> shared_body;
  // Large answers: when set, `body` is ignored and this is called again and again on the worker
  // pool; each call appends the next piece of the body to `out` (empty on entry) and returns true
  // while more follows, false at the end. The server sends the pieces with chunked transfer
  // encoding and calls again only once the previous piece was written, so memory stays bounded by
  // one piece. An Error (or an exception) aborts the connection mid-answer.
  std::function<Result<bool>(std::string& out)> stream;
  // Sends the status line and headers promising a body (Content-Length: body.size() + 1), then
  // closes the connection without it: a simulated network failure after the fact.
  bool drop_after_headers = false;

  // Replaces every header of that name (compared case-insensitively) with this one.
  void Set(std::string name, std::string value);
  // The body's bytes, wherever they are (shared_body or body).
  std::string_view Body() const { return shared_body ? *shared_body : body; }
};

// Runs on a worker thread, never on an event loop; may block. An exception it throws is answered
// 500 (through ServerOptions::refusal). Called concurrently for different requests.
using Handler = std::function<void(const Request&, Response&)>;

struct ServerOptions {
  // Event loops, one thread each; 0 = std::thread::hardware_concurrency().
  size_t io_threads = 0;
  // The bounded pool where handlers run (they block on the store, the cloud, argon2).
  size_t worker_threads = 16;
  // Requests read in full and waiting for a worker; one more is answered 503 with Retry-After
  // at once, without running the handler.
  size_t max_queued = 1024;
  // Request line + headers, in bytes; beyond: 431.
  size_t max_header_bytes = 16 * 1024;
  // Header fields in one request; beyond: 431.
  size_t max_header_count = 100;
  // Body bytes, whatever the encoding (Content-Length or chunked); beyond: 413 as soon as passed
  // (for a Content-Length, from the header alone).
  uint64_t max_body_bytes = 1 << 20;
  // From a connection's start (after the TLS handshake, itself bounded by this) or the first
  // byte of a request to the end of its headers (slowloris); beyond: 408 and close.
  std::chrono::milliseconds header_timeout{10000};
  // From the end of the headers to the end of the body; beyond: 408 and close.
  std::chrono::milliseconds body_timeout{30000};
  // Keep-alive: the silence allowed between two requests; beyond: the connection closes.
  std::chrono::milliseconds idle_timeout{60000};
  // The whole request read and its answer written, handler included; beyond: 408 if still
  // reading, else the connection closes.
  std::chrono::milliseconds request_timeout{60000};
  // Open connections. At the limit the oldest kept-alive connections idle between requests are
  // closed to make room (a batch at a time, as nginx does); connections busy or in their first
  // request are not, and new ones then wait in the listen backlog until one closes.
  size_t max_connections = 10000;
  // PEM files: both set = HTTPS only.
  std::string tls_cert;
  std::string tls_key;
  // Fills the body of the refusals the server makes itself (400 malformed, 408 deadline,
  // 413/431 too large, 500 handler threw, 503 queue full), so each endpoint answers in its own
  // error format; `status` is already set and stays. Runs on an event loop (or, for 500, a
  // worker): must be quick and must not block. Unset: a short text/plain body.
  std::function<void(int status, std::string_view message, Response&)> refusal;
  // Optional: tried first, on the event loop, for every request. It answers (fills the Response,
  // without `stream`, and returns true) only what needs no waiting at all: reads of memory under
  // short locks, never the store, the cloud, a file or a password hash. Anything else it leaves
  // to the handler on the worker pool (returns false, the Response untouched). A cheap request
  // answered here saves the two thread hand-offs of the pool. An exception it throws is a 500.
  std::function<bool(const Request&, Response&)> quick;
};

// Counters since the Server was made (they survive Stop and a new Listen).
struct ServerStats {
  uint64_t connections_open = 0;
  uint64_t connections_accepted = 0;
  uint64_t requests = 0;          // read in full and handed to the worker pool
  uint64_t header_timeout = 0;    // 408 (or a silent close) before the end of the headers
  uint64_t body_timeout = 0;      // 408 before the end of the body
  uint64_t idle_closed = 0;       // keep-alive connections closed after idle_timeout
  uint64_t too_large = 0;         // 413
  uint64_t header_too_large = 0;  // 431 (bytes or count)
  uint64_t queue_full = 0;        // 503
  uint64_t bad_request = 0;       // 400
  uint64_t handler_errors = 0;    // 500: a handler threw or answered an invalid response
  uint64_t aborted = 0;           // answers cut short: a stream's Error, a write deadline
  uint64_t tls_handshake_failed = 0;
  uint64_t quick = 0;      // of `requests`, answered by ServerOptions::quick on an event loop
  uint64_t reclaimed = 0;  // idle keep-alive connections closed to make room at max_connections
};

namespace internal {
struct Counters;
}  // namespace internal

// An HTTP/1.1 server bound to one address: accepts on an event loop, reads requests with a limit
// and a deadline on every read, runs the handler on a bounded worker pool and writes the answers
// in request order (keep-alive and pipelining). Owns its threads (event loops and workers) and
// connections.
//
// Thread-safe: Listen, Stop and Stats may be called from any thread, except that Listen and Stop
// must not be called from a handler (Stop waits for the handlers).
class Server {
 public:
  Server();
  ~Server();  // Stop()s.
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds host:port (port 0: an ephemeral port) with SO_REUSEADDR but not SO_REUSEPORT (so a
  // second server cannot bind a taken port), starts the event loops and workers and returns the
  // bound port once connections are accepted. `what` names the endpoint in errors ("the EC2
  // endpoint"). Errors: kFailedPrecondition when already listening; kInvalidArgument for a bad
  // TLS setting (one of cert/key set, a file that cannot be read or does not match: the message
  // names the file) or a zero limit; kUnavailable when the address cannot be bound.
  Result<int> Listen(const std::string& host, int port, ServerOptions options, Handler handler,
                     const std::string& what);

  // Drains: stops accepting (new connections are refused), closes idle keep-alive connections,
  // lets the requests in flight finish and answers them with "Connection: close" (bounded by
  // request_timeout: what is still open then is closed), then joins every thread. A handler
  // cannot be interrupted: one that never returns keeps Stop waiting. Idempotent; Listen may be
  // called again after it.
  void Stop();

  ServerStats Stats() const;

 private:
  class Impl;
  std::mutex mu_;                                       // guards the lifecycle (impl_)
  std::unique_ptr<Impl> impl_;                          // guarded by mu_; null when not listening
  const std::unique_ptr<internal::Counters> counters_;  // outlives every Impl
};

// "127.0.0.1:8080" → ("127.0.0.1", 8080). `what` names the setting in errors
// ("listen: expected HOST:PORT (port 0..65535), got \"x\"").
Result<std::pair<std::string, int>> SplitHostPort(const std::string& text, const std::string& what);

// Decodes %XX escapes (and '+' as a space when `plus_as_space`); nullopt when an escape is
// invalid ("%zz", "%4" at the end).
std::optional<std::string> PercentDecode(std::string_view text, bool plus_as_space);

}  // namespace ec2m::http
