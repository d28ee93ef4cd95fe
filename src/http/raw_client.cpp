#include "http/raw_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <thread>

namespace ec2m::http::raw {
namespace {

using Clock = std::chrono::steady_clock;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

int ConnectTcp(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return -1;
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    const int error = errno;  // for ConnectionRefused
    close(fd);
    errno = error;
    return -1;
  }
  int yes = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  return fd;
}

int RemainingMs(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now()).count();
  return static_cast<int>(std::max<long>(left, 0));
}

}  // namespace

std::string Answer::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) {
      return value;
    }
  }
  return {};
}

RawClient::RawClient(int port, bool tls) : fd_(ConnectTcp(port)) {
  if (fd_ < 0 || !tls) {
    return;
  }
  ctx_ = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);  // a self-signed test certificate
  ssl_ = SSL_new(ctx_);
  SSL_set_fd(ssl_, fd_);
  failed_ = SSL_connect(ssl_) != 1;
}

RawClient::~RawClient() { Close(); }

RawClient::RawClient(RawClient&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      ctx_(std::exchange(other.ctx_, nullptr)),
      ssl_(std::exchange(other.ssl_, nullptr)),
      failed_(other.failed_),
      closed_(other.closed_),
      pending_(std::move(other.pending_)) {}

void RawClient::Close() {
  if (ssl_ != nullptr) {
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
  if (ctx_ != nullptr) {
    SSL_CTX_free(ctx_);
    ctx_ = nullptr;
  }
  if (fd_ >= 0) {
    close(fd_);
    fd_ = -1;
  }
}

bool RawClient::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    long sent = 0;
    if (ssl_ != nullptr) {
      sent = SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()));
    } else {
      sent = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    }
    if (sent <= 0) {
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

long RawClient::ReadSome(Clock::time_point deadline) {
  if (closed_ || fd_ < 0) {
    return 0;
  }
  if (ssl_ == nullptr || SSL_pending(ssl_) == 0) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, RemainingMs(deadline)) <= 0) {
      return -1;
    }
  }
  char buffer[65536];
  long n = 0;
  if (ssl_ != nullptr) {
    n = SSL_read(ssl_, buffer, sizeof buffer);
    if (n <= 0 && SSL_get_error(ssl_, static_cast<int>(n)) == SSL_ERROR_WANT_READ) {
      return Clock::now() < deadline ? ReadSome(deadline) : -1;
    }
  } else {
    n = recv(fd_, buffer, sizeof buffer, 0);
  }
  if (n <= 0) {
    closed_ = true;  // an orderly close, a reset, or a TLS failure: the connection is over
    return 0;
  }
  pending_.append(buffer, static_cast<size_t>(n));
  return n;
}

size_t RawClient::WaitFor(std::string_view needle, Clock::time_point deadline) {
  for (;;) {
    const size_t at = pending_.find(needle);
    if (at != std::string::npos) {
      return at;
    }
    if (ReadSome(deadline) <= 0) {
      return std::string::npos;
    }
  }
}

Answer RawClient::Read(Millis timeout, bool head) {
  const auto deadline = Clock::now() + timeout;
  Answer answer;
  const size_t end = WaitFor("\r\n\r\n", deadline);
  if (end == std::string::npos) {
    return answer;
  }
  const std::string head_text = pending_.substr(0, end);
  pending_.erase(0, end + 4);
  size_t line_end = head_text.find("\r\n");
  const std::string status_line = head_text.substr(0, line_end);
  if (status_line.size() < 12 || status_line.compare(0, 5, "HTTP/") != 0) {
    return answer;
  }
  answer.status = std::stoi(status_line.substr(9, 3));
  while (line_end != std::string::npos) {
    const size_t start = line_end + 2;
    line_end = head_text.find("\r\n", start);
    const std::string line = head_text.substr(start, line_end - start);
    const size_t colon = line.find(':');
    if (colon != std::string::npos) {
      const size_t value = line.find_first_not_of(' ', colon + 1);
      answer.headers.emplace_back(line.substr(0, colon),
                                  value == std::string::npos ? "" : line.substr(value));
    }
  }
  if (head || answer.status < 200 || answer.status == 204 || answer.status == 304) {
    answer.complete = true;
    return answer;
  }
  answer.complete = ReadBody(answer, deadline);
  return answer;
}

bool RawClient::ReadBody(Answer& answer, Clock::time_point deadline) {
  if (EqualsIgnoreCase(answer.Header("Transfer-Encoding"), "chunked")) {
    answer.chunked = true;
    return ReadChunked(answer, deadline);
  }
  const std::string length = answer.Header("Content-Length");
  if (length.empty()) {  // until the server closes
    while (ReadSome(deadline) > 0) {
    }
    answer.body = std::move(pending_);
    pending_.clear();
    return closed_;
  }
  const size_t want = std::stoul(length);
  while (pending_.size() < want && ReadSome(deadline) > 0) {
  }
  const size_t got = std::min(want, pending_.size());
  answer.body = pending_.substr(0, got);
  pending_.erase(0, got);
  return got == want;
}

bool RawClient::ReadChunked(Answer& answer, Clock::time_point deadline) {
  for (;;) {
    const size_t line_end = WaitFor("\r\n", deadline);
    if (line_end == std::string::npos) {
      return false;
    }
    const size_t size = std::stoul(pending_.substr(0, line_end), nullptr, 16);
    pending_.erase(0, line_end + 2);
    while (pending_.size() < size + 2 && ReadSome(deadline) > 0) {
    }
    if (pending_.size() < size + 2) {
      return false;
    }
    if (size == 0) {  // no trailers from this server: the last chunk's CRLF ends the body
      pending_.erase(0, 2);
      return true;
    }
    answer.body.append(pending_, 0, size);
    pending_.erase(0, size + 2);
    ++answer.chunks;
  }
}

bool RawClient::WaitClosed(Millis timeout, std::string* received) {
  const auto deadline = Clock::now() + timeout;
  while (!closed_ && ReadSome(deadline) > 0) {
  }
  if (received != nullptr) {
    *received = pending_;
  }
  return closed_;
}

bool RawClient::Readable(Millis timeout) {
  if (!pending_.empty() || closed_) {
    return true;
  }
  pollfd p{fd_, POLLIN, 0};
  return poll(&p, 1, static_cast<int>(timeout.count())) > 0;
}

Answer RawClient::Exchange(std::string_view request, Millis timeout) {
  if (!Send(request)) {
    return {};
  }
  return Read(timeout);
}

std::string Get(std::string_view target, std::string_view extra_headers) {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) +
         "\r\n";
}

bool Eventually(const std::function<bool()>& condition, Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!condition()) {
    if (Clock::now() >= deadline) {
      return condition();
    }
    std::this_thread::sleep_for(Millis(5));
  }
  return true;
}

long ElapsedMs(Clock::time_point start) {
  return static_cast<long>(std::chrono::duration_cast<Millis>(Clock::now() - start).count());
}

bool ConnectionRefused(int port) {
  const int fd = ConnectTcp(port);
  if (fd < 0) {
    return errno == ECONNREFUSED;
  }
  close(fd);
  return false;
}

}  // namespace ec2m::http::raw
