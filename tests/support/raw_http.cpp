#include "support/raw_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace ec2m::testing {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

// The header block's value of `name` (lower case), "" when absent.
std::string HeaderValue(const std::string& head, const std::string& name) {
  const std::string lower = Lower(head);
  const size_t at = lower.find("\r\n" + name + ":");
  if (at == std::string::npos) {
    return "";
  }
  const size_t start = at + 2 + name.size() + 1;
  const size_t end = lower.find("\r\n", start);
  std::string value = head.substr(start, end - start);
  const size_t first = value.find_first_not_of(' ');
  return first == std::string::npos ? "" : value.substr(first);
}

// Decodes a complete chunked body; nullopt while incomplete. `consumed` is its length on the wire.
std::optional<std::string> Dechunk(const std::string& wire, size_t& consumed) {
  std::string out;
  size_t pos = 0;
  for (;;) {
    const size_t eol = wire.find("\r\n", pos);
    if (eol == std::string::npos) {
      return std::nullopt;
    }
    const size_t size = std::strtoul(wire.substr(pos, eol - pos).c_str(), nullptr, 16);
    pos = eol + 2;
    if (size == 0) {
      const size_t end = wire.find("\r\n", pos);  // no trailers expected
      if (end == std::string::npos) {
        return std::nullopt;
      }
      consumed = end + 2;
      return out;
    }
    if (wire.size() < pos + size + 2) {
      return std::nullopt;
    }
    out += wire.substr(pos, size);
    pos += size + 2;
  }
}

// The length of the first complete answer in `data` (0 when not complete yet).
size_t CompleteAnswer(const std::string& data) {
  const size_t head_end = data.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    return 0;
  }
  const std::string head = data.substr(0, head_end);
  const size_t body_start = head_end + 4;
  if (Lower(HeaderValue(head, "transfer-encoding")) == "chunked") {
    size_t consumed = 0;
    return Dechunk(data.substr(body_start), consumed) ? body_start + consumed : 0;
  }
  const std::string length = HeaderValue(head, "content-length");
  const size_t n = length.empty() ? 0 : std::strtoul(length.c_str(), nullptr, 10);
  return data.size() >= body_start + n ? body_start + n : 0;
}

}  // namespace

int PortOf(const std::string& url) {
  const size_t colon = url.rfind(':');
  return colon == std::string::npos ? 0 : std::atoi(url.c_str() + colon + 1);
}

RawConnection::RawConnection(int port, const std::string& source) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    return;
  }
  if (!source.empty()) {
    sockaddr_in from{};
    from.sin_family = AF_INET;
    ::inet_pton(AF_INET, source.c_str(), &from.sin_addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
      ::close(fd_);
      fd_ = -1;
      return;
    }
  }
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

bool RawConnection::Send(const std::string& bytes) {
  size_t sent = 0;
  while (fd_ >= 0 && sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      return false;
    }
    sent += static_cast<size_t>(n);
  }
  return fd_ >= 0;
}

int RawConnection::ReadSome(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  if (fd_ < 0 || left <= 0) {
    return -1;
  }
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(left)) <= 0) {
    return 1;  // nothing yet: the caller looks at the deadline again
  }
  char chunk[65536];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) {
    return 0;
  }
  buffer_.append(chunk, static_cast<size_t>(n));
  return 1;
}

std::optional<std::string> RawConnection::ReadAnswer(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (const size_t n = CompleteAnswer(buffer_); n > 0) {
      std::string answer = buffer_.substr(0, n);
      buffer_.erase(0, n);
      return answer;
    }
    if (ReadSome(deadline) <= 0) {
      return std::nullopt;
    }
  }
}

bool RawConnection::ClosedWithin(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const int read = ReadSome(deadline);
    if (read <= 0) {
      return read == 0 || fd_ < 0;
    }
  }
}

int StatusOf(const std::string& answer) {
  if (answer.rfind("HTTP/1.", 0) != 0 || answer.size() < 12) {
    return 0;
  }
  return std::atoi(answer.c_str() + 9);
}

std::string BodyOf(const std::string& answer) {
  const size_t head_end = answer.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    return "";
  }
  const std::string head = answer.substr(0, head_end);
  const std::string wire = answer.substr(head_end + 4);
  if (Lower(HeaderValue(head, "transfer-encoding")) == "chunked") {
    size_t consumed = 0;
    return Dechunk(wire, consumed).value_or("");
  }
  return wire;
}

std::optional<std::string> RawExchange(int port, const std::string& request,
                                       std::chrono::milliseconds timeout) {
  RawConnection c(port);
  if (!c.Send(request)) {
    return std::nullopt;
  }
  return c.ReadAnswer(timeout);
}

std::string RawPost(const std::string& path, const std::string& body, const std::string& token,
                    const std::string& content_type) {
  std::string request =
      "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + content_type +
      "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n";
  if (!token.empty()) {
    request += "Authorization: Bearer " + token + "\r\n";
  }
  return request + "\r\n" + body;
}

}  // namespace ec2m::testing
