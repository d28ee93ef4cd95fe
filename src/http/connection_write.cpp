// One connection's life, its second half: answers written in request order (whole, streamed in
// chunks produced on the worker pool, or cut after the headers), then the next request or the
// close.
#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/write.hpp>

#include "http/connection_impl.hpp"

namespace ec2m::http::internal {

// `deadline` bounds the whole answer: the request's deadline, or a refusal's own.
void Connection::SendAnswer(Clock::time_point deadline) {
  phase_ = Phase::kWriting;
  if (CheckResponse(response_)) {
    ++shared_.counters.handler_errors;
    response_ = shared_.Refusal(500, "internal error");
  }
  if (draining_ || AsksToClose(response_) || response_.drop_after_headers ||
      (response_.stream && version_ < 11)) {
    keep_alive_ = false;  // an HTTP/1.0 stream ends with the connection
  }
  chunked_ = response_.stream && version_ >= 11;
  message_.emplace();
  BuildAnswer(response_, version_, keep_alive_, head_, *message_);
  serializer_.emplace(*message_);
  const bool header_only = head_ || response_.stream || response_.drop_after_headers;
  if (!header_only && WriteAtOnce()) {
    return OnHeadWritten({});
  }
  Lowest().expires_at(deadline);
  WithStream([this, header_only](auto& stream) {
    auto written = [self = Self()](error_code ec, size_t) { self->OnHeadWritten(ec); };
    if (header_only) {
      bhttp::async_write_header(stream, *serializer_, std::move(written));
    } else {
      bhttp::async_write(stream, *serializer_, std::move(written));
    }
  });
}

// The usual case on a plain connection: the socket takes the whole answer at once (its buffer has
// room), written without waiting, so without a deadline to arm and cancel. False when it has to
// wait (what it took is not written again) or on TLS.
bool Connection::WriteAtOnce() {
  auto* plain = std::get_if<PlainStream>(&stream_);
  if (plain == nullptr) {
    return false;
  }
  tcp::socket& socket = plain->socket();
  error_code ec;
  socket.non_blocking(true, ec);
  if (!ec) {
    bhttp::write(socket, *serializer_, ec);
  }
  return !ec && serializer_->is_done();
}

// After the header (and, unless streamed, dropped or HEAD, the body) was written.
void Connection::OnHeadWritten(error_code ec) {
  if (ec) {
    return Abort();
  }
  if (response_.drop_after_headers) {
    return Close();
  }
  if (response_.stream && !head_) {
    return NextPiece();
  }
  FinishAnswer();
}

// A streamed answer keeps two pieces in flight: the next is produced on a worker while the one
// before it is written, so the region's reading and the socket's writing overlap.
void Connection::NextPiece() {
  next_piece_.clear();
  shared_.pool.Post([self = Self()] { self->ProducePiece(); });
}

// On a worker: the loop touches neither response_ nor next_piece_ until the post below.
void Connection::ProducePiece() {
  bool ok = false;
  bool more = false;
  try {
    const Result<bool> result = response_.stream(next_piece_);
    ok = result.has_value();
    more = ok && *result;
  } catch (...) {  // NOLINT(bugprone-empty-catch): ok stays false, which aborts the answer
  }
  net::post(executor_, [self = Self(), ok, more] { self->OnPiece(ok, more); });
}

void Connection::OnPiece(bool ok, bool more) {
  if (phase_ == Phase::kClosing) {  // the write before it failed: the answer was cut already
    return;
  }
  if (!ok) {
    return Abort();
  }
  piece_ready_ = true;
  more_pieces_ = more;
  if (!writing_) {
    WritePiece();
  }
}

// Writes the piece just produced, and starts producing the one after it meanwhile.
void Connection::WritePiece() {
  piece_ready_ = false;
  std::swap(piece_, next_piece_);
  const bool more = more_pieces_;
  if (piece_.empty()) {  // an empty chunk would end the body
    return more ? NextPiece() : WriteLastChunk();
  }
  writing_ = true;
  auto written = [self = Self(), more](error_code ec, size_t) {
    self->writing_ = false;
    if (ec) {
      return self->Abort();
    }
    if (!more) {
      return self->WriteLastChunk();
    }
    if (self->piece_ready_) {
      self->WritePiece();
    }  // else OnPiece writes it when it comes
  };
  WithStream([this, &written](auto& stream) {
    if (chunked_) {
      net::async_write(stream, bhttp::make_chunk(net::buffer(piece_)), std::move(written));
    } else {
      net::async_write(stream, net::buffer(piece_), std::move(written));
    }
  });
  if (more) {
    NextPiece();
  }
}

void Connection::WriteLastChunk() {
  if (!chunked_) {
    return FinishAnswer();
  }
  WithStream([this](auto& stream) {
    net::async_write(stream, bhttp::make_chunk_last(), [self = Self()](error_code ec, size_t) {
      if (ec) {
        return self->Abort();
      }
      self->FinishAnswer();
    });
  });
}

void Connection::FinishAnswer() {
  Lowest().expires_never();
  serializer_.reset();
  message_.reset();
  request_ = Request{};
  response_ = Response{};
  piece_ = std::string();
  next_piece_ = std::string();
  if (!keep_alive_ || draining_) {
    return LingerClose();
  }
  ReadRequest();
}

// An answer cut short (a stream's Error, a write that failed or passed its deadline): the client
// sees the connection end before the answer does.
void Connection::Abort() {
  ++shared_.counters.aborted;
  Close();
}

// Closes after an answer that says so: stops sending, then reads and discards what the client
// still sends (a pipelined request, the rest of a refused body) until it closes too, so that
// closing with unread data does not reset the connection before the client read the answer.
void Connection::LingerClose() {
  phase_ = Phase::kClosing;
  Lowest().expires_after(std::min<std::chrono::milliseconds>(options_.header_timeout, kMaxLinger));
  if (auto* tls = std::get_if<TlsStream>(&stream_)) {
    tls->async_shutdown([self = Self()](error_code) { self->Close(); });
    return;
  }
  error_code ignored;
  Lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
  buffer_.clear();
  lingered_ = 0;
  Discard();
}

void Connection::Discard() {
  Lowest().async_read_some(buffer_.prepare(kReadSize), [self = Self()](error_code ec, size_t n) {
    self->buffer_.clear();
    self->lingered_ += n;
    if (ec || n == 0 || self->lingered_ > kMaxLingerBytes) {
      return self->Close();
    }
    self->Discard();
  });
}

void Connection::Close() {
  phase_ = Phase::kClosing;
  DisarmReadTimer();
  error_code ignored;
  Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
  Lowest().close();
}

}  // namespace ec2m::http::internal
