#include "sim/endpoint/query_server.hpp"

#include "sim/region.hpp"

#include <httplib.h>

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

// Headers httplib invents for the server side; they were not sent, so they are not signed.
bool IsPseudoHeader(const std::string& name) {
  static constexpr std::array<std::string_view, 4> kPseudo = {"REMOTE_ADDR", "REMOTE_PORT",
                                                              "LOCAL_ADDR", "LOCAL_PORT"};
  for (std::string_view p : kPseudo) {
    if (name == p) {
      return true;
    }
  }
  return false;
}

// The request's parameters: the query string, then (POST) the form body on top of it.
Result<query::Params> RequestParams(const httplib::Request& req, const std::string& body_text) {
  const size_t q = req.target.find('?');
  auto params = query::ParseForm(
      q == std::string::npos ? std::string_view() : std::string_view(req.target).substr(q + 1));
  if (!params || req.method != "POST" || body_text.empty()) {
    return params;
  }
  auto body = query::ParseForm(body_text);
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
  return listener_.Listen(
      host, port, http::ListenerOptions{.max_payload_bytes = kMaxPayloadBytes},
      [this](httplib::Server& server) { InstallRoutes(server); }, "the EC2 endpoint");
}

void QueryServer::Stop() { listener_.Stop(); }

void QueryServer::InstallRoutes(httplib::Server& server) {
  server.Get("/", [this](const httplib::Request& req, httplib::Response& res) {
    HandleQuery(req, req.body, res);
  });
  // POST reads its body through a content reader: cpp-httplib's own form handling (compiled into
  // Debian's shared library) refuses url-encoded bodies over 8 KB with a bare 413, and EC2 bodies
  // naming a thousand instance ids are far larger. The payload limit still applies.
  server.Post("/", [this](const httplib::Request& req, httplib::Response& res,
                          const httplib::ContentReader& reader) {
    std::string body;
    reader([&body](const char* data, size_t length) {
      body.append(data, length);
      return true;
    });
    HandleQuery(req, body, res);
  });
  auto admin = [this](const httplib::Request& req, httplib::Response& res) {
    HandleAdmin(req, res);
  };
  server.Get("/_ec2m/.*", admin);
  server.Post("/_ec2m/.*", admin);
  server.Put("/_ec2m/.*", admin);
  // The backstop: a throwing handler answers InternalError rather than dropping the connection.
  server.set_exception_handler([this](const httplib::Request&, httplib::Response& res,
                                      const std::exception_ptr&) {
    const std::string request_id = NewUuid(random_);
    query::QueryResponse out = query::ErrorResponse(
        Error{ErrorCode::kInternal, "We encountered an internal error. Please try again.", "", ""},
        request_id);
    res.status = out.status;
    res.set_header("x-amzn-RequestId", request_id);
    res.set_content(out.body, kXmlContentType);
  });
}

Result<void> QueryServer::Authenticate(const httplib::Request& req, const std::string& body) const {
  sigv4::HttpRequest http;
  http.method = req.method;
  const size_t q = req.target.find('?');
  http.path = req.target.substr(0, q);
  http.query = q == std::string::npos ? std::string() : req.target.substr(q + 1);
  http.headers.reserve(req.headers.size());
  for (const auto& [name, value] : req.headers) {
    if (!IsPseudoHeader(name)) {
      http.headers.emplace_back(name, value);
    }
  }
  http.body = body;
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

void QueryServer::HandleQuery(const httplib::Request& req, const std::string& body,
                              httplib::Response& res) {
  const std::string request_id = NewUuid(random_);
  query::QueryResponse out;
  if (auto auth = Authenticate(req, body); !auth) {
    out = query::ErrorResponse(auth.error(), request_id);
  } else if (auto params = RequestParams(req, body); !params) {
    out = query::ErrorResponse(params.error(), request_id);
  } else {
    out = query::Dispatch(ec2_, *params, request_id);
    if (admin_ != nullptr && admin_->ShouldDropResponse(params->Get("Action"))) {
      // The call was applied; its answer is lost. Promise a body and send none, so the
      // connection closes mid-response, as a network failure after the fact would.
      res.status = 200;
      res.set_content_provider(
          out.body.size() + 1, kXmlContentType,
          [](size_t /*offset*/, size_t /*length*/, httplib::DataSink& /*sink*/) { return false; });
      return;
    }
  }
  res.status = out.status;
  res.set_header("x-amzn-RequestId", request_id);
  res.set_header("Content-Type", kXmlContentType);
  res.body = std::move(out.body);  // set_content would copy; DescribeInstances can be megabytes
}

}  // namespace ec2m::sim
