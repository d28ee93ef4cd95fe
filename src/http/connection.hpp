#pragma once

// Internal to ec2m_http: what the accept loop (server.cpp) and the connections (connection.cpp)
// share. Includes Boost: never include it outside this folder's .cpp files.

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "http/server.hpp"
#include "http/worker_pool.hpp"

namespace ec2m::http::internal {

// The counters behind ServerStats, bumped from any thread.
struct Counters {
  std::atomic<uint64_t> connections_open{0};
  std::atomic<uint64_t> connections_accepted{0};
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> header_timeout{0};
  std::atomic<uint64_t> body_timeout{0};
  std::atomic<uint64_t> idle_closed{0};
  std::atomic<uint64_t> too_large{0};
  std::atomic<uint64_t> header_too_large{0};
  std::atomic<uint64_t> queue_full{0};
  std::atomic<uint64_t> bad_request{0};
  std::atomic<uint64_t> handler_errors{0};
  std::atomic<uint64_t> aborted{0};
  std::atomic<uint64_t> tls_handshake_failed{0};
  std::atomic<uint64_t> quick{0};
  std::atomic<uint64_t> reclaimed{0};

  ServerStats Snapshot() const;
};

// The open connections of one listening server: their count against max_connections, a way to
// ask each to drain, and a wait for all to be gone. Does not own the connections (they own
// themselves through their pending operations); each adds itself when accepted and removes itself
// when destroyed.
//
// Thread-safe: one mutex guards everything; `resume` and the drain functions are called with it
// held, so they must only post work, never run it.
class ConnectionSet {
 public:
  ConnectionSet(size_t max_connections, Counters& counters);

  // Called by the accept loop once the accept loop is paused at the limit and a connection
  // closes; null: never (set to null when stopping).
  void SetResume(std::function<void()> resume);
  // Counts a new connection; `drain` asks it to drain, `reclaim` to close if it is a kept-alive
  // connection waiting for its next request (both must post, not run). Returns its id.
  uint64_t Add(std::function<void()> drain, std::function<void()> reclaim);
  void Remove(uint64_t id);
  // Whether the accept loop may accept another connection; when not, it is paused and `resume`
  // is called as soon as one closes. At the limit, the oldest connections are asked to close if
  // they sit idle between requests (as nginx reuses its keep-alive connections), so that idle
  // clients cannot keep a new one, a health check say, waiting for the idle timeout.
  bool MayAcceptMore();
  // Asks every open connection to drain.
  void DrainAll();
  // Waits until no connection is open or `deadline` passed; returns whether none is open.
  bool WaitEmpty(std::chrono::steady_clock::time_point deadline);

 private:
  const size_t max_connections_;
  Counters& counters_;
  std::mutex mu_;
  std::condition_variable empty_;
  struct Entry {
    std::function<void()> drain;
    std::function<void()> reclaim;
  };
  // Connections asked to close at the limit, per accept paused: a bounded batch, not all.
  static constexpr size_t kReclaimBatch = 32;
  std::map<uint64_t, Entry> drains_;  // guarded by mu_; by id, so the oldest come first
  uint64_t reclaim_from_ = 0;         // guarded by mu_; where the next batch starts
  uint64_t next_id_ = 0;              // guarded by mu_
  bool paused_ = false;               // guarded by mu_
  std::function<void()> resume_;      // guarded by mu_
};

// What every connection of one listening server shares. Outlives them all: Server::Impl stops
// every event loop and worker, destroying the connections, before it destroys this.
struct Shared {
  Shared(ServerOptions options_in, Handler handler_in, Counters& counters_in,
         std::unique_ptr<boost::asio::ssl::context> tls_in);

  // The refusal the server makes itself: `status`, with the body from options.refusal (or a
  // short text/plain one when it is unset, throws or answers an invalid response).
  Response Refusal(int status, std::string_view message) const;

  const ServerOptions options;
  const Handler handler;
  Counters& counters;
  WorkerPool pool;
  ConnectionSet connections;
  const std::unique_ptr<boost::asio::ssl::context> tls;  // null: plain HTTP
};

// Makes a connection for an accepted socket, counts it in shared.connections and starts it on
// the socket's event loop. Called on the accept loop's thread.
void StartConnection(Shared& shared, boost::asio::ip::tcp::socket socket);

}  // namespace ec2m::http::internal
