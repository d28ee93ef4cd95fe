// The server's lifecycle: options and TLS files checked, the address bound, the event loops and
// the accept loop (on the first event loop), and the drain.
#include "http/server.hpp"

#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <future>
#include <optional>
#include <thread>

#include "http/connection.hpp"

namespace ec2m::http {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;

// After a failed accept (out of descriptors: EMFILE) the accept loop waits this long before the
// next, rather than spinning.
constexpr std::chrono::milliseconds kAcceptRetry{100};
// What Stop allows beyond request_timeout: a lingering close or a TLS shutdown after the answer.
constexpr std::chrono::milliseconds kDrainSlack{2000};

Result<void> CheckOptions(const ServerOptions& options, const Handler& handler,
                          const std::string& what) {
  if (!handler) {
    return Fail(ErrorCode::kInvalidArgument, what + ": no handler");
  }
  if (options.worker_threads == 0 || options.max_connections == 0 ||
      options.max_header_bytes == 0 || options.max_header_count == 0) {
    return Fail(ErrorCode::kInvalidArgument,
                what +
                    ": worker_threads, max_connections, max_header_bytes and "
                    "max_header_count must be at least 1");
  }
  const auto zero = std::chrono::milliseconds::zero();
  if (options.header_timeout <= zero || options.body_timeout <= zero ||
      options.idle_timeout <= zero || options.request_timeout <= zero) {
    return Fail(ErrorCode::kInvalidArgument, what + ": every timeout must be positive");
  }
  return {};
}

// The TLS context for the PEM files in `options`; null when neither is set.
Result<std::unique_ptr<net::ssl::context>> LoadTls(const ServerOptions& options,
                                                   const std::string& what) {
  if (options.tls_cert.empty() && options.tls_key.empty()) {
    return std::unique_ptr<net::ssl::context>();
  }
  if (options.tls_cert.empty() || options.tls_key.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                what + ": TLS needs both tls_cert and tls_key (PEM files)");
  }
  auto context = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
  error_code ec;
  context->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                           net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                           net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use,
                       ec);
  context->use_certificate_chain_file(options.tls_cert, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument, what + ": cannot load the TLS certificate " +
                                                 options.tls_cert + ": " + ec.message());
  }
  context->use_private_key_file(options.tls_key, net::ssl::context::pem, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument,
                what + ": cannot load the TLS key " + options.tls_key + ": " + ec.message());
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    return Fail(ErrorCode::kInvalidArgument, what + ": the TLS key " + options.tls_key +
                                                 " does not match the certificate " +
                                                 options.tls_cert);
  }
  return context;
}

// "127.0.0.1", "::1", "[::1]", "localhost" (resolved; the first address wins).
Result<tcp::endpoint> Endpoint(net::io_context& loop, std::string host, int port,
                               const std::string& what) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (port < 0 || port > 65535) {
    return Fail(ErrorCode::kInvalidArgument, what + ": port " + std::to_string(port));
  }
  error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (!ec) {
    return tcp::endpoint(address, static_cast<uint16_t>(port));
  }
  tcp::resolver resolver(loop);
  const auto found = resolver.resolve(host, std::to_string(port), ec);
  if (ec || found.empty()) {
    return Fail(ErrorCode::kUnavailable, "cannot bind " + what + " to " + host + ":" +
                                             std::to_string(port) + ": unknown host");
  }
  return found.begin()->endpoint();
}

std::vector<std::unique_ptr<net::io_context>> MakeLoops(size_t count) {
  if (count == 0) {
    count = std::max(1U, std::thread::hardware_concurrency());
  }
  std::vector<std::unique_ptr<net::io_context>> loops;
  for (size_t i = 0; i < count; ++i) {
    loops.push_back(std::make_unique<net::io_context>(1));  // one thread runs each
  }
  return loops;
}

// The top of an event loop: a completion handler that throws (none should) ends only itself.
void RunLoop(net::io_context& loop) {
  for (;;) {
    try {
      loop.run();
      return;
    } catch (...) {  // NOLINT(bugprone-empty-catch): the backstop; the loop goes on
    }
  }
}

}  // namespace

// One listening server: the shared state its connections use, the event loops (the first also
// runs the accept loop) and their threads. Start and Stop from one thread (Server's mutex).
class Server::Impl {
 public:
  Impl(ServerOptions options, Handler handler, internal::Counters& counters,
       std::unique_ptr<net::ssl::context> tls)
      : shared_(std::move(options), std::move(handler), counters, std::move(tls)),
        loops_(MakeLoops(shared_.options.io_threads)),
        acceptor_(*loops_[0]),
        retry_(*loops_[0]) {}
  ~Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  Result<int> Start(const std::string& host, int port, const std::string& what);
  void Stop();

 private:
  void Accept();
  void OnAccept(error_code ec);

  // Declared first, destroyed last: the connections the loops destroy reach into it.
  internal::Shared shared_;
  std::vector<std::unique_ptr<net::io_context>> loops_;
  // On loops_[0] (the accept loop); destroyed before the loops.
  tcp::acceptor acceptor_;
  std::optional<tcp::socket> incoming_;  // the socket being accepted, on the next loop in turn
  net::steady_timer retry_;
  size_t next_loop_ = 0;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards_;
  std::vector<std::thread> threads_;
};

Result<int> Server::Impl::Start(const std::string& host, int port, const std::string& what) {
  auto endpoint = Endpoint(*loops_[0], host, port, what);
  if (!endpoint) {
    return Fail(endpoint.error());
  }
  error_code ec;
  acceptor_.open(endpoint->protocol(), ec);
  if (!ec) {
    acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  }
  if (!ec) {
    acceptor_.bind(*endpoint, ec);
  }
  if (!ec) {
    acceptor_.listen(net::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return Fail(ErrorCode::kUnavailable, "cannot bind " + what + " to " + host + ":" +
                                             std::to_string(port) + ": " + ec.message());
  }
  const int bound = acceptor_.local_endpoint(ec).port();
  shared_.connections.SetResume([this] { net::post(*loops_[0], [this] { Accept(); }); });
  net::post(*loops_[0], [this] { Accept(); });
  for (auto& loop : loops_) {
    guards_.push_back(net::make_work_guard(*loop));
    threads_.emplace_back([&loop = *loop] { RunLoop(loop); });
  }
  return bound;
}

// On the accept loop. Each connection goes to the next event loop in turn.
void Server::Impl::Accept() {
  if (!acceptor_.is_open()) {
    return;
  }
  incoming_.emplace(*loops_[next_loop_]);
  next_loop_ = (next_loop_ + 1) % loops_.size();
  acceptor_.async_accept(*incoming_, [this](error_code ec) { OnAccept(ec); });
}

void Server::Impl::OnAccept(error_code ec) {
  if (!acceptor_.is_open() || ec == net::error::operation_aborted) {
    return;
  }
  if (ec) {
    retry_.expires_after(kAcceptRetry);
    retry_.async_wait([this](error_code wait_ec) {
      if (!wait_ec) {
        Accept();
      }
    });
    return;
  }
  error_code ignored;
  incoming_->set_option(tcp::no_delay(true), ignored);
  internal::StartConnection(shared_, std::move(*incoming_));
  incoming_.reset();
  // At max_connections the accept loop pauses (new connections wait in the backlog) until a
  // connection closes and ConnectionSet calls the resume set in Start.
  if (shared_.connections.MayAcceptMore()) {
    Accept();
  }
}

void Server::Impl::Stop() {
  std::promise<void> closed;
  net::post(*loops_[0], [this, &closed] {
    error_code ignored;
    acceptor_.close(ignored);
    retry_.cancel();
    closed.set_value();
  });
  closed.get_future().wait();
  shared_.connections.SetResume(nullptr);
  shared_.connections.DrainAll();
  // What is still open after this is cut off below: the loops stop and their connections are
  // destroyed with them.
  shared_.connections.WaitEmpty(std::chrono::steady_clock::now() + shared_.options.request_timeout +
                                kDrainSlack);
  shared_.pool.Stop();
  guards_.clear();
  for (auto& loop : loops_) {
    loop->stop();
  }
  for (auto& thread : threads_) {
    thread.join();
  }
  threads_.clear();
}

Server::Server() : counters_(std::make_unique<internal::Counters>()) {}

Server::~Server() { Stop(); }

Result<int> Server::Listen(const std::string& host, int port, ServerOptions options,
                           Handler handler, const std::string& what) {
  std::lock_guard lock(mu_);
  if (impl_) {
    return Fail(ErrorCode::kFailedPrecondition, what + " is already listening");
  }
  EC2M_RETURN_IF_ERROR(CheckOptions(options, handler, what));
  auto tls = LoadTls(options, what);
  if (!tls) {
    return Fail(tls.error());
  }
  auto impl =
      std::make_unique<Impl>(std::move(options), std::move(handler), *counters_, std::move(*tls));
  auto bound = impl->Start(host, port, what);
  if (bound) {
    impl_ = std::move(impl);
  }
  return bound;
}

void Server::Stop() {
  std::lock_guard lock(mu_);
  if (!impl_) {
    return;
  }
  impl_->Stop();
  impl_.reset();
}

ServerStats Server::Stats() const { return counters_->Snapshot(); }

}  // namespace ec2m::http
