// One connection's life, its first half: (TLS handshake,) then requests read one at a time with
// a limit and a deadline on every read, handed to the worker pool, or refused.
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <limits>

#include "http/connection_impl.hpp"

namespace ec2m::http::internal {
namespace {

std::variant<PlainStream, TlsStream> MakeStream(tcp::socket socket, Shared& shared) {
  if (shared.tls) {
    return std::variant<PlainStream, TlsStream>(std::in_place_type<TlsStream>, std::move(socket),
                                                *shared.tls);
  }
  return std::variant<PlainStream, TlsStream>(std::in_place_type<PlainStream>, std::move(socket));
}

}  // namespace

void StartConnection(Shared& shared, tcp::socket socket) {
  Connection::Launch(shared, std::move(socket));
}

void Connection::Launch(Shared& shared, tcp::socket socket) {
  error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  std::string remote_addr = ec ? std::string() : peer.address().to_string();
  auto connection = std::make_shared<Connection>(shared, std::move(socket), std::move(remote_addr));
  // Drain and reclaim are posted, not run: ConnectionSet calls them with its lock held.
  connection->id_ = shared.connections.Add(
      [weak = connection->weak_from_this(), executor = connection->executor_] {
        net::post(executor, [weak] {
          if (auto self = weak.lock()) {
            self->Drain();
          }
        });
      },
      [weak = connection->weak_from_this(), executor = connection->executor_] {
        net::post(executor, [weak] {
          if (auto self = weak.lock()) {
            self->Reclaim();
          }
        });
      });
  const net::any_io_executor executor = connection->executor_;
  net::post(executor, [connection = std::move(connection)] { connection->Start(); });
}

Connection::Connection(Shared& shared, tcp::socket socket, std::string remote_addr)
    : shared_(shared),
      options_(shared.options),
      executor_(socket.get_executor()),
      stream_(MakeStream(std::move(socket), shared)),
      read_timer_(executor_),
      buffer_(options_.max_header_bytes + 2 * kReadSize),
      remote_addr_(std::move(remote_addr)) {}

Connection::~Connection() { shared_.connections.Remove(id_); }

beast::tcp_stream& Connection::Lowest() {
  return WithStream(
      [](auto& stream) -> beast::tcp_stream& { return beast::get_lowest_layer(stream); });
}

void Connection::Start() {
  auto* tls = std::get_if<TlsStream>(&stream_);
  if (tls == nullptr) {
    return ReadRequest();
  }
  // A client that never completes the handshake (a plain-HTTP request, silence) is closed at
  // the header deadline.
  Lowest().expires_after(options_.header_timeout);
  tls->async_handshake(net::ssl::stream_base::server,
                       [self = Self()](error_code ec) { self->OnHandshake(ec); });
}

void Connection::OnHandshake(error_code ec) {
  Lowest().expires_never();
  if (ec) {
    ++shared_.counters.tls_handshake_failed;
    return Close();
  }
  ReadRequest();
}

void Connection::Drain() {
  draining_ = true;
  if (phase_ == Phase::kIdle) {
    error_code ignored;
    Lowest().socket().cancel(ignored);  // OnFirstBytes closes
  }
}

void Connection::Reclaim() {
  if (phase_ == Phase::kIdle && !first_request_) {
    ++shared_.counters.reclaimed;
    error_code ignored;
    Lowest().socket().cancel(ignored);  // OnFirstBytes closes
  }
}

// Between requests: waits for the first byte of the next one (idle_timeout on a kept-alive
// connection, header_timeout on a new one), unless pipelined bytes are already here.
void Connection::ReadRequest() {
  if (draining_) {
    return Close();
  }
  version_ = 11;
  head_ = false;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(
      std::min<size_t>(options_.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  parser_->body_limit(options_.max_body_bytes);
  if (buffer_.size() > 0) {
    // Pipelined: through the loop's queue, as an answer written at once would otherwise recurse
    // into the next request, and the next, as deep as the client pipelined.
    net::post(executor_, [self = Self()] { self->ReadHeader(); });
    return;
  }
  phase_ = Phase::kIdle;
  if (first_request_) {
    // A new connection's first headers are due header_timeout after it opened, however long the
    // first byte took: a silent start must not buy a trickle more time.
    first_header_deadline_ = Clock::now() + options_.header_timeout;
  }
  ArmReadTimer(first_request_ ? first_header_deadline_ : Clock::now() + options_.idle_timeout);
  WithStream([this](auto& stream) {
    stream.async_read_some(buffer_.prepare(kReadSize),
                           [self = Self()](error_code ec, size_t n) { self->OnFirstBytes(ec, n); });
  });
}

void Connection::OnFirstBytes(error_code ec, size_t bytes) {
  const bool timed_out = DisarmReadTimer();
  if (timed_out) {
    ++(first_request_ ? shared_.counters.header_timeout : shared_.counters.idle_closed);
  }
  if (timed_out || ec || bytes == 0) {
    return Close();
  }
  buffer_.commit(bytes);
  ReadHeader();
}

void Connection::ReadHeader() {
  phase_ = Phase::kHeader;
  const Clock::time_point header_deadline =
      first_request_ ? first_header_deadline_ : Clock::now() + options_.header_timeout;
  first_request_ = false;
  request_deadline_ = Clock::now() + options_.request_timeout;
  if (ParseBufferedHeader()) {
    return;
  }
  ArmReadTimer(std::min(header_deadline, request_deadline_));
  WithStream([this](auto& stream) {
    bhttp::async_read_header(stream, buffer_, *parser_,
                             [self = Self()](error_code ec, size_t) { self->OnHeader(ec); });
  });
}

// The usual case: the whole header came with the first read. Parsed here, it needs neither a
// deadline nor a trip through the loop's queue.
bool Connection::ParseBufferedHeader() {
  if (buffer_.size() == 0) {
    return false;
  }
  error_code ec;
  const size_t used = parser_->put(buffer_.data(), ec);
  buffer_.consume(used);
  if (ec == bhttp::error::need_more) {
    return false;  // the rest of it is read with a deadline; the parser keeps what it took
  }
  OnHeader(ec);
  return true;
}

void Connection::OnHeader(error_code ec) {
  const bool timed_out = DisarmReadTimer();
  if (timed_out || ec) {
    return OnReadFailed(ec, timed_out);
  }
  version_ = parser_->get().version() == 10 ? 10 : 11;
  head_ = parser_->get().method() == bhttp::verb::head;
  if (auto problem = CheckHeader(parser_->get(), parser_->chunked(), options_)) {
    return Refuse(problem->status, problem->message);
  }
  if (parser_->is_done()) {
    return Dispatch();
  }
  const auto expect = parser_->get()[bhttp::field::expect];
  if (parser_->get().version() >= 11 && beast::iequals(expect, "100-continue")) {
    return SendContinue();
  }
  ReadBody();
}

// Clients that ask (curl does for bodies over 1 KiB) wait for this before sending the body.
void Connection::SendContinue() {
  static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  Lowest().expires_at(std::min(Clock::now() + options_.body_timeout, request_deadline_));
  WithStream([this](auto& stream) {
    net::async_write(stream, net::buffer(kContinue.data(), kContinue.size()),
                     [self = Self()](error_code ec, size_t) {
                       self->Lowest().expires_never();
                       if (ec) {
                         return self->Close();
                       }
                       self->ReadBody();
                     });
  });
}

void Connection::ReadBody() {
  phase_ = Phase::kBody;
  ArmReadTimer(std::min(Clock::now() + options_.body_timeout, request_deadline_));
  WithStream([this](auto& stream) {
    bhttp::async_read(stream, buffer_, *parser_,
                      [self = Self()](error_code ec, size_t) { self->OnBody(ec); });
  });
}

void Connection::OnBody(error_code ec) {
  const bool timed_out = DisarmReadTimer();
  if (timed_out || ec) {
    return OnReadFailed(ec, timed_out);
  }
  Dispatch();
}

void Connection::OnReadFailed(error_code ec, bool timed_out) {
  if (timed_out) {
    const bool header = phase_ == Phase::kHeader;
    ++(header ? shared_.counters.header_timeout : shared_.counters.body_timeout);
    return Refuse(408,
                  header ? "the request headers took too long" : "the request body took too long");
  }
  if (ec == bhttp::error::header_limit) {
    return Refuse(
        431, "the request headers exceed " + std::to_string(options_.max_header_bytes) + " bytes");
  }
  if (ec == bhttp::error::body_limit) {
    return Refuse(413,
                  "the request body exceeds " + std::to_string(options_.max_body_bytes) + " bytes");
  }
  // The client left, mid-request or not, or the transport failed: nobody to answer.
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
      ec.category() != bhttp::make_error_code(bhttp::error::end_of_stream).category()) {
    return Close();
  }
  Refuse(400, "malformed request: " + ec.message());
}

void Connection::Dispatch() {
  keep_alive_ = parser_->get().keep_alive();
  request_ = Request{};
  if (auto problem = FillRequest(parser_->release(), request_)) {
    return Refuse(400, *problem);
  }
  request_.remote_addr = remote_addr_;
  request_.tls = Tls();
  phase_ = Phase::kHandling;
  response_ = Response{};
  if (shared_.options.quick && Quick()) {
    ++shared_.counters.requests;
    ++shared_.counters.quick;
    return SendAnswer(request_deadline_);
  }
  if (shared_.pool.TryPost([self = Self()] { self->RunHandler(); })) {
    ++shared_.counters.requests;
    return;
  }
  ++shared_.counters.queue_full;
  response_ = shared_.Refusal(503, "too many requests are waiting; try again");
  response_.Set("Retry-After", "1");
  SendAnswer(request_deadline_);
}

bool Connection::Quick() {
  try {
    if (shared_.options.quick(request_, response_)) {
      if (response_.stream) {  // a contract broken: answered as the handler's errors are
        ++shared_.counters.handler_errors;
        response_ = shared_.Refusal(500, "internal error");
      }
      return true;
    }
  } catch (...) {
    ++shared_.counters.handler_errors;
    response_ = shared_.Refusal(500, "internal error");
    return true;
  }
  response_ = Response{};
  return false;
}

// On a worker: the loop touches neither request_ nor response_ until the post below.
void Connection::RunHandler() {
  try {
    shared_.handler(request_, response_);
  } catch (...) {
    ++shared_.counters.handler_errors;
    response_ = shared_.Refusal(500, "internal error");
  }
  net::post(executor_, [self = Self()] { self->SendAnswer(self->request_deadline_); });
}

void Connection::Refuse(int status, std::string_view message) {
  if (status == 400) {
    ++shared_.counters.bad_request;
  } else if (status == 413) {
    ++shared_.counters.too_large;
  } else if (status == 431) {
    ++shared_.counters.header_too_large;
  }
  keep_alive_ = false;
  response_ = shared_.Refusal(status, message);
  SendAnswer(Clock::now() + options_.header_timeout);
}

// Reads get a timer of their own rather than tcp_stream's expiry, which closes the socket: a
// cancelled read leaves it open for the 408.
void Connection::ArmReadTimer(Clock::time_point deadline) {
  timed_out_ = false;
  read_timer_.expires_at(deadline);
  read_timer_.async_wait([self = Self(), generation = ++timer_generation_](error_code ec) {
    if (ec || generation != self->timer_generation_) {
      return;
    }
    self->timed_out_ = true;
    error_code ignored;
    self->Lowest().socket().cancel(ignored);
  });
}

bool Connection::DisarmReadTimer() {
  ++timer_generation_;
  read_timer_.cancel();
  return timed_out_;
}

}  // namespace ec2m::http::internal
