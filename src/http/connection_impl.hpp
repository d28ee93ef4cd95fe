#pragma once

// Internal to ec2m_http: the connection, its methods defined in connection_read.cpp (handshake,
// requests, refusals) and connection_write.cpp (answers, streaming, closing). Includes Boost:
// never include it outside this folder's .cpp files.
//
// Everything in a Connection runs on its event loop except RunHandler and ProducePiece, which
// run on a worker while the loop leaves the request, the response and the piece being produced
// alone (it reads nothing meanwhile; it may write the piece before), and post back. Pending
// operations own the connection (shared_from_this): it ends with the last one.

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "http/connection.hpp"
#include "http/wire.hpp"

namespace ec2m::http::internal {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// The first read of a request, and each read of a lingering close.
constexpr size_t kReadSize = 4096;
// A lingering close (after an answer that closes the connection) reads and discards what the
// client still sends, so that the kernel does not reset the connection before the client read
// the answer; bounded in time and bytes.
constexpr std::chrono::milliseconds kMaxLinger{2000};
constexpr size_t kMaxLingerBytes = 1 << 20;

// One accepted connection, plain or TLS. Created and counted on the accept loop (Launch), then
// lives on its own event loop. Not thread-safe: see the top of this file for who touches what.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // Makes a connection for an accepted socket, counts it in shared.connections and posts its
  // Start to the socket's event loop. On the accept loop.
  static void Launch(Shared& shared, tcp::socket socket);
  Connection(Shared& shared, tcp::socket socket, std::string remote_addr);
  ~Connection();  // Uncounts it.
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

 private:
  enum class Phase { kHandshake, kIdle, kHeader, kBody, kHandling, kWriting, kClosing };

  // Calls `f` with the stream, whichever it is: every read and write goes through here.
  template <class F>
  decltype(auto) WithStream(F&& f) {
    return std::visit(std::forward<F>(f), stream_);
  }
  beast::tcp_stream& Lowest();
  bool Tls() const { return std::holds_alternative<TlsStream>(stream_); }
  std::shared_ptr<Connection> Self() { return shared_from_this(); }

  // connection_read.cpp
  void Start();  // the TLS handshake or the first request
  void OnHandshake(error_code ec);
  void Drain();
  // Closes the connection if it is kept alive and waiting for its next request.
  void Reclaim();
  void ReadRequest();
  void OnFirstBytes(error_code ec, size_t bytes);
  void ReadHeader();
  bool ParseBufferedHeader();  // true when it ended the header's reading (OnHeader ran)
  void OnHeader(error_code ec);
  void SendContinue();
  void ReadBody();
  void OnBody(error_code ec);
  void OnReadFailed(error_code ec, bool timed_out);
  void Dispatch();
  // Tries ServerOptions::quick on the loop; whether it answered (response_ is then set).
  bool Quick();
  void RunHandler();
  void Refuse(int status, std::string_view message);
  void ArmReadTimer(Clock::time_point deadline);
  bool DisarmReadTimer();
  // connection_write.cpp
  void SendAnswer(Clock::time_point deadline);
  bool WriteAtOnce();
  void OnHeadWritten(error_code ec);
  void NextPiece();
  void ProducePiece();
  void OnPiece(bool ok, bool more);
  void WritePiece();
  void WriteLastChunk();
  void FinishAnswer();
  void Abort();
  void LingerClose();
  void Discard();
  void Close();

  Shared& shared_;
  const ServerOptions& options_;
  const net::any_io_executor executor_;
  std::variant<PlainStream, TlsStream> stream_;
  net::steady_timer read_timer_;  // the deadline of the read in progress
  beast::flat_buffer buffer_;     // bounded: a header, or the start of pipelined requests
  const std::string remote_addr_;
  uint64_t id_ = 0;
  Phase phase_ = Phase::kHandshake;
  bool first_request_ = true;
  bool draining_ = false;
  bool timed_out_ = false;         // the read timer fired and cancelled the read
  uint64_t timer_generation_ = 0;  // tells a stale expiry from the armed one
  Clock::time_point request_deadline_;
  Clock::time_point first_header_deadline_;  // header_timeout after the connection opened
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  // The request and its answer: the worker owns them while the handler or a stream runs.
  Request request_;
  Response response_;
  unsigned version_ = 11;
  bool head_ = false;
  bool keep_alive_ = false;
  bool chunked_ = false;
  std::optional<BeastResponse> message_;
  std::optional<bhttp::response_serializer<AnswerBody>> serializer_;
  // A streamed answer: the piece being written, and the next one, produced on a worker
  // meanwhile (only then does a worker touch response_).
  std::string piece_;
  std::string next_piece_;
  bool writing_ = false;
  bool piece_ready_ = false;  // next_piece_ is produced and waits for the write before it
  bool more_pieces_ = false;  // another piece follows next_piece_
  size_t lingered_ = 0;
};

}  // namespace ec2m::http::internal
