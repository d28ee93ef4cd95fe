#include "support/smtp_sink.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <optional>

namespace ec2m::testing {
namespace {

constexpr int kPollMs = 50;

// Reads CRLF-terminated lines from a socket.
class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}
  // The next line without its CRLF (or bare LF); nullopt when the peer closed or stalled.
  std::optional<std::string> Next() {
    for (;;) {
      const size_t lf = buffer_.find('\n');
      if (lf != std::string::npos) {
        std::string line = buffer_.substr(0, lf);
        buffer_.erase(0, lf + 1);
        if (!line.empty() && line.back() == '\r') {
          line.pop_back();
        }
        return line;
      }
      char chunk[4096];
      const ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) {
        return std::nullopt;
      }
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

 private:
  int fd_;
  std::string buffer_;
};

void Reply(int fd, const std::string& text) {
  size_t sent = 0;
  while (sent < text.size()) {
    const ssize_t n = send(fd, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      return;
    }
    sent += static_cast<size_t>(n);
  }
}

std::string Upper(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return text;
}

// "FROM:<a@b> SIZE=12" → "a@b".
std::string Address(const std::string& arg) {
  const size_t open = arg.find('<');
  const size_t close = arg.find('>', open == std::string::npos ? 0 : open);
  if (open == std::string::npos || close == std::string::npos) {
    const size_t colon = arg.find(':');
    return colon == std::string::npos ? arg : arg.substr(colon + 1);
  }
  return arg.substr(open + 1, close - open - 1);
}

}  // namespace

SmtpSink::~SmtpSink() { Stop(); }

bool SmtpSink::Start() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) {
    return false;
  }
  const int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listen_fd_, SOMAXCONN) != 0) {
    return false;
  }
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { Accept(); });
  return true;
}

void SmtpSink::Accept() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, kPollMs) <= 0) {
      continue;
    }
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      continue;
    }
    timeval timeout{10, 0};  // a stalled client ends its session
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    std::lock_guard lock(mu_);
    sessions_.emplace_back([this, fd] {
      Serve(fd);
      close(fd);
    });
  }
}

void SmtpSink::Serve(int fd) {
  LineReader in(fd);
  Reply(fd, "220 ec2m-sink ESMTP ready\r\n");
  ReceivedMail mail;
  bool have_from = false;
  for (;;) {
    auto line = in.Next();
    if (!line) {
      return;
    }
    const std::string verb = Upper(line->substr(0, line->find(' ')));
    const std::string arg = line->find(' ') == std::string::npos ? "" : line->substr(5);
    if (verb == "EHLO") {
      mail.helo = arg;
      Reply(fd, "250-ec2m-sink\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n");
    } else if (verb == "HELO") {
      mail.helo = arg;
      Reply(fd, "250 ec2m-sink\r\n");
    } else if (verb == "MAIL") {
      mail.from = Address(line->substr(5));
      mail.to.clear();
      have_from = true;
      Reply(fd, "250 OK\r\n");
    } else if (verb == "RCPT") {
      if (!have_from) {
        Reply(fd, "503 MAIL first\r\n");
      } else if (reject_) {
        Reply(fd, "550 no such mailbox\r\n");
      } else {
        mail.to.push_back(Address(line->substr(5)));
        Reply(fd, "250 OK\r\n");
      }
    } else if (verb == "DATA") {
      if (mail.to.empty()) {
        Reply(fd, "503 RCPT first\r\n");
        continue;
      }
      Reply(fd, "354 end data with <CR><LF>.<CR><LF>\r\n");
      mail.data.clear();
      for (;;) {
        auto data = in.Next();
        if (!data) {
          return;
        }
        if (*data == ".") {
          break;
        }
        // RFC 5321 4.5.2: a leading dot was doubled by the sender.
        mail.data += (!data->empty() && (*data)[0] == '.' ? data->substr(1) : *data) + "\r\n";
      }
      {
        std::lock_guard lock(mu_);
        mails_.push_back(mail);
      }
      mail.to.clear();
      have_from = false;
      Reply(fd, "250 OK queued\r\n");
    } else if (verb == "RSET") {
      mail.to.clear();
      have_from = false;
      Reply(fd, "250 OK\r\n");
    } else if (verb == "NOOP") {
      Reply(fd, "250 OK\r\n");
    } else if (verb == "QUIT") {
      Reply(fd, "221 bye\r\n");
      return;
    } else {
      Reply(fd, "502 command not implemented\r\n");
    }
  }
}

void SmtpSink::Stop() {
  if (!acceptor_.joinable()) {
    return;
  }
  stopping_ = true;
  acceptor_.join();
  close(listen_fd_);
  listen_fd_ = -1;
  std::vector<std::thread> sessions;
  {
    std::lock_guard lock(mu_);
    sessions.swap(sessions_);
  }
  for (std::thread& t : sessions) {
    t.join();
  }
}

std::string SmtpSink::url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

void SmtpSink::RejectRecipients(bool reject) { reject_ = reject; }

std::vector<ReceivedMail> SmtpSink::Mails() const {
  std::lock_guard lock(mu_);
  return mails_;
}

bool SmtpSink::WaitFor(size_t count, std::chrono::milliseconds timeout) const {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (Mails().size() < count) {
    if (std::chrono::steady_clock::now() >= until) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace ec2m::testing
