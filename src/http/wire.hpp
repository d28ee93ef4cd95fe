#pragma once

// Internal to ec2m_http: between Beast's messages and ec2m's Request and Response. Includes
// Boost.Beast: never include it outside this folder's .cpp files.

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/optional.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "http/server.hpp"

namespace ec2m::http::internal {

// An answer's body for Beast's serializer: a string of its own, or one shared with the handler
// (Response::shared_body), written from where it is. Either way the header and the body go out
// in one gathered write.
struct AnswerBody {
  struct value_type {
    std::string owned;
    std::shared_ptr<const std::string> shared;  // when set, `owned` is ignored
    std::string_view Bytes() const { return shared ? *shared : owned; }
  };
  static std::uint64_t size(const value_type& body) { return body.Bytes().size(); }

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;
    template <bool kIsRequest, class Fields>
    writer(const boost::beast::http::header<kIsRequest, Fields>&, const value_type& body)
        : body_(body) {}
    void init(boost::system::error_code& ec) { ec = {}; }
    boost::optional<std::pair<const_buffers_type, bool>> get(boost::system::error_code& ec) {
      ec = {};
      const std::string_view bytes = body_.Bytes();
      return {{const_buffers_type(bytes.data(), bytes.size()), false}};
    }

   private:
    const value_type& body_;
  };
};

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<AnswerBody>;

// What the headers of a request leave wrong once read in full (before its body): a status (400,
// 431) and a message; nullopt when nothing is. (Beast's parser itself refuses versions other
// than HTTP/1.0 and HTTP/1.1.)
struct HeaderProblem {
  int status;
  std::string message;
};
std::optional<HeaderProblem> CheckHeader(const BeastRequest& message, bool chunked,
                                         const ServerOptions& options);

// Moves a request read in full into `out` (method, target, path and query, headers, body).
// Returns why it is malformed (an invalid percent-escape), or nullopt.
std::optional<std::string> FillRequest(BeastRequest&& message, Request& out);

// Why `response` cannot be sent as it is (a status outside 200..599, a header name that is not a
// token, a value with CR, LF or NUL: response splitting), or nullopt.
std::optional<std::string> CheckResponse(const Response& response);

// Whether the handler asked to close the connection after its answer ("Connection: close").
bool AsksToClose(const Response& response);

// Builds the message for a checked `response` to a request of HTTP `version` (10 or 11). Moves
// the body out. Content-Length is set here (body.size() + 1 when drop_after_headers; none for 204
// and 304), or chunked encoding for a stream answering HTTP/1.1; for HEAD the body is left out.
void BuildAnswer(Response& response, unsigned version, bool keep_alive, bool head,
                 BeastResponse& out);

}  // namespace ec2m::http::internal
