#include "sim/endpoint/query_server.hpp"

#include "sim/region.hpp"

#include <array>
#include <chrono>

#include "cloud/query/dispatch.hpp"
#include "cloud/query/params.hpp"
#include "cloud/sigv4/sigv4.hpp"

namespace ec2m::sim {

namespace {

constexpr char kXmlContentType[] = "text/xml;charset=UTF-8";
constexpr char kService[] = "ec2";
constexpr size_t kMaxPayloadBytes = 1 << 20;

// The request's parameters: the query string, then (POST) the form body on top of it.
Result<query::Params> RequestParams(const http::Request& req) {
  auto params = query::ParseForm(req.raw_query);
  if (!params || req.method != "POST" || req.body.empty()) {
    return params;
  }
  auto body = query::ParseForm(req.body);
  if (!body) {
    return body;
  }
  for (const auto& [key, value] : body->map()) {
    params->Set(key, value);
  }
  return params;
}

}  // namespace

QueryServer::QueryServer(Ec2& ec2, SimRegion* admin, CredentialMap credentials, const Clock& clock,
                         Random& random, std::string region)
    : ec2_(ec2),
      admin_(admin),
      credentials_(std::move(credentials)),
      clock_(clock),
      random_(random),
      region_(std::move(region)) {}

QueryServer::~QueryServer() { Stop(); }

Result<int> QueryServer::Listen(const std::string& host, int port) {
  http::ServerOptions options;
  options.max_body_bytes = kMaxPayloadBytes;
  // The server's own refusals (413, 431, 408, 503) in EC2's XML error shape.
  options.refusal = [this](int status, std::string_view message, http::Response& res) {
    const std::string request_id = NewUuid(random_);
    const ErrorCode code = status == 503   ? ErrorCode::kUnavailable
                           : status == 500 ? ErrorCode::kInternal
                                           : ErrorCode::kInvalidArgument;
    query::QueryResponse out = query::ErrorResponse(
        Error{code, std::string(message), status == 413 ? "RequestEntityTooLarge" : "", ""},
        request_id);
    Reply(out, request_id, res);
    res.status = status;
  };
  return http_.Listen(
      host, port, std::move(options),
      [this](const http::Request& req, http::Response& res) { Handle(req, res); },
      "the EC2 endpoint");
}

void QueryServer::Stop() { http_.Stop(); }

void QueryServer::Reply(query::QueryResponse& out, const std::string& request_id,
                        http::Response& res) const {
  res.status = out.status;
  res.Set("x-amzn-RequestId", request_id);
  res.Set("Content-Type", kXmlContentType);
  res.body = std::move(out.body);
}

void QueryServer::Handle(const http::Request& req, http::Response& res) {
  if (req.path.starts_with("/_ec2m/")) {
    HandleAdmin(req, res);
  } else if (req.path == "/" && (req.method == "GET" || req.method == "POST")) {
    HandleQuery(req, res);
  } else {
    const std::string request_id = NewUuid(random_);
    query::QueryResponse out = query::ErrorResponse(
        Error{ErrorCode::kNotFound, "The requested path was not found.", "InvalidAction", ""},
        request_id);
    Reply(out, request_id, res);
  }
}

Result<void> QueryServer::Authenticate(const http::Request& req) const {
  sigv4::HttpRequest http;
  http.method = req.method;
  const size_t q = req.target.find('?');
  http.path = req.target.substr(0, q);
  http.query = req.raw_query;
  http.headers = req.headers;
  http.body = req.body;
  const sigv4::SecretLookup lookup =
      [this](std::string_view access_key_id) -> std::optional<std::string> {
    auto it = credentials_.find(access_key_id);
    if (it == credentials_.end()) {
      return std::nullopt;
    }
    return it->second;
  };
  sigv4::VerifyOptions options;
  options.service = kService;
  options.now = clock_.Now();
  auto identity = sigv4::Verify(http, lookup, options);
  if (!identity) {
    return Fail(std::move(identity).error());
  }
  if (identity->region != region_) {
    return Fail(ErrorCode::kUnauthenticated,
                "Credential should be scoped to a valid region: this endpoint serves " + region_ +
                    ", not '" + identity->region + "'",
                "AuthFailure");
  }
  return {};
}

void QueryServer::HandleQuery(const http::Request& req, http::Response& res) {
  const std::string request_id = NewUuid(random_);
  query::QueryResponse out;
  if (auto auth = Authenticate(req); !auth) {
    out = query::ErrorResponse(auth.error(), request_id);
  } else if (auto params = RequestParams(req); !params) {
    out = query::ErrorResponse(params.error(), request_id);
  } else {
    out = query::DispatchStreamed(ec2_, *params, request_id, describe_window_);
    if (admin_ != nullptr && admin_->ShouldDropResponse(params->Get("Action"))) {
      // The call was applied; its answer is lost: the connection closes after the headers, as
      // a network failure after the fact would. A streamed answer's later windows are never read.
      res.status = 200;
      res.Set("Content-Type", kXmlContentType);
      res.body = std::move(out.body);
      res.drop_after_headers = true;
      return;
    }
  }
  Reply(out, request_id, res);
  // Chunked, its pieces produced on the server's workers as they are written.
  res.stream = std::move(out.stream);
}

}  // namespace ec2m::sim
