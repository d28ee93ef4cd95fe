#include "http/wire.hpp"

#include <algorithm>
#include <array>
#include <boost/beast/core/string.hpp>
#include <iterator>

namespace ec2m::http::internal {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

// RFC 9110 token characters.
// RFC 9110 tchar, by byte (a table: every header of every answer is checked).
constexpr std::array<bool, 256> kTokenChars = [] {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) {
    table[c] = true;
  }
  for (int c = 'a'; c <= 'z'; ++c) {
    table[c] = true;
    table[c - 'a' + 'A'] = true;
  }
  for (const char c : std::string_view("!#$%&'*+-.^_`|~")) {
    table[static_cast<unsigned char>(c)] = true;
  }
  return table;
}();

bool IsToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return kTokenChars[static_cast<unsigned char>(c)];
  });
}

bool ServerSetsIt(std::string_view name) {
  return beast::iequals(name, "Content-Length") || beast::iequals(name, "Transfer-Encoding") ||
         beast::iequals(name, "Connection");
}

}  // namespace

std::optional<HeaderProblem> CheckHeader(const BeastRequest& message, bool chunked,
                                         const ServerOptions& options) {
  const auto count = static_cast<size_t>(std::distance(message.begin(), message.end()));
  if (count > options.max_header_count) {
    return HeaderProblem{
        431, "more than " + std::to_string(options.max_header_count) + " header fields"};
  }
  const std::string_view target = message.target();
  if (target.empty() || target.front() != '/') {
    return HeaderProblem{400, "the request target must start with '/'"};
  }
  // RFC 9112 6.3: a Transfer-Encoding whose last coding is not chunked leaves the body's length
  // unknown; Beast would read no body, and a proxy in front might have read one (smuggling).
  if (message.count(bhttp::field::transfer_encoding) > 0 && !chunked) {
    return HeaderProblem{400, "Transfer-Encoding must end with chunked"};
  }
  return std::nullopt;
}

std::optional<std::string> FillRequest(BeastRequest&& message, Request& out) {
  out.method = std::string(message.method_string());
  out.target = std::string(message.target());
  const size_t question = out.target.find('?');
  auto path = PercentDecode(std::string_view(out.target).substr(0, question), false);
  if (!path) {
    return "invalid percent-escape in the path";
  }
  out.path = std::move(*path);
  out.raw_query = question == std::string::npos ? std::string() : out.target.substr(question + 1);
  if (!PercentDecode(out.raw_query, true)) {
    return "invalid percent-escape in the query";
  }
  out.headers.clear();
  for (const auto& field : message) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  out.body = std::move(message.body());
  return std::nullopt;
}

std::optional<std::string> CheckResponse(const Response& response) {
  if (response.status < 200 || response.status > 599) {
    return "the handler answered status " + std::to_string(response.status);
  }
  for (const auto& [name, value] : response.headers) {
    // A loop, not find_first_of: that looks each byte up in the set with a call of its own.
    const bool breaks_line = std::any_of(
        value.begin(), value.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
    if (!IsToken(name) || breaks_line) {
      return "the handler answered an invalid header \"" + name + "\"";
    }
  }
  return std::nullopt;
}

bool AsksToClose(const Response& response) {
  return std::any_of(response.headers.begin(), response.headers.end(), [](const auto& header) {
    return beast::iequals(header.first, "Connection") && beast::iequals(header.second, "close");
  });
}

void BuildAnswer(Response& response, unsigned version, bool keep_alive, bool head,
                 BeastResponse& out) {
  out.version(version);
  out.result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : response.headers) {
    if (!ServerSetsIt(name)) {
      out.insert(name, value);
    }
  }
  out.keep_alive(keep_alive);
  if (response.stream) {
    out.chunked(version >= 11);
    return;
  }
  if (response.status == 204 || response.status == 304) {
    return;
  }
  out.content_length(response.Body().size() + (response.drop_after_headers ? 1 : 0));
  if (!head && !response.drop_after_headers) {
    out.body().owned = std::move(response.body);
    out.body().shared = std::move(response.shared_body);
  }
}

}  // namespace ec2m::http::internal
