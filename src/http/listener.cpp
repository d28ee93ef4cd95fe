#include "http/listener.hpp"

#include <httplib.h>

#include <atomic>
#include <charconv>

namespace ec2m::http {

Listener::~Listener() { Stop(); }

Result<int> Listener::Listen(const std::string& host, int port, const ListenerOptions& options,
                             const Install& install, const std::string& what) {
  std::lock_guard lock(mu_);
  if (server_) {
    return Fail(ErrorCode::kFailedPrecondition, what + " is already listening");
  }
  std::unique_ptr<httplib::Server> server;
  if (!options.tls_cert.empty() || !options.tls_key.empty()) {
    auto tls =
        std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str());
    if (!tls->is_valid()) {
      return Fail(ErrorCode::kInvalidArgument,
                  what + ": cannot load the TLS certificate " + options.tls_cert + " and key " +
                      options.tls_key + " (PEM files that match each other)");
    }
    server = std::move(tls);
  } else {
    server = std::make_unique<httplib::Server>();
  }
  server->set_tcp_nodelay(true);
  const size_t workers = options.worker_threads;
  server->new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  server->set_keep_alive_max_count(options.keep_alive_max_count);
  server->set_payload_max_length(options.max_payload_bytes);
  // httplib's default sets SO_REUSEPORT, which lets a second server bind a taken port. The
  // socket is remembered for the backlog below.
  auto listening = std::make_shared<socket_t>(INVALID_SOCKET);
  server->set_socket_options([listening](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    *listening = sock;
  });
  install(*server);

  const int bound =
      port == 0 ? server->bind_to_any_port(host) : (server->bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    return Fail(ErrorCode::kUnavailable,
                "cannot bind " + what + " to " + host + ":" + std::to_string(port));
  }
  // httplib 0.11 listens with a backlog of 5: 64 clients connecting at once overflow it, and the
  // dropped handshakes cost them SYN-cookie retransmits of 200 ms and more. A second listen()
  // on the bound socket only resizes the queue.
  if (*listening != INVALID_SOCKET) {
    ::listen(*listening, SOMAXCONN);
  }
  auto done = std::make_shared<std::atomic<bool>>(false);
  httplib::Server* raw = server.get();
  thread_ = std::thread([raw, done] {
    raw->listen_after_bind();
    done->store(true);
  });
  // Readiness: the accept loop has started (or already ended on an error).
  while (!raw->is_running() && !done->load()) {
    std::this_thread::yield();
  }
  if (done->load()) {
    thread_.join();
    return Fail(ErrorCode::kUnavailable,
                what + " on " + host + ":" + std::to_string(bound) + " stopped at once");
  }
  server_ = std::move(server);
  return bound;
}

void Listener::Stop() {
  std::lock_guard lock(mu_);
  if (!server_) {
    return;
  }
  server_->stop();
  thread_.join();
  server_.reset();
}

Result<std::pair<std::string, int>> SplitHostPort(const std::string& text,
                                                  const std::string& what) {
  const size_t colon = text.rfind(':');
  int port = -1;
  if (colon != std::string::npos && colon > 0) {
    const char* first = text.data() + colon + 1;
    const char* last = text.data() + text.size();
    auto [end, ec] = std::from_chars(first, last, port);
    if (ec != std::errc() || end != last || first == last) {
      port = -1;
    }
  }
  if (port < 0 || port > 65535) {
    return Fail(ErrorCode::kInvalidArgument,
                what + ": expected HOST:PORT (port 0..65535), got \"" + text + "\"");
  }
  return std::pair(text.substr(0, colon), port);
}

}  // namespace ec2m::http
