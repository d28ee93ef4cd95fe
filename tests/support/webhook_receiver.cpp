#include "support/webhook_receiver.hpp"

#include <thread>

#include "core/text.hpp"
#include "http/server.hpp"

namespace ec2m::testing {

WebhookReceiver::WebhookReceiver() : server_(std::make_unique<http::Server>()) {}

WebhookReceiver::~WebhookReceiver() { Stop(); }

bool WebhookReceiver::Start() {
  http::ServerOptions options;
  options.io_threads = 1;
  options.worker_threads = 4;
  auto port = server_->Listen(
      "127.0.0.1", 0, options,
      [this](const http::Request& req, http::Response& res) { Handle(req, res); },
      "the webhook receiver");
  if (!port) {
    return false;
  }
  port_ = *port;
  return true;
}

void WebhookReceiver::Handle(const http::Request& req, http::Response& res) {
  ReceivedRequest r{req.method, req.path, {}, req.body};
  for (const auto& [name, value] : req.headers) {
    r.headers[AsciiLower(name)] = value;
  }
  Responder responder;
  bool fail = false;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(r);
    if (fail_next_ > 0) {
      --fail_next_;
      fail = true;
    }
    responder = responder_;
  }
  if (fail) {
    res.status = 500;
    res.Set("Content-Type", "text/plain");
    res.body = "failing on purpose";
    return;
  }
  auto [status, body] = responder ? responder(r) : std::pair<int, std::string>{200, "ok"};
  res.status = status;
  res.Set("Content-Type", body.rfind('{', 0) == 0 ? "application/json" : "text/plain");
  res.body = std::move(body);
}

void WebhookReceiver::Stop() { server_->Stop(); }

std::string WebhookReceiver::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void WebhookReceiver::FailNext(int n) {
  std::lock_guard lock(mu_);
  fail_next_ = n;
}

void WebhookReceiver::Respond(Responder responder) {
  std::lock_guard lock(mu_);
  responder_ = std::move(responder);
}

std::vector<ReceivedRequest> WebhookReceiver::Requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

bool WebhookReceiver::WaitFor(const std::function<bool(const std::vector<ReceivedRequest>&)>& done,
                              std::chrono::milliseconds timeout) const {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (done(Requests())) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= until) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace ec2m::testing
