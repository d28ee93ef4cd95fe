#include "support/webhook_receiver.hpp"

#include <httplib.h>

#include <cctype>

namespace ec2m::testing {

WebhookReceiver::WebhookReceiver() : server_(std::make_unique<httplib::Server>()) {}

WebhookReceiver::~WebhookReceiver() { Stop(); }

bool WebhookReceiver::Start() {
  auto handle = [this](const httplib::Request& req, httplib::Response& res) {
    ReceivedRequest r{req.method, req.path, {}, req.body};
    for (const auto& [name, value] : req.headers) {
      std::string lower = name;
      for (char& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      r.headers[lower] = value;
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
      res.set_content("failing on purpose", "text/plain");
      return;
    }
    auto [status, body] = responder ? responder(r) : std::pair<int, std::string>{200, "ok"};
    res.status = status;
    res.set_content(body, body.rfind('{', 0) == 0 ? "application/json" : "text/plain");
  };
  const char* any = R"(/.*)";
  server_->Get(any, handle);
  server_->Post(any, handle);
  server_->Put(any, handle);
  server_->Patch(any, handle);
  server_->Delete(any, handle);
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) {
    return false;
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // httplib 0.11 has no wait_until_ready: poll.
  for (int i = 0; i < 500 && !server_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return server_->is_running();
}

void WebhookReceiver::Stop() {
  if (thread_.joinable()) {
    server_->stop();
    thread_.join();
  }
}

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
