#pragma once

// Internal to ec2m_http: between Beast's messages and ec2m's Request and Response. Includes
// Boost.Beast: never include it outside this folder's .cpp files.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>
#include <string>

#include "http/server.hpp"

namespace ec2m::http::internal {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

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
