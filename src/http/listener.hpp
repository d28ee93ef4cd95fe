#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/error.hpp"

namespace httplib {
class Server;
}  // namespace httplib

namespace ec2m::http {

struct ListenerOptions {
  // More workers than expected keep-alive connections: an idle keep-alive connection holds a
  // worker (STYLE.md, library notes).
  size_t worker_threads = 64;
  size_t keep_alive_max_count = 100000;
  size_t max_payload_bytes = 1 << 20;
  // PEM files: when both are set the endpoint speaks HTTPS only.
  std::string tls_cert;
  std::string tls_key;
};

// One cpp-httplib server bound to an address and serving on a background thread: the lifecycle
// every ec2m HTTP endpoint shares (the EC2 Query endpoint, the REST API). The caller installs its
// routes through `install`, called once before the bind.
//
// Thread-safe: Listen and Stop may be called from any thread.
class Listener {
 public:
  using Install = std::function<void(httplib::Server&)>;

  Listener() = default;
  ~Listener();  // Stop()s.
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Binds host:port (port 0: an ephemeral port), with SO_REUSEADDR but not SO_REUSEPORT (so a
  // second server cannot bind a taken port), and serves in a background thread; returns the bound
  // port once the server accepts connections. `what` names the endpoint in errors ("the EC2
  // endpoint"). Errors: kFailedPrecondition when already listening; kUnavailable when the
  // address cannot be bound.
  Result<int> Listen(const std::string& host, int port, const ListenerOptions& options,
                     const Install& install, const std::string& what);

  // Stops accepting, lets requests in flight finish, joins the listener thread. Idempotent.
  void Stop();

 private:
  std::mutex mu_;                            // guards the lifecycle below
  std::unique_ptr<httplib::Server> server_;  // guarded by mu_; null when not listening
  std::thread thread_;                       // guarded by mu_
};

// "127.0.0.1:8080" → ("127.0.0.1", 8080). `what` names the setting in errors
// ("listen: expected HOST:PORT with a port 0..65535, got \"x\"").
Result<std::pair<std::string, int>> SplitHostPort(const std::string& text, const std::string& what);

}  // namespace ec2m::http
