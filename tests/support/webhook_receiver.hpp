#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace ec2m::http {
class Server;
struct Request;
struct Response;
}  // namespace ec2m::http

namespace ec2m::testing {

// One request as the receiver saw it. Header names are lower-cased.
struct ReceivedRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;
  std::string body;
};

// A real HTTP server (http::Server) on 127.0.0.1 and a free port that records every request it gets
// (any method, any path) and answers 200 "ok", or what `Respond` says, or 500 for the next N
// requests after FailNext(N). What webhook, Slack, Teams and (with a responder) GitHub deliveries
// are tested against. Thread-safe.
class WebhookReceiver {
 public:
  using Responder = std::function<std::pair<int, std::string>(const ReceivedRequest&)>;

  WebhookReceiver();
  ~WebhookReceiver();  // Stop()s
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  // Binds and serves on background threads; false when it could not.
  bool Start();
  // Stops serving (the requests in flight are answered first); idempotent.
  void Stop();
  // "http://127.0.0.1:PORT".
  std::string url() const;

  // The next `n` requests are answered 500 (and recorded).
  void FailNext(int n);
  // Answers every later request (not failed by FailNext) with responder(request).
  void Respond(Responder responder);
  // Every request so far, in arrival order.
  std::vector<ReceivedRequest> Requests() const;
  // Waits until `done(Requests())` holds or `timeout` passes; returns whether it held.
  bool WaitFor(const std::function<bool(const std::vector<ReceivedRequest>&)>& done,
               std::chrono::milliseconds timeout) const;

 private:
  void Handle(const http::Request& req, http::Response& res);

  std::unique_ptr<http::Server> server_;
  int port_ = 0;
  mutable std::mutex mu_;
  std::vector<ReceivedRequest> requests_;  // guarded by mu_
  int fail_next_ = 0;                      // guarded by mu_
  Responder responder_;                    // guarded by mu_
};

}  // namespace ec2m::testing
