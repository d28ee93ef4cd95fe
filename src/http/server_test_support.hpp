#pragma once

// Test support for server_test and server_attack_test: small limits, a handler that records the
// requests it saw, and one that blocks until released.

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "http/raw_client.hpp"
#include "http/server.hpp"

namespace ec2m::http {

using namespace std::chrono_literals;
using raw::ElapsedMs;
using raw::Eventually;
using raw::Get;
using raw::RawClient;

// Small limits and short deadlines: every attack is over in well under a second.
inline ServerOptions SmallOptions() {
  ServerOptions options;
  options.io_threads = 2;
  options.worker_threads = 4;
  options.max_queued = 64;
  options.max_header_bytes = 4096;
  options.max_header_count = 20;
  options.max_body_bytes = 64 * 1024;
  options.header_timeout = 400ms;
  options.body_timeout = 400ms;
  options.idle_timeout = 400ms;
  options.request_timeout = 5000ms;
  return options;
}

// Keeps a copy of every request and answers 200 with its path. Thread-safe.
class Recorder {
 public:
  Handler handler() {
    return [this](const Request& request, Response& response) {
      {
        std::lock_guard lock(mu_);
        requests_.push_back(request);
      }
      response.Set("Content-Type", "text/plain");
      response.body = request.path;
    };
  }
  size_t count() {
    std::lock_guard lock(mu_);
    return requests_.size();
  }
  Request at(size_t i) {
    std::lock_guard lock(mu_);
    return requests_.at(i);
  }

 private:
  std::mutex mu_;
  std::vector<Request> requests_;
};

// Requests to /block wait in the handler until Release; others answer their path at once.
// Thread-safe. The destructor releases and waits for the handlers inside to leave, so that a
// failed test does not leave the server's Stop waiting forever.
class Gate {
 public:
  Gate() = default;
  ~Gate() {
    std::unique_lock lock(mu_);
    released_ = true;
    cv_.notify_all();
    cv_.wait(lock, [this] { return inside_ == 0; });
  }
  Gate(const Gate&) = delete;
  Gate& operator=(const Gate&) = delete;

  Handler handler() {
    return [this](const Request& request, Response& response) {
      if (request.path == "/block") {
        std::unique_lock lock(mu_);
        ++entered_;
        ++inside_;
        cv_.notify_all();
        cv_.wait(lock, [this] { return released_; });
        --inside_;
        cv_.notify_all();
      }
      response.body = request.path;
    };
  }
  int entered() {
    std::lock_guard lock(mu_);
    return entered_;
  }
  void Release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int entered_ = 0;
  int inside_ = 0;
  bool released_ = false;
};

class HttpServerTest : public ::testing::Test {
 protected:
  // Listens on 127.0.0.1, an ephemeral port; 0 (and a failure) when it cannot.
  int Listen(ServerOptions options, Handler handler) {
    auto port =
        server_.Listen("127.0.0.1", 0, std::move(options), std::move(handler), "the test server");
    EXPECT_TRUE(port) << port.error().ToString();
    return port ? *port : 0;
  }

  Server server_;
  Gate gate_;  // after server_: destroyed (released) before it
};

}  // namespace ec2m::http
