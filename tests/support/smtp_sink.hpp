#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ec2m::testing {

// One message as the sink received it.
struct ReceivedMail {
  std::string helo;  // the EHLO/HELO argument
  std::string from;  // MAIL FROM's address, without <>
  std::vector<std::string> to;
  std::string data;  // the message, dot-unstuffed, CRLF line ends, without the final "."
};

// A small real SMTP server on 127.0.0.1 and a free port, speaking enough of RFC 5321 for
// libcurl: EHLO/HELO, MAIL FROM, RCPT TO, DATA (with dot-unstuffing), RSET, NOOP, QUIT; anything
// else gets 502. Each connection is served on its own thread; every accepted message is
// recorded. RejectRecipients() makes RCPT TO answer 550. Thread-safe.
class SmtpSink {
 public:
  SmtpSink() = default;
  ~SmtpSink();  // Stop()s
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  bool Start();
  void Stop();
  int port() const { return port_; }
  // "smtp://127.0.0.1:PORT".
  std::string url() const;

  void RejectRecipients(bool reject);
  std::vector<ReceivedMail> Mails() const;
  bool WaitFor(size_t count, std::chrono::milliseconds timeout) const;

 private:
  void Accept();
  void Serve(int fd);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> reject_{false};
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::vector<ReceivedMail> mails_;    // guarded by mu_
  std::vector<std::thread> sessions_;  // guarded by mu_
};

}  // namespace ec2m::testing
